"""The confidence the *Gennemse* tab shows beside a suggestion means what it says (issue 27), and the tab never
offers a move to a theme the model believes less than the answer's current one."""

import numpy as np
import pandas as pd
import pytest

from benchmarks.review_eval import ece
from textmine.app.review_page import Row, move_steps, offers_move, row_text, rows_of
from textmine.errors import TextmineError
from textmine.project.themes import snapshot
from textmine.review.model import Placement
from textmine.review.trust import trusted

from .test_review import make

# What the simulated reading found (review_eval on the five labelled sets, weighted alike; 10 equal-width bins):
# the share of the queue's suggestions that were right, by the calibrated softmax of the suggested theme (the
# bin's mean). The softmax is overconfident: 75 % right at 95 %, 36 % at 55 %.
RELIABILITY = ([0.08, 0.16, 0.25, 0.35, 0.45, 0.55, 0.65, 0.76, 0.85, 0.95],
               [0.15, 0.19, 0.16, 0.35, 0.37, 0.36, 0.47, 0.64, 0.53, 0.75])


def _placement(p_suggested: np.ndarray) -> Placement:
    """Answers in theme 0 whose model prefers theme 1 with probability `p_suggested` (temperature 1)."""
    rest = 1.0 - p_suggested
    proba = np.c_[0.8 * rest, p_suggested, 0.2 * rest]
    return Placement(version=1, classes=np.array([0, 1, 2]), proba=proba)


def _table(n: int, kind: str = "move") -> pd.DataFrame:
    return pd.DataFrame({"answer_id": range(n), "theme_id": 0, "suggested_theme_id": 1, "kind": kind, "confidence": 0.0})


def test_the_shown_confidence_is_calibrated_where_the_softmax_is_overconfident():
    rng = np.random.default_rng(1)
    raw = rng.uniform(0.02, 0.999, 4000)
    right = rng.random(len(raw)) < np.interp(raw, *RELIABILITY)
    shown = np.array([row.confidence for row in rows_of(None, _placement(raw), _table(len(raw)))])
    assert ece(raw, right) > 0.1                        # the softmax as the tab showed it before
    assert ece(shown, right) <= 0.05
    assert np.all(np.diff(shown[np.argsort(raw)]) >= 0)          # a likelier theme never shows a lower number


# The same for the current theme (session 13): the share of the shown rows whose current theme was right, by its
# calibrated softmax. Through the suggestions' map it read 24-33 % where 37-62 % were right.
CURRENT = ([0.005, 0.02, 0.045, 0.079, 0.124, 0.174, 0.248, 0.349, 0.45, 0.548, 0.699, 0.83],
           [0.14, 0.21, 0.23, 0.24, 0.30, 0.35, 0.45, 0.53, 0.59, 0.69, 0.86, 0.90])


def test_the_current_themes_confidence_is_calibrated_by_its_own_map():
    rng = np.random.default_rng(2)
    edges, counts = np.array([0, .01, .03, .06, .1, .15, .2, .3, .4, .5, .6, .8, 1]), np.array(
        [619, 1093, 1619, 1566, 1563, 1063, 1775, 1516, 1222, 1075, 1557, 370])     # how the reading's q spread
    at = rng.choice(len(counts), 4000, p=counts / counts.sum())
    raw = rng.uniform(edges[at], edges[at + 1])
    right = rng.random(len(raw)) < np.interp(raw, *CURRENT)
    proba = np.c_[raw, 0.7 * (1 - raw), 0.3 * (1 - raw)]
    model = Placement(version=1, classes=np.array([0, 1, 2]), proba=proba)
    shown = np.array([row.p_current for row in rows_of(None, model, _table(len(raw)))])
    assert ece(trusted(raw), right) > 0.1                  # the suggestions' map, as the tab showed it before
    assert ece(shown, right) <= 0.05
    assert np.all(np.diff(shown[np.argsort(raw)]) >= 0)


def test_no_move_is_offered_to_a_theme_below_the_current_one_and_no_zero_percent(tmp_path):
    snap = snapshot(make(tmp_path / "p.sqlite"))
    proba = np.array([[0.90, 1e-7, 0.1 - 1e-7], [0.2, 0.7, 0.1]])
    model = Placement(version=1, classes=np.array([0, 1, 2]), proba=proba)
    table = pd.DataFrame({"answer_id": [0, 1], "theme_id": [0, 0], "suggested_theme_id": [1, 1],
                          "kind": ["check", "move"], "confidence": [1e-7, 0.7]})
    doubtful, move = rows_of(snap, model, table)
    assert doubtful.confidence < doubtful.p_current and not offers_move(doubtful)
    with pytest.raises(TextmineError, match="intet forslag"):
        move_steps(doubtful)
    text = row_text(snap, doubtful, 1)
    assert "forslag:" not in text and "(0 %)" not in text and "næstbedste tema: Klynge 2 (under 1 %)" in text
    assert offers_move(move) and "forslag: **Klynge 2**" in row_text(snap, move, 2)
    assert "(over 99 %)" in row_text(snap, Row(1, 0, 1, "move", 0.9991, 0.0004), 3)     # never a certain 100 %
    assert offers_move(Row(4, 0, 2, "second", 0.4, 0.6))           # a second theme is no move
    assert not offers_move(Row(4, 0, 2, "not_an_answer", 0.3, 0.6))
