"""The app's views as plain functions, and the page built on the demo survey."""

import pandas as pd

from textmine.config import load_config
from textmine.io import read_survey
from textmine.ui import views


class Found:
    def __init__(self):
        self.answers = pd.DataFrame({"is_answer": [True, True, True, False]})
        table = pd.DataFrame({"cluster": [0, 1], "size": [2, 1], "keywords": ["tillid, dialog", "match"],
                              "examples": [["Tillid", "Dialog"], ["Match"]]})
        self.discovery = type("D", (), {"table": table})()


def test_views_speak_danish_and_add_up():
    found = Found()
    assert "3 svar" in views.summary(found) and "1 ikke-svar" in views.summary(found)
    table = views.cluster_table(found)
    assert list(table.columns) == ["Klynge", "Antal svar", "Andel", "Nøgleord"]
    assert table["Andel"].tolist() == ["66.7 %", "33.3 %"]
    assert "> Tillid" in views.cluster_details(found, 0) and views.cluster_details(None, 0) == ""


def test_app_builds_on_the_demo_survey():
    from textmine.ui.app import build_app

    config = load_config()
    app = build_app(config, read_survey(config.survey_file, config.sheet))
    assert app.title.startswith("textmine")
