"""The curation workbench: what the *Temaer* page shows, computed from one snapshot of the project.

`Desk` is shared by every browser session of the app and holds only file contents: snapshots
(themes.Workbench: one read per version), the page's parts per snapshot, each theme's keywords while
its answers stay the same, and a few survey tables by path and modification time. A browser session
holds only a `Session`. `page` turns (desk, session) into a `Page` of plain strings and lists; the UI
maps its fields to components and sends only the fields that are set. Nothing here imports gradio.
"""

from __future__ import annotations

import hashlib
import html
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, fields, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import SurveyConfig, config_of_project
from ..errors import SurveyFileError, TextmineError
from ..fmt import count, literal, number, percent, plain, share_base
from ..project.curation import (  # UNPLACED: the page's id of the unplaced answers
    NOT_AN_ANSWER,
    NOT_AN_ANSWER_NAME,
    UNPLACED,
    UNPLACED_NAME,
)
from ..project.history import cut, describe, sentence
from ..project.store import Project
from ..project.themes import (
    Snapshot,
    Workbench,
    map_points,
    masker_of,
    search_answers,
    snapshot,
    theme_answers,
    theme_name,
    theme_rows,
    unplaced,
)
from ..survey.labels import REPORT_GROUPS
from ..survey.reading import read_survey as read
from ..text.privacy import Masker

MAP_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
               "#bcbd22", "#393b79")
OTHER_COLOUR = "#c7c7c7"


@dataclass(frozen=True)
class Session:
    """What one browser tab holds (in gr.State): the open project, the version it has seen, the selection."""

    project: str | None = None
    version: int = 0
    theme: int | None = None
    group_by: str = REPORT_GROUPS
    context_open: bool = False
    lists: str = ""                  # "digest:theme": the theme choices last sent to the move box, and the theme
                                     # the merge box left out
    start: int = 0                   # the first answer listed (answer_list pages PAGE at a time)


@dataclass
class Page:
    """What to show; a field left None is not changed on the page."""

    session: Session | None = None
    status: str | None = None
    feedback: str | None = None
    undo: str | None = None
    redo: str | None = None
    themes: list | None = None          # [(label, value)] of the theme list, bins last
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


class SurveyTables:
    """Survey tables by path and sheet, re-read when the file changed (mtime), the `keep` used last kept.
    `read(path, sheet)`: sheet None is the reader's default. Thread-safe."""

    def __init__(self, read, keep: int = 3):
        self.read, self.keep = read, keep
        self._tables: OrderedDict[tuple[str, float, str | None], pd.DataFrame] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, path: str | Path, sheet: str | None = None) -> pd.DataFrame:
        key = (str(Path(path).resolve()), Path(path).stat().st_mtime, sheet)
        with self._lock:
            if key in self._tables:
                self._tables.move_to_end(key)
                return self._tables[key]
        table = self.read(path, sheet)
        with self._lock:
            self._tables[key] = table
            while len(self._tables) > self.keep:
                self._tables.popitem(last=False)
        return table

    def __len__(self) -> int:
        return len(self._tables)


class Desk:
    """The app's shared, bounded caches of file contents (no browser session's state)."""

    def __init__(self, config: SurveyConfig, masker: Masker | None = None, read_survey=None, keep: int = 4):
        self.config = config
        self.bench = Workbench(masker, keep)
        self._configs: OrderedDict[str, SurveyConfig] = OrderedDict()
        self.surveys = SurveyTables(read_survey or (lambda p, sheet: read(p, config.sheet_for(Path(p), sheet))))
        self._keywords: OrderedDict[str, dict] = OrderedDict()
        self._lock = threading.Lock()
        self._codes: dict[str, np.ndarray] = {}
        self.keep = keep

    def snapshot(self, path: str) -> Snapshot:
        return self.bench.snapshot(path)

    def themes(self, snap: Snapshot) -> pd.DataFrame:
        """themes.theme_table's rows, with each theme's keywords recomputed only when its answers changed."""
        if "desk_themes" not in snap._cache:
            snap._cache["desk_themes"] = self._theme_rows(snap)
        return snap._cache["desk_themes"]

    def _theme_rows(self, snap: Snapshot) -> pd.DataFrame:
        state = snap.state
        ids = sorted(state.themes)
        keep = self._keywords.setdefault(snap.meta.get("file_id", str(snap.data.path)), {})
        self._keywords.move_to_end(snap.meta.get("file_id", str(snap.data.path)))
        while len(self._keywords) > self.keep:
            self._keywords.popitem(last=False)
        members = members_of(state)
        keys = {t: hashlib.blake2b(np.asarray(members[t], dtype=np.int64).tobytes(), digest_size=8).hexdigest()
                for t in ids}
        todo = [t for t in ids if keys[t] not in keep]
        if todo:
            for t, words in zip(todo, theme_keywords(snap, members, todo)):
                keep[keys[t]] = words
        return theme_rows(state, {t: keep[keys[t]] for t in ids}, self.respondents(snap))

    def respondents(self, snap: Snapshot) -> dict[int, int]:
        """Respondents with each theme as first or second theme (as projectdata.respondents_per_theme), from
        integer codes of the respondents kept per file."""
        file_id = snap.meta.get("file_id", str(snap.data.path))
        if self._codes.get(file_id) is None:
            self._codes = {file_id: pd.factorize(snap.data.base.table["respondent_id"])[0]}
        codes = self._codes[file_id]
        pairs = [(t, codes[a]) for a, t in snap.state.primary.items() if t is not None and t != NOT_AN_ANSWER]
        pairs += [(t, codes[a]) for a, t in snap.state.second.items()]
        if not pairs:
            return {}
        unique = np.unique(np.asarray(pairs, dtype=np.int64), axis=0)
        themes, counts = np.unique(unique[:, 0], return_counts=True)
        return {int(t): int(n) for t, n in zip(themes, counts)}

    def config_of(self, snap: Snapshot | None) -> SurveyConfig:
        """The survey description the snapshot's project was made with (read once per project file); the app's
        own for an older project that recorded none, or when no project is open."""
        if snap is None:
            return self.config
        key = snap.meta.get("file_id", str(snap.data.path))
        with self._lock:
            if key in self._configs:
                self._configs.move_to_end(key)
                return self._configs[key]
        config = config_of_project(snap.meta, self.config)
        with self._lock:
            self._configs[key] = config
            while len(self._configs) > self.keep:
                self._configs.popitem(last=False)
        return config

    def survey(self, snap: Snapshot | None) -> pd.DataFrame:
        """The survey table of the snapshot's project (the file it was made from), else its description's file."""
        path = snap.survey if snap is not None and snap.survey else None
        if path is None or not Path(path).is_file():
            path = self.config_of(snap).survey_file
        if path is None or not Path(path).is_file():
            raise SurveyFileError(f"Surveyfilen {Path(path).name if path else ''} findes ikke længere. Læg den tilbage "
                                  "i projektmappen (uploads), eller lav projektet igen fra filen.")
        return self.surveys.get(path, self.config_of(snap).sheet_for(Path(path)))


def members_of(state) -> dict[int, list[int]]:
    """Each theme's answers (primary), in answer order, in one pass."""
    members: dict[int, list[int]] = {t: [] for t in state.themes}
    for a, t in state.primary.items():
        if t in members:
            members[t].append(a)
    return members


def theme_keywords(snap: Snapshot, members: dict[int, list[int]], todo: list[int], n: int = 8) -> list[str]:
    """The keywords (class TF-IDF, as describe.class_keywords) of the themes in `todo` only, weighted with every
    placed answer at this version: a recomputed theme gets what describe.class_keywords would give it now; a
    theme whose answers did not change keeps the keywords it had (the weights drift little between actions)."""
    counts, words = snap.texts.counts, snap.texts.words
    placed = [a for t in members for a in members[t]]
    if not todo or counts.shape[1] == 0:
        return ["" for _ in todo]
    total = np.asarray(counts[placed].sum(axis=0)).ravel() if placed else np.zeros(counts.shape[1])
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    avg = sum(lengths[m].sum() for m in members.values()) / max(len(members), 1)
    idf = np.log(1 + avg / np.maximum(total, 1))
    rank = np.empty(len(words), dtype=int)
    rank[np.argsort(words.astype(str), kind="stable")] = np.arange(len(words))
    out = []
    for t in todo:
        row = np.asarray(counts[members[t]].sum(axis=0)).ravel() * idf if members[t] else np.zeros(len(words))
        hit = np.flatnonzero(row > 0)
        best = hit[np.lexsort((rank[hit], -row[hit]))][:n]
        out.append(", ".join(words[i] for i in best))
    return out


# -- what the page shows ---------------------------------------------------------------------------

def count_line(size: int, second: int) -> str:
    """'17 svar + 1 som andet tema'."""
    return f"{number(size)} svar" + (f" + {number(second)} som andet tema" if second else "")


def theme_choices(snap: Snapshot, themes: pd.DataFrame) -> list[tuple[str, str]]:
    """The theme list: 'Name · 17 svar + 1 som andet tema · 10,3 %' (✔ for final), then the two bins."""
    rows = [(f"{'✔ ' if f else ''}{plain(n)} · {count_line(s, c)} · {percent(p)}", str(t))
            for t, n, s, c, p, f in zip(themes["theme_id"], themes["name"], themes["size"], themes["second"],
                                        themes["share"], themes["final"])]
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
    return [(f"{plain(n)} (nr. {t + 1})", str(t)) for n, t in rows if t != leave_out]


def target_choices(themes: pd.DataFrame) -> list[tuple[str, str]]:
    """Where answers can be moved: every theme by name, the bin, or unplaced."""
    return _by_name(themes) + [(NOT_AN_ANSWER_NAME, str(NOT_AN_ANSWER)), (UNPLACED_NAME, str(UNPLACED))]


def merge_choices(themes: pd.DataFrame, selected: int | None) -> list[tuple[str, str]]:
    """The themes the selected one can be merged with: every other theme, by name."""
    return _by_name(themes, selected)


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


def theme_info(snap: Snapshot, themes: pd.DataFrame, theme: int) -> str:
    if theme == UNPLACED:
        return ("**Ikke placerede svar.** I parentes de nærmeste temaer og deres lighed (0–1). "
                "Vælg svar og flyt dem til et tema, eller til *Ikke et svar*.")
    if theme == NOT_AN_ANSWER:
        return ("**Svar, der ikke siger noget** (pladsholdere og lignende). De tælles ikke med i temaernes andele. "
                "Flyt et svar tilbage til et tema, hvis det alligevel siger noget.")
    row = themes[themes["theme_id"] == theme].iloc[0]
    final = " · **endeligt** (låst: genåbn for at ændre)" if row["final"] else ""
    return (f"Nr. {theme + 1} · {count_line(row['size'], row['second'])} · {percent(row['share'])} "
            f"{share_base(snap.state.base())}{final}\n\n**Nøgleord:** {row['keywords'] or '–'}")


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
        pinned = {a for th in snap.state.themes.values() for a in th.quotes}
        choices = [(f"{QUOTE_MARK if a in pinned else ''}[{n}] {t}", str(a))
                   for a, t, n in zip(found["answer_id"], found["text"], found["theme"])]
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


BUTTON_WORDS = 64          # characters of a step's words on the undo and redo buttons (the history has them all)


def undo_labels(project: Project, mask=None) -> tuple[str, str]:
    """The undo and redo buttons, naming the step each takes (cut with "…": a long theme name must not make the
    button taller than the bar), masked by `mask` (else as the project's description says: themes.masker_of)."""
    mask = mask or project_masker(project)
    undo, redo = (mask(step) if step else step for step in project.next_steps())
    return (f"↶ Fortryd: {cut(undo, BUTTON_WORDS)}" if undo else "↶ Fortryd",
            f"↷ Gentag: {cut(redo, BUTTON_WORDS)}" if redo else "↷ Gentag")


KEEP = object()


def page(desk: Desk, session: Session, feedback: str | None = None, full: bool = True, search: str = "",
         select=KEEP) -> Page:
    """Everything the page shows of the session's project (full), or only what depends on the selection;
    `select`: the theme to select now (default: the session's). Only the full page makes the session's
    version the newest: a tab whose theme list and undo button are older stays stale, so its next action,
    undo, redo or step back is refused (Project's expected_version)."""
    if not session.project:
        return Page(session=session, status=no_project(), feedback=feedback or "", themes=[], theme=None, name="",
                    description="", info="", editable=False, merge=[], targets=[], answers=[],
                    caption="", undo="↶ Fortryd", redo="↷ Gentag", final="Markér som endeligt")
    snap = desk.snapshot(session.project)
    themes = desk.themes(snap)
    before = session.theme
    theme = chosen_theme(snap, themes, session.theme if select is KEEP else select)
    session = replace(session, version=snap.version if full else session.version, theme=theme)
    start = session.start if theme == before else 0             # another theme starts at its first page
    answers, caption, (start, total) = answer_list(snap, theme, search, start)
    if start and start >= total:                                  # the page emptied (answers moved away)
        start = max(0, (total - 1) // PAGE * PAGE)
        answers, caption, (start, total) = answer_list(snap, theme, search, start)
    session = replace(session, start=start)
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
        shown.status, shown.themes = status_line(snap, themes, session.project), theme_choices(snap, themes)
        shown.undo, shown.redo = undo_labels(Project(session.project), snap.masker)
    return shown


def no_project() -> str:
    return ("**Intet projekt åbent.** Gå til fanen *Nyt projekt* og tryk *Find temaer*, eller vælg et gemt "
            "projekt ovenfor.")


# -- actions and what they say ---------------------------------------------------------------------

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


def confirmation(action: str, params: dict, snap: Snapshot) -> str:
    """One line saying what an action did, with the names as they are now."""
    def name(t):
        return f"»{literal(theme_name(snap, t if t in snap.state.themes or t == NOT_AN_ANSWER else None))}«"
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
        "create": lambda: (f"Temaet »{literal(params['name'].strip())}« er oprettet med {number(n)} svar." if n else
                           f"Temaet »{literal(params['name'].strip())}« er oprettet (tomt)."),
        "pin_quote": lambda: f"{number(n)} svar " + ("bruges nu som citat i rapporten" if params.get("pinned", True)
                                                    else "er ikke længere citat") + " under " + " og ".join(
            dict.fromkeys(name(snap.state.primary[a]) for a in params["answers"])) + ".",
        "tree_cut": lambda: f"Temaerne er samlet efter lighed til {number(params['themes'])} temaer ({number(n)} "
                            "sammenlægninger i ét trin). *Fortryd* viser de enkelte temaer igen.",
    }
    return "✓ " + lines.get(action, lambda: sentence(describe(action, params)) + ".")()


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


# -- history ---------------------------------------------------------------------------------------

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
    """The masking the project's recorded description asks for (themes.masker_of)."""
    return masker_of(project.read())


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
    return [("Alle temaer", ALL_THEMES)] + [(plain(t.name), str(t.id)) for t in rows]


def filter_theme(value) -> int | None:
    return None if value in (None, "", ALL_THEMES) else int(value)


# -- the map ---------------------------------------------------------------------------------------

def map_groups(snap: Snapshot, themes: pd.DataFrame, top: int = len(MAP_COLOURS), limit: int = 3000) -> pd.DataFrame:
    """The map's points (x, y, theme_id, Tema, Svar, group, colour, rank: the legend's order): the `top` largest themes in distinct colours,
    every other answer grey as 'Øvrige temaer' (or unplaced); cached per snapshot."""
    key = ("map", top, limit)
    if key in snap._cache:
        return snap._cache[key]

    points = map_points(snap, limit).dropna(subset=["x", "y"]).copy()
    largest = [int(t) for t in themes["theme_id"].head(top)]
    colour = dict(zip(largest, MAP_COLOURS))
    ids = points["theme_id"].astype("float").fillna(UNPLACED).astype(int)
    points["group"] = [theme_name(snap, t) if t in colour else ("Øvrige temaer" if t >= 0 else theme_name(snap, t))
                       for t in ids]
    points["colour"] = [colour.get(t, OTHER_COLOUR) for t in ids]
    points["rank"] = [largest.index(t) if t in colour else len(largest) + (t < 0) for t in ids]
    points["theme_id"] = ids
    full = snap.texts.shown.loc[points.index].map(lambda t: t if len(t) <= 400 else t[:399] + "…")
    points["Svar"] = full.map(lambda t: "<br>".join(html.escape(line) for line in re.findall(r".{1,70}(?:\s|$)", t)) or t)
    snap._cache[key] = points
    return points


def project_label(path: Path, title: str = "") -> str:
    """A project as the analyst reads it: the name given to it (Project.rename), else its file's name in words:
    'baseline survey · kerneopgave (2)'."""
    if title:
        return title
    stem = Path(path).stem
    match = re.fullmatch(r"(.*)_(\d+)", stem)
    base, n = (match.group(1), match.group(2)) if match else (stem, None)
    words = base.replace("_", " ")
    return words + (f" ({n})" if n else "")


def project_title(path: Path) -> str:
    """The name the analyst gave the project ("" when none, or when the file cannot be read)."""
    try:
        return Project(path).meta("title")
    except TextmineError:
        return ""


def project_choices(directory: Path) -> list[tuple[str, str]]:
    """The projects in a folder, newest first: ('baseline survey kerneopgave – 1. dec. kl. 12:03', path)."""
    if not directory.is_dir():
        return []
    found = sorted(directory.glob("*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True)
    return [(f"{project_label(p, project_title(p))} – ændret "
             f"{local_time(datetime.fromtimestamp(p.stat().st_mtime, timezone.utc).isoformat())}", str(p)) for p in found]
