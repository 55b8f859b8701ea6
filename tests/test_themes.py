"""What the analyst sees of a project: keywords recomputed after curation, typical answers,
suggestions for unplaced answers, split plans."""

import numpy as np
import pandas as pd
import pytest

from textmine.project.store import Project
from textmine.project.themes import map_points, respondents, snapshot, split_plan, theme_answers, theme_table, unplaced

TEXTS = ["Rekruttering til virksomhederne", "Virksomhederne mangler arbejdskraft", "Rekruttering af arbejdskraft",
         "Tillid og dialog med borgeren", "Dialog og tillid", "Digitale værktøjer og kunstig intelligens"]


def project(tmp_path):
    vectors = np.array([[1, 0, 0], [0.9, 0.1, 0], [1, 0.1, 0], [0, 1, 0], [0.1, 1, 0], [0.5, 0.5, 0.1]], dtype=np.float32)
    answers = pd.DataFrame({"respondent_id": [f"R{i}" for i in range(6)], "answer": TEXTS, "cluster": [0, 0, 0, 1, 1, -1]})
    clusters = pd.DataFrame({"cluster": [0, 1], "keywords": ["", ""], "examples": [[], []]})
    return Project.create(tmp_path / "p.sqlite", "q", answers, vectors=vectors,
                          coords=np.arange(12, dtype=float).reshape(6, 2))


def test_keywords_follow_the_curation(tmp_path):
    p = project(tmp_path)
    table = theme_table(snapshot(p)).set_index("theme_id")
    assert "rekruttering" in table.loc[0, "keywords"] and "tillid" in table.loc[1, "keywords"]
    assert table["size"].tolist() == [3, 2] and table.loc[0, "share"] == 50.0
    p.apply("move", answers=[5], theme_id=1)
    assert "digital" in theme_table(snapshot(p)).set_index("theme_id").loc[1, "keywords"]


def test_typical_answers_first_and_search(tmp_path):
    snap = snapshot(project(tmp_path))
    top, answers = theme_answers(snap, 0)
    assert top[0] == TEXTS[2]                      # nearest the centre of (1,0,0), (.9,.1,0), (1,.1,0)
    assert answers["text"].iloc[0] == top[0] and len(answers) == 3
    assert theme_answers(snap, 0, "mangler")[1]["answer_id"].tolist() == [1]


def test_unplaced_answers_get_the_closest_themes(tmp_path):
    loose = unplaced(snapshot(project(tmp_path)))
    assert loose["answer_id"].tolist() == [5]
    assert "Klynge" in loose["suggestions"].iloc[0] and loose["best"].iloc[0] in (0, 1)


def test_split_plan_and_respondents_and_map(tmp_path):
    p = project(tmp_path)
    snap = snapshot(p)
    plan = split_plan(snap, 0, 2)
    assert set(plan) == {0, 1, 2} and set(plan.values()) == {0, 1}
    p.apply("split", theme_id=0, labels=plan)
    assert len(snapshot(p).state.themes) == 3
    p.apply("set_second", answer=3, theme_id=0)
    with_theme, answered = respondents(snapshot(p), 0)
    assert "R3" in with_theme and len(answered) == 6
    points = map_points(snapshot(p))
    assert points["Tema"].iloc[5] == "Ikke placeret" and points[["x", "y"]].iloc[1].tolist() == [2.0, 3.0]


def test_a_theme_s_name_for_an_id_is_said_one_way_everywhere():
    from types import SimpleNamespace

    from textmine.project.curation import NOT_AN_ANSWER, UNPLACED, State, Theme
    from textmine.project.history import _name
    from textmine.project.themes import theme_name

    snap = SimpleNamespace(state=State.build({0: Theme(0, "Ventetid")}, {1: 0}))
    assert [theme_name(snap, t) for t in (0, None, UNPLACED, NOT_AN_ANSWER)] == \
        ["Ventetid", "Ikke placeret", "Ikke placeret", "Ikke et svar"]
    assert theme_name(snap, 4, gone=True) == "tema nr. 5 (findes ikke mere)"
    with pytest.raises(KeyError):
        theme_name(snap, 4)
    assert [_name({0: "Ventetid"}, t) for t in (0, None, NOT_AN_ANSWER, 4)] == \
        ["»Ventetid«", "»Ikke placeret«", "»Ikke et svar«", "tema nr. 5"]


def test_the_base_counts_every_answer_but_those_that_say_nothing():
    from textmine.project.curation import NOT_AN_ANSWER
    from textmine.project.data import answer_base, answering
    from textmine.waves.comparing import compare

    answers = pd.DataFrame({"respondent_id": ["a", "b", "c"],
                            "theme_id": pd.array([0, NOT_AN_ANSWER, None], dtype="Int64")})
    assert answering(answers).tolist() == ["a", "c"] and answer_base(answers) == 2      # unplaced ones count
    row = compare({"n": 0, "themes": [{"name": "Ventetid", "count": 0}]}, {"Ventetid": 1}, 2).iloc[0]
    assert np.isnan(row["share_baseline"]) and row["share_followup"] == 50.0             # no base: no share
