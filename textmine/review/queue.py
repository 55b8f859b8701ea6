"""The review queue ("Gennemse"): the unreviewed answers, the one the placement model (review.model) believes
least in its theme first, each with the model's suggestion and its kind (move, second theme, not an answer,
place, check)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..project.curation import NOT_AN_ANSWER
from .model import Placement, ReviewSettings

QUEUE_COLUMNS = ["answer_id", "respondent_id", "theme_id", "suggested_theme_id", "confidence", "kind", "p_current"]
KINDS = {"place": "Placér", "move": "Flyt", "check": "Tjek", "second": "Andet tema", "not_an_answer": "Ikke et svar",
         "sample": "Stikprøve"}


def queue(snap, model: Placement, top: int | None = None, settings: ReviewSettings = ReviewSettings()) -> pd.DataFrame:
    """The unreviewed answers, the one most likely misplaced first: answer_id, respondent_id, theme_id
    (None: unplaced), suggested_theme_id, confidence (the model's probability for the suggestion), kind and
    p_current (the model's probability for the current theme; the queue's order, lowest first).

    kind: "place" (unplaced), "not_an_answer" (suggested for the "Ikke et svar" bin), "move" (the model
    prefers the suggested theme), "second" (the current theme fits, and the suggestion also makes the
    answer's point: a second theme), "check" (the current theme is the model's best guess, but uncertain).
    Answers in final (locked) themes are left out, and only open themes are suggested. `model` may be of an
    older version than `snap` (retrained in the background): the current state decides what is shown."""
    state = snap.state
    final = {t for t, th in state.themes.items() if th.final}
    usable = usable_classes(state, model)
    rows = []
    for a, current in state.primary.items():
        if a in state.reviewed or current in final:
            continue
        rows.append(suggestion(a, current, model, usable, state.second.get(a), settings))
    table = pd.DataFrame(rows, columns=QUEUE_COLUMNS[:1] + QUEUE_COLUMNS[2:])
    table = table.sort_values(["p_current", "answer_id"], kind="stable").reset_index(drop=True)
    table = with_respondents(snap, table)
    return table.head(top) if top is not None else table


def usable_classes(state, model: Placement) -> np.ndarray:
    """Which of the model's classes may be suggested: the open themes that still exist and the "Ikke et svar" bin."""
    final = {t for t, th in state.themes.items() if th.final}
    return np.array([(c in state.themes and c not in final) or c == NOT_AN_ANSWER for c in model.classes], bool)


def with_respondents(snap, table: pd.DataFrame) -> pd.DataFrame:
    """`table` (queue rows without respondent_id) with each answer's respondent id as its second column."""
    table.insert(1, "respondent_id", snap.data.base.table["respondent_id"].to_numpy()[table["answer_id"].to_numpy(int)]
                 if len(table) else [])
    return table


def suggestion(a: int, current, model: Placement, usable: np.ndarray, second, settings: ReviewSettings) -> dict:
    """One row of the queue (`QUEUE_COLUMNS` but respondent_id) for answer `a` in theme `current`: the model's
    best other theme among the `usable` classes and the kind of suggestion; `second`: the answer's second theme."""
    p = np.where(usable, model.proba[a], -1.0)
    here = np.flatnonzero(model.classes == current) if current is not None else []
    p_current = float(model.proba[a, here[0]]) if len(here) else 0.0
    other = p.copy()
    if len(here):
        other[here[0]] = -1.0
    best = int(np.argmax(other)) if len(other) else None
    suggested = int(model.classes[best]) if best is not None and other[best] >= 0 else None
    confidence = float(other[best]) if suggested is not None else 0.0
    if current is None:
        kind = "place"
    elif model.contentless is not None and model.contentless[a] and current != NOT_AN_ANSWER:
        kind, suggested, confidence = "not_an_answer", NOT_AN_ANSWER, max(confidence, 1.0 - p_current)
        p_current = min(p_current, 0.5)
    elif suggested == NOT_AN_ANSWER and confidence > p_current:
        kind = "not_an_answer"
    elif confidence > p_current:
        kind = "move"
    elif confidence >= settings.second_share and current != NOT_AN_ANSWER and second is None and suggested != NOT_AN_ANSWER:
        kind = "second"
    else:
        kind = "check"
    return {"answer_id": a, "theme_id": current, "suggested_theme_id": suggested, "confidence": confidence,
            "kind": kind, "p_current": p_current}
