"""Export: report tables, xlsx and CSV opened and read back, the codebook round trip, formulas as text."""

import csv

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from textmine.cli import main
from textmine.report.codebook import Codebook, CodebookError, CodebookTheme, apply_codebook, from_project
from textmine.store import Project

ANSWERS = pd.DataFrame({
    "respondent_id": [f"R{i}" for i in range(8)],
    "answer": ["Rekruttering til virksomhederne", "Virksomhederne mangler folk", '=HYPERLINK("http://x","klik")',
               "Tillid og dialog", "Dialog med borgeren", "Digitale værktøjer", "AI i sagsbehandlingen", "+45 tal"],
    "cluster": [0, 0, 0, 1, 1, 2, 2, -1],
})
CLUSTERS = pd.DataFrame({"cluster": [0, 1, 2], "keywords": "", "examples": [[], [], []]})


def curated(path):
    project = Project.create(path, "kerneopgave", ANSWERS, CLUSTERS)
    project.apply("merge", theme_ids=[1, 2], name="Borger og digitalt")
    project.apply("rename", theme_id=0, name="Rekruttering", description="Virksomhedernes behov")
    project.apply("move", answers=[7, 3], theme_id=0)            # the outlier and one answer by hand
    project.apply("set_second", answer=4, theme_id=0)
    return project


def test_export_writes_the_files_and_they_read_back(tmp_path):
    from openpyxl import load_workbook

    curated(tmp_path / "p.sqlite")
    assert main(["export", str(tmp_path / "p.sqlite"), "--out", str(tmp_path / "out")]) == 0
    book = load_workbook(tmp_path / "out" / "themes.xlsx")
    assert book.sheetnames == ["Temaer", "Kodede svar"]
    themes = book["Temaer"]
    assert themes.freeze_panes == "A2"
    rows = {r[0]: r for r in themes.iter_rows(min_row=2, values_only=True)}
    assert rows["Rekruttering"][2] == 5 and rows["Borger og digitalt"][2] == 3        # answers per theme
    assert rows["Rekruttering"][4] == 6                                               # respondents incl. second theme
    assert "Virksomhedernes behov" == rows["Rekruttering"][1]
    answers = pd.read_csv(tmp_path / "out" / "answers.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert answers.set_index("Respondent").loc["R4", ["Tema", "Andet tema"]].tolist() == ["Borger og digitalt", "Rekruttering"]
    assert (tmp_path / "out" / "codebook.json").is_file()


def test_formulas_stay_text_in_xlsx_and_csv(tmp_path):
    from openpyxl import load_workbook

    curated(tmp_path / "p.sqlite")
    main(["export", str(tmp_path / "p.sqlite"), "--out", str(tmp_path / "out"), "--formats", "xlsx,csv"])
    sheet = load_workbook(tmp_path / "out" / "themes.xlsx")["Kodede svar"]
    cells = {row[1].value: row[1] for row in sheet.iter_rows(min_row=2)}
    cell = cells['=HYPERLINK("http://x","klik")']
    assert cell.data_type == "s"                                  # a string, not a formula
    assert cells["+45 tal"].data_type == "s"
    with open(tmp_path / "out" / "answers.csv", encoding="utf-8-sig", newline="") as f:
        texts = [row[1] for row in csv.reader(f)]
    assert "'=HYPERLINK(\"http://x\",\"klik\")" in texts and "'+45 tal" in texts


def test_codebook_round_trip_into_a_fresh_project(tmp_path):
    original = curated(tmp_path / "a.sqlite")
    book = Codebook.from_json(from_project(original).to_json())
    assert book.themes[0] == CodebookTheme("Rekruttering", "Virksomhedernes behov", (0,), ("R3", "R7"))
    fresh = Project.create(tmp_path / "b.sqlite", "kerneopgave", ANSWERS, CLUSTERS)
    apply_codebook(fresh, book)

    def themes(project):
        answers, state = project.answers(), project.state()
        return {(t.name, t.description, tuple(sorted(answers.loc[answers["theme_id"] == i, "respondent_id"])))
                for i, t in state.themes.items()}
    assert themes(fresh) == themes(original)


def test_codebook_for_another_question_or_broken_is_refused(tmp_path):
    project = Project.create(tmp_path / "b.sqlite", "kerneopgave", ANSWERS, CLUSTERS)
    with pytest.raises(CodebookError, match="andre_kompetencer"):
        apply_codebook(project, Codebook("andre_kompetencer"))
    with pytest.raises(CodebookError, match="kan ikke læses"):
        Codebook.from_json('{"schema_version": 1}')


@given(st.builds(Codebook, st.text(min_size=1), st.lists(st.builds(
    CodebookTheme, st.text(), st.text(), st.lists(st.integers(0, 500)).map(tuple),
    st.lists(st.text(min_size=1)).map(tuple))).map(tuple)))
def test_codebook_json_round_trip(book):
    assert Codebook.from_json(book.to_json()) == book
