"""What the analyst sees of a project, computed from one read (projectdata.ProjectData): the theme
list, a theme's answers, unplaced answers with the closest themes, a search over all answers, and the
map. The app and the exports render these.

A `Snapshot` is a project at one version as shown: answer texts, theme names and descriptions masked, each
answer lemmatised once.
What never changes in a file (masked texts, lemma counts) is kept in `Texts` and shared by every
version of that file; what depends on the version (the theme list) is computed once per snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from ..cache import BoundedCache
from ..config import DESCRIPTION, SurveyConfig, config_of_project
from ..discovery.keywords import class_keywords, lemma_counts, split_labels, theme_counts, typical
from ..errors import TextmineError
from ..fmt import number
from ..text.lemmas import DanishLemmatizer
from ..text.meta import meta_answers
from ..text.privacy import Masker, masker_for
from ..text.vectors import unit_rows
from .curation import special_name, unnamed
from .data import ProjectData, ProjectReader, answering, respondents_per_theme, theme_share
from .store import Project


@dataclass(frozen=True)
class Texts:
    """A file's answer texts as shown (masked) and their lemma counts: computed once per file."""

    shown: pd.Series               # answer_id -> masked text
    counts: object                 # answers × lemmas (scipy sparse)
    words: np.ndarray
    memo: dict = field(default_factory=dict, compare=False, repr=False)   # what is read from the texts alone


def masker_of(data: ProjectData | dict, fallback: Masker | None = None) -> Masker:
    """The masking the survey description recorded in the project (its data, or only its meta) asks for
    ([privacy]: its names too); `fallback` (else the default masking) for a project that recorded none."""
    meta = data if isinstance(data, dict) else data.meta
    if not meta.get(DESCRIPTION):
        return fallback or Masker()
    return masker_for(config_of_project(meta, SurveyConfig()))


def texts_of(data: ProjectData, masker: Masker | None = None) -> Texts:
    """The answers as shown, masked by `masker`, else as the project's recorded description says (masker_of)."""
    mask = masker or masker_of(data)
    shown = data.base.table["text"].map(lambda t: mask(str(t)))
    counts, words = lemma_counts(shown, DanishLemmatizer(data.stopwords))
    return Texts(shown, counts, words)


def masked_names(data: ProjectData, mask: Masker) -> ProjectData:
    """The project with its theme names and descriptions masked as its answers are (a theme renamed "Hanne
    Hansen" is shown and written as "[navn]"); the file keeps what the analyst typed."""
    themes = {t: replace(th, name=mask(th.name), description=mask(th.description or ""))
              for t, th in data.state.themes.items()}
    if all(themes[t] == th for t, th in data.state.themes.items()):
        return data
    return replace(data, state=replace(data.state, themes=MappingProxyType(themes)))


@dataclass
class Snapshot:
    """A project as read at one version, as shown to the analyst (`masker`: what masked its texts and names)."""

    data: ProjectData
    texts: Texts
    _cache: dict = field(default_factory=dict, repr=False)
    masker: Masker = field(default_factory=Masker, repr=False)

    @property
    def version(self) -> int:
        return self.data.version

    @property
    def state(self):
        return self.data.state

    @property
    def vectors(self) -> np.ndarray | None:
        return self.data.vectors

    @property
    def meta(self) -> dict:
        return self.data.meta

    @property
    def survey(self) -> str:
        return self.data.survey

    @cached_property
    def answers(self) -> pd.DataFrame:
        """answer_id, respondent_id, text (masked), cluster, x, y, theme_id, second_theme_id."""
        table = self.data.answers
        table["text"] = self.texts.shown.values
        return table

    def members(self) -> dict[int, list[int]]:
        return {t: self.state.members(t) for t in self.state.themes}

    @cached_property
    def centres(self) -> tuple[list[int], np.ndarray] | None:
        """(theme ids, unit-length centre of each theme's answers) for themes with answers."""
        if self.vectors is None:
            return None
        ids = [t for t, m in self.members().items() if m]
        if not ids:
            return ids, np.zeros((0, self.vectors.shape[1]))
        return ids, unit_rows(np.vstack([self.vectors[self.state.members(t)].mean(axis=0) for t in ids]))


class Workbench:
    """Snapshots of projects for the app: one read per event, the file's texts and lemmas kept while the file
    is the same, the theme list kept while the version is the same. Holds only file contents (no browser
    session's state), bounded to a few projects."""

    def __init__(self, masker: Masker | None = None, keep: int = 4):
        self.masker = masker or Masker()
        self.reader = ProjectReader(keep)
        self.keep = keep
        self._texts: BoundedCache[str, Texts] = BoundedCache(keep)
        self._snapshots: BoundedCache[tuple, Snapshot] = BoundedCache(2 * keep)

    def snapshot(self, path: str | Path) -> Snapshot:
        data = self.reader.read(path)
        file_id = data.meta.get("file_id") or str(Path(path).resolve())
        key = (str(Path(path).resolve()), *data.stamp)          # a copied file has the same id, not the same state
        snap = self._snapshots.get(key, lambda: self._snapshot(data, file_id))
        self._texts.peek(file_id)                               # the file's texts count as used
        return snap

    def _snapshot(self, data: ProjectData, file_id: str) -> Snapshot:
        """A new version's snapshot, its texts shared with the file's other versions."""
        mask = masker_of(data, self.masker)                  # the project's own [privacy], else the app's
        texts = self._texts.get(file_id, lambda: texts_of(data, mask))
        return Snapshot(masked_names(data, mask), texts, masker=mask)


def snapshot(project: Project | ProjectData, masker: Masker | None = None, texts: Texts | None = None) -> Snapshot:
    """The project as shown: answer texts and theme names masked (privacy.py) by `masker`, else as the survey
    description recorded in the project says (masker_of: its [privacy] names), else by default. `texts`: the
    file's texts as that masker shows them, already lemmatised (the app's Workbench keeps them per file)."""
    data = project.read() if isinstance(project, Project) else project
    mask = masker or masker_of(data)
    return Snapshot(masked_names(data, mask), texts or texts_of(data, mask), masker=mask)


def theme_table(snap: Snapshot) -> pd.DataFrame:
    """One row per theme: id, name, size, second (answers with it as second theme), respondents (primary or
    second), share of answers (of the real answers: "Ikke et svar" left out), keywords, final, description,
    suggested (the name is still textmine's suggestion); largest first. Computed once per snapshot."""
    if "themes" in snap._cache:
        return snap._cache["themes"]
    state = snap.state
    ids = sorted(state.themes)
    labels = theme_labels(snap, ids)
    words = class_keywords(theme_counts(snap.texts.counts, labels, len(ids)), snap.texts.words) if ids else []
    table = theme_rows(state, dict(zip(ids, words)), respondents_per_theme(snap.answers))
    snap._cache["themes"] = table
    return table


def left_empty(theme, size: int, second: int) -> bool:
    """A theme the analyst never named (curation.unnamed: "Klynge N" or a suggested name) with no answer left (as
    first or second theme): what moving every answer out of a cluster leaves behind. It is no theme: no list,
    count or export shows it (undo brings it back)."""
    return not size and not second and unnamed(theme)


def theme_rows(state, keywords: dict[int, str], people: dict[int, int]) -> pd.DataFrame:
    """The theme list's rows from a state, each theme's keywords and its respondents (largest first): the
    one definition of a theme's size, second-theme count and share (projectdata.theme_share: its answers as
    first or second theme out of the answers that say something). Themes left empty (left_empty) are not rows;
    a named theme with no answers is, with size 0."""
    sizes, seconds, base = state.sizes(), state.second_sizes(), state.base()
    rows = [{"theme_id": t, "name": th.name, "size": sizes[t], "second": seconds[t], "respondents": people.get(t, 0),
             "share": theme_share(people.get(t, 0), base), "keywords": keywords.get(t, ""), "final": th.final,
             "description": th.description, "suggested": th.suggested} for t, th in sorted(state.themes.items())
            if not left_empty(th, sizes[t], seconds[t])]
    table = pd.DataFrame(rows, columns=["theme_id", "name", "size", "second", "respondents", "share", "keywords",
                                        "final", "description", "suggested"])
    return table.sort_values(["size", "theme_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def typical_answers(snap: Snapshot, theme_id: int, n: int = 5) -> list[str]:
    """The n distinct answers of a theme closest to its centre (in answer order without vectors)."""
    return typical(snap.vectors, snap.state.members(theme_id), snap.texts.shown, n)


def theme_answers(snap: Snapshot, theme_id: int, search: str = "") -> tuple[list[str], pd.DataFrame]:
    """(typical answers, the theme's answers: answer_id, text, second (the other theme's name, or ""),
    as_second (True for an answer whose second theme this is), typical first, then the answers that
    have it as second theme), optionally filtered by a search text."""
    state, texts = snap.state, snap.texts.shown
    members = state.members(theme_id)
    top = typical_answers(snap, theme_id)
    rank = {t: i for i, t in enumerate(top)}
    member_texts = texts[members].values if members else []
    order = [a for _, a in sorted(zip((rank.get(t, len(rank)) for t in member_texts), members))]
    also = sorted(a for a, t in state.second.items() if t == theme_id)
    names = {t: th.name for t, th in state.themes.items()}
    table = pd.DataFrame({"answer_id": order + also, "text": texts[order + also].values,
                          "second": [names.get(state.second.get(a), "") for a in order] +
                                    [names.get(state.primary[a], "") for a in also],
                          "as_second": [False] * len(order) + [True] * len(also)})
    return top, _search(table, search)


def _search(table: pd.DataFrame, text: str) -> pd.DataFrame:
    text = (text or "").strip()
    if text:
        table = table[table["text"].str.contains(text, case=False, regex=False)]
    return table.reset_index(drop=True)


def not_answering(snap: Snapshot) -> dict:
    """{answer id: meta.SURVEY or meta.EMPTY} of the answers about the questionnaire itself or empty of content
    (text/meta.py), wherever they are placed; computed once per file, as its texts are (from the unmasked texts,
    once per snapshot, when the snapshot has none): 0,2 s at 10.000 answers, a click's worth."""
    memo = snap.texts.memo if snap.texts is not None else snap._cache
    if "not_answering" not in memo:
        texts = snap.texts.shown if snap.texts is not None else snap.data.base.table["text"]
        memo["not_answering"] = meta_answers(texts)
    return memo["not_answering"]


def search_answers(snap: Snapshot, text: str, limit: int = 200, start: int = 0) -> tuple[pd.DataFrame, int]:
    """Answers of the whole question that contain `text` (case-insensitive): (answer_id, text, theme (name,
    "Ikke placeret" or "Ikke et svar"), theme_id), at most `limit` from hit number `start`, and how many
    matched in all."""
    if not (text or "").strip():
        return pd.DataFrame(columns=["answer_id", "text", "theme", "theme_id"]), 0
    found = _search(pd.DataFrame({"answer_id": snap.texts.shown.index, "text": snap.texts.shown.values}), text)
    total = len(found)
    found = found.iloc[start:start + limit].copy()
    primary = [snap.state.primary[a] for a in found["answer_id"]]
    found["theme"] = [theme_name(snap, t) for t in primary]
    found["theme_id"] = primary
    return found, total


def theme_labels(snap: Snapshot, ids: list[int]) -> np.ndarray:
    """Each answer's theme as its position in `ids` (the theme ids, sorted): what the keyword counts take as
    class labels; -1 for an answer in none of them (unplaced, *Ikke et svar*, a theme left out)."""
    position = {t: i for i, t in enumerate(ids)}
    return np.array([position.get(snap.state.primary[a], -1) for a in range(len(snap.texts.shown))], dtype=int)


def theme_name(snap: Snapshot, theme_id, gone: bool = False) -> str:
    """A theme's name for an id, as every page and file says it: special_name for unplaced answers (None or
    UNPLACED) and *Ikke et svar*, else the theme's name. A theme no longer there: with `gone`, its number and that
    it is gone (a review row read before a merge); without, KeyError."""
    special = special_name(theme_id)
    if special is not None:
        return special
    if gone and theme_id not in snap.state.themes:
        return f"tema nr. {theme_id + 1} (findes ikke mere)"
    return snap.state.themes[theme_id].name


def unplaced(snap: Snapshot, n: int = 3) -> pd.DataFrame:
    """Unplaced answers with the n closest themes (cosine to the theme's centre) and the best one."""
    loose = snap.state.unplaced()
    centres = snap.centres
    rows = []
    sims = None
    if loose and centres is not None and len(centres[0]):
        sims = unit_rows(snap.vectors[loose]) @ centres[1].T
    for i, a in enumerate(loose):
        near = [] if sims is None else [(centres[0][j], float(sims[i, j])) for j in np.argsort(-sims[i], kind="stable")[:n]]
        rows.append({"answer_id": a, "text": snap.texts.shown[a],
                     "suggestions": "; ".join(f"{snap.state.themes[t].name} ({number(s, 2)})" for t, s in near),
                     "best": near[0][0] if near else None})
    return pd.DataFrame(rows, columns=["answer_id", "text", "suggestions", "best"])


def respondents(snap: Snapshot, theme_id: int) -> tuple[list[str], list[str]]:
    """(respondents with the theme as first or second theme, every respondent with a real answer)."""
    answers = snap.answers
    has = (answers["theme_id"] == theme_id) | (answers["second_theme_id"] == theme_id)
    return answers.loc[has.fillna(False), "respondent_id"].tolist(), \
        answering(answers).tolist()


def split_plan(snap: Snapshot, theme_id: int, k: int) -> dict[int, int]:
    """The answers of a theme in k groups of similar answers (KMeans on their vectors)."""
    members = snap.state.members(theme_id)
    if snap.vectors is None:
        raise TextmineError("Projektet har ingen svarvektorer, så temaet kan ikke deles automatisk. "
                            "Flyt svarene i hånden.")
    return split_labels(snap.vectors, members, k)


def map_points(snap: Snapshot, limit: int = 3000, seed: int = 0) -> pd.DataFrame:
    """The map's points (x, y, theme_id, Tema, Svar), at most `limit`, sampled in proportion per theme."""
    answers = snap.answers
    names = {t: th.name for t, th in snap.state.themes.items()}
    points = pd.DataFrame({"x": answers["x"], "y": answers["y"], "theme_id": answers["theme_id"],
                           "Tema": [theme_name(snap, t if pd.notna(t) else None) for t in answers["theme_id"]]
                           if names or len(answers) else [],
                           "Svar": snap.texts.shown.str.slice(0, 140).values})
    if len(points) > limit:
        points = (points.groupby(points["Tema"], group_keys=False)
                  .apply(lambda g: g.sample(max(1, round(limit * len(g) / len(answers))), random_state=seed)))
    return points.sort_index()
