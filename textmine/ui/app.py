"""The app: `build_app` composes the page from its tabs (one module each: themes_tab with answers_tab and
context_tab, review_tab, map_tab, history_tab, new_project_tab, export_tab, waves_tab, numbers_tab; page
for what a project opened redraws), and `launch` serves it.

The project file is the state: every action is applied to it at once. A browser session holds only a
small `Session` (project path, the version it has seen, the selection) in gr.State, so two tabs see the
same data and a stale tab is told so. What is shared between sessions (`desk.Desk`) holds only file
contents, in bounded caches. `boundary.guarded` is the one error boundary: a refused action is a Danish
warning and leaves the page as it was. The heavy libraries (spaCy, BERTopic, torch) are imported in the
background after the page is served (`launch`), so nothing here imports them at module level.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import gradio as gr
import pandas as pd
from starlette.middleware import Middleware

from ..app import views
from ..app.access import Gate, LoginGuard
from ..app.desk import Desk, Session
from ..app.projects import exports_dir
from ..app.warm import prepare_app_process
from ..config import SurveyConfig, load_config
from ..survey.reading import max_file_bytes
from ..text.lemmas import danish_pipeline
from ..text.privacy import masker_for
from . import (
    answers_tab,
    context_tab,
    export_tab,
    history_tab,
    map_tab,
    new_project_tab,
    numbers_tab,
    page,
    review_tab,
    run_bar,
    themes_tab,
    waves_tab,
)

__all__ = ["Session", "build_app", "launch"]

log = logging.getLogger("textmine.app")
HERE = Path(__file__).parent
CSS = (HERE / "page.css").read_text(encoding="utf-8")
HEAD = f"<script>{(HERE / 'page.js').read_text(encoding='utf-8')}</script>"


def build_app(config: SurveyConfig, table: pd.DataFrame | None, projects_dir: Path, project: Path | None = None,
              desk: Desk | None = None, ready: threading.Event | None = None) -> gr.Blocks:
    """The app. `table`: the default survey if already read (else read on first use); `ready`: set when the
    heavy libraries are loaded (discovery waits for it); `desk`: the shared caches."""
    desk = desk or Desk(config, masker_for(config))
    if table is not None and config.survey_file:
        desk.surveys.get(str(config.survey_file.resolve()))  # noqa: B018 (read once, kept by path and mtime)
    ready = ready or _already_ready()

    # the browser's uploads are removed from Gradio's temporary folder an hour after, and when the app stops
    with gr.Blocks(title="textmine – temaer i fritekstsvar", delete_cache=(3600, 3600)) as app:
        header = gr.Markdown(views.header(config, table), elem_id="header")
        session = gr.State(Session(str(project)) if project else Session())
        estimate_timer = gr.Timer(0.5, active=False)          # outside the tabs: a hidden tab's timer never ticks
        bar = run_bar.RunBar()                                # the discovery under way, shown on every tab
        with gr.Tabs(selected="themes") as tabs:
            with gr.Tab("Temaer", id="themes") as themes_page:
                themes = themes_tab.ThemesTab(desk, session, projects_dir)
            with gr.Tab("Gennemse", id="review-tab") as review_page:
                review = review_tab.ReviewTab(desk, session, themes.estimate, estimate_timer)
            with gr.Tab("Kort", id="map-tab") as map_page:
                kort = map_tab.MapTab(themes, tabs)
            with gr.Tab("Historik", id="history-tab") as history_page:
                history = history_tab.HistoryTab(themes)
            with gr.Tab("Nyt projekt", id="new-tab"):
                new = new_project_tab.NewProjectTab(config, desk, projects_dir, ready, bar)
            with gr.Tab("Eksport", id="export-tab") as export_page:
                export = export_tab.ExportTab(desk, projects_dir, review)
            with gr.Tab("Ny bølge", id="wave-tab") as wave_page:
                waves = waves_tab.WavesTab(desk, config, projects_dir)
            with gr.Tab("Tal", id="numbers-tab") as numbers_page:
                numbers = numbers_tab.NumbersTab(desk)
        themes.attach(review)
        whole = page.Page(desk, projects_dir, session, header, tabs, themes, numbers, new)
        page.wire(whole, app)
        themes_tab.wire(themes)
        answers_tab.wire(themes)
        context_tab.wire(themes.context, themes.answers_tab, themes.context_tab)
        map_tab.wire(kort, map_page)
        history_tab.wire(history, history_page)
        waves_tab.wire(waves, wave_page, whole)
        numbers_tab.wire(numbers, numbers_page, session)
        new_project_tab.wire(new, whole, app)
        export_tab.wire(export, export_page, session)
        review.wire(themes_page, review_page, themes.full, themes.outputs)
    return app


def _already_ready() -> threading.Event:
    done = threading.Event()
    done.set()
    return done


def warm_up(desk: Desk, ready: threading.Event) -> None:
    """In the background once the page is served: read the default survey, import spaCy and the statistics
    (what the first page needs), then BERTopic and UMAP's compiled code (what a discovery needs)."""
    try:
        if desk.config.survey_file:
            desk.surveys.get(desk.config.survey_file.resolve())
        from ..survey import shares  # noqa: F401  (SciPy: imported here, in the background, not at start-up)

        danish_pipeline()
        prepare_app_process()
    except Exception:                                     # noqa: BLE001 (logged; discovery then loads on use)
        log.exception("warming up failed")
    finally:
        ready.set()


def launch(config_path=None, host: str = "127.0.0.1", port: int = 7860, project: str | None = None,
           projects_dir: str | None = None, auth: tuple[str, str] | None = None) -> None:
    """Serve the app; `auth` (user, password) is required by cli.cmd_app for any address but 127.0.0.1,
    and wrong logins are slowed per source address (access.LoginGuard); a request naming another host than
    the app's is refused (access.Gate, against DNS rebinding). The page is served first; the heavy libraries load in
    the background (warm_up). No event is described in the API info: Gradio embeds that description, with
    every component's default and choices (project paths, the survey's column names), even in the login
    page it shows before anyone has logged in."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = load_config(config_path)
    folder = Path(projects_dir) if projects_dir else Path(config.path).parent / "projects"
    folder.mkdir(parents=True, exist_ok=True)
    desk, ready = Desk(config, masker_for(config)), threading.Event()
    app = build_app(config, None, folder, Path(project) if project else None, desk=desk, ready=ready)
    for event in app.fns.values():           # the page still calls them; no API description or run history
        event.api_visibility = "private"
    app.launch(               # no app.queue(): Blocks() has made the same queue, and each queue() rebuilds the server
        server_name=host, server_port=port, show_error=False, inbrowser=False, css=CSS, head=HEAD,
        auth=LoginGuard(*auth).check if auth else None, run_history=False, max_file_size=max_file_bytes(),
        app_kwargs={"middleware": [Middleware(Gate, host=host)]}, prevent_thread_lock=True,
        allowed_paths=[str(exports_dir(folder))])   # the exports, wherever the projects are (Gradio's default: cwd, /tmp)
    threading.Thread(target=warm_up, args=(desk, ready), daemon=True).start()     # once the page is served
    app.block_thread()
