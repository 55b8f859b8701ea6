"""*Tal*: the survey's Likert items by group, as a chart and a table, for the open project's survey."""

from __future__ import annotations

import gradio as gr

from ..app.desk import Desk, Session
from .boundary import on
from .parts import bars


class NumbersTab:
    """The components of *Tal* (built inside its gr.Tab)."""

    def __init__(self, desk: Desk):
        self.desk = desk
        self.intro = gr.Markdown(elem_id="numbers-intro")
        with gr.Row():
            self.item = gr.Dropdown(choices=[], label="Spørgsmål", elem_id="item", scale=3)
            self.by = gr.Dropdown(choices=[], label="Fordel på", elem_id="number-by", scale=1)
        self.chart = gr.Plot(show_label=False, elem_id="numbers-plot")
        self.table = gr.HTML(elem_id="item-table")

    def survey_updates(self, parts: dict) -> dict:
        """The tab on the open project's survey (survey_panels.survey_parts)."""
        return {self.intro: parts["numbers"],
                self.item: gr.update(choices=parts["items"], value=parts["item"], visible=bool(parts["items"])),
                self.by: gr.update(choices=parts["groups"], value=parts["number_group"],
                                   visible=bool(parts["groups"] and parts["items"]))}


def on_numbers(n: NumbersTab, s: Session, code, group):
    from ..app import survey_panels  # the survey's statistics (SciPy): loaded when the tab is first drawn

    chart, table_html = survey_panels.numbers_of(n.desk, s, code, group)
    return {n.chart: bars(chart, top=100), n.table: table_html}


def wire(n: NumbersTab, tab: gr.Tab, session: gr.State) -> None:
    io = ([session, n.item, n.by], [n.chart, n.table])
    tab.select(on(on_numbers, n), *io)
    n.item.input(on(on_numbers, n), *io)
    n.by.input(on(on_numbers, n), *io)
