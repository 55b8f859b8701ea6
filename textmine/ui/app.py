"""Gradio layout and event wiring. Handlers are a few lines: one core call (textmine.app.desk), and the
page's changed parts as a dict of updates.

The project file is the state: every action is applied to it at once. A browser session holds only a
small `Session` (project path, the version it has seen, the selection) in gr.State, so two tabs see the
same data and a stale tab is told so. What is shared between sessions (`workbench.Desk`) holds only file
contents, in bounded caches. `guarded` is the one error boundary: a refused action is a Danish warning and
leaves the page as it was. The heavy libraries (spaCy, BERTopic, torch) are imported in the background
after the page is served (`launch`), so nothing here imports them at module level.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from dataclasses import replace
from pathlib import Path

import gradio as gr
import pandas as pd

from ..app.choices import answer_ids, new_theme_params, second_theme_steps, target_id
from ..app.choices import merge_ids as merge_order
from ..app.desk import Desk, Session
from ..app.history import ALL_THEMES, filter_theme, history_filter, project_masker
from ..app.history import history as history_table
from ..app.map import map_groups
from ..app.messages import back_feedback, confirmation, step_feedback
from ..app.page import PAGE, Page, answer_list, page
from ..app.projects import project_choices, project_label, project_title
from ..config import DiscoverySettings, SurveyConfig, load_config
from ..errors import TextmineError, TooFewAnswersError
from ..files import safe_file_name
from ..fmt import literal
from ..project.store import Project
from ..survey.labels import REPORT_GROUPS
from ..survey.reading import max_file_bytes, read_survey, sheet_names
from ..survey.setup import (
    QUESTION,
    ROLES,
    answer_sheet,
    assign_role,
    column_labels,
    earlier_names,
    has_open_question,
    propose,
    save_setup,
)
from ..survey.setup import setup_table as table_of
from ..text.privacy import masker_for
from . import review_tab, views

__all__ = ["Session", "build_app", "launch", "act", "guarded"]

log = logging.getLogger("textmine.app")
HERE = Path(__file__).parent
CSS = (HERE / "page.css").read_text(encoding="utf-8")
HEAD = f"<script>{(HERE / 'page.js').read_text(encoding='utf-8')}</script>"
STEPS = {"embedding": "Indlejrer svarene", "clustering": "Danner klynger", "keywords": "Finder nøgleord",
         "placing": "Placerer svarene i temaerne", "done": "Gemmer projektet"}
UNEXPECTED = "Der skete en uventet fejl, og intet er ændret. Detaljerne står i terminalen, hvor appen kører."
CUT_LEVELS = (6, 8, 10, 12, 15, 20, 30)       # "Saml lignende temaer til N temaer" (tree.cut_steps)
GRANULARITY = [("0,5 – færre, større klynger", 0.5), ("0,75", 0.75), ("1,0 – standard", 1.0), ("1,25", 1.25),
               ("1,5", 1.5), ("2,0 – flere, mindre klynger", 2.0)]
COUNT_PICKED = """(picked, caption) => { const base = (caption || '').split(' · **')[0];
  return picked.length ? `${base} · **${picked.length.toLocaleString('da-DK')} valgt**` : base; }"""
RUN_LABEL, WAIT_LABEL = "Find temaer (nyt projekt)", "Find temaer – gør klar (indlæser sprogmodellerne) …"


def guarded(handler):
    """The one error boundary of every event: a refusal (TextmineError) becomes a Danish warning and the page
    stays exactly as it was (gr.skip); anything unexpected is logged with its traceback and shown in one line."""
    @functools.wraps(handler)
    def run(*args, **kwargs):
        start = time.perf_counter()
        try:
            return handler(*args, **kwargs)
        except TextmineError as exc:
            gr.Warning(str(exc), duration=8)
        except Exception:                                 # noqa: BLE001 (the boundary: log it, say it once)
            log.exception("unexpected error in %s", getattr(handler, "__name__", "handler"))
            gr.Warning(UNEXPECTED, duration=10)
        finally:
            log.debug("%s took %.0f ms", getattr(handler, "__name__", "handler"), 1000 * (time.perf_counter() - start))
        return gr.skip()
    return run


def new_project_path(directory: Path, survey: str, question: str) -> Path:
    """A free file name made safe from the survey's name and the question's header (any text: "?", "/",
    emoji, 200 characters; files.safe_file_name): never overwrite a project someone has curated."""
    base = f"{safe_file_name(Path(survey).stem, 'undersoegelse', 40)}_{safe_file_name(question, 'spoergsmaal')}"
    path, n = directory / f"{base}.sqlite", 2
    while path.exists():
        path, n = directory / f"{base}_{n}.sqlite", n + 1
    return path


def projects_in(directory: Path) -> list[str]:
    return sorted(str(p) for p in directory.glob("*.sqlite")) if directory.is_dir() else []


def latest_project(directory: Path) -> str | None:
    """The project changed last: what a reloaded page opens when none was chosen."""
    found = sorted(directory.glob("*.sqlite"), key=lambda p: p.stat().st_mtime) if directory.is_dir() else []
    return str(found[-1]) if found else None


def store_upload(upload: str, directory: Path) -> Path:
    """Copy an uploaded survey into the projects folder (the only place uploads are kept). The browser's
    file name is reduced to safe characters, and an earlier upload of the same name is never replaced
    (a project may refer to it)."""
    import filecmp
    import re
    import shutil

    source = Path(upload)
    stem = re.sub(r"[^\w.-]+", "_", source.stem).strip("._") or "survey"
    suffix = re.sub(r"[^\w.]+", "", source.suffix.lower())
    folder = directory / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    target, n = folder / f"{stem}{suffix}", 2
    while target.exists() and not filecmp.cmp(source, target, shallow=False):
        target, n = folder / f"{stem}_{n}{suffix}", n + 1
    if not target.exists():
        shutil.copyfile(source, target)
    return target


def accept_upload(upload: str, directory: Path, sheet: str | None = None) -> tuple[Path, pd.DataFrame]:
    """Read an uploaded survey where the browser left it; only a readable one is stored (store_upload)."""
    table = read_survey(upload, sheet)
    return store_upload(upload, directory), table


def propose_upload(upload: str, directory: Path, sheet: str | None = None):
    """Read an uploaded survey (its xlsx `sheet`, else the first) and propose its description; a file without
    any text answers is refused before anything is stored. (stored path, table, proposal)."""
    table = read_survey(upload, sheet)
    proposal = propose(table)
    if not has_open_question(table, proposal):
        where = f"Arket »{sheet}« i {Path(upload).name}" if sheet else Path(upload).name
        raise TextmineError(f"{where} har ingen kolonne med tekstsvar (åbne spørgsmål), så der er intet at finde "
                            "temaer i. Vælg " + ("et andet ark, eller " if sheet else "") +
                            "undersøgelsens eksport med fritekstsvarene.")
    return store_upload(upload, directory), table, proposal


def upload_sheets(upload: str) -> tuple[list[str], str | None]:
    """An uploaded survey's sheets (xlsx; [] for CSV and SPSS) and the one proposed: the first with text answers."""
    sheets = sheet_names(upload)
    return sheets, answer_sheet(Path(upload), sheets)


def model_dir_of(project_path: Path) -> Path:
    """Where the app keeps a project's saved model (what a follow-up wave is placed with)."""
    return project_path.with_suffix(".model")


def _open(session: Session) -> Project:
    if not session.project:
        raise TextmineError("Åbn eller opret et projekt først.")
    return Project(session.project)


def act(session: Session, action: str, **params) -> Session:
    """Apply one curation action to the project file at the version the tab has seen (TextmineError if refused)."""
    version = _open(session).apply(action, expected_version=session.version, **params)
    return replace(session, version=version)


def act_steps(session: Session, label: str, steps: list) -> Session:
    return replace(session, version=_open(session).apply_steps(label, steps, expected_version=session.version))


def step(session: Session, kind: str) -> tuple[Session, str]:
    """Undo or redo; the new session and the line saying what it did."""
    project = _open(session)
    what = project.next_undo() if kind == "undo" else project.next_redo()
    done = getattr(project, kind)(expected_version=session.version)
    return (session if done is None else replace(session, version=done)), step_feedback(kind, what, project_masker(project))


def go_back(session: Session, seq) -> tuple[Session, str]:
    """Go back to history point `seq` (refused when the tab has not seen the newest version); the new session
    and the line saying what it did."""
    if seq in (None, ""):
        raise TextmineError("Vælg det punkt i historikken, du vil tilbage til.")
    done = _open(session).back_to(int(seq), expected_version=session.version)
    return (session if done is None else replace(session, version=done)), back_feedback(done)


def export_files(session: Session, formats: list[str], directory: Path, config: SurveyConfig | None = None,
                 survey: pd.DataFrame | None = None) -> list[str]:
    """Write the chosen formats for the open project into the projects folder; the paths to download."""
    from ..report.export import export_project

    project = _open(session)
    text = config.questions.get(project.question(), "") if config else ""
    written = export_project(project, directory / "exports" / Path(session.project).stem, formats,
                             question_text=text, survey=survey, config=config if survey is not None else None,
                             masker=masker_for(config) if config else None)
    for warning in written.warnings:
        gr.Warning(warning, duration=10)
    gr.Info(f"{len(written)} filer er lavet.")
    return [str(p) for p in written]


def export_summary_of(session: Session) -> str:
    """What the export tab says it exports: the project, its question, the themes and whether all are final."""
    from ..report.export import export_summary

    if not session.project:
        return "Intet projekt er åbent. Åbn eller lav et projekt under *Temaer*."
    return export_summary(_open(session).read())


def new_wave(session: Session, upload: str | None, directory: Path, config: SurveyConfig,
             progress=lambda step, fraction: None) -> tuple[Session, Path, pd.DataFrame]:
    """Lay the open project's themes on the next wave (an uploaded survey, else the config's follow-up
    file) as a new project; returns the session on it, the survey's path and its table. `config`: the open
    project's description (Desk.config_of), recorded in the new project too."""
    from ..waves.applying import apply_to_project

    if not session.project:
        raise TextmineError("Åbn først det kuraterede projekt fra den første måling (under Temaer).")
    if not upload and config.followup_file is None:
        raise TextmineError("Vælg filen med den nye målings svar.")
    baseline = Project(session.project)
    path, table = accept_upload(upload, directory) if upload else \
        (config.followup_file, read_survey(config.followup_file, config.sheet_for(config.followup_file)))
    out = new_project_path(directory, Path(path).name, baseline.question())
    apply_to_project(baseline, Path(path), table, out, config, progress=progress)
    return Session(str(out)), Path(path), table


def discover(desk: Desk, survey_path: str, id_col: str, question: str, granularity: float, seed_text: str,
             directory: Path, progress, config: SurveyConfig | None = None) -> tuple[Session, list[str]]:
    """Find themes for one question and save them as a new project (recording `config`, the survey's
    description, else the app's); the session on it, and the non-answers left out ("-", "ved ikke", ...)."""
    from ..app.pipeline import discover_question

    config = config or desk.config
    settings = DiscoverySettings(granularity=granularity, seed_themes=tuple(
        line.strip() for line in (seed_text or "").splitlines() if line.strip()))
    try:
        table = desk.surveys.get(survey_path, config.sheet_for(Path(survey_path)))     # the description's sheet
        found = discover_question(table, question, config, settings, id_column=id_col,
                                  progress=progress, source=Path(survey_path).name)
    except TooFewAnswersError as exc:               # too few to cluster: show them to be read instead
        raise TextmineError(views.too_few(str(exc), exc.answers, masker_for(config))) from None
    path = new_project_path(directory, Path(survey_path).name, question)
    found.save_model(model_dir_of(path), settings)
    found.save_project(path, survey_path, model_dir_of(path), config=config)
    return Session(str(path)), found.left_out


def wave_view(desk: Desk, session: Session):
    """(status, the comparison chart or None, the comparison table as HTML) of the open project."""
    from ..waves.comparing import comparison_of, display_comparison

    if not session.project:
        return views.wave_status(None, None), None, ""
    snap = desk.snapshot(session.project)
    comparison = comparison_of(snap.meta, snap.state, snap.answers, snap.masker)
    if comparison is None:
        return views.wave_status(snap, None), None, ""
    return (views.wave_status(snap, comparison), views.comparison_figure(comparison),
            views.html_table(views.wave_table(display_comparison(comparison))))


def context_of(desk: Desk, session: Session):
    """(who says it (HTML), tests (Markdown), the bar chart's data, the Likert caption, Likert (HTML)) of the
    selected theme, in the open project's own survey."""
    from ..project.themes import respondents
    from ..survey.context import context, high_phrase

    if session.theme is None or session.theme < 0 or not session.project:
        return "Vælg et tema for at se, hvem der nævner det.", "", None, "", ""
    snap = desk.snapshot(session.project)
    config = desk.config_of(snap)
    found = context(*respondents(snap, session.theme), desk.survey(snap), config, session.group_by)
    who, test_text = views.who_says_it(found.by_group, found.tests) if found.by_group is not None else (None, "")
    caption = "" if found.likert_note else (f"**Likert-kontekst:** andel med gennemsnit {high_phrase(config)} i "
                                             "feltet: temaets respondenter mod de øvrige, der har svaret.")
    return (views.note(found.group_note) if found.group_note else views.html_table(who), test_text,
            views.share_plot(found.by_group) if found.by_group is not None else None, caption,
            views.note(found.likert_note) if found.likert_note else
            views.html_table(views.likert_context_table(found.likert)))


def survey_parts(desk: Desk, session: Session) -> tuple[Session, dict]:
    """What follows the open project's survey (or the app's, with none open): the header, the groupings of
    "Fordel på", the items of *Tal*, and *Nyt projekt*'s survey, description and questions (a new discovery
    from the same survey), as plain values; the session with the grouping it now uses."""
    from ..survey.context import group_by_of, group_choices, item_choices, numbers_intro

    snap = desk.snapshot(session.project) if session.project else None
    config = desk.config_of(snap)
    try:
        table = desk.survey(snap)
    except TextmineError:                          # the survey file is gone: the project still opens
        table = None
    by = group_by_of(config, session.group_by)
    items = item_choices(config)
    own = snap is not None and config is not desk.config and config.path is not None and Path(config.path).is_file()
    survey = snap.survey if snap is not None and snap.survey and Path(snap.survey).is_file() else config.survey_file
    return replace(session, group_by=by or REPORT_GROUPS), {
        "survey": str(survey or ""), "described": str(config.path) if own else "",
        "questions": [(views.question_label(config, q), q) for q in config.questions],
        "header": views.header(config, table, snap.survey if snap is not None and snap.survey else None),
        "groups": group_choices(config), "group": by, "items": items, "item": items[0][1] if items else None,
        "numbers": numbers_intro(config), "number_group": group_by_of(config, None)}


def numbers_of(desk: Desk, session: Session, code: str | None, by: str | None = None):
    """(the chart's data, the table as HTML) of the *Tal* tab for the open project's survey, by the grouping `by`
    chosen in its "Fordel på" (None: the survey's first)."""
    from ..survey.context import item_names, numbers

    snap = desk.snapshot(session.project) if session.project else None
    config = desk.config_of(snap)
    items = numbers(desk.survey(snap), config, by)
    if items is None:                               # the tab's first line says why (survey_view.numbers_intro)
        return None, ""
    return views.item_plot(items, code), views.html_table(views.item_share_table(items, item_names(config), config))


def bars(frame: pd.DataFrame | None):
    """A bar chart's update: its groups along the axis in the order of the rows (the survey's own order,
    shares.value_order), not alphabetically; hidden without data."""
    order = {"sort": list(frame["Gruppe"])} if frame is not None else {}
    return gr.update(value=frame, visible=frame is not None, **order)


def project_survey(desk: Desk, session: Session) -> tuple[SurveyConfig, pd.DataFrame]:
    """The open project's description and survey table (what its exports' group and Likert sheets use)."""
    snap = desk.snapshot(_open(session).path)
    return desk.config_of(snap), desk.survey(snap)


def setup_dataframe() -> gr.Dataframe:
    """The proposal table of the setup screen: only *Navn* is edited in it (roles change with the dropdowns
    below it), and no row or column can be added or deleted (counts as tuples: Gradio 6's only way yet)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return gr.Dataframe(headers=["Kolonne", "Rolle", "Navn", "Eksempler", "Begrundelse"], row_count=(1, "fixed"),
                            column_count=(5, "fixed"),
                            interactive=True, static_columns=[0, 1, 3, 4], wrap=True, max_height=460,
                            elem_id="setup-table", show_label=False, column_widths=["14%", "12%", "24%", "25%", "25%"])


def build_app(config: SurveyConfig, table: pd.DataFrame | None, projects_dir: Path, project: Path | None = None,
              desk: Desk | None = None, ready: threading.Event | None = None) -> gr.Blocks:
    """The app. `table`: the default survey if already read (else read on first use); `ready`: set when the
    heavy libraries are loaded (discovery waits for it); `desk`: the shared caches."""
    desk = desk or Desk(config, masker_for(config))
    default_survey = str(config.survey_file.resolve()) if config.survey_file else ""
    if table is not None and default_survey:
        desk.surveys.get(default_survey)  # noqa: B018 (read once, kept by path and mtime)
    questions = list(config.questions)
    ready = ready or _already_ready()

    with gr.Blocks(title="textmine – temaer i fritekstsvar") as app:
        header = gr.Markdown(views.header(config, table), elem_id="header")
        session = gr.State(Session(str(project)) if project else Session())
        estimate_timer = gr.Timer(0.5, active=False)          # outside the tabs: a hidden tab's timer never ticks
        with gr.Tabs(selected="themes") as tabs:
            with gr.Tab("Temaer", id="themes") as themes_tab:
                with gr.Row(elem_classes=["tm-bar"]):
                    opened = gr.Dropdown(choices=project_choices(projects_dir), label="Projekt", scale=5,
                                         elem_id="project", show_label=False, container=False)
                    rename_project = gr.Button("✎ Omdøb", scale=1, elem_id="rename-project", size="sm")
                    undo = gr.Button("↶ Fortryd", scale=2, elem_id="undo", size="sm")
                    redo = gr.Button("↷ Gentag", scale=2, elem_id="redo", size="sm")
                with gr.Row(elem_classes=["tm-bar"], elem_id="rename-row", visible=False) as rename_row:
                    project_name = gr.Textbox(label="Projektets navn", show_label=False, container=False, scale=5,
                                              placeholder="Projektets nye navn", elem_id="project-name", max_length=120)
                    rename_save = gr.Button("Gem navnet", scale=1, elem_id="rename-save", size="sm", variant="primary")
                    rename_cancel = gr.Button("Annullér", scale=1, elem_id="rename-cancel", size="sm")
                status = gr.Markdown(elem_id="status")
                feedback = gr.Markdown(elem_id="feedback")
                with gr.Row(elem_id="workbench"):
                    with gr.Column(scale=2, min_width=360, elem_id="list-column"):
                        estimate = review_tab.estimate_box()
                        with gr.Row(elem_classes=["tm-bar"], elem_id="cut-row", visible=False) as cut_row:
                            cut = gr.Button("Saml lignende temaer til", scale=2, elem_id="cut", size="sm")
                            cut_k = gr.Dropdown(choices=[(f"{n} temaer", n) for n in CUT_LEVELS], value=12, scale=1,
                                                elem_id="cut-k", show_label=False, container=False)
                        theme_list = gr.Radio(label="Temaer (største først)", elem_id="theme-list")
                    with gr.Column(scale=3, min_width=520, elem_id="theme-column"):
                        with gr.Row(elem_classes=["tm-bar"]):
                            name = gr.Textbox(label="Temaets navn", scale=3, elem_id="theme-name", max_lines=1)
                            description = gr.Textbox(label="Beskrivelse", scale=3, max_lines=3, elem_id="theme-description")
                            save = gr.Button("Gem navn og beskrivelse", scale=1, elem_id="rename", size="sm")
                        info = gr.Markdown(elem_id="theme-info")
                        with gr.Row(elem_classes=["tm-bar"]):
                            final = gr.Button("Markér som endeligt", elem_id="final", size="sm")
                            delete = gr.Button("Slet tema …", variant="stop", elem_id="delete", size="sm")
                            split = gr.Button("Del temaet i", elem_id="split", size="sm")
                            k = gr.Number(value=2, minimum=2, maximum=10, precision=0, show_label=False, container=False,
                                          min_width=70, elem_id="split-k")
                        with gr.Row(visible=False, elem_id="confirm-delete", elem_classes=["tm-bar"]) as confirm_row:
                            confirm_text = gr.Markdown()
                            confirm = gr.Button("Ja, slet temaet", variant="stop", elem_id="confirm-yes", size="sm")
                            cancel = gr.Button("Annullér", elem_id="confirm-no", size="sm")
                        with gr.Row(elem_classes=["tm-bar"]):
                            merge_ids = gr.Dropdown(multiselect=True, label="Slå det valgte tema sammen med", scale=3,
                                                    elem_id="merge-ids", show_label=False, container=False)
                            merge_name = gr.Textbox(label="Navn på det samlede tema", scale=2, elem_id="merge-name",
                                                    placeholder="Nyt navn (ellers det valgtes)",
                                                    max_lines=1, show_label=False, container=False)
                            merge = gr.Button("Slå sammen", scale=1, elem_id="merge", size="sm")
                        with gr.Tabs():
                            with gr.Tab("Svar", id="answers-tab") as answers_tab:
                                search = gr.Textbox(label="Søg i alle svar på spørgsmålet", elem_id="search",
                                                    placeholder="Søg i alle svar på spørgsmålet: skriv og tryk Enter "
                                                                "(tomt felt: temaets svar)",
                                                    max_lines=1, show_label=False, container=False)
                                caption = gr.Markdown(elem_id="caption")
                                picked = gr.CheckboxGroup(show_label=False, elem_id="answers")
                                with gr.Row(elem_classes=["tm-bar"], elem_id="pager"):
                                    earlier = gr.Button(f"◀ Forrige {PAGE}", size="sm", visible=False,
                                                        elem_id="page-back")
                                    later = gr.Button(f"Næste {PAGE} ▶", size="sm", visible=False,
                                                      elem_id="page-next")
                                with gr.Row(elem_classes=["tm-bar"]):
                                    target = gr.Dropdown(label="Til tema", scale=3, elem_id="target", show_label=False,
                                                         container=False)
                                    move = gr.Button("Flyt valgte", scale=1, elem_id="move", size="sm")
                                    second = gr.Button("Giv valgte et andet tema", scale=1, elem_id="second", size="sm")
                                with gr.Row(elem_classes=["tm-bar"]):
                                    new_name = gr.Textbox(label="Navn på det nye tema", scale=3, elem_id="new-name",
                                                          placeholder="Navn på et nyt tema til de valgte svar",
                                                          max_lines=1, show_label=False, container=False)
                                    new_theme = gr.Button("Nyt tema med valgte", scale=2, elem_id="new-theme",
                                                          size="sm")
                                with gr.Row(elem_classes=["tm-bar"]):
                                    pin = gr.Button("❝ Brug som citat", scale=1, elem_id="pin-quote", size="sm")
                                    unpin = gr.Button("Fjern som citat", scale=1, elem_id="unpin-quote", size="sm")
                            with gr.Tab("Hvem siger det?", id="context-tab") as context_tab:
                                by = gr.Dropdown(choices=[], label="Fordel på", elem_id="group-by")
                                with gr.Row():
                                    with gr.Column(scale=1, min_width=300):
                                        who = gr.HTML(elem_id="who")
                                        who_tests = gr.Markdown(elem_id="who-tests")
                                    with gr.Column(scale=1, min_width=300):
                                        likert_caption = gr.Markdown(elem_classes=["tm-small"], elem_id="likert-caption")
                                        likert = gr.HTML(elem_id="likert")
                                who_plot = gr.BarPlot(x="Gruppe", y="Andel (%)", y_lim=[0, None], height=200,
                                                      x_label_angle=0, show_label=False, sort=views.PLOT_ORDER)
            with gr.Tab("Gennemse", id="review-tab") as review_page:
                review = review_tab.ReviewTab(desk, session, estimate, estimate_timer)
            with gr.Tab("Kort", id="map-tab") as map_tab:
                gr.Markdown("Svarene på et kort: svar, der ligner hinanden, ligger tæt. De største temaer har hver "
                            "sin farve, resten er grå. Hold musen over et punkt for at læse svaret; klik for at "
                            "åbne dets tema.")
                chart = gr.Plot(show_label=False, elem_id="map")
                with gr.Row(elem_classes=["tm-hidden"]):
                    map_pick = gr.Textbox(elem_id="map-pick", show_label=False)
                    map_go = gr.Button("Åbn temaet", elem_id="map-go")
            with gr.Tab("Historik", id="history-tab") as history_tab:
                gr.Markdown("Alt, der er gjort i projektet, nyeste først. Gå tilbage til et tidligere punkt: "
                            "de senere handlinger fortrydes (og kan gentages med *Gentag*).")
                with gr.Row(elem_classes=["tm-bar"]):
                    history_theme = gr.Dropdown(label="Vis handlinger for", scale=2, elem_id="history-theme")
                    back_point = gr.Dropdown(label="Gå tilbage til", scale=4, elem_id="back-point")
                    back = gr.Button("Gå tilbage hertil", scale=1, elem_id="back", size="sm")
                history_note = gr.Markdown(elem_id="history-feedback")
                history = gr.HTML(elem_id="history")
            with gr.Tab("Nyt projekt", id="new-tab"):
                survey = gr.State(default_survey)
                described = gr.State("")          # the saved description of an uploaded survey ("" : the app's)
                sheet_read = gr.State(None)       # the sheet of the uploaded xlsx the setup screen describes
                with gr.Row():
                    upload_survey = gr.File(label="Anden undersøgelse (xlsx, csv, sav)", file_types=[".xlsx", ".csv", ".sav"],
                                            height=120, scale=2, elem_id="survey-file")
                    sheet = gr.Dropdown(choices=[], value=None, label="Ark", visible=False, scale=1,
                                        elem_id="survey-sheet")
                    id_column = gr.Dropdown(choices=[config.id_column], value=config.id_column, label="Id-kolonne",
                                            scale=1, elem_id="id-column")
                upload_note = gr.Markdown(elem_id="upload-note")
                with gr.Column(visible=False, elem_id="setup") as setup_box:
                    setup_intro = gr.Markdown(elem_id="setup-intro")
                    setup_table = setup_dataframe()
                    with gr.Row(elem_classes=["tm-bar"]):
                        role_columns = gr.Dropdown(multiselect=True, label="Kolonner, der skal have en anden rolle",
                                                   scale=4, elem_id="role-columns")
                        role = gr.Dropdown(choices=list(ROLES), value=None, label="Ny rolle", scale=2, elem_id="role")
                        set_role = gr.Button("Giv kolonnerne rollen", scale=1, elem_id="set-role", size="sm")
                    save_description = gr.Button("Gem beskrivelse", variant="primary", elem_id="save-description")
                    setup_status = gr.Markdown(elem_id="setup-status")
                with gr.Row():
                    question = gr.Dropdown(choices=[(views.question_label(config, q), q) for q in questions],
                                           value=questions[0] if questions else None, label="Åbent spørgsmål",
                                           scale=3, elem_id="question")
                    granularity = gr.Dropdown(choices=GRANULARITY, value=1.0, label="Finhed", scale=2,
                                              elem_id="granularity")
                run = gr.Button(RUN_LABEL if ready.is_set() else WAIT_LABEL, variant="primary", elem_id="run-discovery",
                                interactive=ready.is_set())
                with gr.Accordion("Startemaer (valgfrit): svar, der ligner en overskrift, styres til den", open=False):
                    seeds = gr.Textbox(lines=4, show_label=False, elem_id="seeds",
                                       placeholder="Én overskrift pr. linje, fx rapportens seks temaer")
                    with gr.Row():
                        load_report = gr.Button("Hent rapportens overskrifter", size="sm")
                        upload = gr.UploadButton("Hent fra tekstfil", file_types=[".txt"], size="sm")
                run_status = gr.Markdown(elem_id="run-status")
                warming = gr.Timer(1.0, active=not ready.is_set())
            with gr.Tab("Eksport", id="export-tab") as export_tab:
                gr.Markdown("Temaerne til rapporten. Svarene skrives altid som tekst, aldrig som formler.")
                export_about = gr.Markdown(elem_id="export-summary")
                from ..report.export import FORMATS, format_choices  # here: the writers' libraries load with the page

                formats = gr.CheckboxGroup(format_choices(), value=list(FORMATS), label="Formater")
                export = gr.Button("Lav filerne", variant="primary", elem_id="export")
                files = gr.File(label="Hent", file_count="multiple", interactive=False, elem_id="export-files")
            with gr.Tab("Ny bølge", id="wave-tab") as wave_tab:
                gr.Markdown("Læg temaerne fra det åbne projekt på næste måling af samme undersøgelse: hvert nyt svar får "
                            "det tema, det ligner mest, og svar, der ikke passer i noget tema, samles i nye klynger "
                            "(**Ny 1**, **Ny 2**, …). Resultatet er et nyt projekt, som du kuraterer under *Temaer*; "
                            "sammenligningen herunder følger med.")
                with gr.Row():
                    wave_file = gr.File(label="Næste målings svar (xlsx, csv, sav)",
                                        file_types=[".xlsx", ".csv", ".sav"], height=120, scale=3, elem_id="wave-file")
                    wave_run = gr.Button("Læg temaerne på den nye måling", variant="primary", scale=1,
                                         elem_id="apply-wave")
                wave_note = gr.Markdown(elem_id="wave-note")
                wave_status = gr.Markdown(elem_id="wave-status")
                wave_plot = gr.Plot(show_label=False, elem_id="wave-plot", visible=False)
                wave_table = gr.HTML(elem_id="wave-table")
            with gr.Tab("Tal", id="numbers-tab") as numbers_tab:
                numbers_intro = gr.Markdown(elem_id="numbers-intro")
                with gr.Row():
                    item = gr.Dropdown(choices=[], label="Spørgsmål", elem_id="item", scale=3)
                    number_by = gr.Dropdown(choices=[], label="Fordel på", elem_id="number-by", scale=1)
                item_chart = gr.BarPlot(x="Gruppe", y="Andel (%)", y_lim=[0, 100], height=240, show_label=False,
                                        sort=views.PLOT_ORDER)
                item_table = gr.HTML(elem_id="item-table")

        # -- the page as a dict of updates ------------------------------------------------------
        theme_buttons = [save, final, delete, split, merge, merge_ids, merge_name, name, description, k]

        def shown(p: Page) -> dict:
            """The Page's set fields as updates of their components (and nothing else)."""
            f, out = p.set_fields(), {}
            plain = {"session": session, "status": status, "feedback": feedback, "info": info, "caption": caption,
                     "name": name, "description": description, "search": search, "undo": undo, "redo": redo,
                     "final": final}
            out.update({plain[key]: gr.update(value=value) for key, value in f.items() if key in plain})
            if "themes" in f or "theme" in f:
                out[theme_list] = gr.update(value=f.get("theme"), **({"choices": f["themes"]} if "themes" in f else {}))
            for key, comp, empty in (("merge", merge_ids, []), ("targets", target, None), ("answers", picked, [])):
                if key in f:
                    out[comp] = gr.update(choices=f[key], value=empty)
            if "status" in f:                                   # after an action: the merge boxes are emptied
                out[merge_ids] = out.get(merge_ids, gr.update(value=[]))
                out[merge_name], out[new_name] = gr.update(value=""), gr.update(value="")     # two dicts: gradio changes them
            if "projects" in f:
                out[opened] = gr.update(choices=f["projects"], value=p.session.project if p.session else None)
            if "themes" in f:                                   # the cut levels below the number of themes
                levels = [n for n in CUT_LEVELS if n < len(f["themes"]) - 2]
                out[cut_row] = gr.update(visible=bool(levels))
                if levels:
                    out[cut_k] = gr.update(choices=[(f"{n} temaer", n) for n in levels],
                                           value=12 if 12 in levels else levels[-1])
            if "pager" in f:
                out[earlier], out[later] = (gr.update(visible=bool(v)) for v in f["pager"])
            for comp in theme_buttons if "editable" in f else ():
                out[comp] = {**out.get(comp, gr.update()), "interactive": f["editable"]}
            if p.session is not None:
                out[session] = p.session
                out.update(review.estimate_updates(p.session) if "themes" in f else {})
            return out

        page_outputs = [session, status, feedback, info, caption, name, description, search, undo, redo, final,
                        theme_list, merge_ids, target, picked, merge_name, new_name, opened, confirm_row, earlier, later,
                        cut_row, cut_k, *theme_buttons]
        page_outputs = list(dict.fromkeys(page_outputs + review.page_outputs))
        open_outputs = [*page_outputs, header, by, item, number_by, numbers_intro, survey, described, setup_box, question,
                        id_column]
        context_outputs = [who, who_tests, who_plot, likert_caption, likert]

        def full(s: Session, note: str | None = None) -> dict:
            """The page after an action: the project list too, where the project now reads "ændret" just now."""
            p = page(desk, s, note)
            p.projects = project_choices(projects_dir)
            return {**shown(p), confirm_row: gr.update(visible=False)}

        def opened_page(s: Session) -> dict:
            """The whole page on a project just opened, with everything that follows its survey."""
            s, parts = survey_parts(desk, s)
            p = page(desk, s, "")
            p.projects = project_choices(projects_dir)
            first = parts["questions"][0][1] if parts["questions"] else None
            return {**shown(p), header: parts["header"], numbers_intro: parts["numbers"],
                    by: gr.update(choices=parts["groups"], value=parts["group"], visible=bool(parts["groups"])),
                    item: gr.update(choices=parts["items"], value=parts["item"], visible=bool(parts["items"])),
                    number_by: gr.update(choices=parts["groups"], value=parts["number_group"],
                                         visible=bool(parts["groups"] and parts["items"])),
                    survey: parts["survey"], described: parts["described"], setup_box: gr.update(visible=False),
                    question: gr.update(choices=parts["questions"], value=first),
                    id_column: gr.update(visible=not parts["described"])}

        @guarded
        def on_rename_open(s: Session):
            path = _open(s).path
            return {rename_row: gr.update(visible=True),
                    project_name: gr.update(value=project_label(path, project_title(path)))}

        @guarded
        def on_rename_project(s: Session, title: str):
            done = _open(s).rename(title)
            p = page(desk, s, f"Projektet hedder nu »{literal(done)}«.")
            p.projects = project_choices(projects_dir)
            return {**shown(p), rename_row: gr.update(visible=False)}

        @guarded
        def on_load(s: Session):
            s = s if s.project else Session(latest_project(projects_dir))
            try:
                return opened_page(s)
            except TextmineError as exc:                 # a damaged project: say so, open nothing
                gr.Warning(str(exc), duration=10)
                return opened_page(Session())

        @guarded
        def on_action(s: Session, action: str, select=None, **params):
            s = act(s, action, **params)
            snap = desk.snapshot(s.project)
            return full(replace(s, theme=select(s) if select else s.theme), confirmation(action, params, snap))

        @guarded
        def on_step(s: Session, kind: str):
            s, note = step(s, kind)
            return full(s, note)

        @guarded
        def on_select(s: Session, value):
            theme = None if value in (None, "") else int(value)
            return shown(page(desk, s, full=False, select=theme))

        @guarded
        def on_context(s: Session):
            if not s.context_open:
                return gr.skip()
            shown_now = dict(zip(context_outputs, context_of(desk, s)))
            shown_now[who_plot] = bars(shown_now[who_plot])
            return shown_now

        @guarded
        def on_second(s: Session, answers, value):
            steps = second_theme_steps(answers, value)
            s = act_steps(s, "second_themes", steps)
            return full(s, confirmation("second_themes", {"steps": steps}, desk.snapshot(s.project)))

        @guarded
        def on_new_theme(s: Session, answers, name):
            return on_action.__wrapped__(s, "create", **new_theme_params(answers, name))

        @guarded
        def on_split(s: Session, n):
            from ..project.themes import split_plan

            if s.theme is None or s.theme < 0:
                raise TextmineError("Vælg det tema, der skal deles.")
            plan = split_plan(desk.snapshot(_open(s).path), s.theme, int(n or 2))
            return on_action.__wrapped__(s, "split", theme_id=s.theme, labels=plan)

        @guarded
        def on_final(s: Session):
            theme = theme_of(s)
            is_final = desk.snapshot(_open(s).path).state.themes[theme].final
            return on_action.__wrapped__(s, "mark_final", theme_id=theme, final=not is_final)

        def listing(s: Session, text: str, start: int) -> dict:
            """The search hits from number `start` (the theme's own answers: the page)."""
            if not (text or "").strip():
                return shown(page(desk, replace(s, start=max(0, start)), full=False))
            choices, cap, (start, total) = answer_list(desk.snapshot(_open(s).path), s.theme, text, max(0, start))
            return {picked: gr.update(choices=choices, value=[]), caption: cap, session: replace(s, start=start),
                    earlier: gr.update(visible=start > 0), later: gr.update(visible=start + PAGE < total)}

        @guarded
        def on_search(s: Session, text):
            return listing(s, text, 0)

        @guarded
        def on_page(s: Session, text, step: int):
            return listing(s, text, s.start + step)

        @guarded
        def on_cut(s: Session, n):
            from ..project.tree import cut_steps

            n = int(n)
            project = _open(s)
            steps = cut_steps(desk.snapshot(project.path), n)
            s = replace(s, version=project.apply_steps("tree_cut", steps, expected_version=s.version, themes=n))
            return full(s, confirmation("tree_cut", {"themes": n, "steps": steps}, desk.snapshot(project.path)))

        def theme_of(s: Session) -> int:
            if s.theme is None or s.theme < 0:
                raise TextmineError("Vælg et tema i listen først (ikke en af kurvene).")
            return s.theme

        @guarded
        def on_map(s: Session):
            if not s.project:
                return gr.skip()
            snap = desk.snapshot(s.project)
            return views.map_figure(map_groups(snap, desk.themes(snap)))

        @guarded
        def on_map_pick(s: Session, value):
            theme = int(str(value).split(":")[0])
            return {**shown(page(desk, s, full=False, select=theme)), tabs: gr.Tabs(selected="themes")}

        @guarded
        def on_history(s: Session, chosen=None):
            snap = desk.snapshot(_open(s).path)
            choices = history_filter(snap)
            chosen = chosen if chosen in {v for _, v in choices} else ALL_THEMES
            table, points = history_table(Project(s.project), snap.texts.shown, filter_theme(chosen), snap.masker)
            return {history: views.html_table(table) or "Ingen handlinger (for dette tema).",
                    back_point: gr.update(choices=points, value=None),
                    history_theme: gr.update(choices=choices, value=chosen)}

        @guarded
        def on_back(s: Session, seq, chosen):
            s, note = go_back(s, seq)
            return {**full(s, note), **on_history.__wrapped__(s, chosen), history_note: note}

        def description_of(survey_path: str, saved: str) -> SurveyConfig:
            """The description discovery uses: the one saved for an uploaded survey, else the app's."""
            if saved:
                return load_config(saved)
            if survey_path and survey_path != default_survey:
                raise TextmineError("Gem først beskrivelsen af undersøgelsen (knappen »Gem beskrivelse« ovenfor); "
                                    "derefter kan du finde temaer.")
            return config

        @guarded
        def on_run(old, survey_path, saved, id_col, q, g, seed_text, progress=gr.Progress()):
            from ..progress import TimeLeft

            described_by, left = description_of(survey_path, saved), TimeLeft()

            def report(st, f):
                eta = left(st, f)
                progress(f, desc=STEPS.get(st, st) + (f" – {eta}" if eta else ""))
            s, left_out = discover(desk, survey_path, described_by.id_column if saved else id_col, q, g, seed_text,
                                   projects_dir, report, described_by)
            s = replace(s, context_open=old.context_open)       # "Hvem siger det?" still open: it shows the new project
            done = views.run_done(project_label(Path(s.project)), left_out, masker_for(described_by))
            return {**opened_page(s), tabs: gr.Tabs(selected="themes"), run_status: done, feedback: done}

        @guarded
        def on_wave(s, file, progress=gr.Progress()):
            own = desk.config_of(desk.snapshot(s.project)) if s.project else config
            opened_context = s.context_open
            s, path, wave = new_wave(s, file, projects_dir, own, lambda st, f: progress(f, desc=STEPS.get(st, st)))
            s = replace(s, context_open=opened_context)
            gr.Info(f"Den nye måling er lagt i projektet {project_label(Path(s.project))}.")
            return {**opened_page(s), **waves(s)}

        def waves(s: Session) -> dict:
            status_text, figure, table_html = wave_view(desk, s)
            own = desk.config_of(desk.snapshot(s.project)) if s.project else config
            note = f"Uden en fil bruges {own.followup_file.name} (undersøgelsens opfølgning)." if own.followup_file else ""
            return {wave_status: status_text, wave_plot: gr.update(value=figure, visible=figure is not None),
                    wave_table: table_html, wave_note: note}

        def questions_of(described_by: SurveyConfig) -> dict:
            return gr.update(choices=[(views.question_label(described_by, q), q) for q in described_by.questions],
                             value=next(iter(described_by.questions), None))

        def without_upload(note: str = "") -> dict:
            """The form back on the app's own survey (no file chosen, or the chosen one refused)."""
            return {survey: default_survey, described: "", question: questions_of(config),
                    id_column: gr.update(visible=True), setup_box: gr.update(visible=False), upload_note: note,
                    run_status: ""}

        no_sheets = gr.update(choices=[], value=None, visible=False)

        def upload_form(file, chosen: str | None) -> dict:
            """The setup screen on an uploaded survey (its sheet `chosen`); TextmineError when it cannot be used."""
            stored, uploaded, proposal = propose_upload(file, projects_dir, chosen)    # a bad file: nothing stored
            found = proposal.of(QUESTION)
            return {upload_note: "", run_status: "", survey: str(stored), described: "", sheet_read: chosen,
                    id_column: gr.update(visible=False),
                    question: gr.update(choices=found, value=found[0] if found else None),
                    setup_box: gr.update(visible=True), setup_intro: views.setup_intro(stored, uploaded, chosen),
                    setup_table: table_of(proposal, {**column_labels(uploaded), **earlier_names(stored)}), setup_status: "",
                    role_columns: gr.update(choices=list(uploaded.columns), value=[])}

        def refused(file, exc: TextmineError) -> dict:
            """Said on the page, and the form is back on the app's survey."""
            gr.Warning(str(exc), duration=8)
            return without_upload(views.upload_refused(Path(file).name, str(exc), default_survey))

        @guarded
        def on_upload(file):
            if file is None:
                return {**without_upload(), sheet: no_sheets}
            try:
                sheets, chosen = upload_sheets(file)          # an xlsx: the first sheet with text answers
                shown = upload_form(file, chosen)
            except TextmineError as exc:
                return {**refused(file, exc), upload_survey: None, sheet: no_sheets}
            return {**shown, sheet: gr.update(choices=sheets, value=chosen, visible=len(sheets) > 1)}

        @guarded
        def on_sheet(file, chosen):
            if not file or not chosen:
                return gr.skip()
            try:
                return upload_form(file, chosen)
            except TextmineError as exc:                      # the file stays: another sheet can be chosen
                return refused(file, exc)

        @guarded
        def on_set_role(shown_table, columns, new_role):
            return {setup_table: assign_role(shown_table, columns, new_role), role_columns: gr.update(value=[])}

        @guarded
        def on_save_description(survey_path, shown_table, chosen):
            if not survey_path or survey_path == default_survey:
                raise TextmineError("Vælg først en fil med undersøgelsen ovenfor.")
            saved = save_setup(Path(survey_path), shown_table, desk.surveys.get(survey_path, chosen), chosen)
            return {described: str(saved.path), question: questions_of(saved),
                    setup_status: views.setup_saved(saved)}

        @guarded
        def on_numbers(s: Session, code, group):
            chart, table_html = numbers_of(desk, s, code, group)
            return {item_chart: bars(chart), item_table: table_html}

        def on_warming():
            if not ready.is_set():
                return gr.skip()
            columns = list(desk.surveys.get(default_survey).columns) if default_survey else [config.id_column]
            return {run: gr.update(value=RUN_LABEL, interactive=True), warming: gr.Timer(active=False),
                    id_column: gr.update(choices=columns, value=config.id_column)}

        fast = dict(show_progress="hidden", trigger_mode="once")
        app.load(on_load, [session], open_outputs, show_progress="minimal").then(on_context, [session], context_outputs)
        opened.input(guarded(lambda s, path: opened_page(Session(path, context_open=s.context_open))),
                     [session, opened], open_outputs, **fast).then(on_context, [session], context_outputs, show_progress="hidden")
        theme_list.input(on_select, [session, theme_list], page_outputs, queue=False, show_progress="hidden") \
            .then(on_context, [session], context_outputs, show_progress="hidden")
        rename_project.click(on_rename_open, [session], [rename_row, project_name], **fast)
        rename_save.click(on_rename_project, [session, project_name], [*page_outputs, rename_row], **fast)
        project_name.submit(on_rename_project, [session, project_name], [*page_outputs, rename_row], **fast)
        rename_cancel.click(lambda: gr.update(visible=False), None, [rename_row], **fast)
        undo.click(lambda s: on_step(s, "undo"), [session], page_outputs, **fast)
        redo.click(lambda s: on_step(s, "redo"), [session], page_outputs, **fast)
        merge.click(lambda s, ids, n: on_action(s, "merge", theme_ids=merge_order(s.theme, ids), name=n or None),
                    [session, merge_ids, merge_name], page_outputs, **fast)
        save.click(lambda s, n, d: on_action(s, "rename", theme_id=s.theme, name=n, description=d),
                   [session, name, description], page_outputs, **fast)
        final.click(on_final, [session], page_outputs, **fast)
        delete.click(guarded(lambda s: {confirm_row: gr.update(visible=True), confirm_text: views.delete_question(
            desk.snapshot(_open(s).path), theme_of(s))}), [session], [confirm_row, confirm_text], **fast)
        cancel.click(lambda: gr.update(visible=False), None, [confirm_row], **fast)
        confirm.click(lambda s: on_action(s, "delete", select=lambda _: None, theme_id=s.theme), [session],
                      page_outputs, **fast)
        split.click(on_split, [session, k], page_outputs, **fast)
        move.click(lambda s, a, t: on_action(s, "move", answers=answer_ids(a), theme_id=target_id(t)),
                   [session, picked, target], page_outputs, **fast)
        second.click(on_second, [session, picked, target], page_outputs, **fast)
        pin.click(lambda s, a: on_action(s, "pin_quote", answers=answer_ids(a)), [session, picked], page_outputs,
                  **fast)
        unpin.click(lambda s, a: on_action(s, "pin_quote", answers=answer_ids(a), pinned=False), [session, picked],
                    page_outputs, **fast)
        new_theme.click(on_new_theme, [session, picked, new_name], page_outputs, **fast)
        new_name.submit(on_new_theme, [session, picked, new_name], page_outputs, **fast)
        search.submit(on_search, [session, search], page_outputs, **fast)
        earlier.click(lambda s, t: on_page(s, t, -PAGE), [session, search], page_outputs, **fast)
        later.click(lambda s, t: on_page(s, t, PAGE), [session, search], page_outputs, **fast)
        cut.click(on_cut, [session, cut_k], page_outputs, **fast)
        picked.input(None, [picked, caption], [caption], js=COUNT_PICKED)          # in the page: no round trip
        answers_tab.select(lambda s: replace(s, context_open=False), [session], [session], queue=False)
        context_tab.select(lambda s: replace(s, context_open=True), [session], [session], queue=False) \
            .then(on_context, [session], context_outputs)
        by.input(lambda s, b: replace(s, group_by=b), [session, by], [session], queue=False) \
            .then(on_context, [session], context_outputs)
        map_tab.select(on_map, [session], [chart])
        map_go.click(on_map_pick, [session, map_pick], [*page_outputs, tabs], **fast) \
            .then(on_context, [session], context_outputs, show_progress="hidden")
        history_tab.select(on_history, [session, history_theme], [history, back_point, history_theme])
        history_theme.input(on_history, [session, history_theme], [history, back_point, history_theme], **fast)
        back.click(on_back, [session, back_point, history_theme],
                   [*page_outputs, history, back_point, history_theme, history_note], **fast)
        wave_tab.select(guarded(waves), [session], [wave_status, wave_plot, wave_table, wave_note])
        numbers_tab.select(on_numbers, [session, item, number_by], [item_chart, item_table])
        item.input(on_numbers, [session, item, number_by], [item_chart, item_table])
        number_by.input(on_numbers, [session, item, number_by], [item_chart, item_table])
        run.click(on_run, [session, survey, described, id_column, question, granularity, seeds],
                  [*open_outputs, tabs, run_status], show_progress="full") \
            .then(on_context, [session], context_outputs, show_progress="hidden")
        wave_run.click(on_wave, [session, wave_file], [*open_outputs, wave_status, wave_plot, wave_table, wave_note]) \
            .then(on_context, [session], context_outputs, show_progress="hidden")
        upload_io = ([upload_survey], [upload_survey, sheet, sheet_read, upload_note, run_status, survey, described,
                                       id_column, question, setup_box, setup_intro, setup_table, setup_status,
                                       role_columns])
        upload_survey.upload(on_upload, *upload_io)           # not .change: the refusal empties the field itself
        upload_survey.clear(lambda: on_upload(None), None, upload_io[1])
        sheet.input(on_sheet, [upload_survey, sheet], upload_io[1])
        set_role.click(on_set_role, [setup_table, role_columns, role], [setup_table, role_columns], **fast)
        save_description.click(on_save_description, [survey, setup_table, sheet_read], [described, question, setup_status],
                               **fast)
        load_report.click(guarded(lambda p, d, q: "\n".join(description_of(p, d).seed_themes.get(q, []))),
                          [survey, described, question], [seeds])
        upload.upload(lambda f: Path(f).read_text(encoding="utf-8", errors="replace"), [upload], [seeds])
        export_tab.select(guarded(lambda s: export_summary_of(s) + review.export_line(s)), [session], [export_about])
        export.click(guarded(lambda s, f: export_files(s, f, projects_dir, *project_survey(desk, s))),
                     [session, formats], [files])
        warming.tick(on_warming, None, [run, warming, id_column], show_progress="hidden")
        review.wire(themes_tab, review_page, full, page_outputs)
    return app


def _already_ready() -> threading.Event:
    done = threading.Event()
    done.set()
    return done


def warm_up(desk: Desk, ready: threading.Event) -> None:
    """In the background once the page is served: read the default survey, import spaCy and the statistics
    (what the first page needs), then BERTopic and UMAP's compiled code (what a discovery needs)."""
    from ..app.warm import prepare_app_process

    try:
        if desk.config.survey_file:
            desk.surveys.get(desk.config.survey_file.resolve())
        from ..survey import shares  # noqa: F401
        from ..text.lemmas import danish_pipeline

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
    from starlette.middleware import Middleware

    from ..app.access import Gate, LoginGuard

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = load_config(config_path)
    folder = Path(projects_dir) if projects_dir else Path(config.path).parent / "projects"
    folder.mkdir(parents=True, exist_ok=True)
    desk, ready = Desk(config, masker_for(config)), threading.Event()
    app = build_app(config, None, folder, Path(project) if project else None, desk=desk, ready=ready)
    for event in app.fns.values():           # the page still calls them; no API description or run history
        event.api_visibility = "private"
    app.queue().launch(
        server_name=host, server_port=port, show_error=False, inbrowser=False, css=CSS, head=HEAD,
        auth=LoginGuard(*auth).check if auth else None, run_history=False, max_file_size=max_file_bytes(),
        app_kwargs={"middleware": [Middleware(Gate, host=host)]}, prevent_thread_lock=True)
    threading.Thread(target=warm_up, args=(desk, ready), daemon=True).start()     # once the page is served
    app.block_thread()
