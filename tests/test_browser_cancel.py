"""A long discovery in a real browser, with the bundled model: *Find temaer* on 48,000 answers asks first
("Det tager ca. … Fortsæt?"), runs with a *Stop søgningen* button that stops it and saves nothing, another
user's page answers meanwhile, and closing the tab that started a run stops it too."""

import os
import time

import pytest
from playwright.sync_api import expect

from .test_browser import CHROMIUM, browser, running_app  # noqa: F401 (the browser fixture)
from .test_cancel import big_survey

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
                                 reason="Debian's chromium is not installed (make test installs it)")]
ASKED = "asked to stop"                      # the app's log line when a run is told to stop


def app_on(config, projects, log):
    """The app on the survey described by `config`, its log in `log`; a closed tab is noticed within about a
    second (gradio's heartbeat, 15 s by default)."""
    return running_app(projects, extra=["--config", str(config)], env={"GRADIO_HEARTBEAT_INTERVAL": "1"}, log=log)


def open_new_tab(browser, url):  # noqa: F811 (the fixture)
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(url)
    page.get_by_role("tab", name="Nyt projekt").click()
    page.get_by_role("button", name="Find temaer (nyt projekt)").wait_for(timeout=120_000)    # ready
    return page


def start_long_run(page):
    page.click("#run-discovery")
    page.locator("#long-run").get_by_text("Fortsæt?").wait_for(timeout=60_000)
    assert page.locator("#stop-discovery").is_hidden()                      # asked first: nothing runs
    page.click("#long-run-go")
    page.locator("#stop-discovery").get_by_text("Stop søgningen").wait_for(timeout=10_000)
    page.get_by_text("Indlejrer svarene").first.wait_for(timeout=60_000)


def test_a_long_discovery_is_asked_about_stopped_and_saves_nothing(browser, tmp_path):  # noqa: F811
    config, projects, log = big_survey(tmp_path / "survey", 48_000), tmp_path / "projects", tmp_path / "app.log"
    projects.mkdir()
    with app_on(config, projects, log) as url:
        page = open_new_tab(browser, url)
        page.click("#run-discovery")
        asked = page.locator("#long-run-text").get_by_text("Det tager ca. 14 minutter at finde temaer i 48.000 svar")
        asked.wait_for(timeout=60_000)
        page.click("#long-run-no")
        page.locator("#run-status").get_by_text("Søgningen er ikke startet.").wait_for(timeout=10_000)
        assert page.locator("#long-run").is_hidden() and page.locator("#stop-discovery").is_hidden()

        start_long_run(page)
        other = open_new_tab(browser, url)            # another user, while the discovery embeds
        started = time.monotonic()
        other.click("#run-discovery")
        other.locator("#long-run").get_by_text("Fortsæt?").wait_for(timeout=30_000)
        answered = time.monotonic() - started
        other.close()
        page.click("#stop-discovery")
        page.locator("#run-status").get_by_text("Søgningen blev stoppet, og intet er gemt.").wait_for(timeout=60_000)
        page.locator("#stop-discovery").wait_for(state="hidden", timeout=10_000)
        expect(page.locator("#run-discovery")).to_be_enabled(timeout=30_000)    # after the run's end event
        assert list(projects.iterdir()) == []                     # no project file, no model folder
        assert answered < 30

        start_long_run(page)                          # again, and the tab is closed: the run stops
        asked_before = log.read_text().count(ASKED)
        page.close()
        for _ in range(60):
            if log.read_text().count(ASKED) > asked_before:
                break
            time.sleep(0.5)
        assert log.read_text().count(ASKED) == asked_before + 1
        time.sleep(5)                                 # past the batch under way
        assert list(projects.iterdir()) == []


def test_a_reloaded_page_follows_the_discovery_under_way_to_its_end(browser, tmp_path):  # noqa: F811
    """Issue 25, item 6: the bar above the tabs says what runs and how far; after a reload the new page shows
    the same run, its figure moving, with its Stop button, and opens the project the run made."""
    config, projects, log = big_survey(tmp_path / "survey", 2_500), tmp_path / "projects", tmp_path / "app.log"
    projects.mkdir()
    with app_on(config, projects, log) as url:
        page = open_new_tab(browser, url)
        page.click("#run-discovery")                               # 2,500 answers: not asked first
        page.locator("#run-progress").get_by_text("Indlejrer svarene").wait_for(timeout=60_000)
        page.reload()                                              # a new browser session
        step = page.locator("#run-progress .tm-run-step")
        step.wait_for(timeout=60_000)
        assert "Finder temaer i Stor prøve: »svar: Hvad skal kommunen gøre bedre?« (2.500 svar)" in \
            page.locator("#run-progress").inner_text()
        assert page.locator("#stop-discovery").is_visible()
        first, moved = step.inner_text(), False
        for _ in range(20):
            time.sleep(0.5)
            moved = moved or step.inner_text() != first
        assert moved and "." not in step.inner_text().replace("ca.", "")    # no "0.0%": Danish figures
        page.locator("#run-progress").get_by_text("Projektet stor svar er lavet.").wait_for(timeout=400_000)
        page.locator("#feedback").get_by_text("Projektet stor svar er lavet.").wait_for(timeout=30_000)
        assert page.locator("#stop-discovery").is_hidden()
        assert ASKED not in log.read_text()                        # the old page's unload did not stop it
        assert [p.name for p in projects.glob("*.sqlite")] == ["stor_svar.sqlite"]
