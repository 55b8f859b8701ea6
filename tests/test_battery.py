"""One common battery (as scikit-learn's estimator checks): every curation action and every export format
is held to the same promises, so a new action or format cannot skip one.

Every curation action (curation.ACTIONS): returns a new State and leaves its input as it was; every answer
is still counted once (themes + unplaced + not an answer = n); a theme that does not exist is refused with
the project's error (CurationError), in the core and through the project file, which is left unchanged;
through the project file (store.Project) it gives exactly the core's State, undo gives back the State before
and redo the State after.

Every export format (report.export.FORMATS): the file opens with the library that reads its kind, holds
every theme's name, holds no formula (an answer written like one stays text), and holds no personal data:
a name planted in an answer and listed under [privacy] in the survey description is nowhere in the file,
not even in the XML parts or the workbooks embedded in the slides."""

import csv
import io
import json
import zipfile

import pandas as pd
import pytest

from textmine.project import curation as cur
from textmine.project.curation import NOT_AN_ANSWER, CurationError, State
from textmine.project.store import Project
from textmine.report.export import FORMATS, export_names, export_project

from .test_curation import CLUSTERS, make_project, start

N = len(CLUSTERS)

# Each action with parameters it can do on `start()` (three themes 0-2, answer 7 unplaced) ...
VALID = {
    "rename": {"theme_id": 0, "name": "Nyt navn", "description": "En beskrivelse"},
    "merge": {"theme_ids": [1, 2], "name": "Samlet"},
    "split": {"theme_id": 0, "labels": {0: 0, 1: 1, 2: 1}},
    "move": {"answers": [7, 3], "theme_id": 0},
    "set_second": {"answer": 0, "theme_id": 1},
    "delete": {"theme_id": 2},
    "mark_final": {"theme_id": 1},
    "create": {"name": "Nyt tema", "description": "Tomt endnu"},
    "restore": {"themes": [{"name": "A"}, {"name": "B", "final": True}], "primary": {0: 0, 1: 1, 2: NOT_AN_ANSWER},
                "second": {0: 1}},
    "confirm": {"answers": [0, 3]},
    "pin_quote": {"answers": [1, 3]},
    "suggest": {"names": {0: ["Rekruttering", "Rekruttering (virksomheder, folk)"]}},
}
# ... and naming a theme that does not exist (99; restore: a placement under a third of two themes). `create`
# `confirm` and `pin_quote` name no theme: a nameless theme and an answer that does not exist instead.
UNKNOWN = {
    "rename": {"theme_id": 99, "name": "Nyt navn"},
    "merge": {"theme_ids": [0, 99]},
    "split": {"theme_id": 99, "labels": {}},
    "move": {"answers": [0], "theme_id": 99},
    "set_second": {"answer": 0, "theme_id": 99},
    "delete": {"theme_id": 99},
    "mark_final": {"theme_id": 99},
    "create": {"name": "  "},
    "restore": {"themes": [{"name": "A"}, {"name": "B"}], "primary": {0: 2}, "second": {}},
    "confirm": {"answers": [99]},
    "pin_quote": {"answers": [99]},
    "suggest": {"names": {99: ["Rekruttering", ""]}},
}


def test_the_battery_covers_every_action():
    assert set(VALID) == set(UNKNOWN) == set(cur.ACTIONS)


def counted_once(state: State) -> int:
    return sum(state.sizes().values()) + len(state.unplaced()) + len(state.not_answers())


@pytest.mark.parametrize("action", sorted(cur.ACTIONS))
def test_an_action_returns_a_new_state_leaves_its_input_and_counts_every_answer_once(action):
    before = start()
    after = cur.ACTIONS[action](before, **VALID[action])
    assert isinstance(after, State) and after is not before and after != before
    assert before == start() and dict(before.themes) == dict(start().themes)        # the input as it was
    assert len(after.primary) == N and counted_once(after) == N


@pytest.mark.parametrize("action", sorted(cur.ACTIONS))
def test_an_action_on_a_theme_that_does_not_exist_is_refused_and_changes_nothing(action, tmp_path):
    before = start()
    with pytest.raises(CurationError):
        cur.ACTIONS[action](before, **UNKNOWN[action])
    assert before == start()
    project = make_project(tmp_path / "p.sqlite")
    with pytest.raises(CurationError):
        project.apply(action, **UNKNOWN[action])
    assert project.state() == start() and project.version() == 0


@pytest.mark.parametrize("action", sorted(cur.ACTIONS))
def test_an_action_replays_exactly_through_the_project_file(action, tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    expected = cur.ACTIONS[action](start(), **VALID[action])
    project.apply(action, **VALID[action])
    assert project.state() == expected and Project(project.path).state() == expected      # also reopened
    project.undo()
    assert project.state() == start()
    project.redo()
    assert project.state() == expected


# -- every export format -----------------------------------------------------------------------

PLANTED = "Yrsa"                 # listed under [privacy] in the description below, in no default list
THEMES = {0: "Rekruttering", 1: "Borger og dialog", 2: "Digitale værktøjer"}
TEXTS = {0: ["Rekruttering til virksomhederne", "Virksomhederne mangler folk", f"{PLANTED} fra jobcentret hjalp med "
             "rekruttering", '=HYPERLINK("http://x","klik")'],
         1: ["Tillid og dialog med borgeren", f"Dialog med borgeren, som {PLANTED}s kollega sagde", "+45 gode samtaler",
             "Borgeren i centrum"],
         2: ["Digitale værktøjer i sagsbehandlingen", "AI i sagsbehandlingen", "@Digital post til borgeren",
             "-Nye systemer"]}


def planted_project(path):
    """(config, survey, project): the demo's description with PLANTED listed under [privacy], its survey, and a
    project of the demo's first respondents answering TEXTS in the themes THEMES."""
    from textmine.config import load_config, parse_config
    from textmine.survey.reading import read_survey

    demo = load_config()
    assert "names = []" in demo.text_source
    config = parse_config(demo.text_source.replace("names = []", f'names = ["{PLANTED}"]'), demo.path)
    survey = read_survey(config.survey_file, config.sheet)
    rows = [(t, text) for t, texts in TEXTS.items() for text in texts]
    answers = pd.DataFrame({"respondent_id": list(survey["respondent_id"].astype(str)[:len(rows)]),
                            "answer": [text for _, text in rows], "cluster": [t for t, _ in rows]})
    return config, survey, Project.create(path, "kerneopgave", answers, names=THEMES)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Every format of a project of the demo survey's respondents, with the demo's description plus a name
    to mask under [privacy]."""
    tmp = tmp_path_factory.mktemp("battery")
    config, survey, project = planted_project(tmp / "battery.sqlite")
    assert PLANTED in config.privacy.names
    project.apply("set_second", answer=0, theme_id=1)
    written = export_project(project, tmp / "out", FORMATS, question_text=config.questions["kerneopgave"],
                             survey=survey, config=config)
    assert [p.name for p in written] == [export_names(project.read())[f] for f in FORMATS]
    return {p.suffix[1:]: p for p in written}


def _cells(path) -> list:
    """Every cell of every sheet of a workbook (a path or bytes)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(path) if isinstance(path, bytes) else path)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _chart_workbooks(path) -> list[bytes]:
    from pptx import Presentation

    return [shape.chart.part.chart_workbook.xlsx_part.blob for slide in Presentation(path).slides
            for shape in slide.shapes if shape.has_chart]


def _text(fmt: str, path) -> str:
    """What the file says, read with the library that opens its kind."""
    if fmt == "xlsx":
        return "\n".join(str(c.value) for c in _cells(path) if c.value is not None)
    if fmt == "pptx":
        from pptx import Presentation

        parts = []
        for slide in Presentation(path).slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    parts.append(shape.text_frame.text)
                if shape.has_table:
                    parts += [cell.text for row in shape.table.rows for cell in row.cells]
                if shape.has_chart:
                    parts += [str(c) for c in shape.chart.plots[0].categories]
        return "\n".join(parts)
    if fmt == "docx":
        from docx import Document

        doc = Document(path)
        return "\n".join([p.text for p in doc.paragraphs] +
                         [cell.text for table in doc.tables for row in table.rows for cell in row.cells])
    if fmt == "json":
        data = json.loads(path.read_text(encoding="utf-8"))
        return "\n".join(t["name"] for t in data["themes"])
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return "\n".join(cell for row in csv.reader(handle, delimiter=";") for cell in row)


def _formulas(fmt: str, path) -> list:
    """Anything the program that opens the file would calculate: formula cells in a workbook (also those behind
    the slides' charts), cells a spreadsheet would read as a formula in CSV, formula fields in Word."""
    if fmt == "xlsx":
        return [c.coordinate for c in _cells(path) if c.data_type == "f" or
                (isinstance(c.value, str) and c.value.startswith("=") and c.data_type != "s")]
    if fmt == "pptx":
        return [c.coordinate for blob in _chart_workbooks(path) for c in _cells(blob)
                if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("="))]
    if fmt == "docx":
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        return [f for f in ("<w:instrText", "<w:fldSimple") if f in xml]
    if fmt == "csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return [cell for row in csv.reader(handle, delimiter=";") for cell in row if cell[:1] in ("=", "+", "-", "@")]
    return []                                  # JSON: a text format nothing calculates


def _every_byte_as_text(data: bytes) -> str:
    """The file's bytes as text, every part of a zip (an Office file) and of the zips inside it (the workbooks
    behind the charts) included."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return data.decode("utf-8", errors="replace")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(_every_byte_as_text(z.read(name)) for name in z.namelist())


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_opens_and_holds_every_theme_name(exported, fmt):
    text = _text(fmt, exported[fmt])
    missing = [name for name in THEMES.values() if name not in text]
    assert not missing, (fmt, missing)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_holds_no_formula(exported, fmt):
    assert _formulas(fmt, exported[fmt]) == []


def test_the_formula_check_sees_a_formula():
    """The battery's own check finds what it looks for."""
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "=1+1"
    buffer = io.BytesIO()
    book.save(buffer)
    assert [c.coordinate for c in _cells(buffer.getvalue()) if c.data_type == "f"] == ["A1"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_format_holds_a_name_listed_for_masking(exported, fmt):
    text = _every_byte_as_text(exported[fmt].read_bytes())
    assert PLANTED.lower() not in text.lower()
    if fmt in ("xlsx", "csv"):                  # the files with every answer: the answer is there, masked
        assert "[navn] fra jobcentret hjalp med rekruttering" in _text(fmt, exported[fmt])


@pytest.mark.parametrize("action", sorted(VALID))
def test_the_state_kept_across_versions_is_the_file_read_anew(tmp_path, action, monkeypatch):
    """The app reads a newer version by replaying the audit's written sides onto the rows it read before
    (data.current_state): after each action, its undo, redo and going back, that is exactly what a fresh read
    of the file gives, theme and second-theme order included."""
    import sqlite3

    import textmine.project.data as data

    reader, reads = data.ProjectReader(), []
    real = data.read_rows
    monkeypatch.setattr(data, "read_rows", lambda con: reads.append(1) or real(con))
    project = make_project(tmp_path / "p.sqlite")
    project.apply("pin_quote", answers=[0, 1])                 # quotes and review marks for the sides to carry
    project.apply("confirm", answers=[3])
    project.apply("set_second", answer=4, theme_id=2)

    def same_as_the_file():
        kept = reader.read(project.path).state
        con = sqlite3.connect(project.path)
        try:
            fresh = data.state_of(real(con), data._next_theme_id(con))
        finally:
            con.close()
        assert kept == fresh and list(kept.themes) == list(fresh.themes) and list(kept.second) == list(fresh.second)
        assert kept.themes == fresh.themes and kept.reviewed == fresh.reviewed and kept.corrected == fresh.corrected

    project.apply(action, **VALID[action])
    same_as_the_file()
    project.undo()
    same_as_the_file()
    project.redo()
    same_as_the_file()
    project.back_to(0)
    same_as_the_file()
    assert len(reads) == 1                                     # every newer version came from the audit
