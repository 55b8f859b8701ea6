"""Quotes the analyst pins for the report (issue 25, item 4): a curation action on the themes, saved in the
project file with its history, followed by the page and used by the slides, Word and the workbook."""

import json

import pytest

from textmine.project import curation as cur
from textmine.project.curation import CurationError
from textmine.project.store import SCHEMA_VERSION, Project

from .conftest import run_sql
from .test_curation import check_invariants, make_project, start

# -- the action ------------------------------------------------------------------------------------

def test_pinned_quotes_keep_the_analysts_order_and_change_no_count():
    before = start()
    state = cur.pin_quote(before, [2, 0])
    assert state.themes[0].quotes == (2, 0) and before.themes[0].quotes == ()
    assert dict(state.primary) == dict(before.primary) and state.sizes() == before.sizes()
    assert state.reviewed == before.reviewed and dict(state.second) == dict(before.second)
    state = cur.pin_quote(state, [3, 1])                     # answers of two themes: each a quote of its own
    assert state.themes[0].quotes == (2, 0, 1) and state.themes[1].quotes == (3,)
    state = cur.pin_quote(state, [0], pinned=False)
    assert state.themes[0].quotes == (2, 1)
    check_invariants(state)


@pytest.mark.parametrize("answers,pinned,message", [
    ([7], True, "ikke placeret i et tema"),                  # answer 7 is unplaced
    ([0], False, "Ingen af de valgte svar er valgt som citat"),
    ([], True, "mindst ét"),
    ([99], True, "findes ikke"),
])
def test_a_pin_that_cannot_be_done_says_why(answers, pinned, message):
    with pytest.raises(CurationError, match=message):
        cur.pin_quote(start(), answers, pinned)


def test_pinning_a_quote_twice_is_refused():
    with pytest.raises(CurationError, match="allerede citater"):
        cur.pin_quote(cur.pin_quote(start(), [0]), [0])


def test_an_answer_moved_away_is_no_longer_a_quote_of_its_theme():
    state = cur.pin_quote(start(), [0, 1])
    moved = cur.move(state, [0], 1)
    assert moved.themes[0].quotes == (1,) and moved.themes[1].quotes == ()
    assert cur.move(state, [1], None).themes[0].quotes == (0,)
    assert cur.move(state, [1], cur.NOT_AN_ANSWER).themes[0].quotes == (0,)
    assert cur.move(state, [0], 0).themes[0].quotes == (0, 1)          # moved where it is: stays


def test_merging_keeps_the_quotes_of_both_and_splitting_takes_them_along():
    state = cur.pin_quote(start(), [3, 0, 5])
    merged = cur.merge(state, [1, 0, 2])
    assert merged.themes[1].quotes == (3, 0, 5)
    split = cur.split(cur.pin_quote(start(), [2, 1]), 0, {0: 0, 1: 1, 2: 0})
    assert split.themes[0].quotes == (2,) and split.themes[3].quotes == (1,)
    assert 0 not in cur.delete(state, 0).themes


def test_the_history_says_what_was_pinned():
    assert cur.describe("pin_quote", {"answers": [1, 2]}) == "valg af 2 svar som citat"
    assert cur.describe("pin_quote", {"answers": [1], "pinned": False}) == "fjernelse af 1 citat"


# -- the project file ------------------------------------------------------------------------------

def test_pins_are_saved_audited_and_undone_exactly(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    project.apply("pin_quote", answers=[2, 0])
    project.apply("move", answers=[2], theme_id=1)
    pinned, moved = cur.pin_quote(start(), [2, 0]), cur.move(cur.pin_quote(start(), [2, 0]), [2], 1)
    assert Project(project.path).state() == moved and moved.themes[0].quotes == (0,)
    audit = project.audit()
    assert audit["action"].tolist() == ["pin_quote", "move"]
    assert json.loads(audit["after"][0])["themes"]["0"]["quotes"] == [2, 0]
    assert project.history()["what"].tolist() == ["valgte 2 svar som citat under »Klynge 1«", \
                                                  "flyttede 1 svar fra »Klynge 1« til »Klynge 2«"]
    project.undo()
    assert project.state() == pinned and project.state().themes[0].quotes == (2, 0)
    project.undo()
    assert project.state() == start() and project.state().themes[0].quotes == ()
    project.redo()
    project.redo()
    assert project.state() == moved


def _as_schema_4(path):
    """Turn a new project file into one written by a textmine of schema 4 (themes without quotes)."""
    run_sql(path, """
        CREATE TABLE old (theme_id INTEGER PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
                          final INTEGER NOT NULL, clusters TEXT NOT NULL);
        INSERT INTO old SELECT theme_id, name, description, final, clusters FROM themes;
        DROP TABLE themes; ALTER TABLE old RENAME TO themes;
        UPDATE meta SET value = '4' WHERE key = 'schema_version';""")


def test_a_schema_4_file_opens_and_its_old_actions_still_undo(tmp_path):
    path = tmp_path / "p.sqlite"
    project = make_project(path)
    project.apply("merge", theme_ids=[0, 1], name="Samlet")            # logged before quotes existed
    _as_schema_4(path)
    migrated = Project(path)
    assert migrated.state() == cur.merge(start(), [0, 1], "Samlet")
    assert migrated.meta("schema_version") == str(SCHEMA_VERSION) == "6"
    assert (tmp_path / "p.sqlite.v4.bak").is_file()
    migrated.apply("pin_quote", answers=[3])
    assert Project(path).state().themes[0].quotes == (3,)
    migrated.undo()
    migrated.undo()                                                      # the merge of schema 4
    assert migrated.state() == start()


# -- the report ------------------------------------------------------------------------------------

PINNED = ["»[navn] fra jobcentret hjalp med rekruttering«", "»Virksomhederne mangler folk«"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The battery's project (a name to mask under [privacy]) with two answers of »Rekruttering« pinned, the
    masked one first: its slides, Word and workbook."""
    from textmine.report.export import export_project

    from .test_battery import planted_project

    tmp = tmp_path_factory.mktemp("quotes")
    config, survey, project = planted_project(tmp / "quotes.sqlite")
    project.apply("pin_quote", answers=[2, 1])           # »Yrsa fra jobcentret …«, then »Virksomhederne …«
    written = export_project(project, tmp / "out", ("xlsx", "pptx", "docx"), survey=survey, config=config,
                             question_text=config.questions["kerneopgave"])
    return {p.suffix[1:]: p for p in written}


def _slide_quotes(path, theme: str) -> tuple[list[str], str]:
    """(the quotes on the theme's quote slide, its note)."""
    from pptx import Presentation

    for slide in Presentation(path).slides:
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        if texts and texts[0].split("\n")[0].endswith(f". {theme}") and any(t.startswith("»") for t in texts):
            return [t for t in texts if t.startswith("»")], next(t for t in texts if t.startswith("Note: "))
    raise AssertionError(f"no quote slide of {theme}")


def test_the_slides_show_exactly_the_pinned_quotes_in_order_masked(report):
    quotes, note = _slide_quotes(report["pptx"], "Rekruttering")
    assert quotes == PINNED and note.startswith("Note: Citaterne er valgt af analytikeren")
    others, note = _slide_quotes(report["pptx"], "Borger og dialog")            # no pins: the typical answers
    assert len(others) >= 3 and note.startswith("Note: Citaterne er de svar, der ligger tættest")


def test_word_shows_exactly_the_pinned_quotes_in_order(report):
    from docx import Document

    paragraphs = Document(report["docx"]).paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.style.name.startswith("Heading")
                 and p.text.endswith(". Rekruttering"))
    section = []
    for p in paragraphs[start + 1:]:
        if p.style.name.startswith("Heading"):
            break
        section.append(p)
    assert [p.text for p in section if p.style.name == "Quote"] == PINNED


def test_the_workbook_quotes_are_the_pinned_ones(report):
    from openpyxl import load_workbook

    sheet = load_workbook(report["xlsx"])["Temaer"]
    header = [c.value for c in sheet[1]]
    assert "Citater valgt" not in header
    rows = {r[header.index("Tema")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Rekruttering"][header.index("Citater")] == "\n".join(PINNED)


# -- the page --------------------------------------------------------------------------------------

def test_the_page_lists_pinned_quotes_first_marked_and_says_what_was_done(tmp_path):
    import pandas as pd

    from textmine.app.actions import act
    from textmine.app.desk import Desk, Session
    from textmine.app.messages import confirmation
    from textmine.app.page import answer_list, page
    from textmine.config import load_config

    desk = Desk(load_config(), read_survey=lambda p, sheet: pd.DataFrame({"respondent_id": ["R1"]}))
    project = make_project(tmp_path / "p.sqlite")
    session = act(Session(str(project.path), version=project.version()), "pin_quote", answers=[2, 1])
    assert confirmation("pin_quote", {"answers": [2, 1]}, desk.snapshot(session.project)) == \
        "✓ 2 svar bruges nu som citat i rapporten under »Klynge 1«."
    shown = page(desk, session, select=0)
    assert shown.answers == [("❝ ★ svar 2", "2"), ("❝ ★ svar 1", "1"), ("★ svar 0", "0")]
    assert "❝ valgte citater og ★ typiske svar først" in shown.caption
    assert shown.undo == "↶ Fortryd: valgte 2 svar som citat under »Klynge 1«"
    found, _, _ = answer_list(desk.snapshot(session.project), 0, "svar 2")
    assert found == [("❝ [Klynge 1] svar 2", "2")]
    session = act(session, "pin_quote", answers=[2], pinned=False)
    session = act(session, "move", answers=[1], theme_id=1)                   # moved away: no longer a quote
    assert confirmation("pin_quote", {"answers": [2], "pinned": False}, desk.snapshot(session.project)) == \
        "✓ 1 svar er ikke længere citat under »Klynge 1«."
    shown = page(desk, session, select=0)
    assert not any(label.startswith("❝") for label, _ in shown.answers)
    assert "❝" not in shown.caption
    assert not any(label.startswith("❝") for label, _ in page(desk, session, select=1).answers)


# -- the codebook ----------------------------------------------------------------------------------

def test_the_codebook_carries_the_pinned_quotes_into_a_fresh_project(tmp_path):
    from textmine.project.codebook import Codebook, apply_codebook, from_project

    original = make_project(tmp_path / "a.sqlite")
    original.apply("pin_quote", answers=[2, 0])
    original.apply("pin_quote", answers=[3])
    text = from_project(original).to_json()
    assert [t["quotes"] for t in json.loads(text)["themes"]] == [["R2", "R0"], ["R3"], []]
    fresh = make_project(tmp_path / "b.sqlite")
    apply_codebook(fresh, Codebook.from_json(text))
    assert {t.name: t.quotes for t in fresh.state().themes.values()} == \
        {"Klynge 1": (2, 0), "Klynge 2": (3,), "Klynge 3": ()}
    fresh.undo()
    assert fresh.state() == start()
    without = json.loads(text)
    for theme in without["themes"]:                          # a codebook written before quotes existed
        del theme["quotes"]
    assert all(t.quotes == () for t in Codebook.from_json(json.dumps(without)).themes)
