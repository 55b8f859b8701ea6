"""Small gradio pieces several tabs share: the options of a quick event, a hidden row, a bar chart's update,
and gradio's progress bar fed by a run's steps."""

from __future__ import annotations

import gradio as gr
import pandas as pd

from ..app.projects import step_text
from ..app.views import bar_figure

FAST = dict(show_progress="hidden", trigger_mode="once")     # a click that answers at once: no spinner, no repeats


def hide():
    """A row (the rename box, the delete question) hidden again."""
    return gr.update(visible=False)


def bars(frame: pd.DataFrame | None, top: float | None = None):
    """A bar chart's update (views.bar_figure: the groups in the rows' order); hidden without data. A plotly figure
    in gr.Plot: Gradio's own BarPlot, given a new value and its `sort` (the only way to keep the rows' order there),
    redrew itself with the value it had before, so the chart showed the previous theme's or grouping's shares
    beside the right table; it also wrote 9.8 in its tooltips and let long group names collide."""
    return gr.update(value=bar_figure(frame, top) if frame is not None else None, visible=frame is not None)


def reporter(progress, left=None):
    """A run's progress(step, fraction) shown in gradio's progress bar, with the time left when `left`
    (progress.TimeLeft) estimates it."""
    def report(step: str, fraction: float) -> None:
        progress(fraction, desc=step_text(step, left(step, fraction) if left else ""))
    return report
