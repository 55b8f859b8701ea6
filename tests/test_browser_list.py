"""The theme list at 40 themes in a real browser (issue 25 item 2): each row names its keywords; the filter and
the name order narrow and sort the list; three ticked themes are merged in one step under a chosen name (and
one undo brings them back); the move target is found by typing and shows its whole long name; *Find lignende*
lists the answers nearest to the theme, and two of them ticked are moved into it (issue 25 item 3)."""

import re

import numpy as np
import pandas as pd
import pytest

from textmine.fmt import number
from textmine.project.store import Project

from .test_browser import browser, pytestmark, running_app  # noqa: F401  (browser: the shared fixture)

WORDS = ["kaffe", "løn", "vagt", "ledelse", "kollega", "borger", "møde", "skema", "bil", "cykel", "frokost", "ferie",
         "kursus", "mentor", "sprog", "praktik", "job", "tid", "ro", "plan", "mål", "team", "vejr", "hus", "skole",
         "barn", "seng", "mad", "brev", "telefon", "papir", "regel", "sag", "penge", "by", "land", "vand", "lys",
         "musik", "sport"]
LONG = "Samtaleteknik og kommunikation (motiverende samtaler, konflikthåndtering, skriftlighed og dokumentation)"
NAMES = {0: "Øvrige", 1: "Aftaler", 2: LONG}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """40 themes of 3 to 6 answers about their own word (theme t's answers all say WORDS[t])."""
    rows = [(f"R{t}_{i}", f"Noget om {WORDS[t]} og mere {WORDS[t]} her", t) for t in range(40) for i in range(3 + t % 4)]
    frame = pd.DataFrame(rows, columns=["respondent_id", "answer", "cluster"])
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("list") / "liste.sqlite"
    Project.create(path, "kerneopgave", frame, vectors=rng.normal(size=(len(frame), 8)).astype(np.float32),
                   coords=rng.normal(size=(len(frame), 2)), names=NAMES)
    return path


@pytest.fixture(scope="module")
def page(project, browser):
    with running_app(project=project) as url:
        tab = browser.new_page(viewport={"width": 1440, "height": 900})
        tab.goto(url)
        tab.locator("#status").get_by_text("version 0)").wait_for(timeout=60_000)
        tab.wait_for_timeout(1500)                                      # the page's follow-up events done
        yield tab
        tab.close()


def rows(page, where: str = "#theme-list") -> list[str]:
    return [t.replace("\xa0", " ") for t in page.locator(f"{where} label").all_inner_texts()]


def test_rows_filter_and_name_order(page):
    shown = rows(page)
    assert len(shown) == 40 + 2 and "Temaer (40)" in page.locator("#theme-list").inner_text()
    assert any(re.fullmatch(r"Klynge 4 · ledelse(, [a-zæøå]+)* · 6 svar · \d+,\d %", r) for r in shown), shown
    page.locator("#theme-find input, #theme-find textarea").first.press_sequentially("kaf", delay=50)
    page.wait_for_function("() => document.querySelectorAll('#theme-list label').length === 3", timeout=30_000)
    assert rows(page)[0].startswith("Øvrige · kaffe") and "1 af 40" in page.locator("#theme-list").inner_text()
    page.locator("#theme-find input, #theme-find textarea").first.press("Control+a")
    page.locator("#theme-find input, #theme-find textarea").first.press("Backspace")     # emptied: all again
    page.wait_for_function("() => document.querySelectorAll('#theme-list label').length === 42", timeout=30_000)
    page.locator("#theme-order input").click()
    page.get_by_role("option", name="Navn A-Å").click()
    page.wait_for_function("() => document.querySelector('#theme-list label').innerText.startsWith('Aftaler')",
                           timeout=30_000)
    names = [r.split(" · ")[0] for r in rows(page)[:-2]]
    assert names[1:3] == ["Klynge 4", "Klynge 5"] and names[-2:] == [LONG, "Øvrige"]   # numbers by value; Ø last


def test_three_ticked_themes_merge_in_one_step_and_one_undo_brings_them_back(page, project):
    page.locator("#tick-mode input").check()
    page.locator("#theme-ticks label").first.wait_for(timeout=30_000)
    assert not page.locator("#theme-list").is_visible()
    assert page.locator("#theme-ticks input:checked").count() == 1          # the selected theme starts ticked
    for name in ("Klynge 4", "Klynge 10", "Klynge 12", "Klynge 21"):       # untick it, tick three
        page.locator("#theme-ticks label").filter(has_text=re.compile(rf"^\s*{name} ·")).click()
    page.locator("#merge-ticked").get_by_text("Slå 3 markerede temaer sammen").wait_for(timeout=10_000)
    page.click("#merge-ticked")
    question = page.locator("#merge-question")
    question.get_by_text("Slå 3 temaer sammen?").wait_for(timeout=30_000)
    text = question.inner_text()
    assert "»Klynge 12« (6 svar)" in text and "»Klynge 10« (4 svar)" in text and "»Klynge 21« (3 svar)" in text
    assert page.locator("#ticked-name input, #ticked-name textarea").first.input_value() == "Klynge 12"  # the largest's
    page.locator("#ticked-name input, #ticked-name textarea").first.fill("Ferie og kurser")
    page.click("#merge-yes")
    page.locator("#feedback").get_by_text("er slået sammen til »Ferie og kurser« (13 svar)").wait_for(timeout=30_000)
    state = Project(project).state()
    assert len(state.themes) == 38 and state.themes[11].name == "Ferie og kurser" and len(state.members(11)) == 13
    assert len(rows(page, "#theme-ticks")) == 38 and not page.locator("#theme-ticks input:checked").count()
    assert not page.locator("#confirm-merge").is_visible()
    page.click("#undo")
    page.locator("#feedback").get_by_text("Fortrudt").wait_for(timeout=30_000)
    assert len(Project(project).state().themes) == 40
    page.locator("#tick-mode input").uncheck()
    page.locator("#theme-list label").first.wait_for(timeout=30_000)
    assert len(rows(page)) == 42


def test_the_move_target_is_found_by_typing_and_shows_its_whole_name(page):
    assert page.locator("#target input").get_attribute("placeholder") == "Flyt til tema: skriv en del af navnet …"
    page.locator("#target input").click()
    page.keyboard.type("samtale")
    option = page.get_by_role("option").filter(has_text="Samtaleteknik")
    option.wait_for(timeout=10_000)
    page.wait_for_function("() => document.querySelectorAll('[role=option]').length === 1", timeout=10_000)  # filtered
    assert page.get_by_role("option").count() == 1 and option.inner_text().strip() == f"{LONG} (nr. 3)"
    assert option.evaluate("li => li.scrollWidth <= li.clientWidth")                 # wrapped, not cut
    option.click()
    page.wait_for_function("t => document.querySelector('#target input').title === t", arg=f"{LONG} (nr. 3)",
                           timeout=10_000)                                     # the whole name on hover


def nearest_to_theme(project, theme: int) -> tuple[list[int], np.ndarray]:
    """The answers outside `theme` by cosine to its centre, nearest first, and their likeness (computed here)."""
    data = Project(project).read()
    units = data.vectors / np.linalg.norm(data.vectors, axis=1, keepdims=True)
    own = data.state.members(theme)
    centre = units[own].mean(axis=0)
    likeness = units @ (centre / np.linalg.norm(centre))
    order = [int(a) for a in np.argsort(-likeness, kind="stable") if a not in own]
    return order, likeness[order]


def test_find_lignende_lists_the_theme_s_nearest_and_two_ticked_are_moved_into_it(page, project):
    page.locator("#theme-list label").filter(has_text=re.compile(r"^\s*Aftaler ·")).first.click()
    page.wait_for_function("() => document.querySelector('#theme-name textarea, #theme-name input').value === "
                           "'Aftaler'", timeout=30_000)
    page.click("#find-similar")
    page.locator("#caption").get_by_text("Svar, der ligner temaet »Aftaler«").wait_for(timeout=30_000)
    order, likeness = nearest_to_theme(project, 1)
    shown = page.locator("#answers label").all_inner_texts()
    assert len(shown) == len(order) == 180 - 4                              # every answer but the theme's own
    assert [s.split(" · ")[0] for s in shown[:5]] == [number(x, 2) for x in likeness[:5]]
    data = Project(project).read()
    name, text = data.state.themes[data.state.primary[order[0]]].name, data.answers["text"].iat[order[0]]
    assert shown[0] == f"{number(likeness[0], 2)} · [{name}] {text}"            # its theme, like a search hit
    for label in page.locator("#answers label").all()[:2]:
        label.click()
    page.locator("#caption").get_by_text("2 valgt").wait_for(timeout=10_000)
    page.locator("#target input").click()
    page.locator("#target input").press("Control+a")
    page.keyboard.type("Aftaler")
    page.get_by_role("option", name="Aftaler (nr. 2)").click()
    page.click("#move")
    page.locator("#feedback").get_by_text("2 svar er flyttet til »Aftaler«").wait_for(timeout=30_000)
    state = Project(project).state()
    assert set(order[:2]) <= set(state.members(1)) and len(state.members(1)) == 4 + 2
    page.wait_for_function("() => document.querySelectorAll('#answers label').length === 174", timeout=30_000)
    assert "Svar, der ligner temaet »Aftaler«" in page.locator("#caption").inner_text()   # the list stays, minus the two
    assert any(r.startswith("Aftaler · ") and "6 svar" in r for r in rows(page))
    page.click("#undo")
    page.locator("#feedback").get_by_text("Fortrudt").wait_for(timeout=30_000)
