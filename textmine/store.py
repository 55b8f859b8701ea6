"""The project file: one SQLite database per survey question.

Tables: meta (schema version, question, survey), answers (text, respondent, discovered cluster),
themes, placement (primary and second theme per answer) and audit (every action, undo and redo,
with the rows it changed before and after, as JSON). Every action is one transaction, so a crash
leaves the file at the last acknowledged action. The project's version is the newest audit row:
a tab that acts on an older version is told so instead of overwriting newer work.

The file carries its schema version (meta.schema_version). A file from an older textmine is copied to
NAME.vN.bak and migrated step by step in one transaction (MIGRATIONS); one from a newer textmine, or a
damaged one, is refused with a message and left untouched.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from .curation import ACTIONS, State, Theme, from_clusters
from .errors import TextmineError

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE answers (answer_id INTEGER PRIMARY KEY, respondent_id TEXT NOT NULL, text TEXT NOT NULL,
                      cluster INTEGER, x REAL, y REAL, vector BLOB);
CREATE TABLE clusters (cluster INTEGER PRIMARY KEY, keywords TEXT NOT NULL, examples TEXT NOT NULL);
CREATE TABLE themes (theme_id INTEGER PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
                     final INTEGER NOT NULL, clusters TEXT NOT NULL);
CREATE TABLE placement (answer_id INTEGER PRIMARY KEY REFERENCES answers, theme_id INTEGER,
                        second_theme_id INTEGER);
CREATE TABLE audit (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, action TEXT NOT NULL,
                    params TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL, target INTEGER,
                    status TEXT NOT NULL);
CREATE INDEX placement_theme ON placement (theme_id);
"""


def _migrate_1_to_2(con: sqlite3.Connection, path: Path) -> None:
    """Version 2: an index on placement.theme_id (theme lists of large projects), and the link to the saved
    model that a follow-up wave is placed with, when it sits where textmine put it (DIR/model/ beside
    DIR/project.sqlite, or NAME.model/ beside NAME.sqlite from the app)."""
    con.execute("CREATE INDEX IF NOT EXISTS placement_theme ON placement (theme_id)")
    if con.execute("SELECT 1 FROM meta WHERE key = 'model_dir'").fetchone() is None:
        for candidate in (path.parent / "model", path.with_suffix(".model")):
            if (candidate / "textmine_model.json").is_file():
                con.execute("INSERT INTO meta VALUES ('model_dir', ?)", (str(candidate.resolve()),))
                break


MIGRATIONS = {1: _migrate_1_to_2}        # from version -> step to the next version


class ProjectError(TextmineError):
    """The project file is missing, damaged or from an unknown version."""


class StaleError(TextmineError):
    """The project changed (in another tab) since this view was loaded."""


def _theme_json(theme: Theme | None):
    if theme is None:
        return None
    return {"name": theme.name, "description": theme.description, "final": theme.final, "clusters": list(theme.clusters)}


def diff(before: State, after: State) -> tuple[dict, dict]:
    """The rows an action changed: ({"themes": {id: row|None}, "placement": {answer: [primary, second]}}, same after)."""
    ids = set(before.themes) | set(after.themes)
    themes = [t for t in sorted(ids) if before.themes.get(t) != after.themes.get(t)]
    answers = [a for a in after.primary
               if (before.primary[a], before.second.get(a)) != (after.primary[a], after.second.get(a))]

    def side(state: State) -> dict:
        return {"themes": {str(t): _theme_json(state.themes.get(t)) for t in themes},
                "placement": {str(a): [state.primary[a], state.second.get(a)] for a in answers}}
    return side(before), side(after)


class Project:
    """A project file. Constructing only stores the path; `create` or the first read opens it."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    # -- opening -------------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        return con

    @classmethod
    def create(cls, path: str | Path, question: str, answers: pd.DataFrame, clusters: pd.DataFrame,
               survey: str = "", vectors: np.ndarray | None = None, coords: np.ndarray | None = None,
               stopwords=(), names: dict | None = None, meta: dict | None = None) -> "Project":
        """A new project from discovered clusters. answers: respondent_id, answer, cluster (-1 unplaced);
        clusters: cluster, keywords, examples (list of str); vectors: the clustering vectors (for split,
        placement suggestions and typical answers); coords: 2-D map positions; meta: more meta values
        (model_dir: the saved model; baseline: a follow-up wave's baseline counts, as JSON)."""
        project = cls(path)
        if project.path.exists():
            project.path.unlink()
        project.path.parent.mkdir(parents=True, exist_ok=True)
        state = from_clusters({i: int(c) for i, c in enumerate(answers["cluster"])}, names)
        con = project._connect()
        try:
            con.executescript(SCHEMA)
            con.execute("BEGIN")
            con.executemany("INSERT INTO meta VALUES (?, ?)", [("schema_version", str(SCHEMA_VERSION)),
                            ("question", question), ("survey", survey),
                            ("stopwords", json.dumps(list(stopwords), ensure_ascii=False)),
                            *((str(k), str(v)) for k, v in (meta or {}).items())])
            n = len(answers)
            xy = coords if coords is not None else np.full((n, 2), np.nan)
            blobs = [v.astype(np.float32).tobytes() for v in vectors] if vectors is not None else [None] * n
            con.executemany("INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [(i, str(r), str(t), int(c), float(xy[i, 0]), float(xy[i, 1]), blobs[i]) for i, (r, t, c) in
                             enumerate(answers[["respondent_id", "answer", "cluster"]].itertuples(index=False))])
            con.executemany("INSERT INTO clusters VALUES (?, ?, ?)",
                            [(int(c), k, json.dumps(list(e), ensure_ascii=False)) for c, k, e in
                             clusters[["cluster", "keywords", "examples"]].itertuples(index=False)])
            project._write_themes(con, {str(t): _theme_json(th) for t, th in state.themes.items()})
            con.executemany("INSERT INTO placement VALUES (?, ?, NULL)", list(state.primary.items()))
            con.execute("COMMIT")
        finally:
            con.close()
        return project

    def _open(self) -> sqlite3.Connection:
        """A connection to an existing, readable project file of a known schema version."""
        if not self.path.is_file():
            raise ProjectError(f"Projektfilen findes ikke: {self.path}.")
        con = None
        try:
            con = self._connect()
            version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.DatabaseError:
            if con is not None:
                con.close()
            raise ProjectError(f"Projektfilen {self.path.name} er beskadiget eller ikke en textmine-projektfil. "
                               "Den er ikke ændret; åbn en sikkerhedskopi eller lav projektet igen.") from None
        if version is None or int(version[0]) > SCHEMA_VERSION:
            con.close()
            raise ProjectError(f"Projektfilen {self.path.name} er fra en nyere textmine. Opdatér textmine.")
        if int(version[0]) < SCHEMA_VERSION:
            self._migrate(con, int(version[0]))
        return con

    def _migrate(self, con: sqlite3.Connection, version: int) -> None:
        """Bring a project file from an older textmine up to SCHEMA_VERSION: first a backup copy beside it
        (NAME.vN.bak), then every step in one transaction, so a failure leaves the file as it was."""
        backup = self.path.with_name(f"{self.path.name}.v{version}.bak")
        if not backup.exists():
            target = sqlite3.connect(backup)
            try:
                con.backup(target)
            finally:
                target.close()
        try:
            con.execute("BEGIN IMMEDIATE")
            current = int(con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
            while current < SCHEMA_VERSION:          # another process may have migrated meanwhile
                MIGRATIONS[current](con, self.path)
                current += 1
            con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
            con.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if con.in_transaction:
                con.execute("ROLLBACK")
            con.close()
            raise ProjectError(f"Projektfilen {self.path.name} fra en ældre textmine kan ikke opdateres ({exc}). "
                               f"Den er ikke ændret; en kopi ligger i {backup.name}.") from None

    @contextmanager
    def _read(self):
        con = self._open()
        try:
            yield con
        finally:
            con.close()

    # -- reading -------------------------------------------------------------------------------
    @staticmethod
    def _state(con) -> State:
        themes = {tid: Theme(tid, name, desc, bool(final), tuple(json.loads(cl)))
                  for tid, name, desc, final, cl in con.execute("SELECT * FROM themes")}
        rows = con.execute("SELECT answer_id, theme_id, second_theme_id FROM placement").fetchall()
        return State.build(themes, {a: p for a, p, _ in rows}, {a: s for a, _, s in rows if s is not None})

    def state(self) -> State:
        with self._read() as con:
            return self._state(con)

    @staticmethod
    def _version(con) -> int:
        return con.execute("SELECT COALESCE(MAX(seq), 0) FROM audit").fetchone()[0]

    @staticmethod
    def _answers(con) -> pd.DataFrame:
        return pd.read_sql_query("SELECT a.answer_id, a.respondent_id, a.text, a.cluster, a.x, a.y, p.theme_id, "
                                 "p.second_theme_id FROM answers a JOIN placement p USING (answer_id) "
                                 "ORDER BY a.answer_id", con)

    @staticmethod
    def _vectors(con) -> np.ndarray | None:
        blobs = [b for (b,) in con.execute("SELECT vector FROM answers ORDER BY answer_id")]
        if not blobs or blobs[0] is None:
            return None
        return np.vstack([np.frombuffer(b, dtype=np.float32) for b in blobs])

    def load(self) -> dict:
        """Everything a view needs, read in one connection (so from one version): version, state,
        answers, vectors and the meta values."""
        with self._read() as con:
            return {"version": self._version(con), "state": self._state(con), "answers": self._answers(con),
                    "vectors": self._vectors(con), "meta": dict(con.execute("SELECT key, value FROM meta"))}

    def version(self) -> int:
        with self._read() as con:
            return self._version(con)

    def question(self) -> str:
        return self.meta("question")

    def answers(self) -> pd.DataFrame:
        with self._read() as con:
            return self._answers(con)

    def vectors(self) -> np.ndarray | None:
        """The clustering vectors, one row per answer_id; None when the project has none."""
        with self._read() as con:
            return self._vectors(con)

    def meta(self, key: str, default: str = "") -> str:
        with self._read() as con:
            row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def audit(self) -> pd.DataFrame:
        with self._read() as con:
            return pd.read_sql_query("SELECT * FROM audit ORDER BY seq", con)

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

    def set_meta(self, key: str, value: str) -> None:
        """Set one meta value (not a curation action: not in the audit log)."""
        con = self._open()
        try:
            with con:
                con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, str(value)))
        finally:
            con.close()

    @staticmethod
    def _write_themes(con, rows: dict) -> None:
        for tid, row in rows.items():
            if row is None:
                con.execute("DELETE FROM themes WHERE theme_id = ?", (int(tid),))
            else:
                con.execute("INSERT OR REPLACE INTO themes VALUES (?, ?, ?, ?, ?)",
                            (int(tid), row["name"], row["description"], int(row["final"]), json.dumps(row["clusters"])))

    def _apply_side(self, con, side: dict) -> None:
        self._write_themes(con, side["themes"])
        con.executemany("UPDATE placement SET theme_id = ?, second_theme_id = ? WHERE answer_id = ?",
                        [(p, s, int(a)) for a, (p, s) in side["placement"].items()])

    def _log(self, con, kind, action, params, before, after, target=None, status="done") -> int:
        cur = con.execute("INSERT INTO audit (at, kind, action, params, before, after, target, status) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          (datetime.now(timezone.utc).isoformat(timespec="milliseconds"), kind, action,
                           json.dumps(params, ensure_ascii=False), json.dumps(before, ensure_ascii=False),
                           json.dumps(after, ensure_ascii=False), target, status))
        return cur.lastrowid

    def _begin(self, expected_version: int | None):
        con = self._open()
        con.execute("BEGIN IMMEDIATE")
        current = self._version(con)
        if expected_version is not None and expected_version != current:
            con.execute("ROLLBACK")
            con.close()
            raise StaleError("Projektet er ændret i en anden fane eller af en anden bruger, siden siden blev "
                             "indlæst. Genindlæs siden; din handling er ikke udført.")
        return con

    def apply(self, action: str, expected_version: int | None = None, **params) -> int:
        """Do one curation action in one transaction; returns the new version."""
        con = self._begin(expected_version)
        try:
            before = self._state(con)
            after = ACTIONS[action](before, **params)
            old, new = diff(before, after)
            self._apply_side(con, new)
            con.execute("UPDATE audit SET status = 'discarded' WHERE kind = 'action' AND status = 'undone'")
            seq = self._log(con, "action", action, _jsonable(params), old, new)
            con.execute("COMMIT")
            return seq
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            con.close()

    def _step(self, kind: str, expected_version: int | None) -> int | None:
        con = self._begin(expected_version)
        try:
            if kind == "undo":
                row = con.execute("SELECT seq, action, before, after FROM audit WHERE kind = 'action' "
                                  "AND status = 'done' ORDER BY seq DESC LIMIT 1").fetchone()
            else:
                row = con.execute("SELECT seq, action, after, before FROM audit WHERE kind = 'action' "
                                  "AND status = 'undone' ORDER BY seq LIMIT 1").fetchone()
            if row is None:
                con.execute("ROLLBACK")
                return None
            seq, action, target_side, other_side = row
            self._apply_side(con, json.loads(target_side))
            con.execute("UPDATE audit SET status = ? WHERE seq = ?", ("undone" if kind == "undo" else "done", seq))
            new = self._log(con, kind, action, {}, json.loads(other_side), json.loads(target_side), target=seq)
            con.execute("COMMIT")
            return new
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        finally:
            con.close()

    def undo(self, expected_version: int | None = None) -> int | None:
        """Undo the newest action still done; None when there is nothing to undo."""
        return self._step("undo", expected_version)

    def redo(self, expected_version: int | None = None) -> int | None:
        """Redo the oldest undone action; None when there is nothing to redo."""
        return self._step("redo", expected_version)


def _jsonable(params: dict) -> dict:
    return {k: (list(v) if isinstance(v, (set, tuple)) else {str(a): b for a, b in v.items()} if isinstance(v, dict) else v)
            for k, v in params.items()}
