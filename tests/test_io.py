"""Survey import: every format, encodings, delimiters, and bad files with clear messages."""

import pandas as pd
import pytest

from textmine.config import load_config
from textmine.errors import ColumnError, SurveyFileError
from textmine.survey.reading import answers_of, is_non_answer, read_survey

from .conftest import DATA

ROWS = pd.DataFrame({
    "respondent_id": ["R1", "R2", "R3", "R4"],
    "rolle": ["Leder", "Medarbejder", "Medarbejder", "Leder"],
    "svar": ["Tæt samarbejde med virksomhederne", "ved ikke", "", "Kompetencer; ære og øl, å"],
})


def test_demo_xlsx_and_csv_hold_the_same_table():
    config = load_config()
    xlsx = read_survey(DATA / "baseline_survey.xlsx", "Data")
    csv = read_survey(DATA / "baseline_survey.csv")
    assert xlsx.shape == csv.shape == (846, 59)
    pd.testing.assert_frame_equal(xlsx[["respondent_id", "kerneopgave"]], csv[["respondent_id", "kerneopgave"]])
    assert config.id_column in xlsx.columns


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("sep", [",", ";"])
def test_csv_encodings_and_delimiters(tmp_path, encoding, sep):
    path = tmp_path / "survey.csv"
    ROWS.to_csv(path, sep=sep, index=False, encoding=encoding)
    table = read_survey(path)
    assert list(table.columns) == list(ROWS.columns)
    assert table.loc[3, "svar"] == "Kompetencer; ære og øl, å"
    assert table.loc[2, "svar"] == ""


def test_xlsx_sheet_choice_and_missing_sheet(tmp_path):
    path = tmp_path / "survey.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="Forside", index=False)
        ROWS.to_excel(writer, sheet_name="Data", index=False)
    assert read_survey(path, "Data").loc[0, "svar"] == "Tæt samarbejde med virksomhederne"
    assert list(read_survey(path).columns) == ["x"]          # first sheet by default
    with pytest.raises(SurveyFileError, match=r"ark med navnet 'Svar'.*Forside, Data"):
        read_survey(path, "Svar")


def test_spss_keeps_value_labels(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame({"respondent_id": ["R1", "R2"], "rolle": [1.0, 2.0], "au_matche": [4.0, 5.0],
                          "svar": ["Matche borger og virksomhed", "Tillid"]})
    path = tmp_path / "survey.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels={"rolle": {1.0: "Leder", 2.0: "Medarbejder"}})
    table = read_survey(path)
    assert table["rolle"].tolist() == ["Leder", "Medarbejder"]
    assert table["au_matche"].tolist() == ["4", "5"]
    assert table.loc[1, "svar"] == "Tillid"


@pytest.mark.parametrize("name,content,message", [
    ("tom.csv", b"", "er tom"),
    ("tom.xlsx", b"", "er tom"),
    ("falsk.xlsx", b"respondent_id,svar\nR1,hej\n", "kan ikke læses som Excel"),
    ("falsk.sav", b"not spss at all", "kan ikke læses som SPSS"),
    ("survey.pdf", b"%PDF-1.4", "filtype textmine ikke kender"),
    ("binaer.csv", bytes(range(256)) * 4, "ikke en tekstfil"),
])
def test_bad_files_say_what_is_wrong(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SurveyFileError, match=message) as info:
        read_survey(path)
    assert name in str(info.value)


def test_missing_file_and_empty_sheet(tmp_path):
    with pytest.raises(SurveyFileError, match="findes ikke"):
        read_survey(tmp_path / "nope.csv")
    path = tmp_path / "empty.xlsx"
    pd.DataFrame().to_excel(path, sheet_name="Data", index=False)
    with pytest.raises(SurveyFileError, match="ingen rækker"):
        read_survey(path, "Data")


def test_missing_column_names_column_and_alternatives():
    with pytest.raises(ColumnError, match=r"'kerneopgaven' findes ikke i demo.csv.*respondent_id, rolle"):
        answers_of(ROWS, "kerneopgaven", "respondent_id", source="demo.csv")


def test_placeholders_are_kept_but_not_answers():
    answers = answers_of(ROWS, "svar", "respondent_id", ("ved ikke", "-"))
    assert answers["respondent_id"].tolist() == ["R1", "R2", "R4"]     # the empty answer is left out
    assert answers["is_answer"].tolist() == [True, False, True]


@pytest.mark.parametrize("text,expected", [
    ("-", True), (" . ", True), ("Ved ikke.", True), ("NEJ", True), ("   ", True), ("?!", True),
    ("nej til mere kontrol", False), ("Tillid", False), ("3-5 år", False),
])
def test_non_answer_detection(text, expected):
    assert is_non_answer(text, ("-", ".", "ved ikke", "nej")) is expected


@pytest.mark.parametrize("text, expected", [
    ("Nej tak", True), ("ingen kommentarer.", True), ("Se ovenfor", True), ("har ingen", True), ("Ikke noget", True),
    ("ingen mødepligt i kantinen", False), ("Se borgeren som et helt menneske", False), ("ok", False)])
def test_an_own_survey_without_placeholders_of_its_own_gets_the_common_danish_ones(text, expected):
    """A description without [text] placeholders (an uploaded survey's proposal) uses TextSettings' list:
    whole answers without content, never an answer that merely starts like one."""
    from textmine.config import TextSettings

    assert is_non_answer(text, TextSettings().placeholders) is expected


def test_open_questions_are_found_among_the_columns():
    from textmine.survey.reading import text_columns

    assert text_columns(read_survey(DATA / "baseline_survey.csv")) == ["kerneopgave", "andre_kompetencer"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("twin", ["svar", " svar "])
def test_two_columns_with_one_header_are_refused_naming_it(tmp_path, suffix, twin):
    frame = pd.DataFrame([["R1", "Samarbejde", "Leder", "Dialog"], ["R2", "Tillid", "Medarbejder", "Job"]],
                         columns=["respondent_id", "svar", "rolle", twin])
    path = tmp_path / f"survey{suffix}"
    frame.to_csv(path, index=False) if suffix == ".csv" else frame.to_excel(path, index=False)
    with pytest.raises(SurveyFileError, match="to kolonner med overskriften 'svar'"):
        read_survey(path)


def test_headers_that_only_look_alike_are_kept(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("respondent_id,svar,svar.1,,\nR1,a,b,c,d\n", encoding="utf-8")
    assert list(read_survey(path).columns)[:3] == ["respondent_id", "svar", "svar.1"]


def test_tab_delimited_csv_is_read(tmp_path):
    path = tmp_path / "survey.csv"
    ROWS.to_csv(path, sep="\t", index=False)
    pd.testing.assert_frame_equal(read_survey(path), ROWS.astype(object))


def test_respondent_ids_are_text_without_spaces_from_a_column_or_a_list():
    from textmine.survey.reading import respondent_ids

    column = pd.Series([" R1", 2, None, "R 4 "], index=[5, 6, 7, 8])
    assert respondent_ids(column).tolist()[:2] == ["R1", "2"] and respondent_ids(column).tolist()[3] == "R 4"
    assert respondent_ids(column).isna().tolist() == [False, False, True, False]     # an empty cell stays missing
    assert respondent_ids(column).index.tolist() == [5, 6, 7, 8]                     # rows stay where they were
    assert respondent_ids(pd.Series([1.0, 12.0])).tolist() == ["1.0", "12.0"]        # as the survey's column has them
    assert respondent_ids([1, "R2 ", None]).tolist() == ["1", "R2", "None"] and respondent_ids([]).tolist() == []
