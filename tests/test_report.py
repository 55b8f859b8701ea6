"""Report-ready exports (issue #15), read back from the files: Danish number formats on numeric cells,
a theme sheet that adds up to 100 %, one chart per grouping with at most 10 themes whose bar labels are
the shares computed here from the survey, quotes as quotes, a Word table whose header repeats and that
fits the page, and file names that carry the question."""

import re
import shutil
import subprocess

import pandas as pd
import pytest

from textmine import fmt
from textmine.project.curation import NOT_AN_ANSWER
from textmine.project.store import Project

from .excel_format import shown
from .test_export import curated

N_THEMES = 12


@pytest.fixture(scope="module")
def demo():
    from textmine.config import load_config
    from textmine.survey.reading import read_survey

    config = load_config()
    return config, read_survey(config.survey_file, config.sheet)


def twelve_themes(path, survey):
    """60 of the demo survey's respondents in 12 themes; one answer unplaced, one "Ikke et svar", one with a
    second theme."""
    ids = list(survey["respondent_id"].astype(str)[:60])
    answers = pd.DataFrame({"respondent_id": ids, "answer": [f"Et svar nummer {i} om tema {i % N_THEMES}" for i in range(60)],
                            "cluster": [i % N_THEMES for i in range(60)]})
    answers.loc[58, "cluster"] = -1                                   # unplaced
    project = Project.create(path, "kerneopgave", answers, names={t: f"Tema {t + 1}" for t in range(N_THEMES)})
    project.apply("move", answers=[59], theme_id=NOT_AN_ANSWER)
    project.apply("set_second", answer=0, theme_id=1)
    return project


@pytest.fixture(scope="module")
def exported(tmp_path_factory, demo):
    from textmine.report.export import export_project

    config, survey = demo
    tmp = tmp_path_factory.mktemp("report")
    project = twelve_themes(tmp / "p.sqlite", survey)
    written = export_project(project, tmp / "out", ["xlsx", "pptx", "docx"], survey=survey, config=config,
                             question_text=config.questions["kerneopgave"])
    return project, {p.suffix: p for p in written}


def _expected_shares(project, survey, config):
    """group -> theme name -> percent of the group's respondents with a real answer who have the theme."""
    from textmine.survey.shares import report_groups

    data = project.read()
    answers = data.answers
    real = answers[answers["theme_id"].fillna(-2) != NOT_AN_ANSWER]
    names = {t: th.name for t, th in data.state.themes.items()}
    has = {name: set(real.loc[(real["theme_id"] == t) | (real["second_theme_id"] == t), "respondent_id"])
           for t, name in names.items()}
    out = {}
    for group, mask in report_groups(survey, config).items():
        base = set(survey.loc[mask, "respondent_id"].astype(str)) & set(real["respondent_id"])
        out[group] = {name: 100 * len(ids & base) / len(base) for name, ids in has.items()}
    return out


def _labels(chart) -> dict[str, list[str]]:
    """series name -> each bar's value label as written in the chart XML."""
    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
          "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    out = {}
    for series, xml in zip(chart.plots[0].series, chart._chartSpace.findall(".//c:ser", ns)):
        labels = sorted(xml.findall("./c:dLbls/c:dLbl", ns), key=lambda d: int(d.find("c:idx", ns).get("val")))
        out[series.name] = ["".join(t.text for t in d.findall(".//a:t", ns)) for d in labels]
    return out


def test_one_chart_per_grouping_at_most_ten_themes_and_each_label_is_the_share_from_the_survey(exported, demo):
    from pptx import Presentation

    config, survey = demo
    project, files = exported
    slides = list(Presentation(files[".pptx"]).slides)
    charts = [s.chart for slide in slides for s in slide.shapes if s.has_chart]
    assert len(charts) == 2 * 2                       # two groupings, 12 themes in two charts of 6 each
    expected = _expected_shares(project, survey, config)
    seen = []
    for chart in charts:
        categories = list(chart.plots[0].categories)
        assert len(categories) == N_THEMES // 2
        assert all(len(list(s.values)) == len(categories) for s in chart.plots[0].series)
        for name, labels in _labels(chart).items():
            shares = [expected[name][c] for c in categories]
            assert labels == [fmt.percent(round(v, 1)) for v in shares], name
            assert list(next(s for s in chart.plots[0].series if s.name == name).values) == \
                pytest.approx(shares, abs=0.05)
            assert all(re.fullmatch(r"\d+,\d %", label) for label in labels)        # "20,9 %": a Danish number
        seen.append(tuple(s.name for s in chart.plots[0].series))
    assert seen == [("Medarbejdere", "Ledere")] * 2 + [("Tæt på arbejdsmarkedet", "Langt fra arbejdsmarkedet")] * 2


def test_the_legend_is_in_reading_order_and_the_first_theme_is_on_top(exported):
    from pptx import Presentation

    _, files = exported
    slide = next(s for s in Presentation(files[".pptx"]).slides if any(x.has_chart for x in s.shapes))
    chart = next(s.chart for s in slide.shapes if s.has_chart)
    legend = [s.name.removeprefix("Forklaring: ") for s in slide.shapes if s.name.startswith("Forklaring: ")]
    assert legend == [s.name for s in chart.plots[0].series]
    assert chart.category_axis.reverse_order                  # the first category (and series) at the top
    assert not chart.has_legend


def test_quote_slides_lay_out_three_to_five_quotes_and_no_stray_separator(exported):
    from pptx import Presentation

    _, files = exported
    slides = list(Presentation(files[".pptx"]).slides)
    quotes = [s for s in slides if s.shapes[0].text_frame.text.startswith("1. ")]
    assert len(quotes) == 1
    texts = [s.text_frame.text for s in quotes[0].shapes if s.has_text_frame]
    boxed = [t for t in texts if t.startswith("»")]                           # Danish quotation marks
    assert 3 <= len(boxed) <= 5 and all(t.endswith("«") for t in boxed)       # each quote in its own shape
    assert not any(mark in t for t in texts for mark in "“”")
    assert not any(" · " in t for t in texts)                                # no description: no stray separator
    assert any(re.search(r"\d+,\d % af de \d+ svar, der siger noget, nævner temaet \(\d+ svar\)", t) for t in texts)
    assert any(t.startswith("Note: ") and "\nKilde: " in t for t in texts)


def test_every_chart_slide_has_a_note_and_a_source_line(exported):
    from pptx import Presentation

    _, files = exported
    for slide in Presentation(files[".pptx"]).slides:
        if any(s.has_chart for s in slide.shapes):
            footer = [s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text.startswith("Note:")]
            assert len(footer) == 1 and ("n(Medarbejdere) = " in footer[0] or "n(Tæt på" in footer[0])
            assert "\nKilde: Faglighed i beskæftigelsesindsatsen (baseline). Spørgsmålet: »Hvad er ifølge dig" in footer[0]


def test_numeric_cells_keep_their_value_and_read_the_danish_way(exported):
    from openpyxl import load_workbook

    _, files = exported
    book = load_workbook(files[".xlsx"])
    header = [c.value for c in book["Temaer"][1]]
    row = {h: c for h, c in zip(header, book["Temaer"][2])}
    assert isinstance(row["Svar"].value, int) and row["Svar"].number_format == "#,##0"
    assert row["Respondenter"].number_format == "#,##0"
    total = {h: c for h, c in zip(header, book["Temaer"][book["Temaer"].max_row])}
    assert total["Tema"].value == "I alt" and total["Respondenter"].number_format == "#,##0"
    share = row["Andel af svarene, der siger noget (%)"]
    assert isinstance(share.value, float) and share.number_format == fmt.PERCENT_FORMAT == '0.0" %"'
    groups = book["Temaer × grupper"]
    header = [c.value for c in groups[1]]
    cells = {h: c for h, c in zip(header, groups[2])}
    assert isinstance(cells["Andel (%)"].value, float) and cells["Andel (%)"].number_format == fmt.PERCENT_FORMAT
    assert cells["95 %-interval, fra"].number_format == fmt.PERCENT_FORMAT
    p = cells["p-værdi"]                                       # reads as the page writes it, "<0,001" below 0.001
    assert isinstance(p.value, float) and shown(p.value, p.number_format) == fmt.p_value(p.value)
    for value in (0.0002, 0.00099, 0.001, 0.0015, 0.005, 0.0099, 0.0153, 0.2, 0.9999):
        assert shown(value, p.number_format) == fmt.p_value(value), value
    assert cells["Respondenter i gruppen"].number_format == "#,##0" and cells["Test"].value in {"Chi²-test", "Fishers eksakte test"}
    likert = book["Likert-andele"]
    assert isinstance(likert["D2"].value, (int, float)) and likert["D2"].number_format == fmt.PERCENT_FORMAT
    assert "Om tallene" in book.sheetnames


def test_the_theme_sheet_has_every_answer_once_and_adds_up_to_100(exported):
    from openpyxl import load_workbook

    project, files = exported
    sheet = load_workbook(files[".xlsx"])["Temaer"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    names = [r["Tema"] for r in rows]
    assert names[-3:] == ["Ikke placeret", "Ikke et svar", "I alt"] and len(rows) == N_THEMES + 3
    body, total = rows[:-1], rows[-1]
    assert sum(r["Svar"] for r in body) == total["Svar"] == 60
    share = "Andel af svarene, der siger noget (%)"
    assert "Andel af alle svar (%)" not in header                # one share, not two (issue 23.4)
    assert rows[-3]["Svar"] == 1 and rows[-2]["Svar"] == 1 and rows[-2][share] is None
    assert total["Respondenter"] == 59 and total[share] == 100   # the base: the answers that say something
    assert "de 59 svar, der siger noget" in total["Beskrivelse"]
    assert rows[0]["Respondenter"] == 5 and rows[0][share] == pytest.approx(100 * 5 / 59)


def test_the_group_shares_leave_out_not_an_answer(exported, demo):
    from openpyxl import load_workbook

    config, survey = demo
    project, files = exported
    sheet = load_workbook(files[".xlsx"])["Temaer × grupper"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    expected = _expected_shares(project, survey, config)
    for r in rows:
        assert r["Andel (%)"] == pytest.approx(expected[r["Gruppe"]][r["Tema"]]), (r["Tema"], r["Gruppe"])


def test_the_word_table_fits_the_page_and_repeats_its_header(exported):
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm

    _, files = exported
    doc = Document(files[".docx"])
    section = doc.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in doc.tables:
        first = table.rows[0]._tr.trPr
        assert first is not None and first.find(qn("w:tblHeader")) is not None          # repeated on every page
        assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in table.rows[1:])
        widths = [c.width for c in table.columns]
        assert abs(sum(widths) - text_width) <= Cm(0.05)
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    themes = doc.tables[0]
    assert [c.text for c in themes.rows[0].cells] == ["Tema", "Svar", "Respondenter", "Andel"]
    assert re.fullmatch(r"\d+,\d %", themes.rows[1].cells[3].text)


def test_the_word_section_starts_with_the_question_and_the_method(exported):
    from docx import Document

    _, files = exported
    paragraphs = [p for p in Document(files[".docx"]).paragraphs if p.text]
    assert paragraphs[0].style.name == "Heading 1"
    assert paragraphs[0].text.endswith("»Hvad er ifølge dig kerneopgaven i fremtidens beskæftigelsesindsats?«")
    assert paragraphs[1].text.startswith("Kondenseringen er sket ved") and "12 tematiske overskrifter" in paragraphs[1].text
    assert any(p.text.startswith("Kilde: ") for p in paragraphs)


def test_only_the_final_themes_go_to_the_slides_and_word_when_some_are_final(tmp_path):
    from docx import Document
    from pptx import Presentation

    from textmine.report.export import export_project, export_summary

    project = curated(tmp_path / "p.sqlite")
    project.apply("mark_final", theme_id=0, final=True)
    written = export_project(project, tmp_path / "out", ["pptx", "docx"])
    box = " ".join(s.text_frame.text for s in Presentation(written[0]).slides[0].shapes if s.has_text_frame)
    assert "1. Rekruttering" in box and "Borger og digitalt" not in box
    assert [p.text for p in Document(written[1]).paragraphs if p.style.name == "Heading 2"] == ["1. Rekruttering"]
    assert export_summary(project.read()) == ("Projekt: p · spørgsmål: kerneopgave · 2 temaer, 1 endeligt: kun det "
                                              "endelige kommer med i slides og Word. Filerne hedder p_kerneopgave_…")
    project.apply("mark_final", theme_id=1, final=True)
    assert "2 temaer, alle endelige" in export_summary(project.read())


def test_file_names_carry_the_project_and_the_question(tmp_path):
    import json

    from textmine.cli import main
    from textmine.report.export import export_names

    answers = pd.DataFrame({"respondent_id": ["a", "b"], "answer": ["x", "y"], "cluster": [0, 1]})
    plain = Project.create(tmp_path / "project.sqlite", "kerneopgave", answers)
    assert export_names(plain.read())["pptx"] == "kerneopgave_temaer.pptx"
    assert export_names(plain.read())["json"] == "kerneopgave_kodebog.json"
    named = Project.create(tmp_path / "kommune 2026.sqlite", "andre_kompetencer", answers)
    assert export_names(named.read())["xlsx"] == "kommune_2026_andre_kompetencer_temaer.xlsx"
    follow = Project.create(tmp_path / "f" / "project.sqlite", "kerneopgave", answers,
                            meta={"baseline": json.dumps({"n": 1, "themes": []})})
    assert export_names(follow.read())["docx"] == "kerneopgave_opfoelgning_temaer.docx"
    assert main(["export", str(tmp_path / "project.sqlite"), "--out", str(tmp_path / "out")]) == 0
    assert {p.name for p in (tmp_path / "out").iterdir()} == {
        "kerneopgave_temaer.xlsx", "kerneopgave_temaer.pptx", "kerneopgave_temaer.docx", "kerneopgave_kodebog.json",
        "kerneopgave_svar.csv"}


def test_danish_numbers():
    assert fmt.percent(20.94) == "20,9 %" and fmt.number(1234.5, 1) == "1.234,5" and fmt.points(-25) == "-25,0"
    assert fmt.points(3.46) == "+3,5" and fmt.number(float("nan")) == "–"
    assert fmt.points(0) == "0,0" and fmt.points(0.0) == "0,0"           # no change has no sign


def test_a_difference_in_points_reads_as_points_and_a_share_as_percent():
    from textmine.report.writers import number_format

    points = number_format("Forskel (procentpoint)", pd.Series([-25.0, 3.46]))
    assert [shown(v, points) for v in (-25.0, 3.46, 1234.5)] == ["-25,0", "3,5", "1.234,5"]      # no "%"
    share = number_format("Andel (%)", pd.Series([20.94]))
    assert shown(20.94, share) == "20,9 %"
    p = number_format("p-værdi", pd.Series([0.0153]))
    assert [shown(v, p) for v in (0.0153, 0.005, 0.0004)] == ["0,015", "0,005", "<0,001"]


def test_a_sheet_is_written_without_scanning_every_cell_per_row(monkeypatch):
    """openpyxl's max_row and max_column look at every cell: asked once per row they made the sheet of 100,000
    answers take minutes. The written cells still carry their formats."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from textmine.report.writers import _sheet, number_format

    scans = []
    for name in ("max_row", "max_column"):
        real = getattr(Worksheet, name)
        monkeypatch.setattr(Worksheet, name, property(lambda self, real=real: scans.append(1) or real.fget(self)))
    frame = pd.DataFrame({"Svar": [f"=svar {i}" for i in range(300)], "Andel (%)": [i / 3 for i in range(300)]})
    sheet = Workbook().active
    _sheet(sheet, frame)
    assert len(scans) < 10
    assert sheet.cell(301, 1).value == "=svar 299" and sheet.cell(301, 1).data_type == "s"
    assert sheet.cell(301, 2).number_format == number_format("Andel (%)", frame["Andel (%)"])


def test_the_layout_fits_a_long_list_of_headings_on_more_slides():
    from textmine.report.layout import Box, fit_headings, fit_quotes, lines

    box = Box(0, 0, 6.9, 6.5)
    assert len(fit_headings([(f"{i}. Et tema", "") for i in range(6)], box)) == 1
    many = fit_headings([(f"{i}. Et langt tema med mange ord i sin overskrift", "og en beskrivelse " * 6)
                         for i in range(30)], box)
    assert len(many) > 1 and sum(len(items) for _, items in many) == 30
    assert lines("ord " * 100, 2, 12) > lines("ord " * 10, 2, 12) == 2
    size, kept = fit_quotes(["“" + "langt svar " * 60 + "”"] * 5, Box(0, 0, 11.9, 4.4))
    assert 3 <= len(kept) < 5


def test_a_theme_has_one_share_on_the_page_and_in_every_file(exported):
    """Issue 23.4: the page's list said 18,9 % (first themes), the workbook 18,3 % and 19,5 %, Word and the
    slides 19,5 %. Now one share (projectdata.theme_share), with its base said in words, everywhere; checked on a
    theme with a second-theme answer ("Tema 2": 5 answers + 1 as second theme, of 59 that say something)."""
    from docx import Document
    from openpyxl import load_workbook
    from pptx import Presentation

    from textmine.app.choices import theme_choices
    from textmine.app.messages import status_line
    from textmine.app.page import theme_info
    from textmine.fmt import percent
    from textmine.project.themes import snapshot, theme_table

    project, files = exported
    snap = snapshot(project)
    themes = theme_table(snap)
    expected = {name: percent(100 * n / 59) for name, n in zip(themes["name"], themes["respondents"])}
    assert expected["Tema 2"] == percent(100 * 6 / 59)
    page = {label.split(" · ")[0]: label.split(" · ")[-1].replace("\u00a0", " ")            # "7,5 %" kept together
            for label, _ in theme_choices(snap, themes)[:-2]}
    assert page == expected
    row = themes[themes["name"] == "Tema 2"].iloc[0]
    assert f"{expected['Tema 2']} af de 59 svar, der siger noget" in theme_info(snap, themes, int(row["theme_id"]))
    assert "andele af de 59 svar, der siger noget" in status_line(snap, themes, str(project.path))
    sheet = load_workbook(files[".xlsx"])["Temaer"]
    header = [c.value for c in sheet[1]]
    book = {r[header.index("Tema")]: percent(r[header.index("Andel af svarene, der siger noget (%)")])
            for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] in expected}
    assert book == expected
    table = Document(files[".docx"]).tables[0]
    word = {r.cells[0].text.split("\n")[0]: r.cells[3].text for r in table.rows[1:]}
    assert word == expected
    paragraphs = [p.text for p in Document(files[".docx"]).paragraphs]
    assert f"{expected['Tema 2']} af de 59 svar, der siger noget, nævner temaet (6 svar)." in paragraphs
    slides = [" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
              for slide in Presentation(files[".pptx"]).slides]
    for name, share in expected.items():
        quote_slide = [t for t in slides if re.match(rf"\d+\. {name}\b", t)]
        assert quote_slide and f"{share} af de 59 svar, der siger noget, nævner temaet" in quote_slide[0], name


REGIONS = ["Nordjylland", "Midtjylland", "Syddanmark", "Hovedstaden", "Sjælland", "Bornholm", "Færøerne"]


def _grouped_export(tmp_path, groups: list[str]):
    """A survey of 8 respondents per group (the groups in their order of first appearance, not alphabetical),
    three themes, exported to pptx and xlsx with the groups of its one background variable."""
    from textmine.config import SurveyConfig
    from textmine.report.export import export_project

    ids = [str(i) for i in range(8 * len(groups))]
    survey = pd.DataFrame({"respondent_id": ids, "region": [groups[i % len(groups)] for i in range(len(ids))]})
    answers = pd.DataFrame({"respondent_id": ids, "answer": [f"Et svar nummer {i}" for i in range(len(ids))],
                            "cluster": [i % 3 for i in range(len(ids))]})
    project = Project.create(tmp_path / "p.sqlite", "q", answers, names={0: "Tema A", 1: "Tema B", 2: "Tema C"})
    config = SurveyConfig(id_column="respondent_id", questions={"q": "Spørgsmålet?"}, background=("region",))
    written = export_project(project, tmp_path / "out", ["pptx", "xlsx"], survey=survey, config=config)
    return {p.suffix: p for p in written}


@pytest.mark.parametrize("n_groups", [5, 7])
def test_a_chart_shows_every_group_with_its_legend_entry_colour_and_labels(tmp_path, n_groups):
    from pptx import Presentation

    groups = REGIONS[:n_groups]
    files = _grouped_export(tmp_path, groups)
    slide = next(s for s in Presentation(files[".pptx"]).slides if any(x.has_chart for x in s.shapes))
    chart = next(s.chart for s in slide.shapes if s.has_chart)
    series = list(chart.plots[0].series)
    assert [s.name for s in series] == groups                       # every group, in the survey's order
    assert list(chart.plots[0].categories) == ["Tema A", "Tema B", "Tema C"]
    labels = _labels(chart)
    assert all(len(labels[g]) == 3 and all(re.fullmatch(r"\d+,\d %", t) for t in labels[g]) for g in groups)
    fills = [s.format.fill.fore_color.rgb for s in series]
    assert len(set(fills)) == n_groups                              # one colour each, none left to the default
    legend = {s.name.removeprefix("Forklaring: "): s for s in slide.shapes if s.name.startswith("Forklaring: ")}
    assert list(legend) == groups
    assert [legend[g].fill.fore_color.rgb for g in groups] == fills
    bottom = max(m.top + m.height for m in legend.values())
    chart_frame = next(s for s in slide.shapes if s.has_chart)
    assert bottom <= chart_frame.top and max(m.left + m.width for m in legend.values()) <= slide.part.package \
        .presentation_part.presentation.slide_width                  # the legend wraps above the chart, on the slide


def test_the_group_sheet_keeps_the_survey_order_of_the_groups(tmp_path):
    groups = REGIONS[:5]
    files = _grouped_export(tmp_path, groups)
    sheet = pd.read_excel(files[".xlsx"], sheet_name="Temaer × grupper")
    assert list(sheet.loc[sheet["Tema"] == "Tema A", "Gruppe"]) == groups


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                    reason="LibreOffice and pdftotext are not installed (make test installs them)")
def test_libreoffice_draws_every_group_of_a_seven_group_chart(tmp_path):
    """The chart slide as LibreOffice renders it: all seven groups in the legend, a value on every bar."""
    pptx = _grouped_export(tmp_path, REGIONS)[".pptx"]
    done = subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(pptx)],
                          capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "pdf" / (pptx.stem + ".pdf")
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    page = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout                  # slide 2: the chart
    assert all(region in page for region in REGIONS), page
    assert len(re.findall(r"\d+,\d %", page)) == 3 * len(REGIONS), page
