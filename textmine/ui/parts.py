"""Small gradio pieces several tabs share: the options of a quick event, a hidden row, a bar chart's update,
and gradio's progress bar fed by a run's steps."""

from __future__ import annotations

import gradio as gr
import pandas as pd

from ..app.projects import step_text

FAST = dict(show_progress="hidden", trigger_mode="once")     # a click that answers at once: no spinner, no repeats


def hide():
    """A row (the rename box, the delete question) hidden again."""
    return gr.update(visible=False)


def bars(frame: pd.DataFrame | None):
    """A bar chart's update: its groups along the axis in the order of the rows (the survey's own order,
    shares.value_order), not alphabetically; hidden without data."""
    order = {"sort": list(frame["Gruppe"])} if frame is not None else {}
    return gr.update(value=frame, visible=frame is not None, **order)


def reporter(progress, left=None):
    """A run's progress(step, fraction) shown in gradio's progress bar, with the time left when `left`
    (progress.TimeLeft) estimates it."""
    def report(step: str, fraction: float) -> None:
        progress(fraction, desc=step_text(step, left(step, fraction) if left else ""))
    return report
