"""The discovery under way, above the tabs of every open page, a reloaded one too: its status line (survey,
question, start, step, how far; discovery_control.status_line), redrawn every second from the run registry
(discovery_control.Runs) while the run lasts, with its *Stop* button. A page follows the run it started, or
the one under way when it opened; one that followed a run it did not start opens the project the run made."""

from __future__ import annotations

import gradio as gr

from ..app.discovery_control import Runs, status_line
from .boundary import on

STOP_LABEL, STOPPING_LABEL = "Stop søgningen", "Stopper søgningen (efter det trin, den er i gang med) …"
HIDDEN = dict(show_progress="hidden")


class RunBar:
    """The bar's components (built above the tabs: a hidden tab's timer never ticks) and the registry."""

    def __init__(self, runs: Runs | None = None):
        self.runs = runs or Runs()
        with gr.Row(visible=False, elem_id="run-bar", equal_height=True) as self.row:
            self.status = gr.HTML(elem_id="run-progress")
            self.stop = gr.Button(STOP_LABEL, variant="stop", elem_id="stop-discovery", scale=0, min_width=230)
        self.following = gr.State("")         # the key (Runs) of the run this page shows
        self.finished = gr.State("")          # the project a run this page followed (not started) made
        self.timer = gr.Timer(1.0, active=False)

    @property
    def outputs(self) -> list:
        return [self.row, self.status, self.stop, self.timer, self.finished]

    def shown(self, key: str, session: str) -> dict:
        """The bar on the run `key`, for the page of `session`: hidden when there is none, and when the page's
        own run has ended (its tab says how); a followed run's end stays said, its project is opened."""
        run = self.runs.look(key, session)
        if run is None or (run.ended is not None and run.session == session):
            return {self.row: gr.update(visible=False), self.timer: gr.Timer(active=False)}
        live, made = run.ended is None, run.ended is not None and run.project
        return {self.row: gr.update(visible=True), self.status: status_line(run, self.runs.clock()),
                self.stop: gr.update(visible=live), self.timer: gr.Timer(active=live),
                self.finished: run.project if made and run.session != session else gr.skip()}

    def started(self, session: str) -> dict:
        """The bar on the run the page of `session` has just let go."""
        return {**self.shown(session, session), self.following: session,
                self.stop: gr.update(visible=True, interactive=True, value=STOP_LABEL)}


def on_attach(bar: RunBar, request: gr.Request):
    key = bar.runs.live()
    return {bar.following: key, **bar.shown(key, request.session_hash)} if key else gr.skip()


def on_watch(bar: RunBar, key, request: gr.Request):
    return bar.shown(key, request.session_hash)


def on_stop(bar: RunBar, key):
    bar.runs.stop(key)
    return gr.update(value=STOPPING_LABEL, interactive=False)


def on_left(bar: RunBar, request: gr.Request) -> None:
    bar.runs.left(request.session_hash)


def wire(bar: RunBar, app: gr.Blocks) -> None:
    """A page opened while a discovery runs shows it; the bar follows it every second; a closed page no
    longer follows it (Runs.left: the run stops when no page has followed it for GRACE seconds)."""
    app.load(on(on_attach, bar), None, [bar.following, *bar.outputs], **HIDDEN)
    bar.timer.tick(on(on_watch, bar), [bar.following], bar.outputs, concurrency_limit=None, **HIDDEN)
    bar.stop.click(on(on_stop, bar), [bar.following], [bar.stop], queue=False, **HIDDEN)
    app.unload(on(on_left, bar))
