"""The theme tree: many clusters cut to a few themes in one undoable step, final themes kept, and a large
discovery starting at START_THEMES with its fine clusters one undo away."""

import numpy as np
import pandas as pd
import pytest

from textmine.app.pipeline import curated, start_from_tree
from textmine.project import tree
from textmine.project.curation import CurationError
from textmine.project.data import read
from textmine.project.store import Project
from textmine.project.themes import Snapshot


def grouped_project(path, groups: int = 3, per_group: int = 4, size: int = 5, seed: int = 0) -> tuple[Project, dict]:
    """groups × per_group clusters of `size` answers; the clusters of a group lie close together, the
    groups far apart. Returns the project and each cluster's group."""
    rng = np.random.default_rng(seed)
    dim = 32
    centres = np.eye(dim)[:groups] * 10
    rows, vectors, group_of = [], [], {}
    for g in range(groups):
        for j in range(per_group):
            cluster = g * per_group + j
            group_of[cluster] = g
            offset = centres[g] + rng.normal(scale=1.0, size=dim)
            for i in range(size):
                rows.append({"respondent_id": f"R{len(rows):04d}", "answer": f"svar {cluster} {i}", "cluster": cluster})
                vectors.append(offset + rng.normal(scale=0.1, size=dim))
    vectors = np.asarray(vectors, dtype=np.float32)
    project = Project.create(path, "kerneopgave", pd.DataFrame(rows), vectors=vectors,
                             coords=vectors[:, :2])
    return project, group_of


def snapshot(project) -> Snapshot:
    return Snapshot(read(project.path), None)


def cluster_sets(snap) -> set[frozenset]:
    return {frozenset(theme.clusters) for theme in snap.state.themes.values()}


def test_the_tree_cuts_to_k_branches_of_similar_themes_in_one_undoable_step(tmp_path):
    project, group_of = grouped_project(tmp_path / "p.sqlite")
    snap = snapshot(project)
    steps = tree.cut_steps(snap, 3)
    project.apply_steps("tree_cut", steps, themes=3)
    after = snapshot(project)
    assert len(after.state.themes) == 3
    expected = {frozenset(c for c, g in group_of.items() if g == group) for group in range(3)}
    assert cluster_sets(after) == expected                 # each theme is one group's clusters, beneath it
    assert project.next_undo() == "samlede temaerne efter lighed til 3 temaer"
    project.undo()
    assert len(snapshot(project).state.themes) == 12


def test_a_final_theme_stays_its_own_branch_and_counts_towards_k(tmp_path):
    project, _ = grouped_project(tmp_path / "p.sqlite")
    project.apply("mark_final", theme_id=0, final=True)
    groups = tree.branches(snapshot(project), 4)
    assert len(groups) == 4 and [0] in groups
    project.apply_steps("tree_cut", tree.cut_steps(snapshot(project), 4), themes=4)
    themes = snapshot(project).state.themes
    assert len(themes) == 4 and themes[0].final and themes[0].clusters == (0,)


def test_a_branch_keeps_the_name_the_analyst_gave(tmp_path):
    project, group_of = grouped_project(tmp_path / "p.sqlite")
    project.apply("rename", theme_id=5, name="Samarbejde med virksomheder")
    project.apply_steps("tree_cut", tree.cut_steps(snapshot(project), 3), themes=3)
    names = [t.name for t in snapshot(project).state.themes.values() if 5 in t.clusters]
    assert names == ["Samarbejde med virksomheder"]


def test_cutting_to_as_many_themes_as_there_are_is_refused_in_danish(tmp_path):
    project, _ = grouped_project(tmp_path / "p.sqlite")
    with pytest.raises(CurationError, match="allerede 12 temaer"):
        tree.cut_steps(snapshot(project), 12)
    project.apply("mark_final", theme_id=0, final=True)
    with pytest.raises(CurationError, match="Der er 1 endeligt tema; vælg mindst 2 temaer"):
        tree.cut_steps(snapshot(project), 1)
    project.apply("mark_final", theme_id=1, final=True)
    with pytest.raises(CurationError, match="2 endelige temaer"):
        tree.cut_steps(snapshot(project), 2)


def test_a_large_discovery_starts_at_start_themes_and_still_counts_as_not_curated(tmp_path, monkeypatch):
    monkeypatch.setattr(tree, "START_FROM", 10)
    monkeypatch.setattr(tree, "START_THEMES", 3)
    project, group_of = grouped_project(tmp_path / "p.sqlite")
    start_from_tree(project)
    snap = snapshot(project)
    assert len(snap.state.themes) == 3 and not curated(project)
    assert sorted(c for t in snap.state.themes.values() for c in t.clusters) == list(range(12))
    project.apply("rename", theme_id=next(iter(snap.state.themes)), name="Et navn")
    assert curated(project)
    project.undo()
    project.undo()                                      # the start from the tree, too
    assert len(snapshot(project).state.themes) == 12


def test_a_small_discovery_keeps_its_clusters(tmp_path):
    project, _ = grouped_project(tmp_path / "p.sqlite")
    start_from_tree(project)
    assert len(snapshot(project).state.themes) == 12 and not curated(project) and project.version() == 0


def test_a_new_discovery_replaces_a_project_only_started_from_the_tree(tmp_path, monkeypatch):
    from textmine.app.pipeline import keep_curated_project

    monkeypatch.setattr(tree, "START_FROM", 10)
    monkeypatch.setattr(tree, "START_THEMES", 3)
    project, _ = grouped_project(tmp_path / "p.sqlite")
    start_from_tree(project)
    assert keep_curated_project(project.path) is None           # nothing curated: replaced, not kept
    project.apply("rename", theme_id=next(iter(snapshot(project).state.themes)), name="Et navn")
    kept, readable = keep_curated_project(project.path)
    assert readable and kept.exists() and kept != project.path


def test_a_small_theme_joins_its_neighbour_before_two_large_themes_join():
    centres = np.array([[0.0], [10.0], [20.0], [35.0]])
    labels = tree.cut_labels(centres, np.array([100, 100, 100, 1]), 3)
    assert labels[3] == labels[2] and len(set(labels[:3])) == 3        # counted over answers, not themes
    labels = tree.cut_labels(centres, np.array([1, 1, 1, 1]), 3)
    assert labels[0] == labels[1] and labels[3] != labels[2]           # equal sizes: the nearest join


def test_a_project_without_vectors_is_refused_in_danish(tmp_path):
    rows = [{"respondent_id": f"R{i}", "answer": f"svar {i}", "cluster": i % 4} for i in range(20)]
    project = Project.create(tmp_path / "p.sqlite", "kerneopgave", pd.DataFrame(rows))
    with pytest.raises(CurationError, match="ingen svarvektorer"):
        tree.cut_steps(snapshot(project), 2)


def meaning_and_length(seed: int = 0) -> tuple[list[dict], np.ndarray]:
    """Answers of two meanings (+1, -1 on the first axis) × short or long (2 or 30 words); e5 vectors hold an
    answer's length, here on the second axis and stronger than meaning. Cluster 0: the first meaning's short
    answers, 1: its long ones, 2 and 3: the second meaning's."""
    rng = np.random.default_rng(seed)
    rows, vectors = [], []
    for cluster, (meaning, words) in enumerate([(1, 2), (1, 30), (-1, 2), (-1, 30)]):
        for i in range(10):
            n = words + int(rng.integers(0, 3))
            rows.append({"respondent_id": f"R{len(rows):04d}", "answer": " ".join(["svar"] * n), "cluster": cluster,
                         "meaning": str(meaning)})
            vectors.append([meaning, 2.0 * np.log(n / 8), *rng.normal(scale=0.05, size=6)])
    return rows, np.asarray(vectors, dtype=np.float32)


def test_the_cut_groups_themes_by_meaning_not_by_the_length_of_their_answers(tmp_path):
    rows, vectors = meaning_and_length()
    project = Project.create(tmp_path / "p.sqlite", "kerneopgave", pd.DataFrame(rows), vectors=vectors,
                             coords=vectors[:, :2])
    groups = tree.branches(snapshot(project), 2)
    assert sorted(sorted(g) for g in groups) == [[0, 1], [2, 3]]      # not the short [0, 2] and the long [1, 3]


def test_the_eval_measures_the_cut_and_its_length_bias_beside_the_plain_centres():
    from benchmarks.eval import tree_table

    rows, vectors = meaning_and_length()
    entry = {"name": "syntetisk", "texts": [r["answer"] for r in rows], "gold": [[r["meaning"]] for r in rows],
             "clusters": np.array([r["cluster"] for r in rows]), "features": vectors}
    row = tree_table([entry]).iloc[0]
    assert row["cut_to"] == 2 and row["tree_cut"] == 1.0 and row["plain_tree_cut"] == 0.5
    assert row["length"] < 0.05 < 0.9 < row["plain_length"]          # the plain cut is a cut by length
