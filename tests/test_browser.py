"""The app in a real browser (Debian's Chromium driven by Playwright) on the demo survey:
discover, merge two clusters, rename the result, move one answer, reload: everything is still
there; undo brings the two clusters back."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from textmine.store import Project
from textmine.themes import snapshot, theme_answers

from .conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
                                 reason="Debian's chromium is not installed (make test installs it)")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    projects = tmp_path_factory.mktemp("projects")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "app_gradio.py", "--port", str(port), "--projects-dir", str(projects)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(240):
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("the app did not start")
    yield url, projects
    proc.kill()
    proc.wait()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


def choose(page, dropdown: str, option: str) -> None:
    page.locator(f"{dropdown} input").click()
    page.get_by_role("option", name=option).first.click()


def test_discover_merge_rename_move_reload_undo(server, browser):
    url, projects = server
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.goto(url)
    page.click("#run-discovery")
    page.get_by_text("gemt automatisk").wait_for(timeout=180_000)
    path = next(projects.glob("*.sqlite"))
    before = Project(path).state()
    sizes = before.sizes()
    assert len(before.themes) == 18

    # merge clusters 0 and 1
    choose(page, "#merge-ids", "Klynge 1 (nr. 0")
    choose(page, "#merge-ids", "Klynge 2 (nr. 1")
    page.keyboard.press("Escape")
    page.fill("#merge-name textarea", "Rekruttering")
    page.click("#merge")
    page.get_by_text("17 temaer").wait_for(timeout=20_000)

    # rename the selected (largest) theme, the merged one
    page.fill("#theme-name textarea", "Rekruttering og arbejdskraft")
    page.fill("#theme-description textarea", "Virksomhedernes behov for folk")
    page.click("#rename")
    page.get_by_text("version 2").wait_for(timeout=20_000)

    # move the merged theme's most typical answer to cluster 2
    typical = theme_answers(snapshot(Project(path)), 0)[1]["text"].iloc[0]
    page.locator("#answers label").filter(has_text=typical[:60]).first.click()
    choose(page, "#target", "Klynge 3 (nr. 2")
    page.click("#move")
    page.get_by_text("version 3").wait_for(timeout=20_000)

    state = Project(path).state()
    assert state.themes[0].name == "Rekruttering og arbejdskraft" and 1 not in state.themes
    assert state.sizes()[0] == sizes[0] + sizes[1] - 1 and state.sizes()[2] == sizes[2] + 1

    page.reload()                                                  # nothing lives in the page
    page.get_by_text("version 3").wait_for(timeout=30_000)
    assert page.get_by_text("Rekruttering og arbejdskraft").count() >= 1
    assert page.get_by_text("17 temaer").count() == 1

    for expected in ("version 4", "version 5", "version 6"):       # undo move, rename, merge
        page.click("#undo")
        page.get_by_text(expected).wait_for(timeout=20_000)
    page.get_by_text("18 temaer").wait_for(timeout=20_000)
    assert Project(path).state() == before


def test_upload_a_survey_and_discover_from_it(server, browser, tmp_path):
    import pandas as pd

    from .conftest import DATA

    url, projects = server
    survey = pd.read_csv(DATA / "baseline_survey.csv", keep_default_na=False).head(200)
    path = tmp_path / "anden_survey.csv"
    survey.to_csv(path, sep=";", index=False, encoding="cp1252")
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.goto(url)
    page.wait_for_selector("#run-discovery")
    page.set_input_files("#survey-file input[type=file]", str(path))
    page.wait_for_timeout(3000)
    choose(page, "#question", "andre_kompetencer")
    page.click("#run-discovery")
    page.get_by_text("anden_survey_andre_kompetencer.sqlite").first.wait_for(timeout=180_000)
    project = Project(projects / "anden_survey_andre_kompetencer.sqlite")
    assert project.question() == "andre_kompetencer"
    assert (projects / "uploads" / "anden_survey.csv").is_file()
    assert project.meta("survey") == str(projects / "uploads" / "anden_survey.csv")
    written = (survey["andre_kompetencer"].str.strip() != "").sum()
    assert 0.9 * written <= len(project.answers()) <= written


def test_apply_the_themes_to_the_follow_up_wave(server, browser):
    from textmine.waves import project_comparison

    url, projects = server
    baseline = projects / "baseline_survey_kerneopgave.sqlite"
    assert baseline.is_file() and (projects / "baseline_survey_kerneopgave.model" / "answers.json").is_file()
    Project(baseline).apply("rename", theme_id=0, name="Første tema")
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.goto(url)
    page.wait_for_selector("#project")
    choose(page, "#project", str(baseline))
    page.locator("#status").get_by_text("baseline_survey_kerneopgave.sqlite").wait_for(timeout=20_000)
    page.get_by_role("tab", name="Ny bølge").click()
    page.click("#apply-wave")                                     # no file chosen: the bundled follow-up
    page.locator("#wave-status").get_by_text("Opfølgning:").wait_for(timeout=240_000)
    follow = projects / "followup_survey_kerneopgave.sqlite"
    comparison = project_comparison(Project(follow))
    assert comparison["theme"].iloc[0] == "Første tema" and comparison["new"].any()
    assert comparison["n_followup"].iloc[0] == len(Project(follow).answers())
    table = page.locator("#wave-table")
    assert "Første tema" in table.inner_text() and "Ny 1" in table.inner_text()
    page.locator("#wave-plot .js-plotly-plot").wait_for(timeout=30_000)      # the chart is drawn
    assert page.locator("#project input").input_value().endswith("followup_survey_kerneopgave.sqlite")
