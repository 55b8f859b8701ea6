"""The app in a real browser (Debian's Chromium driven by Playwright) on the demo survey. One server and
one discovered project are shared by the tests, in order: discover, merge, rename, move, reload, undo;
every refusal leaves the page as it was; no English on any tab; the history goes back and redo returns;
a click on the map opens a theme; an uploaded survey; the follow-up wave; a damaged project file."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

import pytest

from textmine.project.store import Project
from textmine.project.themes import snapshot, theme_answers

from .conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
                                 reason="Debian's chromium is not installed (make test installs it)")]
ENGLISH = ["Drop File Here", "Click to Upload", "Error", "Warning", "Sort ascending", "Sort descending", "Filter",
           "processing", "Baseline", "Select All", "Loading", "Built with", "Use via API", "Copy table",
           "Fullscreen", "Submit", "Clear", "Upload", "Download plot", "Produced with", "Click to upload", "Textbox",
           "dataframe", "More tabs", "Empty value", "File upload", "common", "footer"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(projects=None, project=None, extra=(), env=None, log=None):
    """The app on a projects folder (or on one project file), in its own process; yields its address once the
    page answers. `extra`: more arguments; `env`: more environment variables; `log`: a file for its output."""
    port = free_port()
    where = ["--projects-dir", str(projects)] if projects is not None else ["--project", str(project)]
    with open(log, "w") if log else open(os.devnull, "w") as out:
        proc = subprocess.Popen([sys.executable, "app_gradio.py", "--port", str(port), *where, *extra],
                                cwd=ROOT, env={**os.environ, **(env or {})}, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("the app did not start")
        yield url
    finally:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    projects = tmp_path_factory.mktemp("projects")
    with running_app(projects) as url:
        yield url, projects


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def page(server, browser):
    """One tab on the project discovered in the first test."""
    tab = browser.new_page(viewport={"width": 1440, "height": 900})
    tab.goto(server[0])
    yield tab
    tab.close()


def choose(page, dropdown: str, option: str) -> None:
    page.locator(f"{dropdown} input").click()
    page.get_by_role("option", name=option).first.click()
    page.keyboard.press("Escape")


def version_shown(page, n: int) -> None:
    page.locator("#status").get_by_text(f"version {n})").wait_for(timeout=30_000)


def labels(page) -> list[str]:
    return page.locator("#theme-list label").all_inner_texts()


def select(page, name: str) -> None:
    page.locator("#theme-list label").filter(has_text=re.compile(rf"^\s*(✔ )?{re.escape(name)} ·")).first.click()
    page.wait_for_function("n => document.querySelector('#theme-name textarea, #theme-name input').value === n",
                           arg=name, timeout=30_000)


K: dict[int, str] = {}            # theme id -> the name discovery suggested (test_discover_merge_rename_move_...)


def project_path(projects):
    return next(p for p in sorted(projects.glob("*.sqlite")) if p.name.startswith("baseline_survey_kerneopgave"))


def test_discover_merge_rename_move_reload_undo(server, page):
    from textmine.app.history import button_words

    url, projects = server
    page.get_by_role("tab", name="Nyt projekt").click()
    page.get_by_role("button", name="Find temaer (nyt projekt)").wait_for(timeout=120_000)   # ready
    page.click("#run-discovery")
    page.locator("#status").get_by_text("gemt automatisk").wait_for(timeout=240_000)
    path = project_path(projects)
    before = Project(path).state()
    sizes = before.sizes()
    assert len(before.themes) == 18 and len(labels(page)) == 18 + 2                    # and the two bins
    K.update({t: theme.name for t, theme in before.themes.items()})      # the names discovery suggested
    assert all(theme.suggested for theme in before.themes.values())

    select(page, K[0])
    choose(page, "#merge-ids", f"{K[1]} (nr. 2")
    page.fill("#merge-name input, #merge-name textarea", "Rekruttering")
    page.click("#merge")
    page.locator("#feedback").get_by_text("2 temaer er slået sammen til »Rekruttering«").wait_for(timeout=30_000)
    assert page.locator("#status").get_by_text("17 temaer").count() == 1
    assert page.locator("#theme-name textarea, #theme-name input").first.input_value() == "Rekruttering"  # selected
    assert page.locator("#merge-name input, #merge-name textarea").first.input_value() == ""              # cleared
    assert f"Fortryd: {button_words(f'slog »{K[0]}« og »{K[1]}« sammen til »Rekruttering«')}" in \
        page.locator("#undo").inner_text()

    page.fill("#theme-name textarea, #theme-name input", "Rekruttering og arbejdskraft")
    page.fill("#theme-description textarea", "Virksomhedernes behov for folk")
    page.click("#rename")
    version_shown(page, 2)

    typical = theme_answers(snapshot(Project(path)), 0)[1]["text"].iloc[0]
    page.locator("#answers label").filter(has_text=typical[:60]).first.click()
    assert "1 valgt" in page.locator("#caption").inner_text()
    choose(page, "#target", f"{K[2]} (nr. 3")
    page.click("#move")
    version_shown(page, 3)
    page.locator("#feedback").get_by_text(f"1 svar er flyttet til »{K[2]}«").wait_for()

    state = Project(path).state()
    assert state.themes[0].name == "Rekruttering og arbejdskraft" and 1 not in state.themes
    assert state.sizes()[0] == sizes[0] + sizes[1] - 1 and state.sizes()[2] == sizes[2] + 1

    page.reload()                                                  # nothing lives in the page
    version_shown(page, 3)
    assert any(label.startswith("Rekruttering og arbejdskraft ·") for label in labels(page))
    assert page.locator("#status").get_by_text("17 temaer").count() == 1

    for expected, what in ((4, f"flyttede 1 svar fra »Rekruttering og arbejdskraft« til »{K[2]}«"),
                           (5, "omdøbte »Rekruttering« til »Rekruttering og arbejdskraft«"),
                           (6, f"slog »{K[0]}« og »{K[1]}« sammen til »Rekruttering«")):
        assert f"Fortryd: {button_words(what)}" in page.locator("#undo").inner_text()   # the button: cut
        page.click("#undo")
        version_shown(page, expected)
        page.locator("#feedback").get_by_text(f"Fortrudt: {what}").wait_for()
    page.locator("#status").get_by_text("18 temaer").wait_for(timeout=20_000)
    assert Project(path).state() == before


def assert_unchanged(page, shown: list[str]) -> None:
    assert labels(page) == shown
    text = page.locator("body").inner_text()
    assert "Error" not in text and "Fejl" not in text
    assert page.locator(".error, [data-testid='error']").count() == 0


def refused(page, message: str) -> None:
    page.get_by_text(message).first.wait_for(timeout=20_000)


def test_every_refusal_is_a_warning_and_leaves_the_page_as_it_was(server, page):
    url, projects = server
    path = project_path(projects)
    page.reload()
    page.locator("#status").get_by_text("gemt automatisk").wait_for(timeout=30_000)
    select(page, K[3])
    shown = labels(page)

    page.click("#merge")                                           # merge of one theme
    refused(page, "Vælg mindst to temaer at slå sammen.")
    assert_unchanged(page, shown)

    choose(page, "#target", f"{K[4]} (nr. 5")                     # move with nothing selected
    page.click("#move")
    refused(page, "Vælg mindst ét svar.")
    assert_unchanged(page, shown)

    page.fill("#theme-name textarea, #theme-name input", "")       # an empty name
    page.click("#rename")
    refused(page, "Et tema skal have et navn.")
    assert_unchanged(page, shown)

    page.click("#final")                                           # a final theme cannot be deleted
    page.locator("#feedback").get_by_text("er markeret som endeligt").wait_for(timeout=20_000)
    assert page.locator("#final").inner_text().strip() == "Genåbn"
    shown = labels(page)
    assert any(label.startswith(f"✔ {K[3]}") for label in shown)
    page.click("#delete")
    page.locator("#confirm-delete").get_by_text(f"Slette »{K[3]}«").wait_for()
    page.click("#confirm-yes")
    refused(page, "er markeret som endeligt. Genåbn det først")
    assert_unchanged(page, shown)
    page.click("#final")                                           # reopened
    page.locator("#feedback").get_by_text("er genåbnet").wait_for(timeout=20_000)
    shown = labels(page)

    Project(path).apply("rename", theme_id=5, name="Fra en anden fane")      # a stale tab
    page.fill("#theme-name textarea, #theme-name input", f"{K[3]} igen")
    page.click("#rename")
    refused(page, "ændret i en anden fane")
    assert_unchanged(page, shown)
    assert Project(path).state().themes[3].name == K[3]


def test_no_english_gradio_text_on_any_tab(server, page):
    page.reload()
    page.locator("#status").get_by_text("gemt automatisk").wait_for(timeout=30_000)
    for tab, ready in (("Temaer", "#theme-list label"), ("Kort", "#map .js-plotly-plot"), ("Historik", "#history table"),
                       ("Nyt projekt", "#run-discovery"), ("Eksport", "#export"), ("Ny bølge", "#wave-status"),
                       ("Tal", "#item-table table")):
        page.get_by_role("tab", name=tab, exact=True).click()
        page.locator(ready).first.wait_for(timeout=30_000)
        if tab == "Temaer":
            page.get_by_role("tab", name="Hvem siger det?").click()
            page.locator("#who table").wait_for(timeout=30_000)
        seen = page.evaluate("""() => [document.body.innerText, ...[...document.querySelectorAll(
            '[aria-label], [aria-live]')].map(e => (e.getAttribute('aria-label') || '') + ' ' + (e.hasAttribute(
            'aria-live') ? e.textContent : '')), ...[...document.querySelectorAll(
            '[placeholder],[aria-label],[title],[data-title]')].filter(e => e.offsetParent !== null).map(e =>
            [e.getAttribute('placeholder'), e.getAttribute('aria-label'), e.getAttribute('title'),
             e.getAttribute('data-title')].join(' ')), ...[...document.querySelectorAll('.modebar-btn')].map(e =>
            [e.getAttribute('data-title'), e.getAttribute('title')].join(' '))].join('\\n')""")
        found = [w for w in ENGLISH if re.search(rf"\b{w}\b", seen)]
        assert not found, f"English on the tab {tab}: {found}"
        assert not re.search(r"\d\.\d+ ?%|p = 0\.\d", seen), f"a decimal point on the tab {tab}"
        if tab == "Temaer":
            page.get_by_role("tab", name="Svar").click()
        if tab == "Tal":            # a table of many groups (11 municipalities) scrolls sideways, not cut at the edge
            assert page.evaluate("getComputedStyle(document.querySelector('#item-table')).overflowX") == "auto"


def test_the_history_goes_back_to_a_point_and_redo_brings_it_back(server, page):
    url, projects = server
    path = project_path(projects)
    page.reload()
    page.locator("#status").get_by_text("gemt automatisk").wait_for(timeout=30_000)
    page.get_by_role("tab", name="Historik").click()
    page.locator("#history table").wait_for(timeout=60_000)
    assert f"Slog »{K[0]}« og »{K[1]}« sammen til »Rekruttering«" in page.locator("#history").inner_text()
    assert f"Flyttede 1 svar fra »Rekruttering og arbejdskraft« til »{K[2]}«: »" in page.locator("#history").inner_text()
    choose(page, "#history-theme", K[2])                         # only the steps about that theme
    page.wait_for_function("gone => !document.querySelector('#history').innerText.includes(gone)",
                           arg=f"Slog »{K[0]}«", timeout=20_000)
    assert f"til »{K[2]}«" in page.locator("#history").inner_text()
    choose(page, "#history-theme", "Alle temaer")
    page.locator("#history").get_by_text(f"Slog »{K[0]}«").first.wait_for(timeout=20_000)
    before = Project(path).state()
    choose(page, "#back-point", "Som temaerne blev fundet")
    page.click("#back")
    page.locator("#history-feedback").get_by_text("Projektet er ført tilbage").wait_for(timeout=30_000)
    back = Project(path).state()
    assert back.themes[5].name == K[5] and back != before
    assert f"Fortryd: omdøbte »{K[5]}« til »Fra en anden fane«" in page.locator("#history").inner_text()
    page.get_by_role("tab", name="Temaer").click()
    page.click("#redo")
    page.locator("#feedback").get_by_text("Gentaget:").wait_for(timeout=20_000)
    assert Project(path).state() != back


def test_the_theme_tree_cuts_to_12_themes_in_one_step_and_long_lists_page(server, page):
    page.get_by_role("tab", name="Temaer").click()
    before = len(labels(page))
    choose(page, "#cut-k", "12 temaer")
    page.click("#cut")
    page.locator("#feedback").get_by_text("samlet efter lighed til 12 temaer").wait_for(timeout=90_000)
    said = page.locator("#feedback").inner_text()
    apart = re.search(r"(\d+)\s+tema(?:er)? af svar om spørgeskemaet .* er holdt uden for", said)
    assert apart, said                               # the demo's "Svar" cluster: answers about the questionnaire
    assert len(labels(page)) == 12 + int(apart.group(1)) + 2
    assert "samlede temaerne efter lighed til 12 temaer" in page.locator("#undo").inner_text()
    page.click("#undo")
    page.wait_for_function("n => document.querySelectorAll('#theme-list label').length === n", arg=before,
                           timeout=30_000)
    page.fill("#search input, #search textarea", "e")
    page.keyboard.press("Enter")
    page.locator("#caption").get_by_text("viser 1-200 af").wait_for(timeout=30_000)
    assert page.locator("#answers label").count() == 200 and not page.locator("#page-back").is_visible()
    page.click("#page-next")
    page.locator("#caption").get_by_text("viser 201-").wait_for(timeout=30_000)
    assert 0 < page.locator("#answers label").count() <= 200 and page.locator("#page-back").is_visible()
    page.screenshot(path=str(server[1] / "tree_and_pages.png"))
    page.fill("#search input, #search textarea", "")
    page.keyboard.press("Enter")


def test_a_click_on_the_map_opens_its_theme(server, page):
    page.get_by_role("tab", name="Kort").click()
    page.locator("#map .js-plotly-plot .scatterlayer .trace .point").first.wait_for(timeout=60_000)
    first = page.locator("#map .legend .traces .legendtext").first.text_content().strip()
    page.wait_for_timeout(300)                                      # plotly binds its click handler after drawing
    page.locator("#map .scatterlayer .trace").first.locator(".point").first.click(force=True)
    page.get_by_role("tab", name="Temaer", selected=True).wait_for(timeout=20_000)
    page.wait_for_function("n => document.querySelector('#theme-name textarea, #theme-name input').value === n",
                           arg=first, timeout=20_000)


def test_upload_a_survey_and_discover_from_it(server, page, tmp_path):
    import pandas as pd

    from .conftest import DATA

    url, projects = server
    survey = pd.read_csv(DATA / "baseline_survey.csv", keep_default_na=False).head(200)
    path = tmp_path / "anden_survey.csv"
    survey.to_csv(path, sep=";", index=False, encoding="cp1252")
    page.get_by_role("tab", name="Nyt projekt").click()
    broken = tmp_path / "broken.csv"
    broken.write_bytes(bytes(range(256)) * 40)
    page.set_input_files("#survey-file input[type=file]", str(broken))     # refused: said on the page, form reset
    page.locator("#upload-note").get_by_text("broken.csv kunne ikke bruges").wait_for(timeout=30_000)
    assert "finder Find temaer temaer i baseline_survey" in page.locator("#upload-note").inner_text()
    page.wait_for_function("() => !document.querySelector('#survey-file').innerText.includes('broken.csv')",
                           timeout=10_000)                                  # the field is empty again
    assert not page.locator("#setup").is_visible()
    page.set_input_files("#survey-file input[type=file]", str(path))
    page.locator("#setup-intro").get_by_text("Beskriv undersøgelsen anden_survey.csv").wait_for(timeout=30_000)
    assert page.locator("#upload-note").inner_text().strip() == ""
    page.click("#save-description")                         # the proposal as it stands
    page.locator("#setup-status").get_by_text("id-kolonne respondent_id").wait_for(timeout=30_000)
    choose(page, "#question", "andre_kompetencer")
    page.click("#run-discovery")
    page.locator("#status").get_by_text("anden survey andre kompetencer").first.wait_for(timeout=180_000)
    status = page.locator("#run-status").inner_text()                 # the non-answers left out, said
    assert page.locator("#feedback").inner_text().strip() == status.strip()   # also on Temaer, where the page is
    assert re.search(r"er lavet\. \d+ svar uden indhold \(»", status) and "»se ovenfor«" in status, status
    project = Project(projects / "anden_survey_andre_kompetencer.sqlite")
    assert project.question() == "andre_kompetencer"
    assert (projects / "uploads" / "anden_survey.csv").is_file()
    assert project.meta("survey") == str(projects / "uploads" / "anden_survey.csv")
    assert project.meta("survey_description") == (projects / "uploads" / "anden_survey.toml").read_text(encoding="utf-8")
    written = (survey["andre_kompetencer"].str.strip() != "").sum()
    assert 0.9 * written <= len(project.answers()) <= written


def test_who_says_it_follows_the_project_switched_to(server, page):
    """With "Hvem siger det?" open, another project chosen in the list: the panel shows that project's numbers
    (the same as opening the panel afresh), never the previous survey's."""
    page.get_by_role("tab", name="Temaer", exact=True).click()
    page.get_by_role("tab", name="Hvem siger det?").click()
    page.locator("#who table").wait_for(timeout=30_000)
    before = page.locator("#who").inner_text()
    choose(page, "#project", "baseline survey kerneopgave –")
    page.locator("#status").get_by_text("baseline survey kerneopgave ·").wait_for(timeout=20_000)
    page.wait_for_function("b => document.querySelector('#who').innerText !== b", arg=before, timeout=30_000)
    page.wait_for_timeout(1000)
    after = page.locator("#who").inner_text()
    page.get_by_role("tab", name="Svar", exact=True).click()
    page.get_by_role("tab", name="Hvem siger det?").click()
    page.wait_for_timeout(2000)
    assert page.locator("#who").inner_text() == after != before


def test_the_who_says_it_chart_shows_the_shares_of_the_table_beside_it(server, page):
    """Gradio's BarPlot, sent its new shares with the groups' order, drew the shares it had before: each theme's
    chart showed the previous theme's. The chart's bars must read what the table beside them says, in its order."""
    def shown():
        table = [row.split("\t") for row in page.locator("#who table").inner_text().split("\n")[1:]]
        bars = page.evaluate("() => { const d = document.querySelector('#who-plot .js-plotly-plot');"
                             " return d && d.data ? [...d.data[0].text] : null }")
        return [row[2].split(" (")[0] for row in table], bars

    page.reload()
    page.locator("#status").get_by_text("gemt automatisk").wait_for(timeout=30_000)
    page.locator("#theme-list label").first.click()
    page.get_by_role("tab", name="Hvem siger det?").click()
    page.locator("#who table").wait_for(timeout=30_000)
    seen = []
    for k in (1, 2, 3):
        before = page.locator("#who").inner_text()
        page.locator("#theme-list label").nth(k).click()
        page.wait_for_function("b => document.querySelector('#who').innerText !== b", arg=before, timeout=30_000)
        page.wait_for_timeout(1500)
        table, bars = shown()
        assert bars == table, f"theme {k}: the chart reads {bars}, the table {table}"
        seen.append(table)
    assert len({tuple(t) for t in seen}) > 1                   # the themes differ, so a stale chart would show


def test_apply_the_themes_to_the_follow_up_wave(server, page):
    from textmine.waves.comparing import project_comparison

    url, projects = server
    baseline = projects / "baseline_survey_kerneopgave.sqlite"
    assert baseline.is_file() and (projects / "baseline_survey_kerneopgave.model" / "answers.json").is_file()
    Project(baseline).apply("rename", theme_id=0, name="Første tema")
    page.reload()
    page.locator("#status").get_by_text("gemt automatisk").wait_for(timeout=30_000)
    choose(page, "#project", "baseline survey kerneopgave –")
    page.locator("#status").get_by_text("baseline survey kerneopgave ·").wait_for(timeout=20_000)
    page.get_by_role("tab", name="Ny bølge").click()
    page.click("#apply-wave")                                     # no file chosen: the bundled follow-up
    page.locator("#wave-status").get_by_text("Opfølgning:").wait_for(timeout=240_000)
    follow = projects / "followup_survey_kerneopgave.sqlite"
    comparison = project_comparison(Project(follow))
    assert comparison["theme"].iloc[0] == "Første tema" and comparison["new"].any()
    assert comparison["n_followup"].iloc[0] == len(Project(follow).answers())
    table = page.locator("#wave-table").inner_text()
    assert "Første tema" in table and "Ny 1" in table and "Første måling" in table
    page.locator("#wave-plot .js-plotly-plot").wait_for(timeout=30_000)      # the chart is drawn
    assert "followup survey kerneopgave" in page.locator("#status").inner_text()


def test_a_damaged_project_file_gives_a_message_not_a_broken_page(server, page):
    url, projects = server
    damaged = projects / "zz_damaged.sqlite"
    damaged.write_bytes(b"this is not a project file" * 100)          # the newest: what a reload opens
    try:
        page.reload()
        page.get_by_text("zz_damaged.sqlite").first.wait_for(timeout=30_000)
        page.locator("#status").get_by_text("Intet projekt åbent").wait_for(timeout=20_000)
        assert "Error" not in page.locator("body").inner_text()
        page.reload()                                                  # and again: still a page
        page.locator("#status").get_by_text("Intet projekt åbent").wait_for(timeout=20_000)
    finally:
        damaged.unlink()
