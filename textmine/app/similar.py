"""*Find lignende* on *Svar*: the answers of the whole question nearest to the picked answers (their mean vector)
or, with none picked, to the selected theme's centre, by cosine on the project's answer vectors (kept scaled to
length 1 per file by the desk), nearest first. The picked answers themselves, or the theme's own answers, are
left out. Nothing here imports gradio."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..errors import TextmineError
from ..fmt import literal, number
from ..project.themes import Snapshot
from .choices import answer_ids
from .desk import Desk, Session

NO_VECTORS = ("Projektet har ingen svarvektorer, så textmine kan ikke finde lignende svar. "
              "Søg i alle svar i stedet.")
NO_THEME = "Vælg de svar, du vil finde lignende svar til, eller vælg et tema i listen (ikke en af kurvene)."
EMPTY_THEME = "Temaet har ingen svar at sammenligne med. Vælg de svar, du vil finde lignende svar til."


def like(snap: Snapshot, theme: int | None, picked: tuple) -> tuple[list[int], list[int]] | str:
    """(the answers whose mean is compared with, the answers left out), or why there is nothing to compare with:
    the picked answers, else the selected theme's answers (its second-theme answers left out too: they are
    listed under it)."""
    if picked:
        return list(picked), list(picked)
    if theme is None or theme < 0:
        return NO_THEME
    own = snap.state.members(theme)
    if not own:
        return EMPTY_THEME
    return own, own + [a for a, t in snap.state.second.items() if t == theme]


def nearest(desk: Desk, snap: Snapshot, theme: int | None, picked: tuple) -> tuple[np.ndarray, np.ndarray] | str:
    """(answer ids, their cosine likeness to the picked answers' or the theme's mean vector), nearest first (the
    answer order among equals), or why there is nothing to compare with (a Danish sentence)."""
    units = desk.unit_vectors(snap)
    if units is None:
        return NO_VECTORS
    chosen = like(snap, theme, picked)
    if isinstance(chosen, str):
        return chosen
    base, leave_out = chosen
    centre = units[base].mean(axis=0)
    likeness = units @ (centre / max(float(np.linalg.norm(centre)), 1e-12))
    order = np.argsort(-likeness, kind="stable")
    kept = np.ones(len(units), dtype=bool)
    kept[leave_out] = False
    order = order[kept[order]]
    return order, likeness[order]


def heading(snap: Snapshot, theme: int | None, picked: tuple) -> str:
    """'Svar, der ligner de 2 valgte' or 'Svar, der ligner temaet »X«'."""
    if len(picked) == 1:
        return "Svar, der ligner det valgte svar"
    if picked:
        return f"Svar, der ligner de {number(len(picked))} valgte"
    return f"Svar, der ligner temaet »{literal(snap.state.themes[theme].name)}«"


def find(desk: Desk, session: Session, picked) -> Session:
    """The session listing the answers like the picked ones (none picked: like the selected theme) from the
    first; refused in Danish when there is nothing to compare with."""
    if not session.project:
        raise TextmineError("Åbn eller opret et projekt først.")
    ids = tuple(answer_ids(picked))
    snap = desk.snapshot(session.project)
    why = NO_VECTORS if desk.unit_vectors(snap) is None else like(snap, session.theme, ids)   # the page ranks them
    if isinstance(why, str):
        raise TextmineError(why)
    return replace(session, similar=ids, start=0)
