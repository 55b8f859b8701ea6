"""The app's shared caches: what every browser session of the *Temaer* page reads, computed from file contents.

`Desk` is shared by every browser session of the app and holds only file contents: snapshots
(themes.Workbench: one read per version), the page's parts per snapshot, each theme's keywords while
its answers stay the same, the answers' unit vectors per file (*Find lignende*), and a few survey tables by
path and modification time. A browser session holds only a `Session`; page.page turns (desk, session) into
what the page shows. Nothing here imports gradio.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..cache import BoundedCache
from ..config import SurveyConfig, config_of_project
from ..discovery.keywords import theme_keywords
from ..errors import SurveyFileError
from ..project.data import respondents_per_theme
from ..project.themes import Snapshot, Workbench, theme_rows
from ..survey.labels import REPORT_GROUPS
from ..survey.reading import read_survey as read
from ..text.privacy import Masker
from ..text.vectors import unit_rows


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
    order: str = "size"              # the theme list's order (choices.ORDERS) and filter text
    find: str = ""
    ticking: bool = False            # the list ticks themes to merge (a CheckboxGroup) instead of selecting one
    similar: tuple | None = None     # *Find lignende* lists answers like these (): like the theme; None: not shown


class SurveyTables:
    """Survey tables by path and sheet, re-read when the file changed (mtime), the `keep` used last kept.
    `read(path, sheet)`: sheet None is the reader's default, named by `sheet_for(path, sheet)` so that both are
    one table. Thread-safe, and a table is read once: a second caller (the first page's load while the app's
    warm-up reads the survey) waits for the read under way instead of reading the file again."""

    def __init__(self, read, keep: int = 3, sheet_for=None):
        self.read, self.keep = read, keep
        self.sheet_for = sheet_for or (lambda path, sheet: sheet)
        self._tables: BoundedCache[tuple[str, float, str | None], pd.DataFrame] = BoundedCache(keep)
        self._reading: dict[tuple, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, path: str | Path, sheet: str | None = None) -> pd.DataFrame:
        sheet = self.sheet_for(Path(path), sheet)
        key = (str(Path(path).resolve()), Path(path).stat().st_mtime, sheet)
        with self._lock:
            reading = self._reading.setdefault(key, threading.Lock())
        with reading:
            table = self._tables.get(key, lambda: self.read(path, sheet))
        with self._lock:
            self._reading.pop(key, None)
        return table

    def __len__(self) -> int:
        return len(self._tables)


class Desk:
    """The app's shared, bounded caches of file contents (no browser session's state)."""

    def __init__(self, config: SurveyConfig, masker: Masker | None = None, read_survey=None, keep: int = 4):
        self.config = config
        self.bench = Workbench(masker, keep)
        self._configs: BoundedCache[str, SurveyConfig] = BoundedCache(keep)
        self.surveys = SurveyTables(read_survey or (lambda p, sheet: read(p, config.sheet_for(Path(p), sheet))),
                                    sheet_for=config.sheet_for)
        self._keywords: BoundedCache[str, dict] = BoundedCache(keep)
        self._units: BoundedCache[str, np.ndarray] = BoundedCache(keep)
        self.keep = keep

    def snapshot(self, path: str) -> Snapshot:
        return self.bench.snapshot(path)

    def unit_vectors(self, snap: Snapshot) -> np.ndarray | None:
        """The answers' vectors scaled to length 1 (None in a project without vectors): once per file."""
        if snap.vectors is None:
            return None
        return self._units.get(file_key(snap), lambda: unit_rows(snap.vectors))

    def themes(self, snap: Snapshot) -> pd.DataFrame:
        """themes.theme_table's rows, with each theme's keywords recomputed only when its answers changed."""
        if "desk_themes" not in snap._cache:
            snap._cache["desk_themes"] = self._theme_rows(snap)
        return snap._cache["desk_themes"]

    def _theme_rows(self, snap: Snapshot) -> pd.DataFrame:
        state = snap.state
        ids = sorted(state.themes)
        keep = self._keywords.get(file_key(snap), dict)
        members = members_of(state)
        keys = {t: hashlib.blake2b(np.asarray(members[t], dtype=np.int64).tobytes(), digest_size=8).hexdigest()
                for t in ids}
        todo = [t for t in ids if keys[t] not in keep]
        if todo:
            for t, words in zip(todo, theme_keywords(snap.texts.counts, snap.texts.words, members, todo)):
                keep[keys[t]] = words
        return theme_rows(state, {t: keep[keys[t]] for t in ids}, respondents_per_theme(snap.answers))

    def config_of(self, snap: Snapshot | None) -> SurveyConfig:
        """The survey description the snapshot's project was made with (read once per project file); the app's
        own for an older project that recorded none, or when no project is open."""
        if snap is None:
            return self.config
        return self._configs.get(file_key(snap), lambda: config_of_project(snap.meta, self.config))

    def survey(self, snap: Snapshot | None) -> pd.DataFrame:
        """The survey table of the snapshot's project (the file it was made from), else its description's file."""
        path = snap.survey if snap is not None and snap.survey else None
        if path is None or not Path(path).is_file():
            path = self.config_of(snap).survey_file
        if path is None or not Path(path).is_file():
            raise SurveyFileError(f"Undersøgelsens fil {Path(path).name if path else ''} findes ikke længere. "
                                  "Læg den tilbage i projektmappen (uploads), eller lav projektet igen fra filen.")
        return self.surveys.get(path, self.config_of(snap).sheet_for(Path(path)))


def file_key(snap: Snapshot) -> str:
    """What the desk keeps a project's keywords and description under: its file id (a copied file shares them)."""
    return snap.meta.get("file_id", str(snap.data.path))


def members_of(state) -> dict[int, list[int]]:
    """Each theme's answers (primary), in answer order, in one pass."""
    members: dict[int, list[int]] = {t: [] for t in state.themes}
    for a, t in state.primary.items():
        if t in members:
            members[t].append(a)
    return members
