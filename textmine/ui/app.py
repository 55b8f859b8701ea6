"""Gradio layout and event wiring. Handlers are a few lines: one core call, one view call.

Nothing mutable lives at module level: the survey table is read per launch and passed in,
each browser session's result is held in gr.State.
"""

from __future__ import annotations

import threading

import gradio as gr
import pandas as pd

from ..clustering import warm_up
from ..config import DiscoverySettings, SurveyConfig, load_config
from ..errors import TextmineError
from ..io import read_survey
from ..pipeline import discover_question
from . import views

STEPS = {"embedding": "Indlejrer svarene", "clustering": "Danner klynger", "keywords": "Finder nøgleord"}


def run_discovery(table: pd.DataFrame, config: SurveyConfig, question: str, granularity: float, progress):
    """Discover clusters for the chosen question; errors become a message box."""
    try:
        settings = DiscoverySettings(granularity=granularity)
        return discover_question(table, question, config, settings,
                                 progress=lambda step, f: progress(f, desc=STEPS.get(step, step)))
    except TextmineError as exc:
        raise gr.Error(str(exc)) from None


def build_app(config: SurveyConfig, table: pd.DataFrame) -> gr.Blocks:
    questions = list(config.questions)
    with gr.Blocks(title="textmine – temaer i fritekstsvar") as app:
        gr.Markdown(views.header(config, table))
        result = gr.State(None)
        with gr.Row():
            question = gr.Dropdown(choices=[(views.question_label(config, q), q) for q in questions],
                                   value=questions[0] if questions else None, label="Åbent spørgsmål", scale=3)
            granularity = gr.Slider(0.5, 2.0, value=1.0, step=0.1, label="Finhed (flere eller færre klynger)", scale=2)
            run = gr.Button("Find temaer", variant="primary", scale=1, elem_id="run-discovery")
        summary = gr.Markdown()
        clusters = gr.Dataframe(label="Klynger (vælg en række for at se dens svar)", interactive=False,
                                wrap=True, elem_id="cluster-table")
        details = gr.Markdown()

        def on_run(q, g, progress=gr.Progress()):
            found = run_discovery(table, config, q, g, progress)
            return found, views.summary(found), views.cluster_table(found), ""

        def on_select(found, evt: gr.SelectData):
            return views.cluster_details(found, evt.index[0] if evt.index else 0)

        run.click(on_run, [question, granularity], [result, summary, clusters, details])
        clusters.select(on_select, [result], [details])
    return app


def launch(config_path=None, host: str = "127.0.0.1", port: int = 7860) -> None:
    config = load_config(config_path)
    table = read_survey(config.survey_file, config.sheet)
    # UMAP's numba compilation takes 10-20 s once per process: do it while the analyst looks around
    threading.Thread(target=warm_up, daemon=True).start()
    build_app(config, table).queue().launch(server_name=host, server_port=port, show_error=False,
                                            inbrowser=False)
