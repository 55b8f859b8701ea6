"""The project file's format: one SQLite database per survey question.

Tables: meta (schema version, question, survey, the next free theme id, ...), answers (text, respondent,
discovered cluster, map position, clustering vector), themes, placement (primary and second theme per
answer, and whether the analyst reviewed it: 1, or reviewed and moved it: 2), the answers pinned as each
theme's quotes (themes.quotes, a JSON list in the analyst's order), whether a theme's name is still textmine's
suggestion (themes.suggested) and audit (every action, undo and redo,
with the rows it changed before and after, as JSON).

This module creates a file, opens an existing one (refusing a damaged, foreign or newer one and leaving
it untouched) and migrates an older one. A file from an older textmine is copied to NAME.vN.bak and
migrated step by step in one transaction (MIGRATIONS). Reading is `projectdata`; the curation history
(actions, undo, redo) is `store`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import TextmineError, file_problem, nearly_full

SCHEMA_VERSION = 6
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE answers (answer_id INTEGER PRIMARY KEY, respondent_id TEXT NOT NULL, text TEXT NOT NULL,
                      cluster INTEGER, x REAL, y REAL, vector BLOB);
CREATE TABLE themes (theme_id INTEGER PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
                     final INTEGER NOT NULL, clusters TEXT NOT NULL, quotes TEXT NOT NULL DEFAULT '[]',
                     suggested INTEGER NOT NULL DEFAULT 0);
CREATE TABLE placement (answer_id INTEGER PRIMARY KEY REFERENCES answers, theme_id INTEGER,
                        second_theme_id INTEGER, reviewed INTEGER NOT NULL DEFAULT 0);
CREATE TABLE audit (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, action TEXT NOT NULL,
                    params TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL, target INTEGER,
                    status TEXT NOT NULL);
CREATE INDEX placement_theme ON placement (theme_id);
"""
TABLES = {"meta", "answers", "themes", "placement", "audit"}
SQLITE_HEADER = b"SQLite format 3\x00"


class ProjectError(TextmineError):
    """The project file is missing, damaged, from an unknown version, or cannot be written."""


def database_error(exc: sqlite3.Error, path: Path) -> ProjectError:
    """What an SQLite failure means to the analyst: a full disk and a read-only folder are not damage."""
    text = str(exc).lower()
    if "full" in text or ("disk i/o error" in text and nearly_full(path)):   # no room for the -shm/-wal beside it
        return ProjectError(f"Disken er fuld, så {path.name} kan ikke åbnes eller gemmes. Frigør plads, og prøv "
                            "igen; projektet er som efter sidste gemte handling.")
    if "disk i/o error" in text:
        return ProjectError(f"Disken gav en fejl under læsning eller skrivning af {path.name}. Tjek drevet og den "
                            "ledige plads, og prøv igen; projektet er som efter sidste gemte handling.")
    if "readonly" in text or "read-only" in text or "unable to open" in text or "permission" in text:
        return ProjectError(f"Projektfilen {path.name} eller dens mappe er skrivebeskyttet. Giv skriveadgang "
                            "eller kopiér projektet til en anden mappe.")
    if "locked" in text or "busy" in text:
        return ProjectError(f"Projektfilen {path.name} er optaget af en anden handling. Prøv igen om lidt.")
    return ProjectError(f"Projektfilen {path.name} er beskadiget eller ikke en textmine-projektfil. "
                        "Den er ikke ændret; åbn en sikkerhedskopi eller lav projektet igen.")


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


def _migrate_2_to_3(con: sqlite3.Connection, path: Path) -> None:
    """Version 3: theme ids only grow (meta.next_theme_id, above every id the themes or the history ever
    named), a file id for caches, and the unused clusters table is dropped."""
    used = [t for (t,) in con.execute("SELECT theme_id FROM themes")]
    for before, after in con.execute("SELECT before, after FROM audit"):
        for side in (before, after):
            used += [int(t) for t in json.loads(side).get("themes", {})]
    con.execute("INSERT OR REPLACE INTO meta VALUES ('next_theme_id', ?)", (str(max(used, default=-1) + 1),))
    con.execute("INSERT OR IGNORE INTO meta VALUES ('file_id', ?)", (uuid.uuid4().hex,))
    con.execute("DROP TABLE IF EXISTS clusters")


def _migrate_3_to_4(con: sqlite3.Connection, path: Path) -> None:
    """Version 4: an answer's placement can be marked as reviewed by the analyst (the review queue)."""
    columns = {c for (_, c, *_) in con.execute("PRAGMA table_info(placement)")}
    if "reviewed" not in columns:
        con.execute("ALTER TABLE placement ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0")


def _migrate_4_to_5(con: sqlite3.Connection, path: Path) -> None:
    """Version 5: a theme can have answers pinned as its quotes for the report (none in an older file)."""
    columns = {c for (_, c, *_) in con.execute("PRAGMA table_info(themes)")}
    if "quotes" not in columns:
        con.execute("ALTER TABLE themes ADD COLUMN quotes TEXT NOT NULL DEFAULT '[]'")


def _migrate_5_to_6(con: sqlite3.Connection, path: Path) -> None:
    """Version 6: a theme's name can be textmine's suggestion, not yet the analyst's (every name in an older file
    is the analyst's, or "Klynge N")."""
    columns = {c for (_, c, *_) in con.execute("PRAGMA table_info(themes)")}
    if "suggested" not in columns:
        con.execute("ALTER TABLE themes ADD COLUMN suggested INTEGER NOT NULL DEFAULT 0")


MIGRATIONS = {1: _migrate_1_to_2, 2: _migrate_2_to_3, 3: _migrate_3_to_4, 4: _migrate_4_to_5,
              5: _migrate_5_to_6}   # from version -> the next


def connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, isolation_level=None, timeout=10)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    return con


def create(path: Path, question: str, answers: pd.DataFrame, themes: dict, primary: dict, survey: str = "",
           vectors: np.ndarray | None = None, coords: np.ndarray | None = None, stopwords=(),
           meta: dict | None = None, next_theme_id: int = 0) -> None:
    """Write a new project file (replacing one of the same name, with its WAL sidecars). answers:
    respondent_id, answer, cluster; themes: id -> row (name, description, final, clusters); primary:
    answer -> theme id or None."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove(path)
    n = len(answers)
    xy = coords if coords is not None else np.full((n, 2), np.nan)
    blobs = [v.astype(np.float32).tobytes() for v in vectors] if vectors is not None else [None] * n
    con = connect(path)
    try:
        con.executescript(SCHEMA)
        con.execute("BEGIN")
        con.executemany("INSERT INTO meta VALUES (?, ?)", [
            ("schema_version", str(SCHEMA_VERSION)), ("question", question), ("survey", survey),
            ("stopwords", json.dumps(list(stopwords), ensure_ascii=False)), ("file_id", uuid.uuid4().hex),
            ("next_theme_id", str(next_theme_id)), *((str(k), str(v)) for k, v in (meta or {}).items())])
        con.executemany("INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [(i, str(r), str(t), int(c), float(xy[i, 0]), float(xy[i, 1]), blobs[i]) for i, (r, t, c) in
                         enumerate(answers[["respondent_id", "answer", "cluster"]].itertuples(index=False))])
        write_themes(con, themes)
        con.executemany("INSERT INTO placement VALUES (?, ?, NULL, 0)", list(primary.items()))
        con.execute("COMMIT")
    finally:
        con.close()


def remove(path: Path) -> None:
    """Delete a project file with its WAL sidecars (a new one replacing it, or one whose saving failed)."""
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        part.unlink(missing_ok=True)


def write_themes(con: sqlite3.Connection, rows: dict) -> None:
    for tid, row in rows.items():
        if row is None:
            con.execute("DELETE FROM themes WHERE theme_id = ?", (int(tid),))
        else:
            con.execute("INSERT OR REPLACE INTO themes (theme_id, name, description, final, clusters, quotes, "
                        "suggested) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (int(tid), row["name"], row["description"], int(row["final"]), json.dumps(row["clusters"]),
                         json.dumps(row.get("quotes", [])), int(bool(row.get("suggested", False)))))


def _schema_version(path: Path) -> int:
    """The file's schema version, read without changing the file (no WAL switch on a foreign file)."""
    try:
        with open(path, "rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError:
        raise ProjectError(f"Projektfilen {path.name} kan ikke læses. Tjek, at du har adgang til den.") from None
    if header != SQLITE_HEADER:
        raise ProjectError(f"{path.name} er ikke en textmine-projektfil (eller den er beskadiget). "
                           "Den er ikke ændret; vælg en projektfil (.sqlite), som textmine har lavet.")
    sidecars = [path.with_name(path.name + end) for end in ("-wal", "-shm")]
    absent = [side for side in sidecars if not side.exists()]
    try:
        return _checked_version(path)
    except ProjectError:              # a refused file is left as it was: no empty -wal/-shm beside it
        _remove_empty_sidecars(absent)
        raise


def _remove_empty_sidecars(created: list[Path]) -> None:
    """Remove the WAL sidecars that reading a WAL-mode file created (an empty -wal, and its -shm)."""
    wal = [side for side in created if side.name.endswith("-wal") and side.exists()]
    if any(side.stat().st_size for side in wal):
        return                        # another program wrote to it meanwhile: not ours to remove
    for side in created:
        side.unlink(missing_ok=True)


def _writable(path: Path) -> bool:
    """Whether this process may write the file and make its -wal/-shm beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection. A WAL-mode file in a folder this process cannot write has no -shm to share, so
    SQLite refuses even to read it: then, when no -wal holds changes not yet folded into the file, it is read as
    an immutable file (nobody here can change it)."""
    uri = Path(path).resolve().as_uri()                       # ?, # and % in the name quoted
    con = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
    try:
        con.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
        return con
    except sqlite3.OperationalError:
        con.close()
        wal = path.with_name(path.name + "-wal")
        if _writable(path) or (wal.exists() and wal.stat().st_size):
            raise
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)


def _checked_version(path: Path) -> int:
    """The schema version of an SQLite file, read-only; a file that is not a readable textmine project refused."""
    try:
        con = read_only(path)
    except sqlite3.Error as exc:
        raise database_error(exc, path) from None
    try:
        tables = {t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() if "meta" in tables else None
    except sqlite3.Error as exc:
        raise database_error(exc, path) from None
    finally:
        con.close()
    if row is None or not str(row[0]).isdigit() or int(row[0]) < 1:
        raise ProjectError(f"{path.name} er ikke en textmine-projektfil (den mangler sin skemaversion). "
                           "Den er ikke ændret; vælg en projektfil, som textmine har lavet.")
    version = int(row[0])
    if version > SCHEMA_VERSION:
        raise ProjectError(f"Projektfilen {path.name} er fra en nyere textmine. Opdatér textmine.")
    missing = (TABLES - {"audit"} if version < 3 else TABLES) - tables
    if missing:
        raise ProjectError(f"Projektfilen {path.name} er beskadiget (tabellen {sorted(missing)[0]} mangler). "
                           "Den er ikke ændret; åbn en sikkerhedskopi eller lav projektet igen.")
    return version


def open_project(path: Path) -> sqlite3.Connection:
    """A connection to an existing, readable project file of a known schema version (migrated if older)."""
    problem = file_problem(path, "projektfil")
    if problem:
        raise ProjectError(problem)
    version = _schema_version(path)
    try:
        con = connect(path)
    except sqlite3.Error as exc:
        if _writable(path) or version < SCHEMA_VERSION:
            raise database_error(exc, path) from None
        return read_only(path)                 # a read-only folder: reading works, writing says it is read-only
    if version < SCHEMA_VERSION:
        _migrate(con, path, version)
    return con


def _migrate(con: sqlite3.Connection, path: Path, version: int) -> None:
    """Bring a project file from an older textmine up to SCHEMA_VERSION: first a backup copy beside it
    (NAME.vN.bak), then every step in one transaction, so a failure leaves the file as it was."""
    backup = path.with_name(f"{path.name}.v{version}.bak")
    try:
        if not backup.exists():
            target = sqlite3.connect(backup)
            try:
                con.backup(target)
            finally:
                target.close()
        con.execute("BEGIN IMMEDIATE")
        current = int(con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
        while current < SCHEMA_VERSION:          # another process may have migrated meanwhile
            MIGRATIONS[current](con, path)
            current += 1
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
        con.execute("COMMIT")
    except (sqlite3.Error, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        if con.in_transaction:
            con.execute("ROLLBACK")
        con.close()
        text = str(exc).lower()                  # SQLite's and Python's words are English: only what to fix is said
        why = " (disken er fuld)" if "full" in text else " (filen eller mappen er skrivebeskyttet)" if "readonly" in \
            text or isinstance(exc, PermissionError) else ""
        raise ProjectError(f"Projektfilen {path.name} fra en ældre textmine kan ikke opdateres{why}. Den er ikke "
                           f"ændret; en kopi ligger i {backup.name}.") from None
