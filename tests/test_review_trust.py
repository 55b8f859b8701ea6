"""The confidence *Gennemse* shows is calibrated per project on what the analyst has already decided (review.trust,
issue 27): the suggestions the tab showed, with the probability behind them, and once the answer is reviewed
whether it took the suggestion."""

import json

import numpy as np
import pandas as pd

from textmine.app.commands import review_table
from textmine.app.review_page import Row, log_shown, rows_of
from textmine.project.themes import snapshot
from textmine.review.model import Placement, placement
from textmine.review.queue import queue
from textmine.review.trust import (
    CURRENT_B,
    CURRENT_KEY,
    KEEP,
    SHOWN_KEY,
    TRUST_B,
    fitted_shift,
    logged,
    outcomes,
    read_log,
    trusted,
)

from .test_review import make


def test_without_outcomes_the_pooled_map_is_used():
    assert fitted_shift([], []) == TRUST_B
    assert trusted(0.9) == trusted(0.9, TRUST_B)


def test_an_overconfident_model_is_trusted_less_and_an_underconfident_one_more():
    q = np.random.default_rng(0).uniform(0.8, 0.99, 60)
    over = fitted_shift(q, np.arange(60) % 10 < 3)            # shown at ~90 %, right 3 in every 10
    under = fitted_shift(q, np.arange(60) % 10 < 10)
    assert over < TRUST_B - 1 and under > TRUST_B + 0.5
    shown = trusted(q, over)
    assert abs(shown.mean() - 0.3) < 0.1 < abs(trusted(q).mean() - 0.3)      # near what it earns; the pooled map is not


def test_the_prior_holds_the_map_near_the_pooled_one_on_few_outcomes():
    few, many = fitted_shift([0.9], [0]), fitted_shift([0.9] * 40, [0] * 40)
    assert many < few < TRUST_B and TRUST_B - few < 1.5


def test_the_newest_outcomes_weigh_most():
    q = [0.8] * 60
    wrong_lately = fitted_shift(q, [1] * 30 + [0] * 30)
    right_lately = fitted_shift(q, [0] * 30 + [1] * 30)
    assert wrong_lately < TRUST_B < right_lately


def test_the_outcome_is_what_the_answer_ended_with(tmp_path):
    p = make(tmp_path / "p.sqlite")
    first = p.state().primary[0]
    other = (first + 1) % 3
    p.apply("move", answers=[1], theme_id=other)                # took a suggestion of `other`
    p.apply("confirm", answers=[2])                            # kept its theme, suggestion of `other` wrong
    p.apply("set_second", answer=3, theme_id=other)            # the suggestion as its second theme
    p.apply("confirm", answers=[3])
    rows = [(1, other, 0.6), (2, other, 0.7), (3, other, 0.4), (4, other, 0.9)]     # 4: shown, not reviewed
    q, right = outcomes(rows, p.state())
    assert q.tolist() == [0.6, 0.7, 0.4] and right.tolist() == [1.0, 0.0, 1.0]
    p.undo()
    p.undo()
    assert outcomes(rows, p.state())[0].tolist() == [0.6, 0.7]     # an undone review is no outcome


def test_the_log_keeps_one_row_per_answer_and_the_newest_few():
    text = logged("", 5, 1, 0.123456789)
    assert read_log(logged(text, 5, 2, 0.5)) == [(5, 2, 0.5)]
    text = ""
    for a in range(KEEP + 3):
        text = logged(text, a, 1, 0.5)
    assert len(read_log(text)) == KEEP and read_log(text)[0][0] == 3
    assert read_log("not json") == [] and read_log(json.dumps([[1, 2]])) == []


def test_a_project_whose_suggestions_were_wrong_shows_lower_confidence_in_the_tab_and_the_cli(tmp_path):
    p = make(tmp_path / "p.sqlite")
    state = p.state()
    answers = sorted(state.primary)[:24]
    for a in answers:                                          # the tab showed a sure suggestion the analyst refused
        log_shown(p, Row(a, state.primary[a], (state.primary[a] + 1) % 3, "move", 0.9, 0.05, shown=0.95))
    assert len(read_log(p.meta(SHOWN_KEY))) == 24
    before = placement(snapshot(p))
    p.apply("confirm", answers=answers)
    snap = snapshot(p)
    model = placement(snap)
    assert before.trust_shift == TRUST_B and model.trust_shift < TRUST_B - 1
    table = pd.DataFrame({"answer_id": [30], "theme_id": [state.primary[30]], "suggested_theme_id":
                          [(state.primary[30] + 1) % 3], "kind": ["move"], "confidence": [0.0]})
    pooled = Placement(model.version, model.classes, model.proba, model.contentless, model.temperature)
    row, = rows_of(snap, model, table)
    assert row.confidence < rows_of(snap, pooled, table)[0].confidence
    cli = review_table(str(tmp_path / "p.sqlite"), False, None).set_index("respondent_id")["confidence"]
    tab = {r.answer: r.confidence for r in rows_of(snap, model, queue(snap, model))}
    ids = snap.data.base.table["respondent_id"]
    assert all(abs(cli[ids[a]] - round(c, 4)) < 1e-9 for a, c in tab.items())



def test_a_project_whose_shown_themes_were_wrong_shows_lower_confidence_in_the_current_theme(tmp_path):
    p = make(tmp_path / "p.sqlite", copies=8)
    state = p.state()
    answers = [a for a in sorted(state.primary) if state.primary[a] == 0][:24]
    for a in answers:                                          # the tab showed each answer in theme 0 at ~60 %
        log_shown(p, Row(a, 0, None, "check", 0.0, 0.6, shown_current=0.6))
    assert len(read_log(p.meta(CURRENT_KEY))) == len(answers) >= 20 and read_log(p.meta(SHOWN_KEY)) == []
    before = placement(snapshot(p))
    p.apply("move", answers=answers, theme_id=1)               # ... and the analyst moved every one of them away
    snap = snapshot(p)
    model = placement(snap)
    assert before.current_shift == CURRENT_B and model.current_shift < CURRENT_B - 1
    assert model.trust_shift == TRUST_B                        # the suggestions' map learns only from suggestions
    table = pd.DataFrame({"answer_id": [a for a in sorted(state.primary) if a not in answers][:5]})
    table = table.assign(theme_id=[snap.state.primary[a] for a in table["answer_id"]], suggested_theme_id=None,
                         kind="check", confidence=0.0)
    pooled = Placement(model.version, model.classes, model.proba, model.contentless, model.temperature)
    learnt, first = rows_of(snap, model, table), rows_of(snap, pooled, table)
    assert all(r.p_current < f.p_current for r, f in zip(learnt, first))
