"""The analyst's own survey in a real browser (Chromium via Playwright): upload a survey the demo does not
resemble, confirm the proposed description (changing one role), discover with the bundled embedder, open a
theme, and see that "Hvem siger det?", the Likert context and *Tal* show that survey's own groups and items,
and that the demo survey's name appears nowhere on the page. Its own server and projects folder."""

import re

import pandas as pd
import pytest

from textmine.config import DESCRIPTION
from textmine.project.store import Project

from .test_browser import (  # noqa: F401 (fixtures)
    CHROMIUM,
    ENGLISH,
    browser,
    choose,
    labels,
    pytestmark,  # noqa: F401
    running_app,
    select,
)

AGREE = ["Helt uenig", "Uenig", "Hverken enig eller uenig", "Enig", "Helt enig"]
TOPICS = [
    ["Flere hænder i hjemmeplejen", "Vi mangler personale i hjemmeplejen", "Der er for få ansatte på vagterne",
     "Hjemmeplejen har brug for flere medarbejdere", "Bemandingen om aftenen er alt for lav"],
    ["Bedre busforbindelser i landdistrikterne", "Busserne kører for sjældent i yderområderne",
     "Flere afgange med den kollektive trafik", "Det er svært at komme rundt uden bil", "Billigere buskort til unge"],
    ["Renovering af skolernes toiletter", "Skolebygningerne trænger til vedligehold", "Nye legepladser ved skolerne",
     "Skolerne har utætte tage og dårligt indeklima", "Mere moderne faglokaler i folkeskolen"],
    ["Kortere ventetid på byggetilladelser", "Sagsbehandlingen af byggesager tager for lang tid",
     "Hurtigere svar fra teknisk forvaltning", "Byggesager ligger alt for længe", "Mere smidig behandling af ansøgninger"],
]
TAILS = ["", " – det er det vigtigste", " synes jeg", " for os borgere", " i hele kommunen", " nu og her"]
KOMMUNER = ["Lemvig", "Struer", "Holstebro"]
VISIBLE_TEXT = """() => [document.body.innerText, ...[...document.querySelectorAll('[placeholder],[aria-label],[title]')]
    .filter(e => e.offsetParent !== null).map(e => [e.getAttribute('placeholder'), e.getAttribute('aria-label'),
    e.getAttribute('title')].join(' '))].join('\\n')"""


def borger_survey(n: int = 72) -> pd.DataFrame:
    """Another survey than the demo: `nr`, `forslag`, `kommune`, `boligform`, text-label Likert items."""
    rows = []
    for i in range(n):
        topic = TOPICS[i % 4]
        rows.append({"nr": f"B{i + 1:03d}", "kommune": KOMMUNER[i % 3], "boligform": ["Ejer", "Lejer"][i % 2],
                     "forslag": f"{topic[(i // 4) % 5]}{TAILS[(i // 20) % 6]}",
                     "tilfreds_service": AGREE[(i * 7) % 5], "tilfreds_info": ["Ved ikke", *AGREE][(i * 5) % 6],
                     "postnr": str(7600 + (i % 3) * 20)})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    projects = tmp_path_factory.mktemp("projects")
    with running_app(projects) as url:
        yield url, projects


def test_own_survey_set_up_discovered_and_every_panel_follows_it(server, browser, tmp_path):  # noqa: F811
    url, projects = server
    survey = borger_survey()
    path = tmp_path / "borgerpanel.csv"
    survey.to_csv(path, sep=";", index=False, encoding="cp1252")
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        page.goto(url)
        page.get_by_role("tab", name="Nyt projekt").click()
        page.get_by_role("button", name="Find temaer (nyt projekt)").wait_for(timeout=180_000)
        page.set_input_files("#survey-file input[type=file]", str(path))
        page.locator("#setup-intro").get_by_text("Beskriv undersøgelsen borgerpanel.csv").wait_for(timeout=30_000)
        table = page.locator("#setup-table").inner_text()
        assert "forslag" in table and "åbent spørgsmål" in table and "likert" in table
        page.click("#run-discovery")                                  # not yet saved: refused, page stays
        page.get_by_text("Gem først beskrivelsen").first.wait_for(timeout=20_000)
        assert not list(projects.glob("*.sqlite"))

        seen = page.evaluate(VISIBLE_TEXT)                              # Gradio's table texts are Danish too
        assert not [w for w in ENGLISH + ["Static column", "Add row", "Delete"] if re.search(rf"\b{w}\b", seen)]

        cell = page.locator('#setup-table .body-cell[data-row="4"][data-col="2"]')     # tilfreds_service's name
        assert cell.inner_text().strip() == "tilfreds_service"
        cell.dblclick()
        page.keyboard.press("Control+A")
        page.keyboard.type("Tilfreds med servicen")
        page.keyboard.press("Enter")
        choose(page, "#role-columns", "boligform")                    # the analyst changes one role
        choose(page, "#role", "ikke brugt")
        page.click("#set-role")
        page.locator("#setup-table").get_by_text("valgt af dig").wait_for(timeout=20_000)
        page.click("#save-description")
        page.locator("#setup-status").get_by_text("Beskrivelsen er gemt").wait_for(timeout=20_000)
        saved = projects / "uploads" / "borgerpanel.toml"
        assert saved.is_file() and "boligform" not in saved.read_text(encoding="utf-8").split("[background]")[1]
        assert '"tilfreds_service" = "Tilfreds med servicen"' in saved.read_text(encoding="utf-8")

        page.click("#run-discovery")
        page.locator("#status").get_by_text("gemt automatisk").wait_for(timeout=300_000)
        project = Project(projects / "borgerpanel_forslag.sqlite")
        assert project.meta(DESCRIPTION) == saved.read_text(encoding="utf-8")
        assert "borgerpanel.csv – 72 respondenter" in page.locator("#header").inner_text()

        select(page, re.split(r" · ", labels(page)[0])[0])
        page.get_by_role("tab", name="Hvem siger det?").click()
        page.locator("#who").get_by_text("Holstebro").wait_for(timeout=30_000)
        who = page.locator("#who").inner_text()
        assert all(k in who for k in KOMMUNER) and "Medarbejdere" not in who
        assert page.locator("#group-by input").input_value() == "Kommune"
        page.locator("#likert").get_by_text("tilfreds").wait_for(timeout=30_000)
        assert "Arbejdsmarked" not in page.locator("#likert").inner_text()

        page.get_by_role("tab", name="Tal").click()
        page.locator("#item-table").get_by_text("Lemvig").first.wait_for(timeout=30_000)
        assert page.locator("#item input").input_value() == "Tilfreds med servicen"    # the survey's own items
        numbers = page.locator("#item-table").inner_text()
        assert "Tilfreds med servicen" in numbers and "Tilfreds info" in numbers and "au_" not in numbers
        assert "Alle respondenter" in numbers
        assert "»enig« eller »helt enig«" in page.locator("#numbers-intro").inner_text()

        page.reload()                                                   # reopened: its survey and description
        page.locator("#header").get_by_text("borgerpanel.csv – 72 respondenter").wait_for(timeout=30_000)
        page.get_by_role("tab", name="Nyt projekt").click()
        assert page.locator("#question input").input_value() == "forslag"          # a new question of the same survey
        for tab in ("Temaer", "Nyt projekt", "Eksport", "Ny bølge", "Tal"):          # the demo's name nowhere
            page.get_by_role("tab", name=tab, exact=True).click()
            page.wait_for_timeout(500)
            body = page.locator("body").inner_text()
            assert "baseline_survey" not in body and "baseline survey" not in body, tab
            assert "konfigurationsfil" not in body.lower(), tab
    finally:
        page.close()
