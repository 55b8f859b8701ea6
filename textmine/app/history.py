"""The history tab and the undo and redo buttons: the audit log in the analyst's words, the points one can go
back to, its filter by theme, and times in Danish local time.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pandas as pd

from ..fmt import name_label
from ..project.history import cut, sentence
from ..project.store import Project
from ..project.themes import Snapshot, masker_of, snapshot
from .choices import name_key

BUTTON_WORDS = 64          # characters of a step's words on the undo and redo buttons (the history has them all)
QUOTED = re.compile(r"»([^«]*)«")      # a theme's name in a step's words


def undo_labels(project: Project, mask=None) -> tuple[str, str]:
    """The undo and redo buttons, naming the step each takes (cut with "…": a long theme name must not make the
    button taller than the bar), masked by `mask` (else as the project's description says: themes.masker_of)."""
    mask = mask or project_masker(project)
    undo, redo = (button_words(mask(step)) if step else step for step in project.next_steps())
    return (f"↶ Fortryd: {undo}" if undo else "↶ Fortryd", f"↷ Gentag: {redo}" if redo else "↷ Gentag")


def button_words(step: str) -> str:
    """A step on a button: its theme names cut first, the last (where the step went) least, so the end stays (»Match
    mellem …« til »Hjælpe virksomhederne«, not »Match mellem borger og virksomhed« til …); then the whole if still
    too long."""
    names = QUOTED.findall(step)
    if len(step) > BUTTON_WORDS and names:
        left, room = BUTTON_WORDS - len(QUOTED.sub("»«", step)), {}
        last = len(names) - 1                                      # where the step goes: whole when it fits
        for i in [last, *sorted(range(last), key=lambda i: len(names[i]))]:    # then the short names whole
            share = left - 12 * (len(names) - len(room) - 1) if i == last else left // (len(names) - len(room))
            room[i] = max(12, min(len(names[i]), share))
            left -= room[i]
        cuts = iter(cut(name, room[i]) for i, name in enumerate(names))
        step = QUOTED.sub(lambda m: f"»{next(cuts)}«", step)
    return cut(step, BUTTON_WORDS)


def local_time(at: str) -> str:
    """An audit timestamp (UTC, ISO) as Danish local time: '1. dec. kl. 12:03:15'."""
    months = ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."]
    moment = datetime.fromisoformat(at)
    try:
        from zoneinfo import ZoneInfo

        moment = moment.astimezone(ZoneInfo("Europe/Copenhagen"))
    except Exception:                          # no time zone data on the machine: UTC as written
        moment = moment.astimezone(timezone.utc)
    return f"{moment.day}. {months[moment.month - 1]} kl. {moment:%H:%M:%S}"


def project_masker(project: Project):
    """The masking the project's recorded description asks for (themes.masker_of), read from its meta alone
    (a whole read costs a second at 100,000 answers)."""
    return masker_of(project.all_meta())


STATUS = {"done": "", "undone": "fortrudt", "discarded": "kasseret (en ny handling efter fortryd)"}


def history(project: Project, shown: pd.Series | None = None, theme: int | None = None, mask=None) \
        -> tuple[pd.DataFrame, list[tuple[str, int]]]:
    """The audit log in the analyst's words with the theme names as they were, newest first (Tidspunkt, Handling,
    Status), and the points one can go back to: after each action still done, and the project as discovered (0).
    `shown`: the answers as shown (masked), quoted in moves; by default as the project's description masks them.
    `theme`: only the steps that concern that theme (None: all). `mask`: what masks the theme names in the
    steps' words (the snapshot's masker; by default as the project's description says)."""
    if shown is None:
        shown = snapshot(project).texts.shown
    mask = mask or project_masker(project)
    log = project.history(quote=lambda a: shown[int(a)])
    if theme is not None:
        log = log[[theme in t for t in log["themes"]]]
    log = log.assign(what=log["what"].map(mask))
    what = [f"Fortryd: {w}" if k == "undo" else f"Gentag: {w}" if k == "redo" else sentence(w)
            for k, w in zip(log["kind"], log["what"])]
    table = pd.DataFrame({"Tidspunkt": log["at"].map(local_time), "Handling": what,
                          "Status": log["status"].map(lambda s: STATUS.get(s, s))}).iloc[::-1].reset_index(drop=True)
    done = log[(log["kind"] == "action") & (log["status"] == "done")]
    points = [(f"Efter {local_time(a)}: {w}", int(s)) for s, a, w in zip(done["seq"], done["at"], done["what"])]
    return table, points[::-1] + [("Som temaerne blev fundet (før al kuratering)", 0)]


ALL_THEMES = "alle"


def history_filter(snap: Snapshot) -> list[tuple[str, str]]:
    """The history's filter: "Alle temaer", then every theme by name."""
    rows = sorted(snap.state.themes.values(), key=lambda t: (name_key(t.name), t.id))
    return [("Alle temaer", ALL_THEMES)] + [(name_label(t.name), str(t.id)) for t in rows]


def filter_theme(value) -> int | None:
    return None if value in (None, "", ALL_THEMES) else int(value)
