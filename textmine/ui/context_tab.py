"""*Hvem siger det?*, the inner tab under the selected theme on *Temaer*: the theme's share in each group of
the survey, the tests between them, and the Likert context. Drawn only while it is open (Session.context_open);
events elsewhere that change the theme are followed by its redraw (`follow`)."""

from __future__ import annotations

from dataclasses import replace

import gradio as gr

from ..app.desk import Desk, Session
from .boundary import on
from .parts import bars


class ContextTab:
    """The components of *Hvem siger det?* (built inside its gr.Tab)."""

    def __init__(self, desk: Desk, session: gr.State):
        self.desk, self.session = desk, session
        self.by = gr.Dropdown(choices=[], label="Fordel på", elem_id="group-by")
        with gr.Row():
            with gr.Column(scale=1, min_width=300):
                self.who = gr.HTML(elem_id="who")
                self.who_tests = gr.Markdown(elem_id="who-tests")
            with gr.Column(scale=1, min_width=300):
                self.likert_caption = gr.Markdown(elem_classes=["tm-small"], elem_id="likert-caption")
                self.likert = gr.HTML(elem_id="likert")
        self.who_plot = gr.Plot(show_label=False, elem_id="who-plot")
        self.outputs = [self.who, self.who_tests, self.who_plot, self.likert_caption, self.likert]

    def follow(self, event, **options):
        """After `event`: the tab redrawn for the session it left (nothing while the tab is closed)."""
        return event.then(on(on_context, self), [self.session], self.outputs, **options)

    def survey_updates(self, parts: dict) -> dict:
        """"Fordel på" for the open project's survey (survey_panels.survey_parts)."""
        return {self.by: gr.update(choices=parts["groups"], value=parts["group"], visible=bool(parts["groups"]))}


def on_context(c: ContextTab, s: Session):
    if not s.context_open:
        return gr.skip()
    from ..app import survey_panels  # the survey's statistics (SciPy): loaded when the tab is first drawn
    shown_now = dict(zip(c.outputs, survey_panels.context_of(c.desk, s)))
    shown_now[c.who_plot] = bars(shown_now[c.who_plot])
    return shown_now


def closed(s: Session) -> Session:
    return replace(s, context_open=False)


def opened(s: Session) -> Session:
    return replace(s, context_open=True)


def grouped(s: Session, by) -> Session:
    return replace(s, group_by=by)


def wire(c: ContextTab, answers_tab: gr.Tab, context_tab: gr.Tab) -> None:
    """Which inner tab is open is kept in the session; opening this one, or another grouping, redraws it."""
    answers_tab.select(closed, [c.session], [c.session], queue=False)
    c.follow(context_tab.select(opened, [c.session], [c.session], queue=False))
    c.follow(c.by.input(grouped, [c.session, c.by], [c.session], queue=False))
