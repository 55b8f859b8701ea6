"""The *Temaer* page, computed from one snapshot of the project: `page` turns (desk, session) into a `Page` of
plain strings and lists; the UI maps its fields to components and sends only the fields that are set.
Nothing here imports gradio.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields, replace

import pandas as pd

from ..fmt import literal, number, percent, share_base
from ..project.curation import NOT_AN_ANSWER
from ..project.store import Project
from ..project.themes import (
    Snapshot,
    not_answering,
    search_answers,
    theme_answers,
    theme_name,
    unplaced,
)
from ..text.meta import SURVEY
from .choices import UNPLACED, count_line, list_label, merge_choices, target_choices, theme_choices
from .desk import Desk, Session
from .history import undo_labels
from .messages import no_project, status_line
from .similar import heading, nearest


@dataclass
class Page:
    """What to show; a field left None is not changed on the page."""

    session: Session | None = None
    status: str | None = None
    feedback: str | None = None
    undo: str | None = None
    redo: str | None = None
    themes: list | None = None          # [(label, value)] of the theme list, bins last
    listed: str | None = None           # the theme list's heading (how many themes, the filter)
    count: int | None = None            # how many themes there are (listed or not)
    theme: str | None = None            # the selected value of the theme list
    name: str | None = None
    description: str | None = None
    info: str | None = None
    final: str | None = None            # the final button's label ("Markér som endeligt" / "Genåbn")
    editable: bool | None = None        # a real theme is selected (not a bin)
    merge: list | None = None           # choices of the themes to merge with
    targets: list | None = None         # choices of where to move answers
    answers: list | None = None         # [(label, answer_id)]
    caption: str | None = None
    search: str | None = None
    projects: list | None = None        # [(label, path)]
    pager: tuple | None = None          # (an earlier page, a later page) of the answers

    def set_fields(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


def theme_info(snap: Snapshot, themes: pd.DataFrame, theme: int) -> str:
    if theme == UNPLACED:
        return ("**Ikke placerede svar.** I parentes de nærmeste temaer og deres lighed (0–1). "
                "Vælg svar og flyt dem til et tema, eller til *Ikke et svar*.")
    if theme == NOT_AN_ANSWER:
        return ("**Svar, der ikke siger noget** (pladsholdere og lignende). De tælles ikke med i temaernes andele. "
                "Flyt et svar tilbage til et tema, hvis det alligevel siger noget.")
    row = themes[themes["theme_id"] == theme].iloc[0]
    final = " · **endeligt** (låst: genåbn for at ændre)" if row["final"] else ""
    suggested = ("\n\n**Navn og beskrivelse er textmines forslag.** Ret dem, eller tryk *Gem navn og beskrivelse* "
                 "for at godkende dem." if row["suggested"] else "")
    return (f"Nr. {theme + 1} · {count_line(row['size'], row['second'])} · {percent(row['share'])} "
            f"{share_base(snap.state.base())}{final}\n\n**Nøgleord:** {row['keywords'] or '–'}{suggested}")


def _answers_of(snap: Snapshot, theme: int) -> pd.DataFrame:
    """answer_id, label of the answers listed under a theme or bin (typical first, ★ marks them)."""
    texts = snap.texts.shown
    if theme == UNPLACED:
        if "unplaced" not in snap._cache:
            snap._cache["unplaced"] = unplaced(snap)
        loose = snap._cache["unplaced"]
        return pd.DataFrame({"answer_id": loose["answer_id"],
                             "label": [f"{t} (nærmest: {s})" if s else t for t, s in zip(loose["text"], loose["suggestions"])]})
    if theme == NOT_AN_ANSWER:
        ids = snap.state.not_answers()
        return pd.DataFrame({"answer_id": ids, "label": texts[ids].values})
    top, table = theme_answers(snap, theme)
    typical = set(top)
    quotes = {a: i for i, a in enumerate(snap.state.themes[theme].quotes)}
    if quotes:                                   # the pinned quotes first, in the analyst's order
        table = table.iloc[sorted(range(len(table)), key=lambda i: quotes.get(table["answer_id"].iat[i], len(quotes)))]
    labels = [(f"↪ {t} [første tema: {o}]" if as_second else
               f"{QUOTE_MARK if a in quotes else ''}{'★ ' if t in typical else ''}{t}{f' [også: {o}]' if o else ''}")
              for a, t, o, as_second in zip(table["answer_id"], table["text"], table["second"], table["as_second"])]
    return pd.DataFrame({"answer_id": table["answer_id"].values, "label": labels})


QUOTE_MARK = "❝ "           # before an answer pinned as its theme's quote for the report
PAGE = 200                 # answers listed at a time (a theme of 3,000 answers is 15 pages)


def answer_list(snap: Snapshot, theme: int | None, search: str = "", start: int = 0,
                size: int = PAGE) -> tuple[list, str, tuple[int, int]]:
    """The answers to pick from, the caption above them and (first shown, how many in all): the selected
    theme's (or bin's), or with a search text the matching answers of the whole question, each with its
    theme; `size` at a time from number `start`."""
    if (search or "").strip():
        found, total = search_answers(snap, search, size, start)
        choices = [(label, str(a)) for a, label in zip(found["answer_id"], hit_labels(snap, found["answer_id"]))]
        return (choices, f"**{number(total)} svar** i hele spørgsmålet indeholder »{literal(search.strip())}«"
                f"{shown_range(start, len(choices), total)}", (start, total))
    if theme is None:
        return [], "Vælg et tema i listen.", (0, 0)
    shown = _answers_of(snap, theme)
    total = len(shown)
    shown = shown.iloc[start:start + size]
    choices = [(label, str(a)) for a, label in zip(shown["answer_id"], shown["label"])]
    if theme >= 0:
        size_, second = len(snap.state.members(theme)), int(sum(1 for t in snap.state.second.values() if t == theme))
        first = ("❝ valgte citater og ★ typiske svar først" if snap.state.themes[theme].quotes else
                 "★ typiske svar først")
        head = count_line(size_, second) + f" ({first}; ↪ har temaet som andet tema)"
    else:
        head = f"{number(total)} svar"
    return (choices, f"**{head}**{shown_range(start, len(choices), total)} · vælg svar for at flytte dem eller "
            "bruge dem som citat", (start, total))


def hit_labels(snap: Snapshot, ids) -> list[str]:
    """'[its theme] its text' of answers of the whole question (QUOTE_MARK first: a pinned quote)."""
    pinned = {a for th in snap.state.themes.values() for a in th.quotes}
    return [f"{QUOTE_MARK if a in pinned else ''}[{theme_name(snap, snap.state.primary[a])}] {snap.texts.shown[a]}"
            for a in ids]


def similar_list(desk: Desk, snap: Snapshot, theme: int | None, picked: tuple, start: int = 0,
                 size: int = PAGE) -> tuple[list, str, tuple[int, int]] | None:
    """*Find lignende*: the answers of the whole question like the `picked` ones (none: like the theme), nearest
    first, each with its likeness and theme, as answer_list gives them; None when there is nothing to compare."""
    found = nearest(desk, snap, theme, picked)
    if isinstance(found, str):
        return None
    ids, likeness = (part[start:start + size] for part in found)
    choices = [(f"{number(x, 2)} · {label}", str(a)) for a, x, label in zip(ids, likeness, hit_labels(snap, ids))]
    return (choices, f"**{heading(snap, theme, picked)}** · nærmest først, lighed (0–1) foran"
            f"{shown_range(start, len(choices), len(found[0]))} · vælg svar for at flytte dem", (start, len(found[0])))


def listed(desk: Desk, snap: Snapshot, theme: int | None, search: str, start: int, similar: tuple | None):
    """(answer_list's answers, or similar_list's when `similar` has something to compare with; the similar kept)."""
    shown = None if similar is None else similar_list(desk, snap, theme, similar, start)
    return (shown, similar) if shown else (answer_list(snap, theme, search, start), None)


def not_answer_list(snap: Snapshot, size: int = PAGE) -> tuple[list, list, str]:
    """The answers about the questionnaire itself or empty of content (text/meta.py) that are not yet in *Ikke et
    svar*, those about the survey first, each with its theme: the first `size` as choices, all of them ticked,
    and the caption saying what they are (the button again lists the next: 1,790 choices took the browser 2 s at
    100,000 answers). Answers in a final theme are left out (it gives none away until reopened)."""
    found, state = not_answering(snap), snap.state
    locked = {a for a in found if state.primary[a] in state.themes and state.themes[state.primary[a]].final}
    shown = sorted((a for a in found if state.primary[a] != NOT_AN_ANSWER and a not in locked),
                   key=lambda a: (found[a] != SURVEY, a))
    left = [f"{number(len(locked))} i endelige temaer er ikke med: genåbn temaet først"] if locked else []
    if not shown:
        return [], [], ("Textmine fandt ingen svar om spørgeskemaet eller uden indhold, som ikke allerede er i "
                        f"*Ikke et svar*{''.join(f' ({n})' for n in left)}.")
    listed = shown[:size]
    choices = [(label, str(a)) for a, label in zip(listed, hit_labels(snap, listed))]
    about = sum(found[a] == SURVEY for a in shown)
    kinds = [f"{number(n)} {kind}" for n, kind in [(about, "om spørgeskemaet eller spørgsmålet"),
                                                   (len(shown) - about, "uden indhold")] if n]
    more = " Tryk på *Svar om spørgeskemaet / uden indhold* igen, når de er flyttet, for at se de næste." \
        if len(shown) > size else ""
    return choices, [v for _, v in choices], (
        f"**{number(len(shown))} svar om spørgeskemaet eller uden indhold** i hele spørgsmålet "
        f"({'; '.join([' og '.join(kinds)] + left)}){shown_range(0, len(listed), len(shown))}. De er valgt på "
        "forhånd; fjern fluebenet ved et svar, der alligevel siger noget, og tryk *Flyt valgte til Ikke et svar*."
        f"{more}")


def shown_range(start: int, shown: int, total: int) -> str:
    """" · viser 201-400 af 1.234" when a list is longer than a page, else nothing."""
    if total <= shown and start == 0:
        return ""
    return f" · viser {number(start + 1)}-{number(start + shown)} af {number(total)}"


def chosen_theme(snap: Snapshot, themes: pd.DataFrame, theme: int | None) -> int | None:
    """The session's theme if it is still listed (bins always are), else the largest theme."""
    if theme in (UNPLACED, NOT_AN_ANSWER) or (theme is not None and theme in set(themes["theme_id"])):
        return theme
    return int(themes["theme_id"].iloc[0]) if len(themes) else UNPLACED


KEEP = object()


def page(desk: Desk, session: Session, feedback: str | None = None, full: bool = True, search: str = "",
         select=KEEP) -> Page:
    """Everything the page shows of the session's project (full), or only what depends on the selection;
    `select`: the theme to select now (default: the session's). Only the full page makes the session's
    version the newest: a tab whose theme list and undo button are older stays stale, so its next action,
    undo, redo or step back is refused (Project's expected_version)."""
    if not session.project:
        return Page(session=session, status=no_project(), feedback=feedback or "", themes=[], count=0, theme=None,
                    name="", description="", info="", editable=False, merge=[], targets=[], answers=[],
                    caption="", undo="↶ Fortryd", redo="↷ Gentag", final="Markér som endeligt")
    snap = desk.snapshot(session.project)
    themes = desk.themes(snap)
    before = session.theme
    theme = chosen_theme(snap, themes, session.theme if select is KEEP else select)
    session = replace(session, version=snap.version if full else session.version, theme=theme)
    start = session.start if theme == before else 0             # another theme starts at its first page
    similar = session.similar if theme == before and not search else None
    (answers, caption, (start, total)), similar = listed(desk, snap, theme, search, start, similar)
    if start and start >= total:                                  # the page emptied (answers moved away)
        start = max(0, (total - 1) // PAGE * PAGE)
        (answers, caption, (start, total)), similar = listed(desk, snap, theme, search, start, similar)
    session = replace(session, start=start, similar=similar)
    real = theme is not None and theme >= 0
    current = snap.state.themes[theme] if real else None
    shown = Page(session=session, theme=str(theme), name=current.name if real else theme_name(snap, theme),
                 description=current.description if real else "", info=theme_info(snap, themes, theme),
                 final="Genåbn" if real and current.final else "Markér som endeligt",
                 answers=answers, caption=caption, search=search, feedback=feedback,
                 pager=(start > 0, start + PAGE < total))
    if before is None or (before >= 0) != real:
        shown.editable = real
    targets = target_choices(themes)
    digest = hashlib.blake2b(repr(targets).encode(), digest_size=8).hexdigest()
    if digest != session.lists.split(":")[0]:       # the move box changes only with the themes' names,
        shown.targets = targets
    if f"{digest}:{theme}" != session.lists:         # the merge box also with the selected theme (never offered)
        shown.merge = merge_choices(themes, theme)
    shown.session = session = replace(session, lists=f"{digest}:{theme}")
    if full:
        shown.status = status_line(snap, themes, session.project)
        shown.themes, shown.listed = theme_list(snap, themes, session)
        shown.count = len(themes)
        shown.undo, shown.redo = undo_labels(Project(session.project), snap.masker)
    return shown


def answers_page(desk: Desk, session: Session) -> Page:
    """Only what shows the answers (their list, caption and pager, the search box emptied; the move and merge boxes
    when their themes changed): a new list under the same theme, e.g. *Find lignende*."""
    p = page(desk, session, full=False)
    return Page(session=p.session, answers=p.answers, caption=p.caption, search=p.search, pager=p.pager,
                targets=p.targets, merge=p.merge)


def theme_list(snap: Snapshot, themes: pd.DataFrame, session: Session, keep=()) -> tuple[list, str]:
    """The theme list's choices in the session's order and filter (the themes in `keep` always) and its heading."""
    choices = theme_choices(snap, themes, session.order, session.find, keep)
    return choices, list_label(themes, len(choices) - 2, session.find)


def relisted(desk: Desk, session: Session, keep=()) -> Page:
    """Only the theme list, after its order or filter changed (the session says which)."""
    if not session.project:
        return Page(session=session)
    snap = desk.snapshot(session.project)
    choices, listed = theme_list(snap, desk.themes(snap), session, keep)
    return Page(session=session, themes=choices, listed=listed,
                theme=None if session.theme is None else str(session.theme))
