"""The choices the *Temaer* page offers (the theme list, where to move answers, what to merge with) and what a
picked value means (a theme id, the answers, an action's parameters). Nothing here imports gradio.
"""

from __future__ import annotations

import re

import pandas as pd

from ..errors import TextmineError
from ..fmt import name_label, number, percent, plain
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


SUGGESTED = " · navneforslag"     # after a name still textmine's suggestion (curation.Theme.suggested): the name
                                   # stays the row's first part and the share its last
ORDERS = [("Største først", "size"), ("Navn A-Å", "name"), ("Mindst gennemset", "review")]
KEYWORDS_SHOWN, KEYWORD_WIDTH, KEYWORDS_WIDTH = 4, 16, 34      # a row's keywords: at most 4, each and all cut


def short_keywords(keywords: str) -> str:
    """A theme's first keywords for its row in the list: up to four, fewer (at least one) when they run long; a
    long word cut with "…" (the full keywords are in the theme's line)."""
    words = [w if len(w) <= KEYWORD_WIDTH else w[:KEYWORD_WIDTH - 1] + "…"
             for w in str(keywords or "").split(", ") if w][:KEYWORDS_SHOWN]
    while len(words) > 1 and len(", ".join(words)) > KEYWORDS_WIDTH:
        words.pop()
    return ", ".join(words)


def reviewed_per_theme(state) -> dict[int, int]:
    """How many of each theme's answers (first theme) the analyst has reviewed."""
    done: dict[int, int] = {}
    for a in state.reviewed:
        t = state.primary.get(a)
        done[t] = done.get(t, 0) + 1
    return done


def listed_themes(themes: pd.DataFrame, order: str = "size", find: str = "", reviewed: dict | None = None,
                  keep=()) -> pd.DataFrame:
    """The theme table's rows as the list shows them: those whose name or keywords contain `find` (case left
    out; the themes in `keep`, the ticked ones, always), by size (the table's order), by name (Danish order),
    or "review": the smallest share of reviewed answers first (a final theme counts as reviewed), then by size."""
    text = " ".join(str(find or "").split()).casefold()
    if text:
        keep = set(keep)
        hit = [text in f"{n} {k}".casefold() or t in keep
               for t, n, k in zip(themes["theme_id"], themes["name"], themes["keywords"])]
        themes = themes[hit]
    if order == "name":
        return themes.iloc[sorted(range(len(themes)), key=lambda i: (name_key(themes["name"].iat[i]),
                                                                      themes["theme_id"].iat[i]))]
    if order == "review":
        done = [1.0 if f else (reviewed or {}).get(t, 0) / max(s, 1)
                for t, s, f in zip(themes["theme_id"], themes["size"], themes["final"])]
        return themes.iloc[sorted(range(len(themes)), key=lambda i: done[i])]     # stable: by size within
    return themes


def together(text: str) -> str:
    """A number and its unit kept on one line when a row wraps ("22 svar", "7,5 %": a no-break space)."""
    return re.sub(r"(\d) (svar|gennemset|som|%)", "\\1\u00a0\\2", text)


def theme_rows_shown(themes: pd.DataFrame, reviewed: dict | None = None) -> list[tuple[str, str]]:
    """'Name · its keywords · 17 svar + 1 som andet tema · 10,3 %' (✔ for final, SUGGESTED after a name not yet
    accepted) per row; with `reviewed` (sorted by review) how many of its answers are reviewed before the share."""
    def done(t):
        return f" · {number(reviewed.get(t, 0))} gennemset" if reviewed is not None else ""
    return [(f"{'✔ ' if f else ''}{name_label(n)}{SUGGESTED if g else ''}{f' · {plain(short_keywords(k))}' if k else ''}"
             f" · {together(count_line(s, c) + done(t))} · {together(percent(p))}", str(t))
            for t, n, k, s, c, p, f, g in zip(themes["theme_id"], themes["name"], themes["keywords"], themes["size"],
                                              themes["second"], themes["share"], themes["final"], themes["suggested"])]


def theme_choices(snap: Snapshot, themes: pd.DataFrame, order: str = "size", find: str = "",
                  keep=()) -> list[tuple[str, str]]:
    """The theme list (listed_themes, theme_rows_shown), then the two bins."""
    reviewed = reviewed_per_theme(snap.state) if order == "review" else None
    rows = theme_rows_shown(listed_themes(themes, order, find, reviewed, keep), reviewed)
    loose, bin_ = len(snap.state.unplaced()), len(snap.state.not_answers())
    return rows + [(f"{UNPLACED_NAME} · {number(loose)} svar", str(UNPLACED)),
                   (f"{NOT_AN_ANSWER_NAME} · {number(bin_)} svar", str(NOT_AN_ANSWER))]


def list_label(themes: pd.DataFrame, shown: int, find: str = "") -> str:
    """The list's heading: how many themes, and how many of them the filter shows."""
    if not (find or "").strip():
        return f"Temaer ({number(len(themes))})"
    return f"Temaer: {number(shown)} af {number(len(themes))} (filter: »{plain(' '.join(find.split()))}«)"


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
