"""A theme name of thousands of characters (RELIABILITY.md item 5) is cut with "…" wherever it is shown beside
other text: the theme list, the move and merge lists, the history and its filter, the confirmation lines, the
Gennemse rows and the map's legend (the history, a record, after 300 characters; the rest after 160). The name
box and the project keep the whole name."""

import numpy as np
import pandas as pd

from textmine.app import review_page as rv
from textmine.app.choices import merge_choices, target_choices, theme_choices
from textmine.app.desk import Desk, Session
from textmine.app.history import history, history_filter
from textmine.app.map import map_groups
from textmine.app.messages import confirmation
from textmine.app.page import page
from textmine.app.views import delete_question
from textmine.config import load_config
from textmine.fmt import NAME_CHARS, name_label
from textmine.project import history as project_history
from textmine.project.store import Project

from .test_curation import CLUSTERS

LONG = ("Borgerkontakt og samarbejde med virksomhederne om rekruttering " * 60)[:3000]
WORD = "Langtordudenmellemrum" * 150


def make_project(path):
    """test_curation's project, with map positions."""
    answers = pd.DataFrame({"respondent_id": [f"R{i}" for i in CLUSTERS], "answer": [f"svar {i}" for i in CLUSTERS],
                            "cluster": list(CLUSTERS.values())})
    coords = np.random.default_rng(0).normal(size=(len(answers), 2))
    return Project.create(path, "kerneopgave", answers, "demo.xlsx", coords=coords)


def test_a_name_label_is_cut_after_whole_words_and_a_short_name_is_left_whole():
    assert name_label("Rekruttering og match") == "Rekruttering og match"
    shown = name_label(LONG)
    assert shown.endswith(" …") and len(shown) <= NAME_CHARS + 2 and LONG.startswith(shown[:-2])
    assert shown[:-2].split()[-1] in LONG.split()                                 # no word cut in half
    assert name_label(WORD) == WORD[:NAME_CHARS] + " …"                            # one word: cut inside it
    assert name_label("Tid \u202eomvendt") == "Tid omvendt"


def test_a_3000_character_name_is_cut_everywhere_it_is_shown_and_kept_whole_in_the_project(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    project.apply("rename", theme_id=0, name=LONG)
    project.apply("rename", theme_id=1, name=WORD)
    desk = Desk(load_config())
    snap = desk.snapshot(str(project.path))
    themes = desk.themes(snap)
    lists = {"themes": theme_choices(snap, themes), "targets": target_choices(themes),
             "merge": merge_choices(themes, 2), "filter": history_filter(snap), "review": rv.other_choices(snap)}
    for where, choices in lists.items():
        longest = max(len(label) for label, _ in choices)
        assert longest <= NAME_CHARS + 40 and any(" …" in label for label, _ in choices), (where, longest)
    table, points = history(project)
    lines = {"history": " ".join(table["Handling"]), "points": " ".join(label for label, _ in points),
             "confirmation": confirmation("rename", {"theme_id": 0}, snap), "delete": delete_question(snap, 0),
             "review": rv.row_text(snap, rv.Row(answer=0, kind="move", theme=0, suggested=1, confidence=0.6,
                                             p_current=0.2), 1),
             "legend": " ".join(map_groups(snap, themes)["group"].unique())}
    for where, line in lines.items():
        assert LONG[:project_history.NAME_CHARS + 1] not in line and WORD[:project_history.NAME_CHARS + 1] not in line \
            and "…" in line, where
    shown = page(desk, Session(str(project.path), theme=0))
    assert shown.name == LONG and project.state().themes[0].name == LONG                   # the name box: whole
