"""Misleading or English messages (RELIABILITY.md item 17): each is one Danish line saying what to fix. An
unreadable survey is not called a folder without write access; a folder, a pipe or /dev/zero is not "missing";
a closed pipe is no project error; a damaged project, codebook or description is described in Danish; a
read-only project folder still lets the read-only commands read; a refused upload does not stay in the
temporary upload folder. The permission cases run the CLI as user nobody when the tests run as root."""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

import pandas as pd
import pytest

from textmine.cli import main
from textmine.project.store import Project

from .conftest import DATA, ROOT
from .test_ui_handlers import new_project  # noqa: F401  (the fixture)

ANSWERS = pd.DataFrame({"respondent_id": ["R1", "R2", "R3", "R4"], "cluster": [0, 0, 1, 1],
                        "answer": ["Rekruttering", "Virksomhederne", "Tillid og dialog", "Dialog med borgeren"]})
ENGLISH = ("Expecting", "line 1 column", "placement", "missing theme", "Broken pipe", "JSONDecodeError", "Invalid",
           "at line", "answer ids")


def _err(capsys, argv) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().err.strip()


@pytest.fixture
def shared():
    """A folder every user may enter (pytest's own is the test user's only), removed afterwards."""
    folder = tempfile.mkdtemp(prefix="textmine-msg-")
    os.chmod(folder, 0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _as_other_user(*argv):
    """The CLI in its own process as a user without the test user's rights (nobody, when the tests run as root)."""
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
    if prefix and shutil.which("setpriv") is None:
        pytest.skip("setpriv is needed to test permissions as root")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": "/tmp", "NUMBA_CACHE_DIR": "/tmp"}
    return subprocess.run([*prefix, sys.executable, "-m", "textmine.cli", *map(str, argv)], capture_output=True,
                          text=True, env=env, cwd="/")


def test_an_unreadable_survey_says_it_cannot_be_read_not_written(shared):
    survey = os.path.join(shared, "ulæselig.csv")
    shutil.copy(DATA / "baseline_survey.csv", survey)
    os.chmod(survey, 0)
    done = _as_other_user("discover", survey, "--question", "kerneopgave", "--out", os.path.join(shared, "ud"))
    assert done.returncode == 2 and done.stderr.startswith("Fejl: Ingen læseadgang til"), done.stderr
    assert "skriveadgang" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("kind", ["folder", "fifo", "device"])
def test_a_folder_a_pipe_or_a_device_is_not_called_missing(kind, tmp_path, capsys):
    survey = {"folder": tmp_path / "mappe.csv", "fifo": tmp_path / "fifo.csv", "device": "/dev/zero"}[kind]
    if kind == "folder":
        survey.mkdir()
    elif kind == "fifo":
        os.mkfifo(survey)
    code, err = _err(capsys, ["discover", survey, "--question", "kerneopgave", "--out", tmp_path / "ud"])
    assert code == 2 and "findes ikke" not in err, err
    assert ("er en mappe, ikke en fil" if kind == "folder" else "er ikke en almindelig fil") in err, err
    code, err = _err(capsys, ["themes", survey])                                  # as a project file too
    assert code == 2 and "findes ikke" not in err and ("mappe" in err or "almindelig" in err), err


def _damaged(path, sql) -> None:
    Project.create(path, "kerneopgave", ANSWERS)
    con = sqlite3.connect(path)
    con.execute(sql)
    con.commit()
    con.close()


@pytest.mark.parametrize("sql, said", [
    ("UPDATE placement SET theme_id = 999 WHERE answer_id = 0", "tema med id 999, som ikke findes"),
    ("UPDATE themes SET clusters = '{ikke json' WHERE theme_id = 0", "en værdi i den kan ikke læses")])
def test_a_damaged_project_is_described_in_danish(sql, said, tmp_path, capsys):
    _damaged(tmp_path / "p.sqlite", sql)
    code, err = _err(capsys, ["themes", tmp_path / "p.sqlite"])
    assert code == 2 and said in err and not any(word in err for word in ENGLISH), err


def test_a_codebook_and_a_description_that_do_not_parse_say_where_in_danish(tmp_path, capsys):
    Project.create(tmp_path / "p.sqlite", "kerneopgave", ANSWERS)
    (tmp_path / "kodebog.json").write_text('{"schema_version": 1,\n "themes": [,]}', encoding="utf-8")
    code, err = _err(capsys, ["import-codebook", tmp_path / "p.sqlite", tmp_path / "kodebog.json"])
    assert code == 2 and "fejl i linje 2" in err and not any(word in err for word in ENGLISH), err
    (tmp_path / "survey.toml").write_text('[survey]\nid_column = "respondent_id\n', encoding="utf-8")
    code, err = _err(capsys, ["discover", DATA / "baseline_survey.csv", "--question", "kerneopgave", "--out",
                              tmp_path / "ud", "--config", tmp_path / "survey.toml"])
    assert code == 2 and "fejl i linje 2" in err and not any(word in err for word in ENGLISH), err


def test_a_reader_that_stops_reading_is_no_error():
    project = tempfile.mkdtemp(prefix="textmine-pipe-")
    try:
        Project.create(os.path.join(project, "p.sqlite"), "kerneopgave", ANSWERS)
        done = subprocess.run(f"{sys.executable} -m textmine.cli themes {project}/p.sqlite | head -c 1 >/dev/null; "
                              "exit ${PIPESTATUS[0]}", shell=True, executable="/bin/bash", capture_output=True,
                              text=True, cwd=ROOT)
    finally:
        shutil.rmtree(project)
    assert done.returncode == 0 and done.stderr == "", done.stderr


def test_a_read_only_project_folder_can_be_read_and_exported_elsewhere_but_not_changed(shared):
    folder = os.path.join(shared, "skrivebeskyttet")
    os.mkdir(folder)
    project = os.path.join(folder, "p.sqlite")
    Project.create(project, "kerneopgave", ANSWERS)
    os.chmod(project, 0o644)
    os.chmod(folder, 0o755 if os.geteuid() == 0 else 0o555)
    try:
        themes = _as_other_user("themes", project)
        export = _as_other_user("export", project, "--out", os.path.join(shared, "ud"), "--formats", "json")
        merge = _as_other_user("merge", project, "--themes", "0,1")
    finally:
        os.chmod(folder, 0o755)
    assert themes.returncode == 0 and "Klynge 1" in themes.stdout, themes.stderr
    assert export.returncode == 0 and os.listdir(os.path.join(shared, "ud")), export.stderr
    assert merge.returncode == 2 and "skrivebeskyttet" in merge.stderr, merge.stderr
    assert sorted(os.listdir(folder)) == ["p.sqlite"]                        # no -wal/-shm left beside it


def test_a_refused_upload_is_removed_from_the_upload_folder_and_nothing_else(tmp_path, monkeypatch, new_project):
    from textmine.ui import new_project_tab

    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    browser = tmp_path / "gradio" / "abc123"
    browser.mkdir(parents=True)
    refused = browser / "tal.csv"
    pd.DataFrame({"id": [f"x{i}" for i in range(40)], "score": ["3"] * 40}).to_csv(refused, index=False)
    elsewhere = tmp_path / "tal.csv"                                               # a file outside it is never removed
    shutil.copy(refused, elsewhere)
    new_project_tab.on_upload(new_project, str(refused))
    new_project_tab.on_upload(new_project, str(elsewhere))
    assert not browser.exists() and elsewhere.exists()
