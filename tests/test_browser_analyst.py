"""Issue 23's analyst, step by step in a real browser: an own survey exported as survey tools write it (the
question text as the column header, "?" and all; the data on the workbook's second sheet; seven regions in the
survey's own order), discovered, the check sample read, every theme marked final, and exported. The figures a
report gets must be the page's: one share per theme, the check's estimate untouched by the final marks, and
every region in the chart."""

import re

import pandas as pd
import pytest

from textmine.project.store import Project

from .conftest import DATA
from .test_browser import CHROMIUM, browser, choose, labels, running_app, select  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.slow]

QUESTION = "Hvad bad du din digitale assistent om sidst?"
REGIONS = ["Nordjylland", "Midtjylland", "Syddanmark", "Hovedstaden", "Sjælland", "Bornholm", "Færøerne"]


def own_survey(path):
    """A cover sheet first, the data on sheet 2; regions in their order of first appearance, not alphabetical."""
    demo = pd.read_csv(DATA / "baseline_survey.csv", keep_default_na=False)
    texts = demo["kerneopgave"][demo["kerneopgave"].str.split().str.len() >= 4].drop_duplicates().head(140).tolist()
    data = pd.DataFrame({"Respondent": [f"X{i:04d}" for i in range(len(texts))],
                         "Region": [REGIONS[i % len(REGIONS)] for i in range(len(texts))], QUESTION: texts})
    with pd.ExcelWriter(path) as book:
        pd.DataFrame({"Om filen": ["Eksport fra spørgeskemaværktøjet", "Svarene står på arket Data"]}) \
            .to_excel(book, sheet_name="Forside", index=False)
        data.to_excel(book, sheet_name="Data", index=False)
    return data


@pytest.fixture(scope="module")
def analyst(tmp_path_factory, browser):  # noqa: F811
    projects = tmp_path_factory.mktemp("projects")
    with running_app(projects) as url:
        tab = browser.new_page(viewport={"width": 1440, "height": 900})
        tab.goto(url)
        yield tab, projects
        tab.close()


def estimate(page) -> str:
    return page.locator("#theme-estimate").inner_text()


def test_an_own_survey_from_upload_to_export_keeps_its_numbers(analyst, tmp_path):
    from docx import Document
    from openpyxl import load_workbook
    from pptx import Presentation

    from textmine.project.themes import snapshot
    from textmine.review.quality import check_order

    page, projects = analyst
    survey = own_survey(tmp_path / "assistent.xlsx")
    # 1-2. upload: the sheet with the answers is proposed, not the cover sheet
    page.get_by_role("tab", name="Nyt projekt").click()
    page.get_by_role("button", name="Find temaer (nyt projekt)").wait_for(timeout=180_000)
    page.set_input_files("#survey-file input[type=file]", str(tmp_path / "assistent.xlsx"))
    page.locator("#setup-intro").get_by_text("»Data«").wait_for(timeout=30_000)
    assert page.locator("#survey-sheet input").input_value() == "Data"
    # 3. the description as proposed, then the question with "?" in its header
    page.click("#save-description")
    page.locator("#setup-status").get_by_text("id-kolonne Respondent").wait_for(timeout=30_000)
    choose(page, "#question", QUESTION)
    # 4. discovery makes a project that opens
    page.click("#run-discovery")
    page.locator("#status").get_by_text("gemt automatisk").wait_for(timeout=300_000)
    [path] = [p for p in projects.glob("*.sqlite")]
    project = Project(path)
    assert project.question() == QUESTION and len(project.answers()) == len(survey)
    assert not [p for p in projects.iterdir() if p.suffix == ".sqlite" and p.stat().st_size == 0]
    # 5. one share per theme, with its base in words
    status = page.locator("#status").inner_text()
    assert f"andele af de {len(survey)} svar, der siger noget" in status
    first = {label.split(" · ")[0]: label.split(" · ")[-1] for label in labels(page)[:-2]}
    # 6. the check sample read: 19 answers confirmed where they are (Rigtigt), 2 moved (Flyt): its estimate shown
    snap = snapshot(project)
    order = [int(a) for a in check_order(len(snap.state.primary), snap.meta["file_id"])]
    project.apply("confirm", answers=order[:19])
    themes = sorted(snap.state.themes)
    for a in order[19:21]:
        project.apply("move", answers=[a], theme_id=next(t for t in themes if t != snap.state.primary[a]))
    page.reload()
    page.locator("#theme-estimate").get_by_text("ud fra en stikprøve på 21 svar").wait_for(timeout=60_000)
    shares = {label.split(" · ")[0]: label.split(" · ")[-1].replace("\u00a0", " ")     # the list keeps "7,9 %" on one line
              for label in labels(page)[:-2]}
    assert len(shares) == len(first)
    checked = re.search(r"Anslået \d+ % af svarene i et rigtigt tema \(\d+–\d+ %\)", estimate(page)).group(0)
    listed = page.locator("#project input").input_value()                  # "… – ændret 6. dec. kl. 10:02:03"
    # 7. every theme marked final: no answer is read by that, so the estimate stays as it was
    for name in list(shares):
        select(page, name)
        page.click("#final")
        page.locator("#final").get_by_text("Genåbn").wait_for(timeout=30_000)
    assert all(label.startswith("✔ ") for label in labels(page)[:-2])
    assert " – ændret " in listed and page.locator("#project input").input_value() != listed   # the list follows
    page.locator("#theme-estimate").get_by_text("ud fra en stikprøve på 21 svar").wait_for(timeout=60_000)
    assert checked in estimate(page) and "Anslået 100 %" not in estimate(page)
    page.get_by_role("tab", name="Gennemse").click()
    page.locator("#review-mode").get_by_text("Tilfældig stikprøve").click()
    page.locator("#review-status").get_by_text("21 svar af stikprøven er læst").wait_for(timeout=60_000)
    assert "læst til ende" not in page.locator("#review-status").inner_text()
    # 8-9. export: the workbook, Word and the slides carry the page's shares and the check's estimate
    page.get_by_role("tab", name="Eksport").click()
    page.click("#export")
    page.locator("#export-files").get_by_text(".pptx").first.wait_for(timeout=120_000)
    written = {p.suffix: p for p in (projects / "exports").rglob("*") if p.is_file()}
    sheet = load_workbook(written[".xlsx"])["Temaer"]
    header = [c.value for c in sheet[1]]
    book = {r[0]: f"{r[header.index('Andel af svarene, der siger noget (%)')]:.1f}".replace(".", ",") + " %"
            for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] in shares}
    assert book == shares
    word = {r.cells[0].text.split("\n")[0]: r.cells[3].text for r in Document(written[".docx"]).tables[0].rows[1:]}
    assert word == shares
    deck = Presentation(written[".pptx"])
    slides = [" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
    for name, share in shares.items():
        [quoted] = [t for t in slides if re.match(rf"\d+\. {re.escape(name)}\n", t)]
        assert f"{share} af de {len(survey)} svar, der siger noget, nævner temaet" in quoted, name
    assert checked.replace("Anslået", "Anslået kodningskvalitet:") in " ".join(
        s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    # 10. the Region chart: all seven regions, in the survey's order, each with its legend entry
    charts = [s.chart for slide in deck.slides for s in slide.shapes if s.has_chart]
    assert charts and [s.name for s in charts[0].plots[0].series] == REGIONS
    legend = [s.name.removeprefix("Forklaring: ") for slide in deck.slides for s in slide.shapes
              if s.name.startswith("Forklaring: ")]
    assert legend[:len(REGIONS)] == REGIONS
