"""The choices the *Temaer* page offers (the theme list, where to move answers, what to merge with) and what a
picked value means (a theme id, the answers, an action's parameters). Nothing here imports gradio.
"""

from __future__ import annotations

import re

import pandas as pd

from ..errors import TextmineError
from ..fmt import name_label, number, percent
from ..project.curation import (  # UNPLACED: listed like a theme
    NOT_AN_ANSWER,
    NOT_AN_ANSWER_NAME,
    UNPLACED,
    UNPLACED_NAME,
)
from ..project.themes import Snapshot


def count_line(size: int, second: int) -> str:
    """'17 svar + 1 som andet tema'."""
    return f"{number(size)} svar" + (f" + {number(second)} som andet tema" if second else "")


SUGGESTED = " · navneforslag"           # after a name that is still textmine's suggestion (curation.Theme.suggested)


def theme_choices(snap: Snapshot, themes: pd.DataFrame) -> list[tuple[str, str]]:
    """The theme list: 'Name · 17 svar + 1 som andet tema · 10,3 %' (✔ for final, SUGGESTED after a name not yet
    accepted), then the two bins."""
    rows = [(f"{'✔ ' if f else ''}{name_label(n)} · {count_line(s, c)} · {percent(p)}{SUGGESTED if g else ''}", str(t))
            for t, n, s, c, p, f, g in zip(themes["theme_id"], themes["name"], themes["size"], themes["second"],
                                           themes["share"], themes["final"], themes["suggested"])]
    loose, bin_ = len(snap.state.unplaced()), len(snap.state.not_answers())
    return rows + [(f"{UNPLACED_NAME} · {number(loose)} svar", str(UNPLACED)),
                   (f"{NOT_AN_ANSWER_NAME} · {number(bin_)} svar", str(NOT_AN_ANSWER))]


DANISH_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}"})       # after z, in the Danish alphabet's order


def name_key(name: str) -> tuple:
    """A theme name as it sorts in Danish: case left out, æ, ø and å after z, numbers by value ("Klynge 2" before
    "Klynge 10")."""
    parts = re.split(r"(\d+)", str(name).casefold().translate(DANISH_ORDER))
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


def _by_name(themes: pd.DataFrame, leave_out: int | None = None) -> list[tuple[str, str]]:
    """'Name (nr. 8)' of every theme but `leave_out`, in the order of their names (the number is stable while
    answers move: the theme's id + 1)."""
    rows = sorted(zip(themes["name"], themes["theme_id"]), key=lambda r: (name_key(r[0]), r[1]))
    return [(f"{name_label(n)} (nr. {t + 1})", str(t)) for n, t in rows if t != leave_out]


def target_choices(themes: pd.DataFrame) -> list[tuple[str, str]]:
    """Where answers can be moved: every theme by name, the bin, or unplaced."""
    return _by_name(themes) + [(NOT_AN_ANSWER_NAME, str(NOT_AN_ANSWER)), (UNPLACED_NAME, str(UNPLACED))]


def merge_choices(themes: pd.DataFrame, selected: int | None) -> list[tuple[str, str]]:
    """The themes the selected one can be merged with: every other theme, by name."""
    return _by_name(themes, selected)


def second_theme_steps(answers, value) -> list[tuple[str, dict]]:
    """The picked answers' second theme as one undoable step of set_second actions (refused when none is picked)."""
    theme = target_id(value)
    steps = [("set_second", {"answer": a, "theme_id": theme}) for a in answer_ids(answers)]
    if not steps:
        raise TextmineError("Vælg mindst ét svar.")
    return steps


def new_theme_params(answers, name) -> dict:
    """The create action of *Nyt tema med valgte*: the typed name and the picked answers (refused without either)."""
    if not (name or "").strip():
        raise TextmineError("Skriv det nye temas navn i feltet ved siden af knappen.")
    if not answers:
        raise TextmineError("Vælg de svar, der skal i det nye tema.")
    return {"name": name.strip(), "answers": answer_ids(answers)}


def target_id(value) -> int | None:
    """A move target's value as a theme id (None: unplace)."""
    if value in (None, ""):
        raise TextmineError("Vælg, hvor svarene skal flyttes hen.")
    value = int(value)
    return None if value == UNPLACED else value


def merge_ids(selected: int | None, others) -> list[int]:
    """The selected theme first (it keeps its id, so the result stays selected), then the others chosen."""
    if selected is None or selected < 0:
        raise TextmineError("Vælg det tema i listen, som de andre skal slås sammen med.")
    return list(dict.fromkeys([selected, *answer_ids(others)]))


def answer_ids(values) -> list[int]:
    return [int(v) for v in (values or [])]
