"""Curation actions as plain functions, and the project file: invariants, undo/redo, audit, stale tabs."""

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textmine.project import curation as cur
from textmine.project.curation import CurationError
from textmine.project.store import Project, ProjectError, StaleError

CLUSTERS = {0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 2, 6: 2, 7: -1}


def start():
    return cur.from_clusters(CLUSTERS)


def check_invariants(state, n_answers=len(CLUSTERS)):
    assert len(state.primary) == n_answers                               # every answer, exactly once
    assert all(t in (None, cur.NOT_AN_ANSWER) or t in state.themes for t in state.primary.values())
    assert sum(state.sizes().values()) == n_answers - len(state.unplaced()) - len(state.not_answers())
    assert all(t in state.themes and t != state.primary[a] for a, t in state.second.items())


def test_start_state():
    state = start()
    assert state.sizes() == {0: 3, 1: 2, 2: 2} and state.unplaced() == [7]
    assert state.themes[1].name == "Klynge 2" and state.themes[1].clusters == (1,)


def test_merge_keeps_the_first_theme_and_every_answer():
    state = cur.merge(start(), [1, 2], "Relationer")
    check_invariants(state)
    assert set(state.themes) == {0, 1} and state.sizes()[1] == 4
    assert state.themes[1].name == "Relationer" and state.themes[1].clusters == (1, 2)


def test_a_suggested_description_follows_a_rename_or_merge_and_the_analysts_own_is_kept():
    """The description "Gode match (virksomhed, passe, lokale)" stayed on a theme renamed "Match mellem borger og
    virksomhed" and went so into the report."""
    state = cur.suggest(start(), {1: ["Gode match", "Gode match (virksomhed, passe, lokale)"], 2: ["Ro", "Ro (tid)"]})
    renamed = cur.rename(state, 1, "Match mellem borger og virksomhed", "Gode match (virksomhed, passe, lokale)")
    assert renamed.themes[1].description == "Match mellem borger og virksomhed (virksomhed, passe, lokale)"
    assert cur.rename(state, 1, "Match").themes[1].description == "Match (virksomhed, passe, lokale)"
    own = cur.rename(state, 1, "Match", "Når borger og job passer")              # the analyst wrote one: kept
    assert own.themes[1].description == "Når borger og job passer"
    assert cur.merge(state, [1, 2], "Samarbejde").themes[1].description == "Samarbejde (virksomhed, passe, lokale)"
    assert cur.merge(state, [1, 2], "Ro").themes[1].description == "Ro (tid)"   # the name of one: its description
    written = cur.rename(state, 1, "Gode match", "Match (x)")
    assert cur.rename(written, 1, "Nyt").themes[1].description == "Match (x)"   # not its name: not a suggestion


def test_split_move_second_delete_rename_final():
    state = cur.split(start(), 0, {0: 0, 1: 1, 2: 1})
    check_invariants(state)
    assert state.sizes() == {0: 1, 1: 2, 2: 2, 3: 2} and state.themes[3].clusters == (0,)
    state = cur.move(state, [7, 0], 2)
    assert state.primary[7] == 2 and state.unplaced() == []
    state = cur.set_second(state, 3, 2)
    assert state.second == {3: 2}
    state = cur.delete(state, 2)
    check_invariants(state)
    assert {0, 5, 6, 7} == set(state.unplaced()) and state.second == {}
    state = cur.mark_final(cur.rename(state, 1, " Match ", "Borger og virksomhed"), 1)
    assert state.themes[1].name == "Match" and state.themes[1].final


@pytest.mark.parametrize("action,args,message", [
    (cur.merge, ([1],), "mindst to"),
    (cur.rename, (1, "  "), "navn"),
    (cur.move, ([], 1), "mindst ét"),
    (cur.move, ([99], 1), "findes ikke i projektet"),
    (cur.delete, (42,), "findes ikke"),
    (cur.set_second, (0, 0), "andet end"),
    (cur.split, (0, {0: 0, 1: 1}), "præcis temaets svar"),
    (cur.restore, ([{"name": "A"}, {"name": "B"}], {0: 2}, {}), "ikke er blandt de 2 temaer"),
    (cur.restore, ([{"name": "A"}, {"name": "B"}], {0: 0}, {0: cur.NOT_AN_ANSWER}), "ikke er blandt de 2 temaer"),
])
def test_impossible_actions_say_why(action, args, message):
    before = start()
    with pytest.raises(CurationError, match=message):
        action(before, *args)
    assert before == start()                                    # input untouched


# --- random action sequences ---------------------------------------------------------------------

KINDS = sorted(cur.ACTIONS)


def random_action(state, draw, kind=None):
    """One of every curation action (`kind`, else drawn), with parameters drawn to fit the state; an action
    that cannot fit (a merge of one theme) becomes a mark_final or a move."""
    kind = kind or draw(st.sampled_from(KINDS))
    themes = sorted(state.themes)
    answers = sorted(state.primary)
    if kind == "create":
        picked = draw(st.lists(st.sampled_from(answers), max_size=3))           # none: an empty theme
        return kind, {"name": draw(st.text("abcæøå ", max_size=8)) + "x", "answers": picked}
    if kind == "restore":
        rows = [{"name": f"T{i}", "final": draw(st.booleans())} for i in range(draw(st.integers(1, 3)))]
        where = st.sampled_from([None, cur.NOT_AN_ANSWER, *range(len(rows))])
        return kind, {"themes": rows, "primary": {a: draw(where) for a in answers},
                      "second": draw(st.dictionaries(st.sampled_from(answers), st.sampled_from(range(len(rows))),
                                                     max_size=2))}
    placed = [a for a in answers if state.primary[a] is not None]
    if kind == "confirm" and placed:
        return kind, {"answers": draw(st.lists(st.sampled_from(placed), min_size=1, max_size=3))}
    if kind == "pin_quote":
        return kind, {"answers": draw(st.lists(st.sampled_from(answers), min_size=1, max_size=3)),
                      "pinned": draw(st.booleans())}
    if not themes:
        return "move", {"answers": [draw(st.sampled_from(answers))], "theme_id": None}
    tid = draw(st.sampled_from(themes))
    if kind == "rename":
        return kind, {"theme_id": tid, "name": draw(st.text("abcæøå ", min_size=1, max_size=8)) + "x"}
    if kind == "suggest":
        return kind, {"names": {tid: [draw(st.text("abcæøå ", max_size=8)) + "x", "beskrivelse"]}}
    if kind == "move":
        return kind, {"answers": draw(st.lists(st.sampled_from(answers), min_size=1, max_size=3)),
                      "theme_id": draw(st.sampled_from([None, cur.NOT_AN_ANSWER, *themes]))}
    if kind == "set_second":
        answer = draw(st.sampled_from(answers))
        options = [t for t in themes if t != state.primary[answer]]
        return kind, {"answer": answer, "theme_id": draw(st.sampled_from([None, *options]))}
    if kind == "merge" and len(themes) >= 2:
        return kind, {"theme_ids": draw(st.lists(st.sampled_from(themes), min_size=2, max_size=3, unique=True))}
    if kind == "split" and len(state.members(tid)) >= 2:
        members = state.members(tid)
        labels = {a: i % 2 for i, a in enumerate(members)}
        return kind, {"theme_id": tid, "labels": labels}
    if kind == "delete":
        return kind, {"theme_id": tid}
    return "mark_final", {"theme_id": tid, "final": draw(st.booleans())}


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=5, deadline=None)
@given(data=st.data())
def test_the_random_actions_draw_every_action(kind, data):
    drawn, params = random_action(start(), data.draw, kind)
    assert drawn == kind
    try:
        check_invariants(cur.ACTIONS[kind](start(), **params))
    except CurationError:                            # refused as it should be (a second theme for an unplaced answer)
        pass


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_random_sequences_keep_invariants_and_undo_restores(data):
    """Any sequence of actions keeps every answer counted once; done in the project file, undo takes the
    file back through every state in turn, to the start."""
    import tempfile
    from pathlib import Path

    states = [start()]
    with tempfile.TemporaryDirectory() as folder:
        project = make_project(Path(folder) / "p.sqlite")
        for _ in range(data.draw(st.integers(1, 12))):
            kind, params = random_action(states[-1], data.draw)
            try:
                states.append(cur.ACTIONS[kind](states[-1], **params))
            except cur.CurationError:                  # refused (a final theme, ...): nothing changes
                continue
            check_invariants(states[-1])
            project.apply(kind, **params)
        for expected in reversed(states[:-1]):
            project.undo()
            restored = project.state()
            assert restored == expected
            check_invariants(restored)
        assert project.undo() is None


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_project_undo_redo_replays_exactly(tmp_path, data):
    project = make_project(tmp_path / f"p{data.draw(st.integers(0, 10**9))}.sqlite")
    states = [project.state()]
    for _ in range(data.draw(st.integers(1, 8))):
        kind, params = random_action(states[-1], data.draw)
        try:
            cur.ACTIONS[kind](states[-1], **params)
        except cur.CurationError:
            with pytest.raises(cur.CurationError):           # the file refuses it as the core does
                project.apply(kind, **params)
            assert project.state() == states[-1]
            continue
        project.apply(kind, **params)
        states.append(project.state())
        assert states[-1] == cur.ACTIONS[kind](states[-2], **params)
    for expected in reversed(states[:-1]):                       # undo everything
        project.undo()
        assert project.state() == expected
    assert project.undo() is None
    for expected in states[1:]:                                  # and redo it
        project.redo()
        assert project.state() == expected
    assert project.redo() is None


# --- the project file ----------------------------------------------------------------------------

def make_project(path):
    answers = pd.DataFrame({"respondent_id": [f"R{i}" for i in CLUSTERS], "answer": [f"svar {i}" for i in CLUSTERS],
                            "cluster": list(CLUSTERS.values())})
    clusters = pd.DataFrame({"cluster": [0, 1, 2], "keywords": ["a", "b", "c"], "examples": [["x"], ["y"], ["z"]]})
    return Project.create(path, "kerneopgave", answers, "demo.xlsx")


def test_project_saves_each_action_and_reopens_exactly(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    assert project.state() == start() and project.question() == "kerneopgave"
    project.apply("merge", theme_ids=[1, 2], name="Relationer")
    project.apply("move", answers=[7], theme_id=0)
    reopened = Project(tmp_path / "p.sqlite")
    assert reopened.state() == cur.move(cur.merge(start(), [1, 2], "Relationer"), [7], 0)
    audit = reopened.audit()
    assert audit["action"].tolist() == ["merge", "move"] and audit["kind"].eq("action").all()
    assert '"7": [null, null]' in audit.loc[1, "before"] and '"7": [0, null]' in audit.loc[1, "after"]


def test_undo_redo_and_a_new_action_discards_redo(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    project.apply("merge", theme_ids=[1, 2])
    project.undo()
    assert project.state() == start()
    project.redo()
    assert set(project.state().themes) == {0, 1}
    project.undo()
    project.apply("rename", theme_id=0, name="Nyt navn")
    assert project.redo() is None                                # the merge can no longer be redone
    assert project.audit()["kind"].tolist() == ["action", "undo", "redo", "undo", "action"]


def test_a_stale_tab_is_refused_and_nothing_changes(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    seen = project.version()
    project.apply("rename", theme_id=0, name="Fra fane 1", expected_version=seen)
    with pytest.raises(StaleError, match="anden fane"):
        project.apply("rename", theme_id=0, name="Fra fane 2", expected_version=seen)
    assert project.state().themes[0].name == "Fra fane 1"


def test_failed_action_changes_nothing(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    with pytest.raises(CurationError):
        project.apply("merge", theme_ids=[1])
    assert project.state() == start() and project.version() == 0


def test_damaged_or_missing_project_file(tmp_path):
    with pytest.raises(ProjectError, match="findes ikke"):
        Project(tmp_path / "none.sqlite").state()
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ProjectError, match="beskadiget"):
        Project(bad).state()
    assert bad.read_bytes() == b"this is not sqlite" * 100      # not overwritten


def test_a_new_theme_takes_the_picked_answers_in_one_step_and_undo_restores_exactly(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    project.apply("move", answers=[3], theme_id=0)
    before = project.state()
    project.apply("create", name=" Match ", answers=[1, 4, 7])
    state = project.state()
    assert state == cur.create(before, "Match", answers=[1, 4, 7])
    assert state.themes[3].name == "Match" and state.members(3) == [1, 4, 7] and state.unplaced() == []
    assert {1, 4, 7} <= state.reviewed and {1, 4, 7} <= state.corrected                  # like a move
    check_invariants(state)
    assert project.audit()["action"].tolist()[-1] == "create"                            # one audited step
    project.undo()
    assert project.state() == before and 3 not in project.state().themes
    project.redo()
    assert project.state() == state
    locked = cur.mark_final(before, 0)
    with pytest.raises(CurationError, match="endeligt"):
        cur.create(locked, "Match", answers=[1])                                         # a final theme keeps its answers
    with pytest.raises(CurationError, match="findes ikke"):
        cur.create(before, "Match", answers=[99])
