"""*Historik*: everything done in the project, newest first (for one theme, or all), and going back to an
earlier point (the later actions undone, and redone with *Gentag*)."""

from __future__ import annotations

import gradio as gr

from ..app import actions, panels
from ..app.desk import Session
from .boundary import on
from .parts import FAST


class HistoryTab:
    """The components of *Historik* (built inside its gr.Tab); `themes` (the ThemesTab) redraws the page
    after going back."""

    def __init__(self, themes):
        self.themes = themes
        gr.Markdown("Alt, der er gjort i projektet, nyeste først. Gå tilbage til et tidligere punkt: "
                    "de senere handlinger fortrydes (og kan gentages med *Gentag*).")
        with gr.Row(elem_classes=["tm-bar"]):
            self.theme = gr.Dropdown(label="Vis handlinger for", scale=2, elem_id="history-theme")
            self.point = gr.Dropdown(label="Gå tilbage til", scale=4, elem_id="back-point")
            self.back = gr.Button("Gå tilbage hertil", scale=1, elem_id="back", size="sm")
        self.note = gr.Markdown(elem_id="history-feedback")
        self.table = gr.HTML(elem_id="history")
        self.outputs = [self.table, self.point, self.theme]


def on_history(h: HistoryTab, s: Session, chosen=None):
    table, points, choices, chosen = panels.history_view(h.themes.desk, s, chosen)
    return {h.table: table, h.point: gr.update(choices=points, value=None),
            h.theme: gr.update(choices=choices, value=chosen)}


def on_back(h: HistoryTab, s: Session, seq, chosen):
    s, note = actions.go_back(s, seq)
    return {**h.themes.full(s, note), **on_history(h, s, chosen), h.note: note}


def wire(h: HistoryTab, tab: gr.Tab) -> None:
    s = h.themes.session
    tab.select(on(on_history, h), [s, h.theme], h.outputs)
    h.theme.input(on(on_history, h), [s, h.theme], h.outputs, **FAST)
    h.back.click(on(on_back, h), [s, h.point, h.theme], [*h.themes.outputs, *h.outputs, h.note], **FAST)
