"""Export: report tables, xlsx and CSV opened and read back, the codebook round trip, formulas as text."""

import csv
import os
import re
import shutil
import subprocess

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from textmine.cli import main
from textmine.project.codebook import Codebook, CodebookError, CodebookTheme, apply_codebook, from_project
from textmine.project.store import Project

ANSWERS = pd.DataFrame({
    "respondent_id": [f"R{i:04d}" for i in range(1, 9)],      # the demo survey's first respondents
    "answer": ["Rekruttering til virksomhederne", "Virksomhederne mangler folk", '=HYPERLINK("http://x","klik")',
               "Tillid og dialog", "Dialog med borgeren", "Digitale værktøjer", "AI i sagsbehandlingen", "+45 tal"],
    "cluster": [0, 0, 0, 1, 1, 2, 2, -1],
})
CLUSTERS = pd.DataFrame({"cluster": [0, 1, 2], "keywords": "", "examples": [[], [], []]})


def curated(path):
    project = Project.create(path, "kerneopgave", ANSWERS)
    project.apply("merge", theme_ids=[1, 2], name="Borger og digitalt")
    project.apply("rename", theme_id=0, name="Rekruttering", description="Virksomhedernes behov")
    project.apply("move", answers=[7, 3], theme_id=0)            # the outlier and one answer by hand
    project.apply("set_second", answer=4, theme_id=0)
    return project


def test_export_writes_the_files_and_they_read_back(tmp_path):
    from openpyxl import load_workbook

    curated(tmp_path / "p.sqlite")
    assert main(["export", str(tmp_path / "p.sqlite"), "--out", str(tmp_path / "out")]) == 0
    book = load_workbook(tmp_path / "out" / "p_kerneopgave_temaer.xlsx")
    assert book.sheetnames == ["Temaer", "Kodede svar", "Om tallene"]
    themes = book["Temaer"]
    assert themes.freeze_panes == "A2"
    rows = {r[0]: r for r in themes.iter_rows(min_row=2, values_only=True)}
    assert rows["Rekruttering"][2] == 5 and rows["Borger og digitalt"][2] == 3        # answers per theme
    assert rows["Rekruttering"][3] == 6                                               # respondents incl. second theme
    assert "Virksomhedernes behov" == rows["Rekruttering"][1]
    answers = pd.read_csv(tmp_path / "out" / "p_kerneopgave_svar.csv", encoding="utf-8-sig", sep=";", dtype=str,
                          keep_default_na=False)
    assert list(answers.columns) == ["Respondent", "Svar", "Tema", "Andet tema"]    # semicolons: Danish Excel
    assert answers.set_index("Respondent").loc["R0005", ["Tema", "Andet tema"]].tolist() == ["Borger og digitalt", "Rekruttering"]
    assert (tmp_path / "out" / "p_kerneopgave_kodebog.json").is_file()


def test_formulas_stay_text_in_xlsx_and_csv(tmp_path):
    from openpyxl import load_workbook

    curated(tmp_path / "p.sqlite")
    main(["export", str(tmp_path / "p.sqlite"), "--out", str(tmp_path / "out"), "--formats", "xlsx,csv"])
    sheet = load_workbook(tmp_path / "out" / "p_kerneopgave_temaer.xlsx")["Kodede svar"]
    cells = {row[1].value: row[1] for row in sheet.iter_rows(min_row=2)}
    cell = cells['=HYPERLINK("http://x","klik")']
    assert cell.data_type == "s"                                  # a string, not a formula
    assert cells["+45 tal"].data_type == "s"
    with open(tmp_path / "out" / "p_kerneopgave_svar.csv", encoding="utf-8-sig", newline="") as f:
        texts = [row[1] for row in csv.reader(f, delimiter=";")]
    assert "'=HYPERLINK(\"http://x\",\"klik\")" in texts and "'+45 tal" in texts


def test_codebook_round_trip_into_a_fresh_project(tmp_path):
    original = curated(tmp_path / "a.sqlite")
    book = Codebook.from_json(from_project(original).to_json())
    assert book.themes[0] == CodebookTheme("Rekruttering", "Virksomhedernes behov", (0,),
                                           ("R0001", "R0002", "R0003", "R0004", "R0008"), ("R0005",))
    fresh = Project.create(tmp_path / "b.sqlite", "kerneopgave", ANSWERS)
    apply_codebook(fresh, book)

    def themes(project):
        answers, state = project.answers(), project.state()
        return {(t.name, t.description, tuple(sorted(answers.loc[answers["theme_id"] == i, "respondent_id"])))
                for i, t in state.themes.items()}
    assert themes(fresh) == themes(original)


def test_codebook_for_another_question_or_broken_is_refused(tmp_path):
    project = Project.create(tmp_path / "b.sqlite", "kerneopgave", ANSWERS)
    with pytest.raises(CodebookError, match="andre_kompetencer"):
        apply_codebook(project, Codebook("andre_kompetencer"))
    with pytest.raises(CodebookError, match="kan ikke læses"):
        Codebook.from_json('{"schema_version": 1}')


def test_a_codebook_naming_a_respondent_under_two_themes_is_refused_whole(tmp_path):
    """A version 2 codebook names each theme's answers exactly: one respondent under two themes is a
    contradiction to fix, not something to settle by which theme comes last."""
    from dataclasses import replace

    book = from_project(curated(tmp_path / "a.sqlite"))
    first, second = book.themes[:2]
    twice = replace(book, themes=(first, replace(second, answers=second.answers + (first.answers[0],))))
    fresh = Project.create(tmp_path / "b.sqlite", "kerneopgave", ANSWERS)
    before = fresh.state()
    with pytest.raises(CodebookError, match=f"Respondent {first.answers[0]} står under to temaer"):
        apply_codebook(fresh, Codebook.from_json(twice.to_json()))
    assert fresh.state() == before and fresh.version() == 0


NAMES = st.text(min_size=1).filter(str.strip)
IDS = st.lists(st.text(min_size=1)).map(tuple)


@given(st.builds(Codebook, NAMES, st.lists(st.builds(
    CodebookTheme, NAMES, st.text(), st.lists(st.integers(0, 500)).map(tuple), IDS, IDS, st.booleans()),
    min_size=1).map(tuple), IDS, IDS))                 # a codebook without themes is refused (it would unplace all)
def test_codebook_json_round_trip(book):
    assert Codebook.from_json(book.to_json()) == book


@pytest.fixture(scope="module")
def office_files(tmp_path_factory):
    from textmine.config import load_config
    from textmine.report.export import export_project
    from textmine.survey.reading import read_survey

    tmp = tmp_path_factory.mktemp("office")
    config = load_config()
    export_project(curated(tmp / "p.sqlite"), tmp / "out", ["pptx", "docx", "xlsx"],
                   question_text=config.questions["kerneopgave"],
                   survey=read_survey(config.survey_file, config.sheet), config=config)
    return tmp / "out"


def test_pptx_has_the_condensed_themes_a_native_chart_and_quotes(office_files):
    from pptx import Presentation

    slides = list(Presentation(office_files / "p_kerneopgave_temaer.pptx").slides)
    assert len(slides) == 1 + 2 + 2                  # condensation, a chart per grouping, one quotes slide per theme
    first = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "Kondensering af kvalitative besvarelser" in first and "kerneopgaven i fremtidens" in first
    assert "1. Rekruttering" in first and "(Virksomhedernes behov)" in first and "2. Borger og digitalt" in first
    charts = [next(s for s in slide.shapes if s.has_chart).chart for slide in slides[1:3]]
    assert all(list(c.plots[0].categories) == ["Rekruttering", "Borger og digitalt"] for c in charts)
    series = {s.name: list(s.values) for c in charts for s in c.plots[0].series}
    assert list(series) == ["Medarbejdere", "Ledere", "Tæt på arbejdsmarkedet", "Langt fra arbejdsmarkedet"]
    # the values are the themes' shares by group, computed here from the survey directly
    from textmine.config import load_config
    from textmine.survey.reading import read_survey
    from textmine.survey.shares import report_groups

    config = load_config()
    survey = read_survey(config.survey_file, config.sheet)
    answered = set(ANSWERS["respondent_id"])
    with_theme = {"Rekruttering": {"R0001", "R0002", "R0003", "R0004", "R0008", "R0005"},
                  "Borger og digitalt": {"R0005", "R0006", "R0007"}}
    for group, mask in report_groups(survey, config).items():
        in_group = set(survey.loc[mask, "respondent_id"]) & answered
        expected = [round(100 * len(with_theme[t] & in_group) / len(in_group), 1) if in_group else 0.0
                    for t in ["Rekruttering", "Borger og digitalt"]]
        assert series[group] == pytest.approx(expected, abs=0.05), group
    quotes = " ".join(s.text_frame.text for s in slides[4].shapes if s.has_text_frame)
    assert quotes.startswith("2. Borger og digitalt")
    assert "»Dialog med borgeren«" in quotes and "»AI i sagsbehandlingen«" in quotes
    assert "»Tillid og dialog«" not in quotes                     # moved to the first theme by hand


def test_docx_has_headings_quotes_and_a_table(office_files):
    from docx import Document

    doc = Document(office_files / "p_kerneopgave_temaer.docx")
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Kondensering af kvalitative besvarelser på spørgsmålet: »Hvad er ifølge dig kerneopgaven i "
                        "fremtidens beskæftigelsesindsats?«", "1. Rekruttering", "2. Borger og digitalt"]
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert "»Virksomhederne mangler folk«" in quotes
    table = doc.tables[0]
    assert [c.text for c in table.rows[1].cells] == ["Rekruttering\nVirksomhedernes behov", "5", "6", "75,0 %"]


def test_xlsx_has_themes_by_group_when_the_survey_is_known(office_files):
    from openpyxl import load_workbook

    book = load_workbook(office_files / "p_kerneopgave_temaer.xlsx")
    rows = list(book["Temaer × grupper"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2 * 4 and {r[2] for r in rows} >= {"Medarbejdere", "Ledere"}
    likert = list(book["Likert-andele"].iter_rows(values_only=True))
    assert likert[0] == ("Vidensfelt", "Spørgsmål", "Kolonne", "Medarbejdere", "Ledere", "Tæt på arbejdsmarkedet",
                         "Langt fra arbejdsmarkedet")
    assert len(likert) == 1 + 33 and likert[1][2] == "au_viden_arbejdsmarked" and likert[1][4] == 61.2
    assert likert[1][1].startswith("At opsøge og anvende viden om arbejdsmarkedets udvikling")   # as the Tal tab says


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")) and not os.environ.get("CI"),
                    reason="LibreOffice or pdftotext (poppler-utils) is not installed (make test installs them)")
def test_libreoffice_converts_the_slides_the_document_and_the_workbook_to_pdf(office_files, tmp_path):
    names = ["p_kerneopgave_temaer.pptx", "p_kerneopgave_temaer.docx"]
    if shutil.which("localc"):                                   # LibreOffice Calc (make test installs it)
        names.append("p_kerneopgave_temaer.xlsx")
    # as on the analyst's machine: the workbook's numbers are numbers, shown the Danish way (75,0 %)
    danish = {**os.environ, "LC_ALL": "da_DK.UTF-8", "LANG": "da_DK.UTF-8"}
    for name in names:
        outdir = tmp_path / name.rsplit(".", 1)[1]                # one folder each: the PDFs share a stem
        done = subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                               "--convert-to", "pdf", "--outdir", str(outdir), str(office_files / name)],
                              capture_output=True, text=True, timeout=180, env=danish)
        pdf = outdir / (name.rsplit(".", 1)[0] + ".pdf")
        assert done.returncode == 0 and pdf.is_file() and pdf.read_bytes().startswith(b"%PDF"), name
        text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                       check=True, timeout=60).stdout.split())
        assert "Rekruttering" in text and "Borger og digitalt" in text, name          # the themes, rendered
        assert "75,0 %" in text and not re.search(r"\b\d+\.\d %", text), name   # Rekruttering's share, Danish


# -- exports are replaced whole or not at all (a kill or an error midway keeps the earlier file) ----

def _half_then_fail(target_of):
    """A save that writes the first bytes of a file to wherever it was asked to, then fails (disk full)."""
    def save(*args, **kwargs):
        target = target_of(*args, **kwargs)
        with open(target, "wb") as handle:
            handle.write(b"PK\x03\x04 half a file")
        raise OSError(28, "No space left on device")
    return save


SAVES = {  # format: (object to patch, attribute, which argument is the target)
    "xlsx": ("openpyxl.workbook.workbook.Workbook", "save", lambda self, filename: filename),
    "pptx": ("pptx.presentation.Presentation", "save", lambda self, file: file),
    "docx": ("docx.document.Document", "save", lambda self, path_or_stream: path_or_stream),
    "csv": ("pandas.DataFrame", "to_csv", lambda self, path, *a, **k: path),
    "json": ("pathlib.Path", "write_text", lambda self, *a, **k: self),
}
NAMES = {"xlsx": "p_kerneopgave_temaer.xlsx", "pptx": "p_kerneopgave_temaer.pptx",
         "docx": "p_kerneopgave_temaer.docx", "csv": "p_kerneopgave_svar.csv", "json": "p_kerneopgave_kodebog.json"}


@pytest.mark.parametrize("fmt", list(SAVES))
def test_an_export_failing_midway_keeps_the_earlier_file_and_leaves_no_temporary_file(fmt, tmp_path, monkeypatch):
    import importlib

    from textmine.report.export import export_project

    project = curated(tmp_path / "p.sqlite")
    out = tmp_path / "out"
    export_project(project, out, [fmt])
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(before) == {NAMES[fmt]}
    module, _, name = SAVES[fmt][0].rpartition(".")
    monkeypatch.setattr(getattr(importlib.import_module(module), name), SAVES[fmt][1], _half_then_fail(SAVES[fmt][2]))
    project.apply("rename", theme_id=0, name="Et nyt navn")
    with pytest.raises(OSError):
        export_project(project, out, [fmt])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before          # intact, and nothing else there


# -- no cell a spreadsheet would run as a formula --------------------------------------------------

INJECTION = "=cmd|' /C calc'!A0"


def test_the_pptx_chart_workbook_has_no_formula(tmp_path):
    import zipfile

    from pptx import Presentation

    from textmine.report.export import export_project

    project = curated(tmp_path / "p.sqlite")
    project.apply("rename", theme_id=0, name=INJECTION)
    export_project(project, tmp_path / "out", ["pptx"])
    with zipfile.ZipFile(tmp_path / "out" / "p_kerneopgave_temaer.pptx") as deck:
        books = [n for n in deck.namelist() if n.endswith(".xlsx")]
        assert books
        for name in books:
            with zipfile.ZipFile(deck.open(name)) as book:
                sheets = " ".join(book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/"))
                strings = book.read("xl/sharedStrings.xml").decode()
            assert "<f>" not in sheets and "<f " not in sheets
            assert "=cmd|" in strings                                        # kept, as text
    chart = next(s for s in list(Presentation(tmp_path / "out" / "p_kerneopgave_temaer.pptx").slides)[1].shapes
                 if s.has_chart).chart
    assert INJECTION in list(chart.plots[0].categories)                       # the chart shows the name as it is


def test_every_cell_that_starts_like_a_formula_is_guarded_in_answers_csv(tmp_path):
    answers = ANSWERS.copy()
    answers["answer"] = [INJECTION, "@SUM(A1)", "\t=1+1", "\r=1+1", "-1+1", "+45 tal", "-12", "linje\r=1+1"]
    Project.create(tmp_path / "p.sqlite", "kerneopgave", answers)
    assert main(["export", str(tmp_path / "p.sqlite"), "--out", str(tmp_path / "out"), "--formats", "csv"]) == 0
    with open(tmp_path / "out" / "p_kerneopgave_svar.csv", encoding="utf-8-sig", newline="") as f:
        texts = [row[1] for row in csv.reader(f, delimiter=";")][1:]
    assert texts[:6] == ["'" + t for t in answers["answer"][:6]]
    assert texts[6] == "-12"                                     # a plain number is a number, not a formula
    assert texts[7] == "linje\r=1+1"                              # a line break inside a cell: still one cell


def _question_result(examples):
    """What discover found, small: two clusters whose typical answers may start like a formula."""
    from types import SimpleNamespace

    from textmine.app.pipeline import QuestionResult

    answers = pd.DataFrame({"respondent_id": ["=R1", "R2", "R3"], "answer": ["a", "b", "c"],
                            "is_answer": True, "cluster": pd.array([0, 0, 1], dtype="Int64")})
    table = pd.DataFrame({"cluster": [0, 1], "size": [2, 1], "keywords": ["+kw", "ord"], "examples": examples})
    return QuestionResult("kerneopgave", answers, SimpleNamespace(table=table), "fake")


def _run_discover_with(result, tmp_path, monkeypatch):
    import textmine.app.pipeline as pipeline
    from textmine.config import DiscoverySettings, load_config

    survey = tmp_path / "s.csv"
    survey.write_text("respondent_id,kerneopgave\nR1,a\n", encoding="utf-8")
    monkeypatch.setattr(pipeline, "discover_question", lambda *a, **k: result)
    monkeypatch.setattr(type(result), "save_model", lambda self, *a, **k: None)
    monkeypatch.setattr(type(result), "save_project", lambda self, *a, **k: None)
    pipeline.run_discover(survey, "kerneopgave", tmp_path / "run", load_config(), DiscoverySettings())


def test_discover_csvs_guard_formulas_and_are_replaced_whole(tmp_path, monkeypatch):
    _run_discover_with(_question_result([[INJECTION, "ok"], ["@fremtid"]]), tmp_path, monkeypatch)
    clusters = pd.read_csv(tmp_path / "run" / "clusters.csv", dtype=str)
    assert clusters["examples"].tolist() == ["'" + INJECTION + " || ok", "'@fremtid"]
    assert clusters["keywords"].tolist() == ["'+kw", "ord"]
    assert pd.read_csv(tmp_path / "run" / "assignments.csv", dtype=str)["respondent_id"].tolist() == ["'=R1", "R2", "R3"]
    before = {p.name: p.read_bytes() for p in (tmp_path / "run").iterdir()}
    monkeypatch.setattr(pd.DataFrame, "to_csv", _half_then_fail(lambda self, path, *a, **k: path))
    with pytest.raises(OSError):
        _run_discover_with(_question_result([["nyt"], ["svar"]]), tmp_path, monkeypatch)
    assert {p.name: p.read_bytes() for p in (tmp_path / "run").iterdir()} == before


def test_apply_csvs_guard_formulas_and_are_replaced_whole(tmp_path, monkeypatch):
    from types import SimpleNamespace

    import textmine.waves.applying as waves
    from textmine.config import load_config

    def result(theme):
        return SimpleNamespace(
            assignments=lambda: pd.DataFrame({"respondent_id": ["R1"], "question": "kerneopgave", "theme": [theme],
                                              "score": [0.5]}),
            new_clusters=lambda: pd.DataFrame({"cluster": [0], "size": [1], "keywords": ["-kw"], "examples": [INJECTION]}),
            comparison=lambda: pd.DataFrame({"theme": [theme], "difference": [-3.5]}),
            save_project=lambda *a, **k: None)

    survey = tmp_path / "s.csv"
    survey.write_text("respondent_id,kerneopgave\nR1,a\n", encoding="utf-8")
    monkeypatch.setattr(waves, "load_model", lambda path: SimpleNamespace(question="kerneopgave"))
    monkeypatch.setattr(waves, "read_codebook", lambda path: None)
    monkeypatch.setattr(waves, "index_from_codebook", lambda model, book: None)

    def apply(theme):
        monkeypatch.setattr(waves, "apply_wave", lambda *a, **k: result(theme))
        waves.run_apply(tmp_path / "model", survey, "kerneopgave", tmp_path / "codebook.json", tmp_path / "wave",
                        load_config())
    apply("=Tema")
    wave = tmp_path / "wave"
    assert pd.read_csv(wave / "assignments.csv", dtype=str)["theme"].tolist() == ["'=Tema"]
    assert pd.read_csv(wave / "new_clusters.csv", dtype=str).loc[0, ["keywords", "examples"]].tolist() == \
        ["'-kw", "'" + INJECTION]
    comparison = pd.read_csv(wave / "comparison.csv")
    assert comparison["theme"].tolist() == ["'=Tema"] and comparison["difference"].tolist() == [-3.5]   # numbers stay
    before = {p.name: p.read_bytes() for p in wave.iterdir()}
    monkeypatch.setattr(pd.DataFrame, "to_csv", _half_then_fail(lambda self, path, *a, **k: path))
    with pytest.raises(OSError):
        apply("Andet tema")
    assert {p.name: p.read_bytes() for p in wave.iterdir()} == before


# -- a survey without the config's group columns: exported without the groups, and said so --------

def _survey_without(columns):
    from textmine.config import load_config
    from textmine.survey.reading import read_survey

    config = load_config()
    return read_survey(config.survey_file, config.sheet).drop(columns=columns), config


def test_export_without_the_group_columns_leaves_the_groups_out_and_says_so(tmp_path):
    from openpyxl import load_workbook
    from pptx import Presentation

    from textmine.report.export import export_project

    survey, config = _survey_without(["rolle"])
    written = export_project(curated(tmp_path / "p.sqlite"), tmp_path / "out", ["xlsx", "pptx", "docx", "csv"],
                             survey=survey, config=config)
    assert [p.name for p in written] == ["p_kerneopgave_temaer.xlsx", "p_kerneopgave_temaer.pptx",
                                         "p_kerneopgave_temaer.docx", "p_kerneopgave_svar.csv"]
    sheets = load_workbook(tmp_path / "out" / "p_kerneopgave_temaer.xlsx").sheetnames
    assert "Temaer × grupper" not in sheets and "Likert-andele" not in sheets               # the Likert needs the groups too
    slides = list(Presentation(tmp_path / "out" / "p_kerneopgave_temaer.pptx").slides)
    assert sum(any(s.has_chart for s in slide.shapes) for slide in slides) == 1
    chart = next(s for s in slides[1].shapes if s.has_chart).chart
    assert [s.name for s in chart.plots[0].series] == ["Alle respondenter"]
    assert len(written.warnings) == 2
    assert "grupper" in written.warnings[0] and "'rolle'" in written.warnings[0]


def test_export_without_the_likert_columns_keeps_the_groups(tmp_path):
    from openpyxl import load_workbook

    from textmine.report.export import export_project

    survey, config = _survey_without(["au_matche"])
    written = export_project(curated(tmp_path / "p.sqlite"), tmp_path / "out", ["xlsx"], survey=survey, config=config)
    sheets = load_workbook(tmp_path / "out" / "p_kerneopgave_temaer.xlsx").sheetnames
    assert "Temaer × grupper" in sheets and "Likert-andele" not in sheets
    assert len(written.warnings) == 1 and "Likert" in written.warnings[0] and "'au_matche'" in written.warnings[0]


def test_the_cli_exports_a_project_whose_survey_lacks_the_group_columns(tmp_path):
    survey, _ = _survey_without(["rolle", "mg_jobparate"])
    survey.to_csv(tmp_path / "survey.csv", index=False)
    project = curated(tmp_path / "p.sqlite")
    project.set_meta("survey", str(tmp_path / "survey.csv"))
    assert main(["export", str(tmp_path / "p.sqlite"), "--out", str(tmp_path / "out"), "--formats", "xlsx,pptx"]) == 0
    assert {p.name for p in (tmp_path / "out").iterdir()} == {"p_kerneopgave_temaer.xlsx", "p_kerneopgave_temaer.pptx"}


def test_the_formats_come_from_one_registry_the_cli_and_the_export_tab_read(tmp_path, capsys):
    from textmine.report.export import export_names
    from textmine.report.formats import EXPORT_FORMATS, FORMATS, format_choices

    assert FORMATS == tuple(f.key for f in EXPORT_FORMATS) == ("xlsx", "pptx", "docx", "json", "csv")
    assert format_choices()[0] == ("Excel (temaer, kodede svar, grupper)", "xlsx")     # the export tab's checkboxes
    assert [key for _, key in format_choices()] == list(FORMATS)
    names = export_names(curated(tmp_path / "p.sqlite").read())
    assert [names[f.key] for f in EXPORT_FORMATS] == [f"p_kerneopgave_{f.kind}.{f.extension}" for f in EXPORT_FORMATS]
    with pytest.raises(SystemExit):
        main(["export", "-h"])
    shown = " ".join(capsys.readouterr().out.split())
    assert all(f"{f.key} (SPØRGSMÅL_{f.kind}.{f.extension})" in shown for f in EXPORT_FORMATS), shown
    assert main(["export", str(tmp_path / "p.sqlite"), "--out", str(tmp_path / "out")]) == 0      # default: every one
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(names.values())
