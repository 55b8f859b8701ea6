"""The *Gennemse* tab in a real browser (Chromium driven by Playwright) on a demo project discovered before the
app starts: the queue is shown, "Rigtigt" and "Flyt til forslag" are audited actions in the project file, the
handled answers leave the queue and the next ranking, the estimate is shown on the tab and beside the theme
list, undo takes a move back, and the tab has no English and no decimal point."""

import re
import subprocess
import sys

import pytest

from textmine.app.history import button_words
from textmine.project.store import Project

from .conftest import ROOT
from .test_browser import CHROMIUM, ENGLISH, browser, pytestmark, running_app  # noqa: F401 (fixtures, marks)

ESTIMATE = re.compile(r"(Anslået|Foreløbigt skøn:) \d+ % af svarene i et rigtigt tema \(\d+–\d+ %\)")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The app on a folder holding the demo survey's kerneopgave project (discovered by the command line)."""
    projects, out = tmp_path_factory.mktemp("projects"), tmp_path_factory.mktemp("discovery")
    subprocess.run([sys.executable, "-m", "textmine.cli", "discover", str(ROOT / "data" / "baseline_survey.csv"),
                    "--question", "kerneopgave", "--out", str(out)], cwd=ROOT, check=True, capture_output=True)
    path = projects / "baseline_survey_kerneopgave.sqlite"
    path.write_bytes((out / "project.sqlite").read_bytes())
    with running_app(projects) as url:
        yield url, path


def shown_rows(page) -> list[int]:
    return page.evaluate("""() => [...document.querySelectorAll('[id^=review-row-]')]
        .filter(r => r.offsetParent !== null).map(r => Number(r.id.split('-').pop()))""")


def text_of(page, slot: int) -> str:
    return page.locator(f"#review-text-{slot}").inner_text()


def answer_of(text: str) -> str:
    return re.search(r"»(.*)«", text, re.S).group(1)


def test_review_confirm_move_rerank_estimate_and_undo(served, browser):
    url, path = served
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(url)
    page.locator("#status").get_by_text("gemt automatisk").wait_for(timeout=60_000)
    page.locator("#theme-estimate").get_by_text(ESTIMATE).wait_for(timeout=120_000)      # beside the theme list

    page.get_by_role("tab", name="Gennemse").click()
    page.locator("#review-row-0").wait_for(timeout=60_000)
    assert shown_rows(page) == list(range(8))
    assert ESTIMATE.search(page.locator("#review-estimate").inner_text())
    first, second = text_of(page, 0), text_of(page, 1)
    suggested = re.search(r"forslag: (.+?) \(\d+ %\)", second).group(1)
    was_in = re.search(r"Nu: (.+?) \(\d+ %\)", second).group(1)

    page.click("#review-ok-0")
    page.locator("#review-feedback").get_by_text("Rigtigt: svaret bliver i").wait_for(timeout=30_000)
    page.locator("#review-row-0").wait_for(state="hidden")
    state = Project(path).state()
    confirmed = next(iter(state.reviewed))
    assert len(state.reviewed) == 1 and Project(path).audit()["action"].tolist() == ["confirm"]
    assert shown_rows(page) == list(range(1, 8)) and text_of(page, 1) == second      # the others stay in place

    page.wait_for_timeout(600)                        # a decision right after another is dropped (page.js HOLD)
    page.click("#review-move-1")
    page.locator("#review-feedback").get_by_text(f"Svaret er flyttet til »{suggested}«").wait_for(timeout=30_000)
    project = Project(path)
    state = project.state()
    moved = next(a for a in state.reviewed if a != confirmed)
    assert state.themes[state.primary[moved]].name == suggested
    assert project.audit()["action"].tolist() == ["confirm", "move"]
    moved_words = f"flyttede 1 svar fra »{was_in}« til »{suggested}«"
    assert f"Fortryd: {button_words(moved_words)}" in page.locator("#review-undo").inner_text()
    page.locator("#review-estimate").get_by_text("2 af 292 svar er gennemset").wait_for(timeout=30_000)

    page.click("#review-rerank")                                               # ranked again: both are gone
    page.locator("#review-status").get_by_text("Runde 2").wait_for(timeout=30_000)
    again = [answer_of(text_of(page, i)) for i in shown_rows(page)]
    assert len(again) == 8 and answer_of(first) not in again and answer_of(second) not in again

    page.click("#review-undo")
    page.locator("#review-feedback").get_by_text(f"Fortrudt: {moved_words}").wait_for(timeout=30_000)
    project = Project(path)
    state = project.state()
    assert state.reviewed == {confirmed} and state.themes[state.primary[moved]].name == was_in
    audit = project.audit()
    assert audit["kind"].tolist() == ["action", "action", "undo"] and audit["status"].tolist()[1] == "undone"
    page.locator("#review-estimate").get_by_text("1 af 292 svar er gennemset").wait_for(timeout=30_000)

    Project(path).apply("rename", theme_id=0, name="Fra en anden fane")          # a stale tab is refused
    slot = shown_rows(page)[0]
    page.click(f"#review-ok-{slot}")
    page.get_by_text("ændret i en anden fane").first.wait_for(timeout=20_000)
    assert page.locator(f"#review-row-{slot}").is_visible() and len(Project(path).state().reviewed) == 1
    assert page.locator(".error, [data-testid='error']").count() == 0

    seen = page.locator("body").inner_text()
    assert not [w for w in ENGLISH if re.search(rf"\b{w}\b", seen)] and not re.search(r"\d\.\d+ ?%", seen)
    page.get_by_role("tab", name="Temaer").click()                             # re-drawn after the tab's actions
    page.locator("#status").get_by_text(f"version {Project(path).version()})").wait_for(timeout=30_000)
    assert ESTIMATE.search(page.locator("#theme-estimate").inner_text())
    page.close()


def test_review_the_check_sample_and_its_estimate(served, browser):
    from textmine.review.quality import CHECK_MIN, check_order

    url, path = served
    project = Project(path)
    state = project.state()
    order = [int(a) for a in check_order(len(state.primary), project.meta("file_id"))]
    ahead = [a for a in order[:CHECK_MIN - 5] if a not in state.reviewed]
    project.apply("confirm", answers=ahead)                       # most of the check read in an earlier session
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(url)
    page.locator("#status").get_by_text("gemt automatisk").wait_for(timeout=60_000)
    page.get_by_role("tab", name="Gennemse").click()
    page.locator("#review-row-0").wait_for(timeout=60_000)
    page.locator("#review-mode").get_by_text("Tilfældig stikprøve").click()
    page.locator("#review-status").get_by_text(f"{CHECK_MIN - 5} svar af stikprøven er læst").wait_for(timeout=30_000)
    texts = Project(path).read().answers.set_index("answer_id")["text"]
    unread = [a for a in order if a not in Project(path).state().reviewed]
    shown = [answer_of(text_of(page, i)) for i in shown_rows(page)]
    assert shown == [" ".join(str(texts[a]).split()) for a in unread[:8]]          # the check's own order
    before = page.locator("#review-estimate").inner_text()
    assert "stikprøve på" not in before and "Foreløbigt skøn" in before        # the model's, until 20 are read

    now = re.search(r"Nu: (.+?) \(", page.locator("#review-text-0").inner_text()).group(1)
    page.locator("#review-other-0 input").click()        # the analyst's own theme (a suggestion the model rates
    page.get_by_role("option").filter(has_not_text=now).first.click()    # under the current one has no button)
    page.locator("#review-feedback").get_by_text("Svaret er flyttet til").wait_for(timeout=30_000)
    page.locator("#review-row-0").wait_for(state="hidden", timeout=30_000)
    page.wait_for_timeout(600)
    page.click("#review-ok-1")
    page.locator("#review-row-1").wait_for(state="hidden", timeout=30_000)
    before = len(Project(path).state().reviewed)
    box = page.locator("#review-ok-2").bounding_box()   # the next row's button, slid under the pointer
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)     # at once: dropped
    page.wait_for_timeout(1500)
    assert len(Project(path).state().reviewed) == before and page.locator("#review-row-2").is_visible()
    for slot in range(2, 5):
        page.click(f"#review-ok-{slot}")
        page.locator(f"#review-row-{slot}").wait_for(state="hidden", timeout=30_000)
        page.wait_for_timeout(600)
    page.locator("#review-estimate").get_by_text(f"ud fra en stikprøve på {CHECK_MIN} svar").wait_for(timeout=30_000)
    assert ESTIMATE.search(page.locator("#review-estimate").inner_text())
    assert "Foreløbigt" not in page.locator("#review-estimate").inner_text()
    assert unread[0] in Project(path).state().corrected                            # stored as moved, not confirmed
    page.get_by_role("tab", name="Temaer").click()
    page.locator("#theme-estimate").get_by_text(f"stikprøve på {CHECK_MIN} svar").wait_for(timeout=30_000)
    seen = page.locator("body").inner_text()
    assert not [w for w in ENGLISH if re.search(rf"\b{w}\b", seen)] and not re.search(r"\d\.\d+ ?%", seen)
    page.reload()                                                  # the chosen order is kept over a reload
    page.locator("#status").get_by_text("gemt automatisk").wait_for(timeout=60_000)
    page.get_by_role("tab", name="Gennemse").click()
    page.locator("#review-status").get_by_text("Stikprøve, runde 1").wait_for(timeout=60_000)
    assert page.locator("#review-mode").get_by_label("Tilfældig stikprøve").is_checked()
    page.close()
