"""*Eksport* on the page, gradio-free: what the tab says it exports, and the files written. Imports the report
writers (python-pptx, python-docx, SciPy): the page imports this module when the tab is first used."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..config import SurveyConfig
from ..project.themes import Snapshot
from ..report.export import export_project, export_summary
from ..text.privacy import masker_for
from .actions import open_project
from .desk import Session
from .projects import exports_dir


def write_exports(session: Session, formats: list[str], directory: Path, config: SurveyConfig | None = None,
                  survey: pd.DataFrame | None = None, snap: Snapshot | None = None):
    """Write the chosen formats for the open project into the projects folder; the files written (with the
    warnings of what they leave out). `snap`: the page's snapshot of the project, whose lemmatised texts are
    used when they are masked as the export masks."""
    project = open_project(session)
    text = config.questions.get(project.question(), "") if config else ""
    masker = masker_for(config) if config else None
    texts = snap.texts if snap is not None and masker is not None and snap.masker == masker else None
    return export_project(project, exports_dir(directory, session.project), formats,
                          question_text=text, survey=survey, config=config if survey is not None else None,
                          masker=masker, texts=texts)


def export_summary_of(session: Session) -> str:
    """What the export tab says it exports: the project, its question, the themes and whether all are final."""
    if not session.project:
        return "Intet projekt er åbent. Åbn eller lav et projekt under *Temaer*."
    return export_summary(open_project(session).read())
