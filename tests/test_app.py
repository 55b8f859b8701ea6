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


def test_selecting_a_cluster_shows_who_says_it_and_likert_context(fake_embedder, monkeypatch):
    import numpy as np

    from textmine import pipeline
    from textmine.config import DiscoverySettings
    from textmine.ui.app import cluster_context

    config = load_config()
    table = read_survey(config.survey_file, config.sheet)
    monkeypatch.setattr(pipeline, "get_embedder", lambda model: fake_embedder)
    found = pipeline.discover_question(table, "kerneopgave", config, DiscoverySettings(n_clusters=6))
    text, who, tests, plot, likert = cluster_context(found, 0, table, config)
    size = int(found.discovery.table.iloc[0]["size"])
    assert f"{size} svar" in text
    assert who["Gruppe"].tolist() == ["Medarbejdere", "Ledere", "Tæt på arbejdsmarkedet", "Langt fra arbejdsmarkedet"]
    counts = who["Med temaet"].str.extract(r"(\d+) af (\d+)").astype(int)
    assert counts[0].iloc[:2].sum() == size                  # every respondent is leader or employee
    assert "Medarbejdere vs Ledere" in tests
    assert np.isclose(plot["Andel (%)"].iloc[0], 100 * counts[0].iloc[0] / counts[1].iloc[0], atol=0.05)
    assert len(likert) == 6 and "Forskel (point)" in likert.columns

    _, by_municipality, tests, _, _ = cluster_context(found, 0, table, config, "kommune")
    assert len(by_municipality) == table["kommune"].nunique() == 11
    assert by_municipality["Med temaet"].str.extract(r"(\d+) af")[0].astype(int).sum() == size
    assert tests.count("p = ") == 1                          # one test across all municipalities


def test_item_share_table_has_the_report_layout():
    from textmine.shares import item_shares

    config = load_config()
    table = views.item_share_table(item_shares(read_survey(config.survey_file, config.sheet), config))
    assert list(table.columns[:2]) == ["Vidensfelt", "Spørgsmål"] and len(table) == 33
    assert table.set_index("Spørgsmål").loc["au_viden_arbejdsmarked", "Ledere"] == 61
