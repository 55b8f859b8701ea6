"""Defects that gave an analyst wrong numbers without a warning (issue 16), each pinned by a test, and the
mutations of the code that the suite once missed."""

import json
import sqlite3
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textmine.project import curation as cur
from textmine.project.codebook import Codebook, CodebookError, CodebookTheme, apply_codebook, from_project
from textmine.project.data import respondents_per_theme
from textmine.project.file import ProjectError
from textmine.project.store import Project, StaleError

ANSWERS = pd.DataFrame({
    "respondent_id": [f"R{i}" for i in range(12)],
    "answer": ["Rekruttering til virksomhederne", "Virksomhederne mangler folk", "Arbejdskraft til firmaerne",
               "Tillid og dialog", "Dialog med borgeren", "Relationen til borgeren", "Digitale værktøjer",
               "AI i sagsbehandlingen", "Kunstig intelligens", "Ved ikke", "Opkvalificering af ledige",
               "Uddannelse og kurser"],
    "cluster": [0, 0, 0, 1, 1, 1, 2, 2, 2, -1, 3, 3],
})


def vectors(n=12, dim=6):
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(5, dim))
    rows = [centres[c] + 0.05 * rng.normal(size=dim) for c in [0, 0, 0, 1, 1, 1, 2, 2, 2, 4, 3, 3]][:n]
    return np.asarray(rows, dtype=np.float32)


def project(tmp_path, name="p.sqlite"):
    return Project.create(tmp_path / name, "kerneopgave", ANSWERS, vectors=vectors())


# -- 1. theme ids only grow -------------------------------------------------------------------------

def test_a_new_theme_never_takes_the_id_of_a_deleted_one(tmp_path):
    p = project(tmp_path)
    p.apply("delete", theme_id=3)                                    # the highest id
    p.apply("split", theme_id=0, labels={0: 0, 1: 1, 2: 1})
    assert 3 not in p.state().themes and max(p.state().themes) == 4


def test_theme_ids_grow_across_undo_and_reopening(tmp_path):
    p = project(tmp_path)
    p.apply("split", theme_id=0, labels={0: 0, 1: 1, 2: 1})         # theme 4
    p.undo()
    p.apply("create", name="Nyt tema")                              # not 4 again: 4 named the split's half
    assert max(Project(p.path).state().themes) == 5
    p.apply("delete", theme_id=5)
    assert Project(p.path).state().next_id == 6                      # kept in the file, not derived from themes


def test_a_follow_up_compares_a_new_theme_apart_from_a_deleted_baseline_theme(tmp_path):
    from textmine.waves.comparing import comparison_of

    baseline = {"n": 10, "themes": [{"name": "A", "count": 5, "theme_id": 0}, {"name": "B", "count": 5, "theme_id": 1}]}
    answers = pd.DataFrame({"respondent_id": [f"F{i}" for i in range(6)], "answer": list("abcdef"),
                            "cluster": [0, 0, 0, 1, 1, 1]})
    p = Project.create(tmp_path / "f.sqlite", "q", answers, names={0: "A", 1: "B"},
                       meta={"baseline": json.dumps(baseline)})
    p.apply("delete", theme_id=1)
    p.apply("split", theme_id=0, labels={0: 0, 1: 0, 2: 1})
    data = p.read()
    table = comparison_of(data.meta, data.state, data.answers).set_index("theme")
    assert table.loc["B", "count_followup"] == 0                    # the deleted theme is not refilled
    assert table.loc["A (2)", "new"]


# -- 2. the codebook names every answer ------------------------------------------------------------

def test_the_codebook_keeps_both_halves_of_a_split(tmp_path):
    p = project(tmp_path)
    p.apply("split", theme_id=0, labels={0: 0, 1: 1, 2: 1}, names=["Første halvdel", "Anden halvdel"])
    fresh = project(tmp_path, "fresh.sqlite")
    apply_codebook(fresh, Codebook.from_json(from_project(p).to_json()))
    assert placements(fresh)["R0"] == ("Første halvdel", None) and placements(fresh)["R1"] == ("Anden halvdel", None)


def placements(p: Project) -> dict:
    data = p.read()
    names = {t: th.name for t, th in data.state.themes.items()} | {cur.NOT_AN_ANSWER: "Ikke et svar", None: None}
    who = data.base.table["respondent_id"]
    return {who[a]: (names[data.state.primary[a]], names[data.state.second.get(a)]) for a in data.state.primary}


def themes_of(p: Project) -> set:
    return {(t.name, t.description, t.final) for t in p.state().themes.values()}


@st.composite
def action(draw, state):
    themes, answers = sorted(state.themes), sorted(state.primary)
    kind = draw(st.sampled_from(["rename", "move", "merge", "split", "set_second", "delete", "mark_final",
                                 "create", "not_an_answer"]))
    tid = draw(st.sampled_from(themes)) if themes else None
    if kind == "create" or tid is None:
        return "create", {"name": draw(st.sampled_from(["Nyt", "Andet"]))}
    if kind == "rename":
        return kind, {"theme_id": tid, "name": draw(st.sampled_from(["A", "B", "C"])),
                      "description": draw(st.sampled_from(["", "beskrivelse"]))}
    if kind in ("move", "not_an_answer"):
        target = cur.NOT_AN_ANSWER if kind == "not_an_answer" else draw(st.sampled_from([None, *themes]))
        return "move", {"answers": draw(st.lists(st.sampled_from(answers), min_size=1, max_size=3)), "theme_id": target}
    if kind == "merge" and len(themes) >= 2:
        return kind, {"theme_ids": draw(st.lists(st.sampled_from(themes), min_size=2, max_size=2, unique=True))}
    if kind == "split" and len(state.members(tid)) >= 2:
        members = state.members(tid)
        return kind, {"theme_id": tid, "labels": {a: int(i < len(members) // 2) for i, a in enumerate(members)}}
    if kind == "set_second":
        return kind, {"answer": draw(st.sampled_from(answers)), "theme_id": tid}
    if kind == "delete":
        return kind, {"theme_id": tid}
    return "mark_final", {"theme_id": tid, "final": draw(st.booleans())}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_codebook_round_trip_keeps_every_placement_for_any_sequence_of_actions(tmp_path, data):
    n = data.draw(st.integers(0, 10**9))
    p = project(tmp_path, f"a{n}.sqlite")
    for _ in range(data.draw(st.integers(1, 10))):
        kind, params = data.draw(action(p.state()))
        try:
            p.apply(kind, **params)
        except cur.CurationError:
            pass
    fresh = project(tmp_path, f"b{n}.sqlite")
    apply_codebook(fresh, Codebook.from_json(from_project(p).to_json()))
    assert placements(fresh) == placements(p) and themes_of(fresh) == themes_of(p)
    assert fresh.audit()["kind"].tolist() == ["action"]               # one undoable step
    fresh.undo()
    assert placements(fresh) == placements(project(tmp_path, f"c{n}.sqlite"))


def test_a_codebook_of_another_run_is_refused_whole(tmp_path):
    p = project(tmp_path)
    p.apply("rename", theme_id=0, name="Rekruttering")
    before = placements(p), themes_of(p), p.version()
    unknown = {"schema_version": 1, "question": "kerneopgave", "themes": [{"name": "X", "clusters": [40, 41]}]}
    overlapping = {"schema_version": 1, "question": "kerneopgave",
                   "themes": [{"name": "X", "clusters": [0, 1]}, {"name": "Y", "clusters": [1, 2]}]}
    strangers = {"schema_version": 2, "question": "kerneopgave", "themes": [{"name": "X", "answers": ["Z1", "R1"]}]}
    for book, message in ((unknown, "Ingen af kodebogens klynger"), (overlapping, "Klynge 1 står under to"),
                          (strangers, "findes ikke i projektet")):
        with pytest.raises(CodebookError, match=message):
            apply_codebook(p, Codebook.from_json(json.dumps(book)))
        assert (placements(p), themes_of(p), p.version()) == before


@pytest.mark.parametrize("bad,message", [({"name": None}, "navn"), ({"name": "X", "clusters": [1.7]}, "helt klyngenummer"),
                                         ({"name": "X", "clusters": [True]}, "helt klyngenummer")])
def test_a_codebook_with_a_bad_value_is_refused(bad, message):
    with pytest.raises(CodebookError, match=message):
        Codebook.from_json(json.dumps({"schema_version": 2, "question": "q", "themes": [bad]}))


def test_a_deeply_nested_codebook_is_refused_with_a_message():
    with pytest.raises(CodebookError):
        Codebook.from_json("[" * 100_000 + "]" * 100_000)


# -- 3. one way to count ----------------------------------------------------------------------------

def curated(tmp_path):
    p = project(tmp_path)
    p.apply("merge", theme_ids=[1, 2], name="Borger og digitalt")
    p.apply("set_second", answer=0, theme_id=1)                     # R0: Klynge 1 and, second, the merged theme
    p.apply("set_second", answer=3, theme_id=3)
    p.apply("move", answers=[9], theme_id=cur.NOT_AN_ANSWER)
    return p


def test_every_path_counts_the_same_respondents_per_theme(tmp_path):
    from textmine.project.themes import snapshot, theme_table
    from textmine.report.tables import build
    from textmine.waves.placing import index_from_codebook, index_from_project

    p = curated(tmp_path)
    data = p.read()
    names = {t: th.name for t, th in data.state.themes.items()}
    expected = {names[t]: n for t, n in respondents_per_theme(data).items()}
    assert expected["Borger og digitalt"] == 7                      # 6 as first theme + R0 as second
    app = theme_table(snapshot(data)).set_index("name")["respondents"].to_dict()
    export = build(data).themes.set_index("Tema")["Respondenter"].to_dict()
    model = SimpleNamespace(question="kerneopgave", answer_features=data.vectors,
                            respondent_ids=list(data.base.table["respondent_id"]),
                            answer_clusters=np.asarray(data.base.table["cluster"]))
    from_codebook = index_from_codebook(model, from_project(data)).counts
    from textmine.app.desk import Desk
    from textmine.config import load_config

    desk = Desk(load_config())
    page = desk.themes(desk.snapshot(str(p.path))).set_index("name")["respondents"].to_dict()
    assert app == page == export == from_codebook == index_from_project(p).counts == expected
    assert index_from_project(p).n_answers == 11                    # "Ikke et svar" is no answer to count
    assert index_from_codebook(model, from_project(data)).n_answers == 11    # `textmine apply`: the same base


def test_the_share_of_answers_leaves_out_what_is_not_an_answer(tmp_path):
    from textmine.project.themes import snapshot, theme_table
    from textmine.report.tables import build
    from textmine.report.words import SHARE

    data = curated(tmp_path).read()
    table = theme_table(snapshot(data)).set_index("name")
    assert table.loc["Borger og digitalt", "share"] == pytest.approx(100 * 7 / 11)     # 6 first + 1 second theme
    assert build(data).themes.set_index("Tema").loc["Borger og digitalt", SHARE] == pytest.approx(100 * 7 / 11)


# -- 4. a follow-up keeps the curation ----------------------------------------------------------------

def test_a_follow_up_project_keeps_descriptions_and_final_marks(tmp_path):
    from textmine.waves.applying import WaveResult
    from textmine.waves.placing import index_from_project

    p = project(tmp_path)
    p.apply("rename", theme_id=0, name="Rekruttering", description="Virksomhedernes behov")
    p.apply("mark_final", theme_id=0)
    index = index_from_project(p)
    answers = pd.DataFrame({"respondent_id": [f"F{i}" for i in range(6)], "answer": list("abcdef"), "is_answer": True,
                            "theme": ["Rekruttering", "Rekruttering", "Klynge 2", "Klynge 2", "", ""], "score": 0.9,
                            "new": [False] * 4 + [True] * 2,
                            "new_cluster": pd.array([pd.NA] * 4 + [0, 0], dtype="Int64")})
    new = pd.DataFrame({"cluster": [0], "size": [2], "keywords": ["kunstig"], "examples": [["e"]]})
    result = WaveResult("kerneopgave", answers, new, vectors()[:6], index)
    theme = next(t for t in result.save_project(tmp_path / "f.sqlite").state().themes.values() if t.name == "Rekruttering")
    assert theme.description == "Virksomhedernes behov" and theme.final


def test_the_placement_model_knows_which_baseline_answers_the_analyst_reviewed(tmp_path):
    from textmine.waves.placing import index_from_project

    p = project(tmp_path)
    p.apply("confirm", answers=[1, 4])
    p.apply("move", answers=[2], theme_id=1)
    assert np.flatnonzero(index_from_project(p).reviewed).tolist() == [1, 2, 4]


# -- 9. connections and files -----------------------------------------------------------------------

def test_a_locked_project_is_refused_with_a_message_and_no_connection_is_left_open(tmp_path, monkeypatch):
    import os

    from textmine.project import file as projectfile

    p = project(tmp_path)
    real_connect = projectfile.connect
    monkeypatch.setattr(projectfile, "connect", lambda path: (lambda c: (c.execute("PRAGMA busy_timeout = 50"), c)[1])(
        real_connect(path)))
    before = len(os.listdir("/proc/self/fd"))
    blocker = sqlite3.connect(p.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    for _ in range(3):
        with pytest.raises(ProjectError, match="optaget"):
            p.apply("rename", theme_id=0, name="X")
    blocker.execute("ROLLBACK")
    blocker.close()                          # SQLite closes a file's descriptors once no lock is held on it
    assert len(os.listdir("/proc/self/fd")) == before
    assert p.state().themes[0].name == "Klynge 1"


def test_a_new_project_does_not_inherit_stale_wal_files(tmp_path):
    path = tmp_path / "p.sqlite"
    for side in ("-wal", "-shm"):
        (tmp_path / f"p.sqlite{side}").write_bytes(b"left by an earlier file" * 100)
    project(tmp_path).apply("rename", theme_id=0, name="Ny")
    assert Project(path).state().themes[0].name == "Ny"


def test_a_full_disk_is_reported_as_a_full_disk_and_nothing_is_half_written(tmp_path, monkeypatch):
    from textmine.project import file as projectfile

    p = project(tmp_path)
    real_connect = projectfile.connect

    def no_room(path):
        con = real_connect(path)
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count = {pages}")
        return con
    monkeypatch.setattr(projectfile, "connect", no_room)
    before = placements(p)
    with pytest.raises(ProjectError, match="Disken er fuld"):
        p.apply("rename", theme_id=0, name="Et meget langt navn " * 2000, description="x" * 100_000)
    monkeypatch.undo()
    assert placements(p) == before and p.version() == 0


# -- 10/12/13. damaged, foreign and odd project files -------------------------------------------------

def test_an_empty_or_foreign_sqlite_file_is_refused_and_left_as_it_was(tmp_path):
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as con:
        con.execute("CREATE TABLE x (a)")
    con.close()
    for path in (empty, foreign):
        before = path.read_bytes()
        with pytest.raises(ProjectError, match="ikke en textmine-projektfil"):
            Project(path).state()
        assert path.read_bytes() == before and not (tmp_path / f"{path.name}-wal").exists()


@pytest.mark.parametrize("damage,message", [
    ("UPDATE meta SET value = 'abc' WHERE key = 'schema_version'", "skemaversion"),
    ("UPDATE meta SET value = '0' WHERE key = 'schema_version'", "skemaversion"),
    ("DELETE FROM meta WHERE key = 'schema_version'", "skemaversion"),
    ("DROP TABLE placement", "placement mangler"),
    ("UPDATE themes SET clusters = '{bad' WHERE theme_id = 0", "beskadiget"),
    ("UPDATE placement SET theme_id = 77 WHERE answer_id = 0", "beskadiget"),
])
def test_a_damaged_project_gives_one_message(tmp_path, damage, message):
    p = project(tmp_path)
    with sqlite3.connect(p.path) as con:
        con.execute(damage)
    con.close()
    with pytest.raises(ProjectError, match=message) as raised:
        p.state()
    assert "nyere" not in str(raised.value)


def test_a_damaged_page_gives_a_message_in_export_and_import(tmp_path, capsys):
    from textmine.cli import main

    p = project(tmp_path)
    Project(p.path).move_to(tmp_path / "q.sqlite")                  # WAL folded into the file
    path = tmp_path / "q.sqlite"
    raw = bytearray(path.read_bytes())
    middle = len(raw) // 2
    raw[middle:middle + 4096] = np.random.default_rng(1).integers(0, 256, 4096, dtype=np.uint8).tobytes()
    path.write_bytes(bytes(raw))
    book = tmp_path / "c.json"
    book.write_text(Codebook("kerneopgave", (CodebookTheme("X", answers=("R0",)),)).to_json(), encoding="utf-8")
    for args in (["export", str(path), "--out", str(tmp_path / "out")], ["import-codebook", str(path), str(book)]):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and "beskadiget" in err


# -- mutations the suite once missed ----------------------------------------------------------------

def test_undo_and_redo_from_a_stale_tab_are_refused(tmp_path):
    p = project(tmp_path)
    seen = p.version()
    p.apply("rename", theme_id=0, name="Fra fane 1")
    with pytest.raises(StaleError):
        p.undo(expected_version=seen)
    assert p.state().themes[0].name == "Fra fane 1"
    p.undo()
    with pytest.raises(StaleError):
        p.redo(expected_version=seen)
    assert p.state().themes[0].name == "Klynge 1"


def test_going_back_in_the_history_from_a_stale_tab_is_refused(tmp_path):
    p = project(tmp_path)
    p.apply("rename", theme_id=0, name="Fra fane 1")
    point, seen = p.version(), p.version()
    p.apply("rename", theme_id=0, name="Fra fane 2")
    with pytest.raises(StaleError, match="Genindlæs"):
        p.back_to(point, expected_version=seen)
    assert p.state().themes[0].name == "Fra fane 2"
    p.back_to(point, expected_version=p.version())
    assert p.state().themes[0].name == "Fra fane 1"


def test_intervals_of_weighted_shares_use_kishs_effective_n():
    from textmine.survey import shares

    from .test_shares import CONFIG, small_table

    table = small_table()
    weighted = replace(CONFIG, weight_column="w")
    themes = pd.DataFrame({"respondent_id": ["1", "2"], "theme": ["T", "T"]})
    row = shares.theme_by_group(themes, ["1", "2", "3", "4"], table, weighted,
                                shares.report_groups(table, weighted)).set_index("group").loc[shares.EMPLOYEES]
    w = np.array([1, 3, 1, 1.0])                                     # the employees who answered
    neff = w.sum() ** 2 / (w ** 2).sum()
    assert row["share"] == pytest.approx(100 * 4 / 6)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(shares.wilson_interval(4 / 6 * neff, neff))
    assert (row["ci_low"], row["ci_high"]) != pytest.approx(shares.wilson_interval(4 / 6 * 4, 4))


def test_keywords_weigh_a_word_by_how_distinctive_it_is():
    from textmine.discovery.keywords import keywords
    from textmine.text.lemmas import DanishLemmatizer

    texts = pd.Series(["opgave opgave opgave rekruttering", "opgave opgave opgave tillid", "opgave opgave opgave digital"])
    words = keywords(texts, pd.Series([0, 1, 2]), DanishLemmatizer(), n=1)
    assert words == {0: "rekruttering", 1: "tillid", 2: "digital"}      # not "opgave", the most frequent


def test_a_split_puts_similar_answers_together(tmp_path):
    from textmine.project.themes import snapshot, split_plan

    p = project(tmp_path)
    p.apply("merge", theme_ids=[0, 1])                              # answers 0-2 and 3-5: two clear groups
    labels = split_plan(snapshot(p), 0, 2)
    assert labels[0] == labels[1] == labels[2] != labels[3] == labels[4] == labels[5]


def test_the_project_view_masks_personal_data(tmp_path):
    from textmine.project.themes import Workbench, snapshot, theme_answers
    from textmine.text.privacy import Masker

    answers = ANSWERS.assign(answer=ANSWERS["answer"].where(ANSWERS.index != 0, "Ring til Jens Jensen på 23 45 67 89"))
    p = Project.create(tmp_path / "p.sqlite", "kerneopgave", answers, vectors=vectors())
    for snap in (snapshot(p, Masker(("Jens Jensen",))), Workbench(Masker(("Jens Jensen",))).snapshot(p.path)):
        shown = " ".join(theme_answers(snap, 0)[1]["text"]) + " ".join(snap.answers["text"])
        assert "Jens" not in shown and "67 89" not in shown


def test_an_answer_without_an_id_is_refused():
    from textmine.errors import TextmineError
    from textmine.survey.reading import answers_of

    table = pd.DataFrame({"id": ["1", "", "3"], "q": ["et svar", "et andet svar", "et tredje"]})
    with pytest.raises(TextmineError, match="intet id"):
        answers_of(table, "q", "id")


def test_numbers_and_p_values_are_written_the_danish_way():
    from textmine import fmt
    from textmine.waves.comparing import display_comparison

    assert (fmt.number(1234.56, 1), fmt.percent(10.34), fmt.p_value(0.0153), fmt.p_value(0.0004)) == \
        ("1.234,6", "10,3 %", "0,015", "<0,001")
    table = pd.DataFrame({"theme": ["A"], "name_now": ["A"], "count_baseline": [5], "share_baseline": [10.34],
                          "count_followup": [9], "share_followup": [20.0], "difference": [9.66], "ci_low": [1.25],
                          "ci_high": [18.5], "p_value": [0.0153], "new": [False]})
    assert display_comparison(table)["p-værdi"].tolist() == ["0,015"]


def test_a_merge_of_a_final_theme_is_refused_and_a_merge_is_never_final():
    state = cur.mark_final(cur.from_clusters({0: 0, 1: 1, 2: 2}), 0)
    with pytest.raises(cur.CurationError, match="endeligt"):
        cur.merge(state, [0, 1])
    merged = cur.merge(cur.mark_final(state, 0, False), [0, 1])
    assert not merged.themes[0].final


def test_no_core_module_imports_gradio():
    import pkgutil
    import subprocess
    import sys

    import textmine

    core = [m.name for m in pkgutil.walk_packages(textmine.__path__, "textmine.")
            if not m.name.startswith("textmine.ui") and m.name not in {"benchmarks.bench"}]
    code = f"import sys; [__import__(m) for m in {core!r}]; print('gradio' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert len(core) > 20 and out.strip() == "False", core


def test_the_cached_read_follows_the_version_and_a_new_file_of_the_same_name(tmp_path):
    from textmine.project.data import ProjectReader

    reader, p = ProjectReader(), project(tmp_path)
    first = reader.read(p.path)
    assert reader.read(p.path) is first                               # same file, same version: kept
    p.apply("rename", theme_id=0, name="Nyt navn")
    again = reader.read(p.path)
    assert again.state.themes[0].name == "Nyt navn" and again.base is first.base    # the answers are not re-read
    other = ANSWERS.assign(answer=ANSWERS["answer"] + " (ny kørsel)")
    Project.create(p.path, "kerneopgave", other, vectors=vectors())      # a new discovery writes the same name
    assert reader.read(p.path).base.table["text"].str.endswith("(ny kørsel)").all()


def test_a_file_put_back_from_a_copy_and_changed_again_is_read_anew(tmp_path):
    """The cached read, the state an action starts from and the app's snapshot are kept per version; a copy put
    back and changed reaches the same version number with another state, and that state is what is read."""
    import shutil

    from textmine.project.data import ProjectReader
    from textmine.project.themes import Workbench

    reader, bench, p = ProjectReader(), Workbench(), project(tmp_path)
    shutil.copy(p.path, tmp_path / "copy.sqlite")
    p.apply("rename", theme_id=0, name="Første")
    assert reader.read(p.path).state.themes[0].name == "Første"
    assert bench.snapshot(p.path).state.themes[0].name == "Første"
    shutil.copy(tmp_path / "copy.sqlite", p.path)                        # the analyst puts the copy back
    p.apply("rename", theme_id=1, name="Anden")                          # same version number, other state
    data = reader.read(p.path)
    assert data.state.themes[0].name != "Første" and data.state.themes[1].name == "Anden"
    assert bench.snapshot(p.path).state.themes[1].name == "Anden"
    p.apply("rename", theme_id=2, name="Tredje")                         # starts from the state put back
    assert Project(p.path).state().themes[0].name != "Første"


def test_an_action_starts_from_the_state_just_read_without_reading_it_again(tmp_path, monkeypatch):
    import textmine.project.data as data

    p = project(tmp_path)
    reads = []
    real = data.read_rows
    monkeypatch.setattr(data, "read_rows", lambda con: reads.append(1) or real(con))
    data.ProjectReader().read(p.path)
    assert len(reads) == 1
    p.apply("rename", theme_id=0, name="Nyt navn")                       # the state of that version is kept
    assert len(reads) == 1
    assert data.ProjectReader().read(p.path).state.themes[0].name == "Nyt navn"
    assert len(reads) == 1                                               # the newer version: the audit replayed


def test_undo_says_what_it_undid_without_reading_the_whole_project(tmp_path, monkeypatch):
    from textmine.app.actions import step
    from textmine.app.desk import Session

    p = project(tmp_path)
    p.apply("rename", theme_id=0, name="Nyt navn")
    monkeypatch.setattr(Project, "read", lambda self: pytest.fail("a whole read of the project"))
    session, line = step(Session(project=str(p.path), version=p.version()), "undo")
    assert session.version == p.version() and "Nyt navn" in line
