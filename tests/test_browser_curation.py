"""Issue 25's whole curation in a real browser: the demo's `kerneopgave` from the first screen after *Find temaer*
to the report's six headings, with the tools an analyst uses at scale: *Nyt tema* from picked search hits, themes
ticked in the list and merged in one step, *Find lignende* to gather a heading's answers from other themes, an
answer pinned as a heading's quote (and found in the exported slides and Word), and the history to take back a
wrong move. The test plays an analyst who reads each answer: it knows every answer's gold heading."""

import re
from collections import Counter

import pandas as pd
import pytest
from docx import Document
from pptx import Presentation

from textmine.project.store import Project
from textmine.project.themes import snapshot

from .conftest import DATA
from .test_browser import browser, choose, labels, pytestmark, running_app, select  # noqa: F401 (fixtures)

HEADINGS = {"K1": "Hjælpe borgere i job, uddannelse eller selvforsørgelse",
            "K2": "Skabe det rette match mellem borger og virksomhed",
            "K3": "Understøtte virksomhedernes behov for arbejdskraft",
            "K4": "Afklare og støtte borgere med komplekse udfordringer",
            "K5": "Arbejde relations- og borgercentreret",
            "K6": "Fremme meningsfuld og bæredygtig beskæftigelse"}


@pytest.fixture(scope="module")
def desk(tmp_path_factory, browser):  # noqa: F811
    """The demo's kerneopgave discovered in the page; the tab and the project file."""
    projects = tmp_path_factory.mktemp("curation")
    with running_app(projects) as url:
        tab = browser.new_page(viewport={"width": 1440, "height": 900})
        tab.goto(url)
        tab.get_by_role("tab", name="Nyt projekt").click()
        tab.get_by_role("button", name="Find temaer (nyt projekt)").wait_for(timeout=180_000)
        tab.click("#run-discovery")
        tab.locator("#status").get_by_text("gemt automatisk").wait_for(timeout=300_000)
        [path] = [p for p in projects.glob("*.sqlite") if p.name.startswith("baseline_survey_kerneopgave")]
        yield tab, path
        tab.close()


def gold_of(path) -> dict[str, str]:
    """The text shown for each answer -> its gold heading (K0: no real answer)."""
    gold = pd.read_csv(DATA / "baseline_survey_gold_labels.csv").query("question == 'kerneopgave'")
    heading = dict(zip(gold["respondent_id"], gold["labels"].str.split("|").str[0]))
    snap = snapshot(Project(path))
    ids = snap.data.base.table["respondent_id"]
    return {snap.texts.shown[a]: heading.get(ids[a], "K0") for a in snap.texts.shown.index}


def majorities(path) -> dict[str, list[str]]:
    """Gold heading -> the names of the themes most of whose answers have it."""
    snap = snapshot(Project(path))
    gold = gold_of(path)
    found: dict[str, list[str]] = {}
    for t, theme in snap.state.themes.items():
        counts = Counter(gold[snap.texts.shown[a]] for a in snap.state.members(t))
        found.setdefault(counts.most_common(1)[0][0], []).append(theme.name)
    return found


def shown_answers(page) -> list[tuple[int, str]]:
    """The answers listed on *Svar*: (place in the list, text without its likeness and [theme] prefix)."""
    texts = page.locator("#answers label").all_inner_texts()
    return [(i, re.sub(r"^(\d+,\d+ · )?([★❝↪] *)*(\[[^\]]*\] )?", "", t).strip()) for i, t in enumerate(texts)]


def tick(page, places: list[int]) -> None:
    for i in places:
        page.locator("#answers label").nth(i).click()
    page.locator("#caption").get_by_text(f"{len(places)} valgt").wait_for(timeout=10_000)


def move_ticked_to(page, name: str) -> None:
    page.locator("#target input").click()
    page.locator("#target input").press("Control+a")
    page.keyboard.type(name[:30])
    page.get_by_role("option").filter(has_text=name).first.click()
    page.keyboard.press("Escape")
    page.click("#move")
    page.locator("#feedback").get_by_text(f"til »{name}«").wait_for(timeout=30_000)


def merge_ticked(page, names: list[str], into: str) -> None:
    """Tick exactly `names` in the list (the selected theme starts ticked) and merge them under `into`."""
    page.locator("#tick-mode input").check()
    ticks = page.locator("#theme-ticks label")
    ticks.first.wait_for(timeout=30_000)
    for k in range(ticks.count()):
        name = re.sub(r"^✔ ", "", ticks.nth(k).inner_text().split(" · ")[0].strip())
        if (name in names) != ticks.nth(k).locator("input").is_checked():
            ticks.nth(k).click()
    page.click("#merge-ticked")
    page.locator("#merge-question").get_by_text(f"Slå {len(names)} temaer sammen?").wait_for(timeout=30_000)
    page.locator("#ticked-name input, #ticked-name textarea").first.fill(into)
    page.click("#merge-yes")
    page.locator("#feedback").get_by_text(f"er slået sammen til »{into}«").wait_for(timeout=30_000)
    page.locator("#tick-mode input").uncheck()
    page.locator("#theme-list label").first.wait_for(timeout=30_000)


def rename(page, old: str, new: str) -> None:
    select(page, old)
    page.fill("#theme-name textarea, #theme-name input", new)
    page.click("#rename")
    page.locator("#feedback").get_by_text(f"»{new}«").first.wait_for(timeout=30_000)


def test_the_demo_is_curated_into_the_report_s_six_headings(desk):
    page, path = desk
    gold = gold_of(path)
    # 1. the first screen: every theme named, with its keywords in the list
    rows = labels(page)[:-2]
    assert rows and not [r for r in rows if re.match(r"(✔ )?Klynge \d+ ·", r)], rows
    assert all(len(r.split(" · ")) >= 4 for r in rows), rows          # name · keywords · N svar · share
    # 2. Nyt tema from search hits: the answers about "afklar…" that belong to K4
    select(page, rows[0].split(" · ")[0])
    page.get_by_role("tab", name="Svar").click()
    page.fill("#search input, #search textarea", "afklar")
    page.press("#search input, #search textarea", "Enter")
    page.locator("#caption").get_by_text("afklar").first.wait_for(timeout=30_000)
    k4 = [i for i, text in shown_answers(page) if gold.get(text) == "K4"]
    assert len(k4) >= 5
    tick(page, k4)
    page.fill("#new-name input, #new-name textarea", HEADINGS["K4"])
    page.click("#new-theme")
    page.locator("#feedback").get_by_text(f"»{HEADINGS['K4']}«").first.wait_for(timeout=30_000)
    # 3. the list's multi-merge: each heading's themes in one step (one theme: renamed)
    for key, names in sorted(majorities(path).items()):
        if key == "K0":
            continue
        if len(names) > 1:
            merge_ticked(page, names, HEADINGS[key])
        elif names[0] != HEADINGS[key]:
            rename(page, names[0], HEADINGS[key])
    state = Project(path).state()
    assert set(HEADINGS.values()) <= {t.name for t in state.themes.values()}
    # 4. Find lignende: the answers nearest a heading's theme that belong to it, gathered from other themes
    gathered = 0
    for key, name in HEADINGS.items():
        select(page, name)
        page.click("#find-similar")
        page.locator("#caption").get_by_text(f"ligner temaet »{name}«").wait_for(timeout=30_000)
        strays = [i for i, text in shown_answers(page)[:15] if gold.get(text) == key]
        if strays:
            tick(page, strays)
            move_ticked_to(page, name)
            gathered += len(strays)
    assert gathered >= 3
    # 5. a quote pinned for K1: its last answer of its own, far from the typical ones (★) the exports take unpinned
    select(page, HEADINGS["K1"])
    raw = page.locator("#answers label").all_inner_texts()
    own = [(i, text) for i, text in shown_answers(page) if gold.get(text) == "K1" and "★" not in raw[i]]
    place, quote = own[-1]
    tick(page, [place])
    page.click("#pin-quote")
    page.locator("#feedback").get_by_text("citat").first.wait_for(timeout=30_000)
    # 6. a wrong move taken back in the history
    select(page, HEADINGS["K2"])
    wrong = shown_answers(page)[0][1]
    tick(page, [0])
    move_ticked_to(page, HEADINGS["K5"])
    page.get_by_role("tab", name="Historik").click()
    page.locator("#history table").wait_for(timeout=60_000)
    assert f"Flyttede 1 svar fra »{HEADINGS['K2']}« til »{HEADINGS['K5']}«: »{wrong[:20]}" in \
        page.locator("#history").inner_text()
    page.locator("#back-point input").click()
    page.get_by_role("option").nth(1).click()                     # the point just before the wrong move
    page.keyboard.press("Escape")
    page.click("#back")
    page.locator("#history-feedback").get_by_text("Projektet er ført tilbage").wait_for(timeout=30_000)
    snap = snapshot(Project(path))
    by_name = {theme.name: t for t, theme in snap.state.themes.items()}
    at = snap.texts.shown[snap.texts.shown == wrong].index[0]
    assert snap.state.primary[at] == by_name[HEADINGS["K2"]]
    # the result: most of each heading's answers sit in its theme
    placed = Counter(gold[snap.texts.shown[a]] == key for key, name in HEADINGS.items()
                     for a in snap.state.members(by_name[name]))
    assert placed[True] / sum(placed.values()) >= 0.6, placed
    # 7. the pinned quote is the one the slides and Word use
    page.get_by_role("tab", name="Eksport").click()
    page.click("#export")
    page.locator("#export-files").get_by_text(".pptx").first.wait_for(timeout=180_000)
    written = {p.suffix: p for p in (path.parent / "exports").rglob("*") if p.is_file()}
    slides = " ".join(shape.text_frame.text for slide in Presentation(written[".pptx"]).slides
                      for shape in slide.shapes if shape.has_text_frame)
    document = Document(written[".docx"])
    word = "\n".join([p.text for p in document.paragraphs] +
                      [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert quote[:60] in slides and quote[:60] in word
