"""What the *Temaer* page says: the project's status line, the confirmation of an action, what an undo, redo or
step back did, and the line shown when no project is open.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..fmt import count, literal, name_label, number, share_base
from ..project.curation import NOT_AN_ANSWER
from ..project.history import describe, sentence
from ..project.themes import Snapshot, left_empty, theme_name
from .projects import project_label, project_title


def status_line(snap: Snapshot, themes: pd.DataFrame, path: str) -> str:
    """The project's line; a named theme with no answers is listed but not counted among the themes."""
    used = (themes["size"] > 0) | (themes["second"] > 0)
    empty = f" og {count(int((~used).sum()), 'tomt tema', 'tomme temaer')}" if not used.all() else ""
    finals = count(int(themes.loc[used, "final"].sum()), "endeligt", "endelige")
    label = literal(project_label(Path(path), project_title(path)))
    return (f"**{label}** · {number(len(snap.state.primary))} svar i "
            f"**{number(int(used.sum()))} temaer**{empty} ({finals}) · "
            f"{number(len(snap.state.unplaced()))} ikke placeret · {number(len(snap.state.not_answers()))} ikke et svar"
            f" · andele {share_base(snap.state.base())} · gemt automatisk (version {snap.version})")


def no_project() -> str:
    return ("**Intet projekt åbent.** Gå til fanen *Nyt projekt* og tryk *Find temaer*, eller vælg et gemt "
            "projekt ovenfor.")


def confirmation(action: str, params: dict, snap: Snapshot) -> str:
    """One line saying what an action did, with the names as they are now."""
    def name(t):
        return f"»{literal(name_label(theme_name(snap, t if t in snap.state.themes or t == NOT_AN_ANSWER else None)))}«"
    n = len(params.get("answers", params.get("steps", [])))
    lines = {
        "rename": lambda: f"Temaet hedder nu {name(params['theme_id'])}.",
        "merge": lambda: f"{number(len(params['theme_ids']))} temaer er slået sammen til {name(params['theme_ids'][0])}.",
        "split": lambda: f"{name(params['theme_id'])} er delt i {number(len(set(params['labels'].values())))} temaer.",
        "move": lambda: f"{number(n)} svar er flyttet til {name(params['theme_id'])}.",
        "second_themes": lambda: f"{number(n)} svar har fået {name(params['steps'][0][1]['theme_id'])} som andet tema.",
        "delete": lambda: "Temaet er slettet; dets svar er nu ikke placeret.",
        "mark_final": lambda: f"{name(params['theme_id'])} er " + ("markeret som endeligt (låst)." if params.get(
            "final", True) else "genåbnet."),
        "create": lambda: (f"Temaet »{literal(name_label(params['name']))}« er oprettet med {number(n)} svar." if n
                           else f"Temaet »{literal(name_label(params['name']))}« er oprettet (tomt)."),
        "pin_quote": lambda: f"{number(n)} svar " + ("bruges nu som citat i rapporten" if params.get("pinned", True)
                                                    else "er ikke længere citat") + " under " + " og ".join(
            dict.fromkeys(name(snap.state.primary[a]) for a in params["answers"])) + ".",
        "tree_cut": lambda: f"Temaerne er samlet efter lighed til {number(params['themes'])} temaer ({number(n)} "
                            "sammenlægninger i ét trin). *Fortryd* viser de enkelte temaer igen."
                            + apart_line(params),
    }
    return "✓ " + lines.get(action, lambda: sentence(describe(action, params)) + ".")()


def emptied_line(before, snap: Snapshot) -> str:
    """After a move: the themes it left without answers (`before`: the state before), and that a theme with no name
    of the analyst's is no longer listed (themes.left_empty); "" when none."""
    sizes, seconds, now = snap.state.sizes(), snap.state.second_sizes(), snap.state.themes
    gone = [t for t, n in before.sizes().items() if n and t in now and not sizes.get(t) and not seconds.get(t)]
    if not gone:
        return ""
    names = " og ".join(f"»{literal(name_label(now[t].name))}«" for t in gone)
    hidden = all(left_empty(now[t], 0, 0) for t in gone)
    return (f" {names} har ikke flere svar" + (" og vises ikke længere i listen." if hidden else
                                               " og står tomt i listen (slet det, hvis det ikke skal bruges)."))


def apart_line(params: dict) -> str:
    """After a tree cut: the themes of answers about the survey or empty of content it kept apart, and what to do."""
    n = params.get("apart", 0)
    return (f" {count(n, 'tema', 'temaer')} af svar om spørgeskemaet eller uden indhold er holdt uden for: flyt "
            "svarene til *Ikke et svar* med *Svar om spørgeskemaet / uden indhold* under *Svar*.") if n else ""


def _names(themes: pd.DataFrame, ids: list[int]) -> tuple[list[str], int]:
    """'»Name« (17 svar)' of each theme in `ids` (rows of the theme table), and their answers in all."""
    rows = themes.set_index("theme_id").loc[ids]
    parts = [f"»{literal(n)}« ({number(s)} svar)" for n, s in zip(rows["name"], rows["size"])]
    return parts, int(rows["size"].sum())


def listing(parts: list[str]) -> str:
    """'A', 'A og B', 'A, B og C'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]


def merge_question(themes: pd.DataFrame, ids: list[int]) -> str:
    """The question before ticked themes are merged, naming them (the largest first)."""
    parts, total = _names(themes, ids)
    return (f"**Slå {number(len(ids))} temaer sammen?** {listing(parts)} bliver ét tema med {number(total)} svar "
            "og navnet herunder (*Fortryd* skiller dem ad igen):")


def merged_line(themes: pd.DataFrame, ids: list[int], name: str) -> str:
    """What merging the ticked themes did, with their names as they were."""
    parts, total = _names(themes, ids)
    return f"✓ {listing(parts)} er slået sammen til »{literal(name)}« ({number(total)} svar)."


def step_feedback(kind: str, what: str | None, mask=None) -> str:
    """What an undo or redo did, its theme names masked by `mask` and shown as text (fmt.literal)."""
    if what is None:
        return "Der er intet at fortryde." if kind == "undo" else "Der er intet at gentage."
    what = literal(mask(what) if mask else what)
    return f"✓ Fortrudt: {what}." if kind == "undo" else f"✓ Gentaget: {what}."


def back_feedback(done) -> str:
    if done is None:
        return "Projektet er allerede på det punkt; intet er fortrudt."
    return "✓ Projektet er ført tilbage. *Gentag* bringer handlingerne tilbage én ad gangen."
