"""Project files from older versions open; damaged ones are refused and left untouched; discover never
overwrites curated work."""

import shutil
import sqlite3
from pathlib import Path

import pytest

from textmine.project.store import SCHEMA_VERSION, Project, ProjectError

from .conftest import ROOT

V1 = ROOT / "tests" / "data" / "project_v1.sqlite"      # made by textmine's first version (schema 1)


def _copy(tmp_path, name="project.sqlite"):
    target = tmp_path / name
    shutil.copyfile(V1, target)
    return target


def test_a_version_1_project_opens_migrated_with_a_backup(tmp_path):
    path = _copy(tmp_path)
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("1",)
    raw.close()
    project = Project(path)
    state = project.state()                                       # opening migrates
    assert state.themes[0].name == "Rekruttering" and state.themes[1].clusters == (1, 2)
    assert state.primary[5] == 1                                  # the move that was undone and redone
    assert project.meta("schema_version") == str(SCHEMA_VERSION)
    assert len(project.audit()) == 5                               # history kept: 3 actions, undo, redo
    backup = tmp_path / "project.sqlite.v1.bak"
    old = sqlite3.connect(backup)
    assert old.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("1",)
    assert old.execute("SELECT COUNT(*) FROM audit").fetchone() == (5,)
    old.close()
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT name FROM sqlite_master WHERE name = 'placement_theme'").fetchone()
    project.undo()                                                # and it is curated as usual
    assert project.state().primary[5] is None


def test_migration_links_the_model_saved_beside_the_project(tmp_path):
    path = _copy(tmp_path)
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "textmine_model.json").write_text("{}", encoding="utf-8")
    assert Project(path).meta("model_dir") == str((tmp_path / "model").resolve())


def test_a_failed_migration_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    from textmine.project import file as projectfile

    path = _copy(tmp_path)
    before = path.read_bytes()

    def broken(con, path):
        con.execute("CREATE INDEX placement_theme ON placement (theme_id)")
        con.execute("SELECT * FROM no_such_table")

    monkeypatch.setitem(projectfile.MIGRATIONS, 1, broken)
    with pytest.raises(ProjectError, match="ikke ændret"):
        Project(path).state()
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("1",)
        assert con.execute("SELECT name FROM sqlite_master WHERE name = 'placement_theme'").fetchone() is None
    assert (tmp_path / "project.sqlite.v1.bak").is_file()
    assert path.read_bytes() == before                                       # not a byte changed
    monkeypatch.undo()
    assert Project(path).state().themes[0].name == "Rekruttering"          # a fixed textmine migrates it


def test_a_project_from_a_newer_textmine_is_refused_untouched(tmp_path):
    path = _copy(tmp_path)
    with sqlite3.connect(path) as con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="nyere textmine"):
        Project(path).state()
    assert path.read_bytes() == before


@pytest.mark.parametrize("damage", ["truncated", "garbage", "zeroed_header"])
def test_a_damaged_project_is_refused_and_not_overwritten(tmp_path, damage):
    path = _copy(tmp_path)
    data = path.read_bytes()
    data = {"truncated": data[: len(data) // 3], "garbage": b"not a project" * 100,
            "zeroed_header": b"\0" * 100 + data[100:]}[damage]
    path.write_bytes(data)
    with pytest.raises(ProjectError, match="beskadiget|ikke en textmine-projektfil|ikke ændret"):
        Project(path).state()
    with pytest.raises(ProjectError):
        Project(path).apply("rename", theme_id=0, name="x")
    assert path.read_bytes() == data


def test_discover_into_a_folder_with_a_curated_project_keeps_it(tmp_path):
    import pandas as pd

    from textmine.app.pipeline import keep_curated_project

    path = _copy(tmp_path)
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "textmine_model.json").write_text("{}", encoding="utf-8")
    kept, readable = keep_curated_project(path)
    assert readable and kept.is_file() and not path.exists()
    assert Project(kept).state().themes[0].name == "Rekruttering"
    moved = Project(kept).meta("model_dir")                               # its model went with it
    assert moved.startswith(str(tmp_path / "model-")) and not (tmp_path / "model").exists()
    answers = pd.DataFrame({"respondent_id": ["a"], "answer": ["x"], "cluster": [0]})
    Project.create(path, "q", answers)
    assert keep_curated_project(path) is None and path.exists()           # an uncurated project is just replaced


def test_a_broken_file_left_by_a_killed_discover_is_kept_and_not_called_curated(tmp_path):
    from textmine.app.pipeline import keep_curated_project

    (tmp_path / "project.sqlite").write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)     # a run killed mid-write
    kept, readable = keep_curated_project(tmp_path / "project.sqlite")
    assert not readable and kept.read_bytes().startswith(b"SQLite format 3")


def _damage_answers(path, how: str) -> None:
    """Damage only the answers table: what merge does not touch, but every read reads."""
    con = sqlite3.connect(path)
    if how == "ids":
        with con:
            con.execute("UPDATE answers SET answer_id = 99 WHERE answer_id = 0")
        con.close()
        return
    root, = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'answers'").fetchone()
    size, = con.execute("PRAGMA page_size").fetchone()
    con.close()
    raw = bytearray(path.read_bytes())
    raw[(root - 1) * size:root * size] = b"\x00" * size                # not a b-tree page any more
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize("how", ["ids", "page"])
def test_merge_refuses_a_damaged_project_like_export(tmp_path, how, capsys):
    from textmine.cli import main

    from .test_correctness import project

    path = project(tmp_path).move_to(tmp_path / "q.sqlite").path          # the WAL folded into the file
    _damage_answers(path, how)
    data = path.read_bytes()
    for argv in (["export", path, "--out", tmp_path / "out", "--formats", "json"], ["merge", path, "--themes", "0,1"],
                 ["move", path, "--respondents", "R1", "--to", "0"]):
        assert main([str(a) for a in argv]) == 2, argv
        err = capsys.readouterr().err
        assert "beskadiget" in err and len(err.strip().splitlines()) == 1, (argv, err)
    assert path.read_bytes() == data


@pytest.mark.parametrize("journal", ["WAL", "DELETE"])
def test_a_refused_sqlite_file_gets_no_wal_files_beside_it(tmp_path, journal, capsys):
    from textmine.cli import main

    path = tmp_path / "fremmed.sqlite"                    # another program's database, not a textmine project
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA journal_mode={journal}")
    con.execute("CREATE TABLE x (a)")
    con.commit()
    con.close()
    data = path.read_bytes()
    for argv in (["themes", path], ["merge", path, "--themes", "0,1"], ["assignments", path]):
        assert main([str(a) for a in argv]) == 2
        assert "ikke en textmine-projektfil" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fremmed.sqlite"] and path.read_bytes() == data


def test_a_full_disk_is_called_a_full_disk_not_a_damaged_project(tmp_path, capsys, monkeypatch):
    """On a full disk SQLite cannot make the -shm beside a project and says "disk I/O error" (seen on a full
    tmpfs): themes, merge and move say the disk is full, and the project is left as it was."""
    from textmine.cli import main

    from .test_correctness import project

    path = project(tmp_path).move_to(tmp_path / "q.sqlite").path
    data = path.read_bytes()
    connect = sqlite3.connect

    class NoRoomForTheShm:                      # a connection as SQLite gives it on a full disk
        def __init__(self, *args, **kwargs):
            self.con = connect(*args, **kwargs)

        def execute(self, *args):
            raise sqlite3.OperationalError("disk I/O error")

        def close(self):
            self.con.close()
    monkeypatch.setattr(sqlite3, "connect", NoRoomForTheShm)
    monkeypatch.setattr(shutil, "disk_usage", lambda folder: shutil._ntuple_diskusage(10**9, 10**9, 0))
    for argv in (["themes", path], ["merge", path, "--themes", "0,1"], ["move", path, "--respondents", "R1",
                                                                          "--to", "0"]):
        assert main([str(a) for a in argv]) == 2
        err = capsys.readouterr().err
        assert "Disken er fuld" in err and "beskadiget" not in err and len(err.strip().splitlines()) == 1, err
    monkeypatch.undo()
    assert path.read_bytes() == data and sorted(p.name for p in tmp_path.iterdir()) == ["q.sqlite"]


def _discover_failing_in(step: str, tmp_path, monkeypatch):
    """`textmine discover` of a stand-in discovery whose saving of `step` writes half a file, then finds the
    disk full."""
    import errno

    import textmine.app.pipeline as pipeline
    from textmine.cli import main

    from .test_export import _question_result

    result = _question_result([["a", "b"], ["c"]])

    def model(self, directory, settings):
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "centroids.npy").write_bytes(b"\x93NUMPY half")
        if step == "model":
            raise OSError(errno.ENOSPC, "No space left on device")

    def project(self, path, *args, **kwargs):
        Path(path).write_bytes(b"SQLite format 3\x00 half")
        if step == "project":
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pipeline, "discover_question", lambda *a, **k: result)
    monkeypatch.setattr(type(result), "save_model", model)
    monkeypatch.setattr(type(result), "save_project", project)
    monkeypatch.setattr(pipeline, "keep_curated_project", lambda path: None)
    survey = tmp_path / "s.csv"
    survey.write_text("respondent_id,kerneopgave\nR1,a\n", encoding="utf-8")
    return main(["discover", str(survey), "--question", "kerneopgave", "--out", str(tmp_path / "run")])


def _files_in(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("step", ["model", "project"])
def test_a_discover_that_fails_midway_writes_nothing(step, tmp_path, monkeypatch, capsys):
    assert _discover_failing_in(step, tmp_path, monkeypatch) == 2
    assert "ikke plads på disken" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()                                 # a new folder: not even that
    run = tmp_path / "run"                                                # a folder with an earlier run's files
    (run / "model").mkdir(parents=True)
    earlier = {"assignments.csv": b"respondent_id,question,cluster\r\nR9,kerneopgave,0\r\n",
               "clusters.csv": b"cluster\r\n0\r\n", "model/centroids.npy": b"\x93NUMPY earlier",
               "project.sqlite": b"SQLite format 3\x00 earlier"}
    for name, data in earlier.items():
        (run / name).write_bytes(data)
    assert _discover_failing_in(step, tmp_path, monkeypatch) == 2
    assert _files_in(run) == earlier and sorted(p.name for p in run.iterdir()) == ["assignments.csv", "clusters.csv",
                                                                                  "model", "project.sqlite"]


def test_a_discover_that_succeeds_puts_every_file_in_place(tmp_path, monkeypatch, capsys):
    assert _discover_failing_in("nothing", tmp_path, monkeypatch) == 0
    run = tmp_path / "run"
    assert sorted(p.name for p in run.iterdir()) == ["assignments.csv", "clusters.csv", "model", "project.sqlite"]
    assert (run / "model" / "centroids.npy").is_file() and "R2" in (run / "assignments.csv").read_text()
