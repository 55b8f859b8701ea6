"""*Svar* → "Svar om spørgeskemaet / uden indhold": the answers about the survey itself or empty of content that
are not yet in *Ikke et svar* are listed, all ticked; the ticked ones go to *Ikke et svar* in one undoable move."""

import gradio as gr
import numpy as np
import pandas as pd
import pytest

from textmine.app import actions
from textmine.app.desk import Desk, Session
from textmine.config import load_config
from textmine.project import tree
from textmine.project.curation import NOT_AN_ANSWER
from textmine.project.data import read
from textmine.project.store import Project
from textmine.project.themes import Snapshot
from textmine.ui import answers_tab, themes_tab
from textmine.ui.review_tab import ReviewTab
from textmine.ui.themes_tab import ThemesTab

ANSWERS = {                                  # text -> cluster (the discovered theme it starts in)
    "Relationen til borgeren": 0, "Spørgsmålet er for bredt": 0, "-": 0, "Tillid og ligeværdighed": 0,
    "Match mellem borger og virksomhed": 1, "ved ikke": 1, "Spørgsmål om ledighed skal afklares hurtigt": 1,
    "Ingen kommentarer": 1, "Nej": 1,
}


@pytest.fixture
def tab(tmp_path):
    desk = Desk(load_config())
    with gr.Blocks():
        session = gr.State(Session())
        t = ThemesTab(desk, session, tmp_path)
        t.attach(ReviewTab(desk, session, t.estimate, gr.Timer(0.5, active=False)))
    answers = pd.DataFrame({"respondent_id": [f"R{i}" for i in range(len(ANSWERS))], "answer": list(ANSWERS),
                            "cluster": list(ANSWERS.values())})
    project = Project.create(tmp_path / "p.sqlite", "kerneopgave", answers, "demo.xlsx")
    project.apply("move", answers=[8], theme_id=NOT_AN_ANSWER)            # "Nej" is already in the bin
    return t, Session(str(project.path), version=project.version(), theme=0), project


def listed(t, out) -> dict:
    """{answer id: label} of the listing, and the ticked ids."""
    picked = out[t.answers.picked]
    return {int(v): label for label, v in picked["choices"]}, [int(v) for v in picked["value"]]


def test_the_listing_shows_the_non_answers_outside_the_bin_all_ticked(tab):
    t, s, project = tab
    out = answers_tab.on_find_meta(t, s)
    labels, ticked = listed(t, out)
    assert sorted(labels) == [1, 2, 5, 7] and sorted(ticked) == [1, 2, 5, 7]    # not "Nej" (in the bin already)
    assert labels[1] == "[Klynge 1] Spørgsmålet er for bredt"                # each with its theme
    assert list(labels)[0] == 1                                             # about the survey first
    caption = out[t.answers.caption]
    assert caption.startswith("**4 svar om spørgeskemaet eller uden indhold** i hele spørgsmålet (1 om "
                              "spørgeskemaet eller spørgsmålet og 3 uden indhold). De er valgt på forhånd;")
    assert "Flyt valgte til Ikke et svar" in caption


def test_the_ticked_ones_move_to_ikke_et_svar_in_one_undoable_step(tab):
    t, s, project = tab
    _, ticked = listed(t, answers_tab.on_find_meta(t, s))
    kept = 7                                                                # the analyst unticks one
    out = answers_tab.on_to_not_answer(t, s, [str(a) for a in ticked if a != kept])
    state = Project(project.path).state()
    assert sorted(state.not_answers()) == [1, 2, 5, 8] and state.primary[kept] == 1
    assert out[t.feedback]["value"] == "✓ 3 svar er flyttet til »Ikke et svar«."
    assert Project(project.path).audit()["action"].tolist()[-1] == "move"     # one action in the history
    s = out[t.session]
    assert listed(t, answers_tab.on_find_meta(t, s))[0].keys() == {kept}
    themes_tab.on_step(t, "undo", s)
    assert sorted(Project(project.path).state().not_answers()) == [8]


def test_none_found_says_so_in_danish(tab):
    t, s, project = tab
    project.apply("move", answers=[1, 2, 5, 7], theme_id=NOT_AN_ANSWER)
    s = Session(s.project, version=project.version(), theme=0)
    out = answers_tab.on_find_meta(t, s)
    assert listed(t, out) == ({}, [])
    assert out[t.answers.caption] == ("Textmine fandt ingen svar om spørgeskemaet eller uden indhold, som ikke "
                                      "allerede er i *Ikke et svar*.")


def test_answers_in_a_final_theme_are_left_out_and_the_caption_says_so(tab):
    t, s, project = tab
    project.apply("mark_final", theme_id=0, final=True)
    out = answers_tab.on_find_meta(t, Session(s.project, version=project.version(), theme=0))
    assert sorted(listed(t, out)[0]) == [5, 7]
    assert "(2 uden indhold; 2 i endelige temaer er ikke med: genåbn temaet først)." in out[t.answers.caption]


# -- the theme tree keeps them apart (project/tree.py) ------------------------------------------------------

def tree_project(path, rows: list[tuple[str, int, np.ndarray]]) -> Project:
    """A project of (text, cluster, vector) rows."""
    answers = pd.DataFrame({"respondent_id": [f"R{i:03d}" for i in range(len(rows))], "answer": [r[0] for r in rows],
                            "cluster": [r[1] for r in rows]})
    vectors = np.asarray([r[2] for r in rows], dtype=np.float32)
    return Project.create(path, "kerneopgave", answers, vectors=vectors, coords=vectors[:, :2])


def near(centre, rng, n: int) -> list[np.ndarray]:
    return [centre + rng.normal(scale=0.1, size=len(centre)) for _ in range(n)]


def test_a_theme_of_non_answers_is_not_merged_into_a_real_theme_by_the_cut(tmp_path):
    rng, axes = np.random.default_rng(0), np.eye(8) * 10
    rows = [(f"Relationen til borgeren {i}", c, v) for c in (0, 1) for i, v in enumerate(near(axes[0], rng, 5))]
    rows += [(f"Match med virksomheder {i}", c, v) for c in (2, 3) for i, v in enumerate(near(axes[1], rng, 5))]
    rows += [(t, 4, v) for t, v in zip(["ved ikke", "-", "Ingen kommentarer", "Spørgsmålet er for bredt"],
                                          near(axes[0] * 0.9, rng, 4))]   # lies among the relations
    project = tree_project(tmp_path / "p.sqlite", rows)
    snap = Snapshot(read(project.path), None)
    assert tree.kept_apart(snap) == [4]
    project.apply_steps("tree_cut", tree.cut_steps(snap, 2), themes=2)
    clusters = {th.clusters for th in Project(project.path).state().themes.values()}
    assert clusters == {(0, 1), (2, 3), (4,)}                  # two real themes, and the non-answers beside them


def test_non_answers_inside_a_theme_do_not_pull_its_centre(tmp_path):
    rng, axes = np.random.default_rng(1), np.eye(8) * 10
    a, b = axes[0], axes[1]
    rows = [(f"Relationen {i}", 0, v) for i, v in enumerate(near(a, rng, 5))]
    rows += [(f"Virksomhederne {i}", 1, v) for i, v in enumerate(near(b, rng, 5))]
    rows += [(f"Tillid {i}", 2, v) for i, v in enumerate(near(0.6 * a + 0.4 * b, rng, 4))]   # nearer the relations
    rows += [(t, 2, v) for t, v in zip(["ved ikke", "-", "Nej"], near(b, rng, 3))]           # ... its non-answers not
    project = tree_project(tmp_path / "p.sqlite", rows)
    assert sorted(map(sorted, tree.branches(Snapshot(read(project.path), None), 2))) == [[0, 2], [1]]


def test_the_cut_says_which_themes_it_kept_apart(tab, tmp_path):
    t, _, _ = tab
    rng, axes = np.random.default_rng(0), np.eye(8) * 10
    rows = [(f"Svar {c} {i}", c, v) for c in range(3) for i, v in enumerate(near(axes[c], rng, 3))]
    rows += [(t, 3, v) for t, v in zip(["ved ikke", "-"], near(axes[0], rng, 2))]
    project = tree_project(tmp_path / "q.sqlite", rows)
    _, line = actions.cut_themes(t.desk, Session(str(project.path), version=project.version()), 2)
    assert line.endswith("1 tema af svar om spørgeskemaet eller uden indhold er holdt uden for: flyt svarene til "
                         "*Ikke et svar* med *Svar om spørgeskemaet / uden indhold* under *Svar*.")


def test_the_answers_are_read_once_per_file_not_once_per_version(tab, monkeypatch):
    from textmine.project import themes

    t, s, project = tab
    calls = []
    read_texts = themes.meta_answers
    monkeypatch.setattr(themes, "meta_answers", lambda texts: calls.append(len(texts)) or read_texts(texts))
    assert themes.not_answering(t.desk.snapshot(str(project.path)))
    project.apply("rename", theme_id=0, name="Relationer")                   # a new version, the same texts
    after = t.desk.snapshot(str(project.path))
    assert after.version == project.version() and themes.not_answering(after)
    assert calls == [len(ANSWERS)]                 # 0,2 s at 10.000 answers: once, not at every click


def test_a_long_listing_shows_a_page_at_a_time_and_the_next_once_moved(tab):
    from textmine.app.page import not_answer_list

    t, s, project = tab
    choices, ticked, caption = not_answer_list(t.desk.snapshot(project.path), size=2)
    assert [int(v) for _, v in choices] == [1, 2] and ticked == ["1", "2"]      # about the survey first
    assert "(1 om spørgeskemaet eller spørgsmålet og 3 uden indhold) · viser 1-2 af 4." in caption
    assert caption.endswith("Tryk på *Svar om spørgeskemaet / uden indhold* igen, når de er flyttet, for at se de "
                            "næste.")
    project.apply("move", answers=[1, 2], theme_id=NOT_AN_ANSWER)
    choices, _, caption = not_answer_list(t.desk.snapshot(project.path), size=2)
    assert [int(v) for _, v in choices] == [5, 7] and "viser" not in caption and "næste" not in caption
