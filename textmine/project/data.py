"""One typed read of a project at one version: what every view, export and the wave comparison use.

`ProjectData` is read in one connection (so all of it belongs to one version). The answers, their
vectors and map positions never change after a project is made, so `ProjectReader` keeps them per
file and re-reads only the themes and placements when the version moved.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..cache import BoundedCache
from .curation import NOT_AN_ANSWER, UNPLACED, State, Theme
from .file import ProjectError, database_error, open_project


@dataclass(frozen=True)
class Answers:
    """What never changes in a project: the answers (answer_id = row position) and their vectors."""

    table: pd.DataFrame            # answer_id, respondent_id, text, cluster, x, y
    vectors: np.ndarray | None     # the clustering vectors (float32); None in a project without


@dataclass(frozen=True)
class ProjectData:
    """A project as read at one version."""

    path: Path
    version: int
    state: State
    base: Answers
    meta: dict
    stamp: tuple = ()              # version_key: tells this version of the file from every other

    @property
    def vectors(self) -> np.ndarray | None:
        return self.base.vectors

    @property
    def question(self) -> str:
        return self.meta.get("question", "")

    @property
    def survey(self) -> str:
        return self.meta.get("survey", "")

    @property
    def stopwords(self) -> list[str]:
        return json.loads(self.meta.get("stopwords", "[]"))

    @property
    def answers(self) -> pd.DataFrame:
        """answer_id, respondent_id, text, cluster, x, y, theme_id, second_theme_id (unmasked texts)."""
        table = self.base.table.copy()
        ids = table["answer_id"]
        table["theme_id"] = _by_answer(self.state.primary, ids)
        table["second_theme_id"] = _by_answer(self.state.second, ids)
        return table


def _by_answer(mapping, ids: pd.Series):
    """answer_id -> theme id (or None) as an Int64 column in the order of `ids`, <NA> where none: one vectorised
    lookup (a Python loop took 90 ms at 100,000 answers, on every version)."""
    return pd.Series(dict(mapping), dtype="object").reindex(ids.to_numpy()).astype("Int64").array


def says_something(answers: pd.DataFrame) -> pd.Series:
    """The answers that count in the shares: every answer but those in *Ikke et svar* (unplaced ones count)."""
    return answers["theme_id"].fillna(UNPLACED) != NOT_AN_ANSWER


def answering(answers: pd.DataFrame) -> pd.Series:
    """The respondents whose answer says something (says_something): who the base counts, and against whom a
    theme's respondents are compared in the groups and the Likert context."""
    return answers.loc[says_something(answers), "respondent_id"]


def answer_base(answers: pd.DataFrame) -> int:
    """The base (n) of every theme share, from an answers table (respondent_id, theme_id): the respondents with
    an answer that says something (State.base from a state). The app, every export and both waves use it."""
    return int(answering(answers).nunique())


def theme_share(count: int, base: int) -> float:
    """A theme's share in percent: the answers that have it as first or second theme (respondents_per_theme)
    out of the answers that say something (answer_base). The one definition the page and every file show."""
    return 100 * count / base if base else 0.0


def respondents_per_theme(data_or_answers) -> dict[int, int]:
    """Respondents who have each theme, as primary or second theme (theme_id -> count). The one count of a
    theme's respondents: the app, the exports and the wave comparison all use it."""
    answers = data_or_answers.answers if isinstance(data_or_answers, ProjectData) else data_or_answers
    has = pd.concat([answers[["respondent_id", "theme_id"]],
                     answers[["respondent_id", "second_theme_id"]].rename(columns={"second_theme_id": "theme_id"})])
    has = has.dropna(subset=["theme_id"])
    has = has[has["theme_id"] != NOT_AN_ANSWER]
    return {int(t): int(n) for t, n in has.groupby("theme_id")["respondent_id"].nunique().items()}


class Damaged(ValueError):
    """What is wrong in a project file that opens, in Danish words for the analyst."""


def read_version(con: sqlite3.Connection) -> int:
    return con.execute("SELECT COALESCE(MAX(seq), 0) FROM audit").fetchone()[0]


@dataclass(frozen=True)
class Rows:
    """The themes and placement rows as stored (State.build then drops quotes and review marks that no longer
    hold): what the audit's written sides are replayed onto."""

    themes: dict                   # theme_id -> Theme, by id
    primary: dict
    second: dict
    marks: dict                    # answer_id -> 1 reviewed, 2 reviewed and corrected (0s left out)


def _theme(tid: int, name, description, final, clusters, quotes, suggested) -> Theme:
    return Theme(tid, name, description, bool(final), tuple(int(c) for c in clusters), tuple(int(a) for a in quotes),
                 bool(suggested))


def read_rows(con: sqlite3.Connection) -> Rows:
    query = "SELECT theme_id, name, description, final, clusters, quotes, suggested FROM themes ORDER BY theme_id"
    themes = {tid: _theme(tid, name, desc, final, json.loads(clusters), json.loads(quotes), suggested)
              for tid, name, desc, final, clusters, quotes, suggested in con.execute(query)}
    rows = con.execute("SELECT answer_id, theme_id, second_theme_id, reviewed FROM placement").fetchall()
    return Rows(themes, {a: p for a, p, _, _ in rows}, {a: s for a, _, s, _ in rows if s is not None},
                {a: r for a, _, _, r in rows if r})


def replay_sides(rows: Rows, sides: list[dict]) -> Rows:
    """`rows` with the audit's written sides (its `after` column: what each action, undo or redo wrote, in order)
    applied as Project._apply_side applies them to the file."""
    themes, primary, second, marks = dict(rows.themes), dict(rows.primary), dict(rows.second), dict(rows.marks)
    for side in sides:
        for tid, row in side["themes"].items():
            if row is None:
                themes.pop(int(tid), None)
            else:
                themes[int(tid)] = _theme(int(tid), row["name"], row["description"], row["final"], row["clusters"],
                                          row.get("quotes", []), row.get("suggested", False))
        for a, (p, s) in side["placement"].items():
            primary[int(a)] = p
            if s is None:
                second.pop(int(a), None)
            else:
                second[int(a)] = s
        for a, r in side.get("reviewed", {}).items():
            if r:
                marks[int(a)] = int(r)
            else:
                marks.pop(int(a), None)
    return Rows(dict(sorted(themes.items())), primary, dict(sorted(second.items())), marks)


def state_of(rows: Rows, next_theme_id: int) -> State:
    """The State the rows make (Damaged when an answer is placed in a theme that does not exist)."""
    themes = rows.themes
    used = set(rows.primary.values()) | set(rows.second.values())
    dangling = {t for t in used if t is not None and t != NOT_AN_ANSWER and t not in themes}
    if dangling:
        raise Damaged(f"svar er placeret i et tema med id {sorted(dangling)[0]}, som ikke findes")
    return State.build(themes, rows.primary, rows.second, max(next_theme_id, max(themes, default=-1) + 1),
                       set(rows.marks), {a for a, r in rows.marks.items() if r == 2})


def _next_theme_id(con: sqlite3.Connection) -> int:
    row = con.execute("SELECT value FROM meta WHERE key = 'next_theme_id'").fetchone()
    return int(row[0]) if row else 0


def version_key(con: sqlite3.Connection) -> tuple:
    """What tells one version of a file from every other: the file's id, and the newest audit row's number and
    time (a file put back from a copy and changed again reaches the same number at another time)."""
    file_id = con.execute("SELECT value FROM meta WHERE key = 'file_id'").fetchone()
    newest = con.execute("SELECT seq, at FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return (file_id and file_id[0], *(newest or (0, "")))


_STATES: BoundedCache[tuple, State] = BoundedCache(8)     # (file, version_key) -> the state read at it
_ROWS: BoundedCache[str, tuple[tuple, Rows]] = BoundedCache(4)   # file -> (version_key, its rows) last read
REPLAY_AT_MOST = 50        # audit rows replayed onto the rows kept; more, and the file is read again


def current_state(con: sqlite3.Connection, path: Path, stamp: tuple | None = None) -> State:
    """The state at the connection's version (`stamp`: its version_key, if known). Kept per version (a State is
    immutable), so an action does not read again the state the page has just read; a newer version is the rows
    kept from an earlier one with the audit's newer written sides replayed (reading 100,000 placement rows took
    0.15-0.25 s a version), else read from the file."""
    stamp = stamp or version_key(con)
    file = str(Path(path).resolve())
    return _STATES.get((file, *stamp), lambda: state_of(_rows_at(con, file, stamp), _next_theme_id(con)))


def _rows_at(con: sqlite3.Connection, file: str, stamp: tuple) -> Rows:
    kept = _ROWS.peek(file)
    rows = None
    if kept is not None and kept[0] == stamp:
        rows = kept[1]
    elif kept is not None and kept[0][0] == stamp[0] and 0 < stamp[1] - kept[0][1] <= REPLAY_AT_MOST:
        (_, seq, at), earlier = kept
        same_past = con.execute("SELECT at FROM audit WHERE seq = ?", (seq,)).fetchone() if seq else ("",)
        if same_past is not None and same_past[0] == at:        # the file still has the history the rows came from
            try:
                rows = replay_sides(earlier, [json.loads(a) for (a,) in con.execute(
                    "SELECT after FROM audit WHERE seq > ? ORDER BY seq", (seq,))])
            except (ValueError, KeyError, TypeError, AttributeError):   # an audit row not as written: read the file
                rows = None
    rows = rows or read_rows(con)
    _ROWS.put(file, (stamp, rows))
    return rows


def read_answers(con: sqlite3.Connection) -> Answers:
    table = pd.read_sql_query("SELECT answer_id, respondent_id, text, cluster, x, y FROM answers ORDER BY answer_id", con)
    if not table["answer_id"].equals(pd.Series(range(len(table)), dtype=table["answer_id"].dtype)):
        raise Damaged("svarenes numre er ikke 0, 1, 2 …")
    blobs = [b for (b,) in con.execute("SELECT vector FROM answers ORDER BY answer_id")]
    vectors = None
    if blobs and blobs[0] is not None:
        vectors = np.vstack([np.frombuffer(b, dtype=np.float32) for b in blobs])
    return Answers(table, vectors)


def read_meta(con: sqlite3.Connection) -> dict:
    return dict(con.execute("SELECT key, value FROM meta"))


def read(path: Path, base: Answers | None = None) -> ProjectData:
    """The project at its current version, in one connection; `base`: the answers already read (unchanged)."""
    con = open_project(path)
    try:
        con.execute("BEGIN")                                   # one snapshot of the file for all reads
        stamp = version_key(con)
        data = ProjectData(path, read_version(con), current_state(con, path, stamp), base or read_answers(con),
                           read_meta(con), stamp)
        con.execute("COMMIT")
        return data
    except (sqlite3.Error, pd.errors.DatabaseError) as exc:    # pandas wraps SQLite's errors in its own
        raise database_error(exc, path) from None
    except (ValueError, KeyError, TypeError) as exc:    # json's, numpy's and Python's own words are English
        why = str(exc) if isinstance(exc, Damaged) else "en værdi i den kan ikke læses"
        raise ProjectError(f"Projektfilen {path.name} er beskadiget ({why}). Den er ikke ændret; åbn en "
                           "sikkerhedskopi eller lav projektet igen.") from None
    finally:
        con.close()


class ProjectReader:
    """Reads projects, keeping a few recently read ones: the answers and vectors per file (they never change)
    and the whole read per version. Safe to share between browser sessions: it holds only file contents."""

    def __init__(self, keep: int = 4):
        self.keep = keep
        self._latest: BoundedCache[str, ProjectData] = BoundedCache(keep)

    def read(self, path: str | Path) -> ProjectData:
        path = Path(path)
        key = str(path.resolve())
        cached = self._latest.peek(key)
        if cached is not None:
            now = self._probe(path)
            if now == cached.stamp:
                return cached
            data = read(path, cached.base if now[0] == cached.meta.get("file_id") else None)
        else:
            data = read(path)
        self._latest.put(key, data)
        return data

    @staticmethod
    def _probe(path: Path) -> tuple:
        """The file's version_key, in one connection: what decides whether the cached read still holds."""
        con = open_project(path)
        try:
            return version_key(con)
        except sqlite3.Error as exc:
            raise database_error(exc, path) from None
        finally:
            con.close()
