"""A project's curation history: every action (or several as one step) is one transaction, logged in
the audit table with the rows it changed before and after, which is what undo and redo replay.

The project's version is the newest audit row: a tab that acts on an older version is told so instead
of overwriting newer work. The file format is `projectfile`, the typed read `projectdata`.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import TextmineError
from .curation import ACTIONS, State, Theme, from_clusters, run_steps
from .data import ProjectData, current_state, read, read_meta, read_version
from .file import SCHEMA_VERSION, ProjectError, create, database_error, open_project, write_themes
from .history import Then, describe, replayed, steps_in_words

TITLE_LIMIT = 120                   # characters of a project's name (Project.rename)

__all__ = ["Project", "ProjectError", "StaleError", "SCHEMA_VERSION", "diff"]


class StaleError(TextmineError):
    """The project changed (in another tab) since this view was loaded."""


def _theme_json(theme: Theme | None):
    if theme is None:
        return None
    row = {"name": theme.name, "description": theme.description, "final": theme.final, "clusters": list(theme.clusters)}
    if theme.quotes:                        # left out when none (as in audit rows written before quotes existed)
        row["quotes"] = [int(a) for a in theme.quotes]
    if theme.suggested:                     # likewise: a name the analyst has not yet accepted or changed
        row["suggested"] = True
    return row


def review_mark(state: State, answer) -> int:
    """The placement table's `reviewed` value: 0 not reviewed, 1 reviewed, 2 reviewed and corrected."""
    return 2 if answer in state.corrected else int(answer in state.reviewed)


def diff(before: State, after: State) -> tuple[dict, dict]:
    """The rows an action changed: ({"themes": {id: row|None}, "placement": {answer: [primary, second]},
    "reviewed": {answer: 0|1|2}}, same after; 2: reviewed and corrected, see curation.move). "reviewed" is left
    out when no answer's review mark changed (and audit rows written before review marks existed have none:
    undoing them leaves the marks alone)."""
    ids = set(before.themes) | set(after.themes)
    themes = [t for t in sorted(ids) if before.themes.get(t) != after.themes.get(t)]
    was, seconds = before.primary, before.second
    second_moved = {a for a in seconds.keys() | after.second.keys() if seconds.get(a) != after.second.get(a)}
    answers = [a for a, t in after.primary.items() if was[a] != t or a in second_moved]
    marked = sorted((before.reviewed ^ after.reviewed) | (before.corrected ^ after.corrected))

    def side(state: State) -> dict:
        rows = {"themes": {str(t): _theme_json(state.themes.get(t)) for t in themes},
                "placement": {str(a): [state.primary[a], state.second.get(a)] for a in answers}}
        if marked:
            rows["reviewed"] = {str(a): review_mark(state, a) for a in marked}
        return rows
    return side(before), side(after)


class Project:
    """A project file. Constructing only stores the path; `create` or the first read opens it."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    @classmethod
    def create(cls, path: str | Path, question: str, answers: pd.DataFrame, survey: str = "",
               vectors: np.ndarray | None = None, coords: np.ndarray | None = None, stopwords=(),
               names: dict | None = None, meta: dict | None = None, descriptions: dict | None = None,
               finals: dict | None = None, suggested=()) -> "Project":
        """A new project from discovered clusters. answers: respondent_id, answer, cluster (-1 unplaced);
        vectors: the clustering vectors (for split, placement suggestions and typical answers); coords: 2-D
        map positions; names/descriptions/finals: per cluster (`suggested`: the clusters whose name is textmine's
        suggestion, curation.Theme.suggested); meta: more meta values (model_dir: the saved
        model; baseline: a follow-up wave's baseline counts, as JSON)."""
        state = from_clusters({i: int(c) for i, c in enumerate(answers["cluster"])}, names, descriptions, finals,
                              suggested)
        create(Path(path), question, answers, {str(t): _theme_json(th) for t, th in state.themes.items()},
               dict(state.primary), survey, vectors, coords, stopwords, meta, state.next_id)
        return cls(path)

    # -- reading -------------------------------------------------------------------------------
    def _query(self, fn):
        con = open_project(self.path)
        try:
            return fn(con)
        except (sqlite3.Error, pd.errors.DatabaseError) as exc:    # pandas wraps SQLite's errors in its own
            raise database_error(exc, self.path) from None
        finally:
            con.close()

    def read(self) -> ProjectData:
        """The project at its current version (projectdata.ProjectData)."""
        return read(self.path)

    def state(self) -> State:
        return self.read().state

    def version(self) -> int:
        return self._query(read_version)

    def question(self) -> str:
        return self.meta("question")

    def answers(self) -> pd.DataFrame:
        return self.read().answers

    def vectors(self) -> np.ndarray | None:
        """The clustering vectors, one row per answer_id; None when the project has none."""
        return self.read().vectors

    def meta(self, key: str, default: str = "") -> str:
        row = self._query(lambda con: con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone())
        return row[0] if row else default

    def all_meta(self) -> dict:
        return self._query(read_meta)

    def audit(self) -> pd.DataFrame:
        return self._query(lambda con: pd.read_sql_query("SELECT * FROM audit ORDER BY seq", con))

    def history(self, quote=None) -> pd.DataFrame:
        """The audit log in the analyst's words with the theme names as they were then: seq, at (UTC), kind, what
        (an undo or redo: what it undid or redid), status, themes (the ids a step concerns); newest last. `quote`:
        answer id -> its shown (masked) text, to quote a few moved answers (history.steps_in_words)."""
        log, names = self._query(lambda con: (pd.read_sql_query("SELECT * FROM audit ORDER BY seq", con),
                                              _names(con)))
        rows = [{"seq": q, "kind": k, "action": a, "params": json.loads(p), "before": json.loads(b),
                 "after": json.loads(f), "target": t}
                for q, k, a, p, b, f, t in zip(log["seq"], log["kind"], log["action"], log["params"], log["before"],
                                               log["after"], log["target"])]
        said = steps_in_words(rows, names, quote)
        return pd.DataFrame({"seq": log["seq"], "at": log["at"], "kind": log["kind"],
                             "what": [w for w, _ in said], "status": log["status"],
                             "themes": [t for _, t in said]})

    def next_steps(self) -> tuple[str | None, str | None]:
        """(what undo would undo now, what redo would redo), in words with the names as they were, read in one
        connection; None for nothing. The project is as the newest step still done left it, and as the oldest
        undone step found it."""
        def rows(con):
            return (con.execute("SELECT action, params, before, after FROM audit WHERE kind = 'action' AND "
                                "status = 'done' ORDER BY seq DESC LIMIT 1").fetchone(),
                    con.execute("SELECT action, params, before, after FROM audit WHERE kind = 'action' AND "
                                "status = 'undone' ORDER BY seq LIMIT 1").fetchone(), _names(con))
        undo, redo, names = self._query(rows)

        def words(row, now_is_after: bool):
            if row is None:
                return None
            before, after = json.loads(row[2]), json.loads(row[3])
            then = Then(replayed(names, before), names, before, after) if now_is_after else \
                Then(names, replayed(names, after), before, after)
            return describe(row[0], json.loads(row[1]), then)
        return words(undo, True), words(redo, False)

    def next_undo(self) -> str | None:
        """What undo would undo now, in words; None when there is nothing."""
        return self.next_steps()[0]

    def next_redo(self) -> str | None:
        return self.next_steps()[1]

    # -- writing -------------------------------------------------------------------------------
    def move_to(self, target: Path) -> "Project":
        """Rename the file (and its WAL sidecars, after folding the WAL in when it can be read)."""
        try:
            con = sqlite3.connect(self.path)
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            con.close()
        except sqlite3.DatabaseError:
            pass                                       # a damaged file is moved as it is
        target = Path(target)
        self.path.rename(target)
        for extra in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + extra)
            if side.exists():
                side.rename(target.with_name(target.name + extra))
        return Project(target)

    def rename(self, title: str) -> str:
        """Give the project the name the analyst reads in the project list and the header (meta `title`; the file
        keeps its name, so nothing that refers to it breaks). Returns the name as stored."""
        title = " ".join(str(title or "").split())
        if not title:
            raise TextmineError("Skriv projektets nye navn.")
        if len(title) > TITLE_LIMIT:
            raise TextmineError(f"Projektets navn må højst være {TITLE_LIMIT} tegn (det har {len(title)}).")
        self.set_meta("title", title)
        return title

    def set_meta(self, key: str, value: str) -> None:
        """Set one meta value (not a curation action: not in the audit log)."""
        def write(con):
            with con:
                con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, str(value)))
        self._query(write)

    def _transaction(self, expected_version: int | None, work):
        """Run work(con) in one write transaction at the expected version; a refusal or failure leaves the
        file as it was, and the connection is closed whatever happens."""
        con = open_project(self.path)
        try:
            con.execute("BEGIN IMMEDIATE")
            if expected_version is not None and expected_version != read_version(con):
                raise StaleError("Projektet er ændret i en anden fane eller af en anden bruger, efter at du "
                                 "indlæste siden. Genindlæs siden; din handling er ikke udført.")
            result = work(con)
            con.execute("COMMIT")
            return result
        except sqlite3.Error as exc:
            raise database_error(exc, self.path) from None
        finally:
            if con.in_transaction:
                con.execute("ROLLBACK")
            con.close()

    @staticmethod
    def _apply_side(con, side: dict) -> None:
        write_themes(con, side["themes"])
        con.executemany("UPDATE placement SET theme_id = ?, second_theme_id = ? WHERE answer_id = ?",
                        [(row[0], row[1], int(a)) for a, row in side["placement"].items()])
        con.executemany("UPDATE placement SET reviewed = ? WHERE answer_id = ?",
                        [(int(r), int(a)) for a, r in side.get("reviewed", {}).items()])

    @staticmethod
    def _log(con, kind, action, params, before, after, target=None, status="done") -> int:
        cur = con.execute("INSERT INTO audit (at, kind, action, params, before, after, target, status) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          (datetime.now(timezone.utc).isoformat(timespec="milliseconds"), kind, action,
                           json.dumps(params, ensure_ascii=False), json.dumps(before, ensure_ascii=False),
                           json.dumps(after, ensure_ascii=False), target, status))
        return cur.lastrowid

    def _commit_state(self, con, before: State, after: State, action: str, params: dict) -> int:
        old, new = diff(before, after)
        self._apply_side(con, new)
        con.execute("UPDATE meta SET value = ? WHERE key = 'next_theme_id'", (str(max(after.next_id, before.next_id)),))
        con.execute("UPDATE audit SET status = 'discarded' WHERE kind = 'action' AND status = 'undone'")
        return self._log(con, "action", action, _jsonable(params), old, new)

    def apply(self, action: str, expected_version: int | None = None, **params) -> int:
        """Do one curation action in one transaction; returns the new version."""
        def work(con):
            before = current_state(con, self.path)
            return self._commit_state(con, before, ACTIONS[action](before, **params), action, params)
        return self._transaction(expected_version, work)

    def apply_steps(self, label: str, steps: list[tuple[str, dict]], expected_version: int | None = None,
                    **about) -> int:
        """Several actions as one step: all are applied or none, and one undo takes them all back. `about`:
        what the step's description needs beside its steps (tree_cut: themes=12)."""
        def work(con):
            before = current_state(con, self.path)
            return self._commit_state(con, before, run_steps(before, steps), label,
                                      {**_jsonable(about), "steps": [[a, _jsonable(p)] for a, p in steps]})
        return self._transaction(expected_version, work)

    def _step(self, con, kind: str) -> int | None:
        if kind == "undo":
            row = con.execute("SELECT seq, action, before, after FROM audit WHERE kind = 'action' "
                              "AND status = 'done' ORDER BY seq DESC LIMIT 1").fetchone()
        else:
            row = con.execute("SELECT seq, action, after, before FROM audit WHERE kind = 'action' "
                              "AND status = 'undone' ORDER BY seq LIMIT 1").fetchone()
        if row is None:
            return None
        seq, action, target_side, other_side = row
        self._apply_side(con, json.loads(target_side))
        con.execute("UPDATE audit SET status = ? WHERE seq = ?", ("undone" if kind == "undo" else "done", seq))
        return self._log(con, kind, action, {}, json.loads(other_side), json.loads(target_side), target=seq)

    def undo(self, expected_version: int | None = None) -> int | None:
        """Undo the newest action still done; None when there is nothing to undo."""
        return self._transaction(expected_version, lambda con: self._step(con, "undo"))

    def redo(self, expected_version: int | None = None) -> int | None:
        """Redo the oldest undone action; None when there is nothing to redo."""
        return self._transaction(expected_version, lambda con: self._step(con, "redo"))

    def back_to(self, seq: int, expected_version: int | None = None) -> int | None:
        """Go back to how the project was right after audit row `seq` (0: as discovered), by undoing every
        later action in one transaction; each undo is logged, so redo brings them back one by one."""
        def work(con):
            done = None
            while True:
                row = con.execute("SELECT MAX(seq) FROM audit WHERE kind = 'action' AND status = 'done'").fetchone()
                if row[0] is None or row[0] <= seq:
                    return done
                done = self._step(con, "undo")
        return self._transaction(expected_version, work)


def _names(con) -> dict[int, str]:
    """The themes' names now (id -> name)."""
    return dict(con.execute("SELECT theme_id, name FROM themes").fetchall())


def _jsonable(params: dict) -> dict:
    def plain(v):
        if isinstance(v, (set, tuple, list)):
            return [plain(x) for x in v]
        if isinstance(v, dict):
            return {str(a): plain(b) for a, b in v.items()}
        if isinstance(v, np.integer):
            return int(v)
        return v
    return {k: plain(v) for k, v in params.items()}
