"""*Ny bølge*: lay the open project's themes on the next wave of the same survey (a new project), and compare
the two waves."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from ..app.desk import Desk, Session
from ..app.projects import project_label
from ..config import SurveyConfig
from .boundary import on
from .parts import reporter


class WavesTab:
    """The components of *Ny bølge* (built inside its gr.Tab); `config` is the app's survey description (used
    when no project is open)."""

    def __init__(self, desk: Desk, config: SurveyConfig, projects_dir: Path):
        self.desk, self.config, self.projects_dir = desk, config, projects_dir
        gr.Markdown("Læg temaerne fra det åbne projekt på næste måling af samme undersøgelse: en model, der har "
                    "lært projektets temaer (de svar, du har gennemset, vægter mest), giver hvert nyt svar et tema. "
                    "Svar, der passer dårligt i temaerne eller mest ligner andre nye svar, samles i nye klynger "
                    "(**Ny 1**, **Ny 2**, …). Resultatet er et nyt projekt, som du kuraterer under *Temaer*; "
                    "sammenligningen herunder følger med.")
        with gr.Row():
            self.file = gr.File(label="Næste målings svar (xlsx, csv, sav)",
                                file_types=[".xlsx", ".csv", ".sav"], height=120, scale=3, elem_id="wave-file")
            self.run = gr.Button("Læg temaerne på den nye måling", variant="primary", scale=1, elem_id="apply-wave")
        self.note = gr.Markdown(elem_id="wave-note")
        self.status = gr.Markdown(elem_id="wave-status")
        self.plot = gr.Plot(show_label=False, elem_id="wave-plot", visible=False)
        self.table = gr.HTML(elem_id="wave-table")
        self.outputs = [self.status, self.plot, self.table, self.note]


def on_open(w: WavesTab, s: Session) -> dict:
    from ..app import next_wave  # the wave placing (scikit-learn): loaded when the tab is first used

    status_text, figure, table_html = next_wave.wave_view(w.desk, s)
    return {w.status: status_text, w.plot: gr.update(value=figure, visible=figure is not None),
            w.table: table_html, w.note: next_wave.followup_note(w.desk, s, w.config)}


def on_wave(w: WavesTab, page, s: Session, file, progress=gr.Progress()):
    from ..app import next_wave  # the wave placing (scikit-learn): loaded when the tab is first used

    s = next_wave.place_wave(w.desk, s, file, w.projects_dir, w.config, reporter(progress))
    gr.Info(f"Den nye måling er lagt i projektet {project_label(Path(s.project))}.")
    return {**page.opened(s), **on_open(w, s)}


def wire(w: WavesTab, tab: gr.Tab, page) -> None:
    """`page` (page.Page): the whole page redrawn on the new project."""
    tab.select(on(on_open, w), [page.session], w.outputs)
    page.themes.context.follow(w.run.click(on(on_wave, w, page), [page.session, w.file], [*page.outputs, *w.outputs]),
                               show_progress="hidden")
