"""*Ny bølge* on the page, gradio-free: lay the open project's themes on the next wave as a new project, and
compare the two waves (the status line, the chart, the table). Imports the wave placing (scikit-learn): the
page imports this module when the tab is first used."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from ..config import SurveyConfig
from ..errors import TextmineError
from ..fmt import chart_text
from ..project.store import Project
from ..survey.reading import read_survey
from ..waves.applying import apply_to_project
from ..waves.comparing import WAVE_LABELS, comparison_of, display_comparison
from . import views
from .desk import Desk, Session
from .projects import new_project_path
from .upload import accept_upload


def comparison_figure(table: pd.DataFrame):
    """A grouped horizontal bar chart (plotly) of the theme shares in both waves, new themes marked."""
    import plotly.graph_objects as go

    labels = [chart_text(f"{now or name} (nyt)" if new else (now or name))
              for name, now, new in zip(table["theme"], table["name_now"], table["new"])]
    figure = go.Figure()
    for column, wave, colour in (("share_baseline", WAVE_LABELS[0], "#7f9cc0"), ("share_followup", WAVE_LABELS[1], "#1f4e79")):
        figure.add_bar(y=labels, x=table[column].round(1), name=wave, orientation="h", marker_color=colour,
                       hovertemplate="%{y}: %{x:.1f} %<extra>" + wave + "</extra>")
    figure.update_layout(separators=",.", barmode="group", height=max(300, 46 * len(labels) + 120), margin=dict(l=10, r=10, t=30, b=10),
                         yaxis=dict(autorange="reversed"), xaxis_title="Andel af gruppens svar, der siger noget (%)",
                         legend=dict(orientation="h", y=1.02, yanchor="bottom"), plot_bgcolor="white")
    return figure


def new_wave(session: Session, upload: str | None, directory: Path, config: SurveyConfig,
             progress=lambda step, fraction: None) -> tuple[Session, Path, pd.DataFrame]:
    """Lay the open project's themes on the next wave (an uploaded survey, else the config's follow-up
    file) as a new project; returns the session on it, the survey's path and its table. `config`: the open
    project's description (Desk.config_of), recorded in the new project too."""
    if not session.project:
        raise TextmineError("Åbn først det kuraterede projekt fra den første måling (under Temaer).")
    if not upload and config.followup_file is None:
        raise TextmineError("Vælg filen med den nye målings svar.")
    baseline = Project(session.project)
    path, table = accept_upload(upload, directory) if upload else \
        (config.followup_file, read_survey(config.followup_file, config.sheet_for(config.followup_file)))
    out = new_project_path(directory, Path(path).name, baseline.question())
    apply_to_project(baseline, Path(path), table, out, config, progress=progress)
    return Session(str(out)), Path(path), table


def own_config(desk: Desk, session: Session, config: SurveyConfig) -> SurveyConfig:
    """The open project's description, else the app's `config`."""
    return desk.config_of(desk.snapshot(session.project)) if session.project else config


def place_wave(desk: Desk, session: Session, upload: str | None, directory: Path, config: SurveyConfig,
               progress) -> Session:
    """new_wave with the open project's description (else the app's `config`); the session on the new
    project, *Hvem siger det?* still open if it was."""
    done, _, _ = new_wave(session, upload, directory, own_config(desk, session, config), progress)
    return replace(done, context_open=session.context_open)


def wave_view(desk: Desk, session: Session):
    """(status, the comparison chart or None, the comparison table as HTML) of the open project."""
    if not session.project:
        return views.wave_status(None, None), None, ""
    snap = desk.snapshot(session.project)
    comparison = comparison_of(snap.meta, snap.state, snap.answers, snap.masker)
    if comparison is None:
        return views.wave_status(snap, None), None, ""
    return (views.wave_status(snap, comparison), comparison_figure(comparison),
            views.html_table(views.wave_table(display_comparison(comparison))))


def followup_note(desk: Desk, session: Session, config: SurveyConfig) -> str:
    """Under the wave tab's file field: the file a wave is read from when none is chosen."""
    own = own_config(desk, session, config)
    return f"Uden en fil bruges {own.followup_file.name} (undersøgelsens opfølgning)." if own.followup_file else ""
