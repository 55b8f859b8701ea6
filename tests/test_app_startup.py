"""The app's start-up (issue 26, item 5): what the process does before its page answers."""

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pandas as pd

from textmine.app.desk import Desk, SurveyTables
from textmine.config import load_config

from .conftest import ROOT

IMPORT_THE_APP = """
import json, os, sys
opened = []
sys.addaudithook(lambda event, args: event == "open" and str(args[0]).endswith(".pyi") and opened.append(args[0]))
import textmine.ui.app
import gradio as gr
print(json.dumps({"stubs": [p for p in opened if "gradio" in p], "analytics": gr.Blocks().analytics_enabled,
                  "env": os.environ.get("GRADIO_ANALYTICS_ENABLED")}))
"""


def test_importing_the_app_rewrites_no_gradio_type_stubs_and_sends_no_analytics():
    """Gradio reads (and may rewrite) a .pyi stub for each component class as it imports: about half of its
    import. The app's import skips that, and turns Gradio's usage statistics off unless asked for."""
    done = subprocess.run([sys.executable, "-c", IMPORT_THE_APP], cwd=ROOT, capture_output=True, text=True,
                          check=True, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    found = json.loads(done.stdout.splitlines()[-1])
    assert found == {"stubs": [], "analytics": False, "env": "False"}


def test_an_analyst_s_own_analytics_setting_is_kept():
    done = subprocess.run([sys.executable, "-c", IMPORT_THE_APP], cwd=ROOT, capture_output=True, text=True,
                          check=True, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                                           "GRADIO_ANALYTICS_ENABLED": "True"})
    assert json.loads(done.stdout.splitlines()[-1])["env"] == "True"


def test_launch_builds_the_web_server_once_after_the_page_and_serves_the_page(tmp_path, monkeypatch):
    """Each Blocks.queue() rebuilds Gradio's whole server app (its routes, the page's config): launch only
    needs its own build. The page still answers, with the queue that gr.Blocks() made."""
    from gradio import routes

    from textmine.ui import app as ui_app

    built, served = [], {}
    create_app, build_app = routes.App.create_app, ui_app.build_app

    def counting_create_app(*args, **kwargs):
        built.append(1)
        return create_app(*args, **kwargs)

    def build_then_count(*args, **kwargs):
        page = build_app(*args, **kwargs)
        built.clear()                                  # count from here: what launch adds after the page is built
        return page

    def answer_then_close(page):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
            served.update(status=response.status, page=response.read().decode())
        page.close()

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    monkeypatch.setattr(routes.App, "create_app", staticmethod(counting_create_app))
    monkeypatch.setattr(ui_app, "build_app", build_then_count)
    monkeypatch.setattr(ui_app, "warm_up", lambda desk, ready: ready.set())
    monkeypatch.setattr(ui_app.gr.Blocks, "block_thread", answer_then_close)
    ui_app.launch(load_config().path, port=port, projects_dir=str(tmp_path))
    assert len(built) == 1
    assert served["status"] == 200 and "Nyt projekt" in served["page"]


def test_the_survey_the_warm_up_reads_is_the_one_the_first_page_shows(monkeypatch):
    """The warm-up read the default survey under sheet None, the page under the description's sheet name: the
    first page read the file a second time (2-3 s for the demo survey)."""
    from textmine.ui import app as ui_app

    config, reads = load_config(), []
    desk = Desk(config, read_survey=lambda path, sheet: reads.append(sheet) or pd.DataFrame({"x": [1]}))
    monkeypatch.setattr(ui_app, "danish_pipeline", lambda: None)
    monkeypatch.setattr(ui_app, "prepare_app_process", lambda: None)
    ui_app.warm_up(desk, threading.Event())
    desk.survey(None)                                         # what the first page's load reads
    assert reads == [config.sheet]


def test_a_survey_asked_for_while_it_is_being_read_is_read_once(tmp_path):
    reads = []

    def slow_read(path, sheet):
        reads.append(path)
        time.sleep(0.3)
        return pd.DataFrame({"x": [len(reads)]})

    survey = tmp_path / "s.csv"
    survey.write_text("x\n1\n")
    tables, got = SurveyTables(slow_read), []
    readers = [threading.Thread(target=lambda: got.append(tables.get(survey))) for _ in range(2)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert len(reads) == 1 and got[0] is got[1]


def test_the_exports_can_be_downloaded_wherever_the_projects_are_and_nothing_else_of_them(tmp_path, monkeypatch):
    """Gradio hands out only files in the working folder, the temp folder or launch's allowed_paths: with the
    projects elsewhere (an installed app keeps them in the user's data folder), every export failed with
    "Fejl" under *Hent* while the page said the files were made."""
    import tempfile

    import pytest
    from gradio import processing_utils
    from gradio.context import LocalContext
    from gradio.exceptions import InvalidPathError

    from textmine.app.projects import exports_dir
    from textmine.ui import app as ui_app

    projects, elsewhere = tmp_path / "Dokumenter" / "projekter", tmp_path / "andet"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(elsewhere))      # neither holds the projects
    checked = {}

    def check_then_close(page):
        export = exports_dir(projects, "p.sqlite") / "p_temaer.xlsx"
        export.parent.mkdir(parents=True)
        export.write_bytes(b"x")
        (projects / "p.sqlite").write_bytes(b"x")
        token = LocalContext.blocks.set(page)
        try:
            processing_utils._check_allowed(export, False)              # raises when Gradio would refuse it
            with pytest.raises(InvalidPathError):
                processing_utils._check_allowed(projects / "p.sqlite", False)      # the project files stay private
            checked["ok"] = True
        finally:
            LocalContext.blocks.reset(token)
            page.close()

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    monkeypatch.setattr(ui_app, "warm_up", lambda desk, ready: ready.set())
    monkeypatch.setattr(ui_app.gr.Blocks, "block_thread", check_then_close)
    ui_app.launch(load_config().path, port=port, projects_dir=str(projects))
    assert checked == {"ok": True}
