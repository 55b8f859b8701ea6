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
from ..shares import item_shares, theme_context
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


REPORT_GROUPS = "Rapportens grupper"


def cluster_context(found, row: int, table: pd.DataFrame, config: SurveyConfig, by: str = REPORT_GROUPS):
    """Text, who-says-it and Likert views of the cluster in `row` of the cluster table."""
    cluster = int(found.discovery.table.iloc[row]["cluster"])
    real = found.answers[found.answers["is_answer"]]
    try:
        by_group, tests, likert = theme_context(real.loc[real["cluster"] == cluster, "respondent_id"],
                                                real["respondent_id"], table, config,
                                                None if by == REPORT_GROUPS else by)
    except TextmineError as exc:
        raise gr.Error(str(exc)) from None
    who, test_text = views.who_says_it(by_group, tests)
    return (views.cluster_details(found, row), who, test_text, views.share_plot(by_group),
            views.likert_context_table(likert))


def build_app(config: SurveyConfig, table: pd.DataFrame) -> gr.Blocks:
    questions = list(config.questions)
    items = item_shares(table, config) if config.likert.get("fields") else pd.DataFrame(columns=["item", "group", "share"])
    with gr.Blocks(title="textmine – temaer i fritekstsvar") as app:
        gr.Markdown(views.header(config, table))
        result = gr.State(None)
        selected = gr.State(0)
        with gr.Tab("Temaer"):
            with gr.Row():
                question = gr.Dropdown(choices=[(views.question_label(config, q), q) for q in questions],
                                       value=questions[0] if questions else None, label="Åbent spørgsmål", scale=3)
                granularity = gr.Slider(0.5, 2.0, value=1.0, step=0.1, label="Finhed (flere eller færre klynger)", scale=2)
                run = gr.Button("Find temaer", variant="primary", scale=1, elem_id="run-discovery")
            summary = gr.Markdown()
            with gr.Row():
                with gr.Column(scale=3):
                    clusters = gr.Dataframe(label="Klynger (vælg en række for at se dens svar og tal)",
                                            interactive=False, wrap=True, elem_id="cluster-table",
                                            column_widths=["11%", "13%", "11%", "65%"])
                    details = gr.Markdown()
                with gr.Column(scale=2):
                    gr.Markdown("#### Hvem siger det?")
                    by = gr.Dropdown(choices=[REPORT_GROUPS, *config.background], value=REPORT_GROUPS,
                                     label="Fordel på", elem_id="group-by")
                    who = gr.Dataframe(interactive=False, wrap=True, elem_id="who-says-it",
                                       column_widths=["42%", "24%", "34%"])
                    who_tests = gr.Markdown()
                    who_plot = gr.BarPlot(x="Gruppe", y="Andel (%)", y_lim=[0, None], height=260, x_label_angle=-30, show_label=False, sort=views.PLOT_ORDER)
                    gr.Markdown("#### Likert-kontekst\nAndel med gennemsnit 4-5 i vidensfeltet: temaets "
                                "respondenter mod de øvrige, der har svaret på spørgsmålet.")
                    likert = gr.Dataframe(interactive=False, wrap=True, elem_id="likert-context",
                                          column_widths=["46%", "17%", "17%", "20%"])
        with gr.Tab("Tal"):
            gr.Markdown("Andel, der svarer 4 eller 5 (i høj eller meget høj grad), blandt dem, der har svaret.")
            item = gr.Dropdown(choices=list(dict.fromkeys(items["item"])), value=items["item"].iloc[0] if len(items) else None,
                               label="Spørgsmål")
            item_chart = gr.BarPlot(views.item_plot(items, items["item"].iloc[0]) if len(items) else None,
                                    x="Gruppe", y="Andel 4-5 (%)", y_lim=[0, 100], height=260, show_label=False,
                                    sort=views.PLOT_ORDER)
            gr.Dataframe(views.item_share_table(items) if len(items) else None, interactive=False, wrap=True)

        def on_run(q, g, progress=gr.Progress()):
            found = run_discovery(table, config, q, g, progress)
            return found, views.summary(found), views.cluster_table(found), "", None, "", None, None

        def on_select(found, group_by, evt: gr.SelectData):
            row = evt.index[0] if evt.index else 0
            return row, *cluster_context(found, row, table, config, group_by)

        def on_group_by(found, row, group_by):
            return cluster_context(found, row, table, config, group_by) if found is not None else (gr.skip(),) * 5

        context = [details, who, who_tests, who_plot, likert]
        run.click(on_run, [question, granularity], [result, summary, clusters, *context])
        clusters.select(on_select, [result, by], [selected, *context])
        by.change(on_group_by, [result, selected, by], context)
        item.change(lambda i: views.item_plot(items, i), [item], [item_chart])
    return app


def launch(config_path=None, host: str = "127.0.0.1", port: int = 7860) -> None:
    config = load_config(config_path)
    table = read_survey(config.survey_file, config.sheet)
    # UMAP's numba compilation takes 10-20 s once per process: do it while the analyst looks around
    threading.Thread(target=warm_up, daemon=True).start()
    build_app(config, table).queue().launch(server_name=host, server_port=port, show_error=False,
                                            inbrowser=False)
