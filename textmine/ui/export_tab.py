"""*Eksport*: the themes for the report, in the formats chosen, written into the projects folder."""

from __future__ import annotations

from pathlib import Path

import gradio as gr
import pandas as pd

from ..app import panels
from ..app.desk import Desk, Session
from ..config import SurveyConfig
from ..report.formats import FORMATS, format_choices
from .boundary import on


class ExportTab:
    """The components of *Eksport* (built inside its gr.Tab); `review` (the ReviewTab) adds its estimate to
    what the tab says it exports."""

    def __init__(self, desk: Desk, projects_dir: Path, review):
        self.desk, self.projects_dir, self.review = desk, projects_dir, review
        gr.Markdown("Temaerne til rapporten. Svarene skrives altid som tekst, aldrig som formler.")
        self.about = gr.Markdown(elem_id="export-summary")
        self.formats = gr.CheckboxGroup(format_choices(), value=list(FORMATS), label="Formater")
        self.export = gr.Button("Lav filerne", variant="primary", elem_id="export")
        self.files = gr.File(label="Hent", file_count="multiple", interactive=False, elem_id="export-files")


def export_files(session: Session, formats: list[str], directory: Path, config: SurveyConfig | None = None,
                 survey: pd.DataFrame | None = None, snap=None) -> list[str]:
    """Write the chosen formats for the open project into the projects folder; the paths to download."""
    from ..app import exports  # the report writers (python-pptx, python-docx, SciPy): loaded on first use

    written = exports.write_exports(session, formats, directory, config, survey, snap)
    for warning in written.warnings:
        gr.Warning(warning, duration=10)
    gr.Info(f"{len(written)} filer er lavet.")
    return [str(p) for p in written]


def on_open(x: ExportTab, s: Session) -> str:
    from ..app import exports  # the report writers (python-pptx, python-docx, SciPy): loaded on first use

    return exports.export_summary_of(s) + x.review.export_line(s)


def on_export(x: ExportTab, s: Session, formats) -> list[str]:
    snap = x.desk.snapshot(s.project) if s.project else None          # its texts are lemmatised once per file
    return export_files(s, formats, x.projects_dir, *panels.project_survey(x.desk, s), snap)


def wire(x: ExportTab, tab: gr.Tab, session: gr.State) -> None:
    tab.select(on(on_open, x), [session], [x.about])
    x.export.click(on(on_export, x), [session, x.formats], [x.files])
