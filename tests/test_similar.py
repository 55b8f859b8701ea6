"""*Find lignende* (issue 25 item 3) as plain function calls: the answers nearest to the picked ones or to the
theme's centre by cosine, hand-computed on a tiny project of known vectors; the paging; what a theme's own
answers, a search, another theme and a move do to the list; a project without vectors is refused in Danish."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from textmine.app.actions import act
from textmine.app.desk import Desk, Session
from textmine.app.page import PAGE, page
from textmine.app.similar import find
from textmine.config import load_config
from textmine.errors import TextmineError
from textmine.project.curation import UNPLACED
from textmine.project.store import Project
from textmine.ui import answers_tab
from textmine.ui.boundary import on

from .test_curation import make_project
from .test_ui_handlers import themes, warnings_said  # noqa: F401 (fixtures)

# answer: (angle in degrees, length, cluster); the length must not count (cosine), -1 is unplaced
KNOWN = {0: (0, 1, 0), 1: (10, 1, 0), 2: (-10, 2, 0), 3: (90, 1, 1), 4: (80, 1, 1), 5: (170, 5, 1),
         6: (30, 3, -1), 7: (45, 1, -1), 8: (60, 1, 1)}


@pytest.fixture
def desk():
    return Desk(load_config(), read_survey=lambda p, sheet: pd.DataFrame({"respondent_id": ["R1"]}))


@pytest.fixture
def known(tmp_path):
    """Nine answers in a plane at known angles: Klynge 1 around 0°, Klynge 2 at 60°-170°, two unplaced."""
    angles = np.radians([KNOWN[a][0] for a in KNOWN])
    lengths = np.array([KNOWN[a][1] for a in KNOWN], dtype=float)
    vectors = np.column_stack([np.cos(angles), np.sin(angles), np.zeros(len(KNOWN))]) * lengths[:, None]
    answers = pd.DataFrame({"respondent_id": [f"R{a}" for a in KNOWN], "answer": [f"svar {a}" for a in KNOWN],
                            "cluster": [KNOWN[a][2] for a in KNOWN]})
    return Project.create(tmp_path / "kendt.sqlite", "kerneopgave", answers, vectors=vectors.astype(np.float32))


def listed(shown) -> list[int]:
    return [int(a) for _, a in shown.answers]


def similar_page(desk, project, picked=(), theme=0):
    """The page after *Find lignende* with `picked` ticked under `theme`."""
    session = page(desk, Session(str(project.path)), select=theme).session
    return page(desk, find(desk, session, [str(a) for a in picked]), full=False)


def test_the_picked_answers_mean_finds_the_nearest_by_angle_not_by_length(known, desk):
    shown = similar_page(desk, known, picked=(3, 8))                       # 90° and 60°: their mean points at 75°
    assert listed(shown) == [4, 7, 6, 1, 0, 2, 5]                          # 5°, 30°, 45°, 65°, 75°, 85°, 95° away
    assert shown.answers[0][0] == "1,00 · [Klynge 2] svar 4" and shown.answers[1][0] == "0,87 · [Ikke placeret] svar 7"
    assert shown.answers[-1][0] == "-0,09 · [Klynge 2] svar 5"
    assert shown.caption.startswith("**Svar, der ligner de 2 valgte** · nærmest først")
    assert shown.session.similar == (3, 8) and shown.search == "" and shown.pager == (False, False)
    one = similar_page(desk, known, picked=(6,))
    assert listed(one)[:2] == [7, 1] and one.caption.startswith("**Svar, der ligner det valgte svar**")


def test_with_none_picked_the_theme_s_centre_is_compared_and_its_own_answers_left_out(known, desk):
    Project(known.path).apply("set_second", answer=8, theme_id=0)      # listed under Klynge 1 (↪): left out too
    shown = similar_page(desk, known)
    assert listed(shown) == [6, 7, 4, 3, 5]                                # 30°, 45°, 80°, 90°, 170° from 0°
    assert shown.caption.startswith("**Svar, der ligner temaet »Klynge 1«** · nærmest først")


def test_a_move_keeps_the_list_and_the_moved_answers_leave_it_a_search_or_another_theme_ends_it(known, desk):
    shown = similar_page(desk, known)
    session = act(shown.session, "move", answers=[6, 7], theme_id=0)      # the two nearest, into the theme
    after = page(desk, session)
    assert listed(after) == [8, 4, 3, 5] and after.session.similar == ()
    assert "ligner temaet" not in page(desk, after.session, search="svar").caption
    other = page(desk, after.session, full=False, select=1)
    assert other.session.similar is None and sorted(listed(other)) == Project(known.path).state().members(1)


@pytest.fixture
def wide(tmp_path):
    """450 answers at 0°, 0,3°, 0,6°, …: Klynge 1 is the first five (its centre at 0,6°), Klynge 2 the rest."""
    n = 450
    angles = np.radians(np.arange(n) * 0.3)
    vectors = np.column_stack([np.cos(angles), np.sin(angles)]).astype(np.float32)
    answers = pd.DataFrame({"respondent_id": [f"R{i:04d}" for i in range(n)], "answer": [f"svar {i}" for i in range(n)],
                            "cluster": [0 if i < 5 else 1 for i in range(n)]})
    return Project.create(tmp_path / "stor.sqlite", "kerneopgave", answers, vectors=vectors)


def test_the_list_pages_200_at_a_time_nearest_first_over_every_answer(wide, desk):
    first = similar_page(desk, wide, theme=0)
    assert len(first.answers) == PAGE and first.pager == (False, True) and "viser 1-200 af 445" in first.caption
    second = page(desk, replace(first.session, start=PAGE), full=False)
    third = page(desk, replace(second.session, start=2 * PAGE), full=False)
    assert second.pager == (True, True) and third.pager == (True, False) and "viser 401-445 af 445" in third.caption
    assert listed(first) + listed(second) + listed(third) == list(range(5, 450))   # farther and farther from 0,6°


def test_the_page_buttons_page_the_similar_answers_not_the_theme_s(themes, wide):  # noqa: F811
    tab, _, _ = themes
    out = answers_tab.on_similar(tab, Session(str(wide.path), version=wide.version(), theme=1), ["0"])
    assert [int(a) for _, a in out[tab.answers.picked]["choices"]][:3] == [1, 2, 3]
    assert tab.name not in out and tab.info not in out and tab.theme_list not in out      # only the list is redrawn
    later = answers_tab.on_page(tab, PAGE, out[tab.session], "")
    assert [int(a) for _, a in later[tab.answers.picked]["choices"]] == list(range(201, 401))
    assert later[tab.answers.later]["visible"] and later[tab.answers.earlier]["visible"]
    back = answers_tab.on_page(tab, -PAGE, later[tab.session], "")
    assert back[tab.answers.picked]["choices"] == out[tab.answers.picked]["choices"]
    theme = answers_tab.on_search(tab, back[tab.session], "")                # an empty search: the theme's answers
    assert theme[tab.session].similar is None and "ligner" not in theme[tab.answers.caption]["value"]


def test_nothing_to_compare_is_said_in_danish_and_changes_nothing(themes, warnings_said, known, desk):  # noqa: F811
    tab, s, project = themes                                                # make_project: no vectors
    assert on_similar_guarded(tab, s, ["1"]) is not None and "ingen svarvektorer" in warnings_said[-1]
    with pytest.raises(TextmineError, match="Vælg de svar"):
        find(desk, Session(str(known.path), theme=UNPLACED), [])            # a bin, none picked
    empty = act(Session(str(known.path), theme=1), "move", answers=[3, 4, 5, 8], theme_id=0)
    with pytest.raises(TextmineError, match="Temaet har ingen svar"):
        find(desk, empty, [])


def on_similar_guarded(tab, s, picked):
    return on(answers_tab.on_similar, tab)(s, picked)


def test_a_project_without_vectors_has_none_to_compare(tmp_path, desk):
    project = make_project(tmp_path / "p.sqlite")
    with pytest.raises(TextmineError, match="ingen svarvektorer, så textmine kan ikke finde lignende svar"):
        find(desk, Session(str(project.path), theme=0), [])
