"""The light parts of the page's tabs, gradio-free: the history of the open project, its answers on the map,
and its description and survey table (what its exports' group and Likert sheets use)."""

from __future__ import annotations

import pandas as pd

from ..config import SurveyConfig
from ..project.store import Project
from . import views
from .actions import open_project
from .desk import Desk, Session
from .history import ALL_THEMES, filter_theme, history_filter
from .history import history as history_table
from .map import map_groups

NO_PROJECT = "Intet projekt er åbent. Åbn et under *Temaer*, eller lav et under *Nyt projekt*."


def history_view(desk: Desk, session: Session, chosen=None) -> tuple[str, list, list, str]:
    """The *Historik* tab for the theme `chosen` (else every action): (the table as HTML or a line saying
    there is none, the points to go back to, the themes to filter on, the filter now chosen)."""
    if not session.project:                         # looking at the tab is no mistake: a line, not a warning
        return views.note(NO_PROJECT), [], [], None
    snap = desk.snapshot(open_project(session).path)
    choices = history_filter(snap)
    chosen = chosen if chosen in {v for _, v in choices} else ALL_THEMES
    table, points = history_table(Project(session.project), snap.texts.shown, filter_theme(chosen), snap.masker)
    empty = "Ingen handlinger endnu." if chosen == ALL_THEMES else "Ingen handlinger for dette tema."
    return views.html_table(table) or empty, points, choices, chosen


def map_of(desk: Desk, session: Session):
    """The open project's answers on the map (a plotly figure); None with no project open."""
    if not session.project:
        return None
    snap = desk.snapshot(session.project)
    return views.map_figure(map_groups(snap, desk.themes(snap)))


def project_survey(desk: Desk, session: Session) -> tuple[SurveyConfig, pd.DataFrame]:
    """The open project's description and survey table (what its exports' group and Likert sheets use)."""
    snap = desk.snapshot(open_project(session).path)
    return desk.config_of(snap), desk.survey(snap)
