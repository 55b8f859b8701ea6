"""*Nyt projekt*: find themes in one open question, of the app's survey or of an uploaded one. An uploaded
survey is described first (the setup screen: each column's role and name, proposed by textmine and saved
beside the file); *Find temaer* waits until the heavy libraries are loaded (`ready`)."""

from __future__ import annotations

import threading
import warnings
from dataclasses import replace
from pathlib import Path

import gradio as gr

from ..app import views
from ..app.desk import Desk, Session
from ..app.discovery_control import estimate, stopped_text, track
from ..app.projects import project_label
from ..app.upload import description_of, discard_upload, propose_upload, upload_sheets
from ..config import SurveyConfig
from ..errors import TextmineError
from ..progress import Stopped
from ..survey.setup import QUESTION, ROLES, assign_role, column_labels, earlier_names, save_setup
from ..survey.setup import setup_table as table_of
from ..text.privacy import masker_for
from . import run_bar
from .boundary import bound, on
from .parts import FAST
from .run_bar import RunBar

GRANULARITY = [("0,5 – færre, større klynger", 0.5), ("0,75", 0.75), ("1,0 – standard", 1.0), ("1,25", 1.25),
               ("1,5", 1.5), ("2,0 – flere, mindre klynger", 2.0)]
RUN_LABEL, WAIT_LABEL = "Find temaer (nyt projekt)", "Find temaer – gør klar (indlæser sprogmodellerne) …"
NO_SHEETS = dict(choices=[], value=None, visible=False)


def setup_dataframe() -> gr.Dataframe:
    """The proposal table of the setup screen: only *Navn* is edited in it (roles change with the dropdowns
    below it), and no row or column can be added or deleted (counts as tuples: Gradio 6's only way yet)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return gr.Dataframe(headers=["Kolonne", "Rolle", "Navn", "Eksempler", "Begrundelse"], row_count=(1, "fixed"),
                            column_count=(5, "fixed"),
                            interactive=True, static_columns=[0, 1, 3, 4], wrap=True, max_height=460,
                            elem_id="setup-table", show_label=False, column_widths=["14%", "12%", "24%", "25%", "25%"])


class NewProjectTab:
    """The components of *Nyt projekt* (built inside its gr.Tab). `config` describes the app's survey
    (`default_survey`, its resolved path); `ready` is set when the heavy libraries are loaded; `bar`, built
    above the tabs, shows the discovery under way with its *Stop* button (run_bar)."""

    def __init__(self, config: SurveyConfig, desk: Desk, projects_dir: Path, ready: threading.Event,
                 bar: RunBar | None = None):
        self.config, self.desk, self.projects_dir, self.ready = config, desk, projects_dir, ready
        self.bar = bar or RunBar()
        self.runs, self.stop = self.bar.runs, self.bar.stop      # the discoveries under way (Runs), and its Stop
        self.default_survey = str(config.survey_file.resolve()) if config.survey_file else ""
        self.survey = gr.State(self.default_survey)
        self.described = gr.State("")          # the saved description of an uploaded survey ("" : the app's)
        self.sheet_read = gr.State(None)       # the sheet of the uploaded xlsx the setup screen describes
        with gr.Row():
            self.upload_survey = gr.File(label="Anden undersøgelse (xlsx, csv, sav)",
                                         file_types=[".xlsx", ".csv", ".sav"], height=120, scale=2,
                                         elem_id="survey-file")
            self.sheet = gr.Dropdown(choices=[], value=None, label="Ark", visible=False, scale=1, elem_id="survey-sheet")
            self.id_column = gr.Dropdown(choices=[config.id_column], value=config.id_column, label="Id-kolonne",
                                         scale=1, elem_id="id-column")
        self.upload_note = gr.Markdown(elem_id="upload-note")
        with gr.Column(visible=False, elem_id="setup") as self.setup_box:
            self.setup_intro = gr.Markdown(elem_id="setup-intro")
            self.setup_table = setup_dataframe()
            with gr.Row(elem_classes=["tm-bar"]):
                self.role_columns = gr.Dropdown(multiselect=True, label="Kolonner, der skal have en anden rolle",
                                                scale=4, elem_id="role-columns")
                self.role = gr.Dropdown(choices=list(ROLES), value=None, label="Ny rolle", scale=2, elem_id="role")
                self.set_role = gr.Button("Giv kolonnerne rollen", scale=1, elem_id="set-role", size="sm")
            self.save_description = gr.Button("Gem beskrivelse", variant="primary", elem_id="save-description")
            self.setup_status = gr.Markdown(elem_id="setup-status")
        questions = list(config.questions)
        with gr.Row():
            self.question = gr.Dropdown(choices=[(views.question_label(config, q), q) for q in questions],
                                        value=questions[0] if questions else None, label="Åbent spørgsmål",
                                        scale=3, elem_id="question")
            self.granularity = gr.Dropdown(choices=GRANULARITY, value=1.0, label="Finhed", scale=2,
                                           elem_id="granularity")
        self.run = gr.Button(RUN_LABEL if ready.is_set() else WAIT_LABEL, variant="primary", elem_id="run-discovery",
                             interactive=ready.is_set())
        with gr.Column(visible=False, elem_id="long-run") as self.confirm_box:
            self.confirm_text = gr.Markdown(elem_id="long-run-text")
            with gr.Row():
                self.go = gr.Button("Ja, find temaer", variant="primary", elem_id="long-run-go")
                self.no = gr.Button("Nej, ikke nu", elem_id="long-run-no")
        with gr.Accordion("Startemaer (valgfrit): svar, der ligner en overskrift, styres til den", open=False):
            self.seeds = gr.Textbox(lines=4, show_label=False, elem_id="seeds",
                                    placeholder="Én overskrift pr. linje, fx rapportens seks temaer")
            with gr.Row():
                self.load_report = gr.Button("Hent rapportens overskrifter", size="sm")
                self.upload = gr.UploadButton("Hent fra tekstfil", file_types=[".txt"], size="sm")
        self.run_status = gr.Markdown(elem_id="run-status")
        self.warming = gr.Timer(1.0, active=not ready.is_set())
        self.upload_outputs = [self.upload_survey, self.sheet, self.sheet_read, self.upload_note, self.run_status,
                               self.survey, self.described, self.id_column, self.question, self.setup_box,
                               self.setup_intro, self.setup_table, self.setup_status, self.role_columns]

    def let_go(self, session: str) -> dict:
        """The run is let go (armed in `runs`): the bar shows it with its Stop button, *Find temaer* is off
        until it ends."""
        self.runs.arm(session)
        return {self.confirm_box: gr.update(visible=False), **self.bar.started(session),
                self.run: gr.update(interactive=False), self.run_status: ""}

    def survey_updates(self, parts: dict) -> dict:
        """A new discovery from the open project's survey (survey_panels.survey_parts)."""
        first = parts["questions"][0][1] if parts["questions"] else None
        return {self.survey: parts["survey"], self.described: parts["described"], self.setup_box: gr.update(visible=False),
                self.question: gr.update(choices=parts["questions"], value=first),
                self.id_column: gr.update(visible=not parts["described"])}

    def without_upload(self, note: str = "") -> dict:
        """The form back on the app's own survey (no file chosen, or the chosen one refused)."""
        return {self.survey: self.default_survey, self.described: "", self.question: questions_of(self.config),
                self.id_column: gr.update(visible=True), self.setup_box: gr.update(visible=False),
                self.upload_note: note, self.run_status: ""}

    def upload_form(self, file, chosen: str | None) -> dict:
        """The setup screen on an uploaded survey (its sheet `chosen`); TextmineError when it cannot be used."""
        stored, uploaded, proposal = propose_upload(file, self.projects_dir, chosen)    # a bad file: nothing stored
        found = proposal.of(QUESTION)
        return {self.upload_note: "", self.run_status: "", self.survey: str(stored), self.described: "",
                self.sheet_read: chosen, self.id_column: gr.update(visible=False),
                self.question: gr.update(choices=found, value=found[0] if found else None),
                self.setup_box: gr.update(visible=True), self.setup_intro: views.setup_intro(stored, uploaded, chosen),
                self.setup_table: table_of(proposal, {**column_labels(uploaded), **earlier_names(stored)}),
                self.setup_status: "", self.role_columns: gr.update(choices=list(uploaded.columns), value=[])}

    def refused(self, file, exc: TextmineError, discard: bool = False) -> dict:
        """Said on the page, and the form is back on the app's survey (`discard`: the upload itself removed)."""
        if discard:
            discard_upload(file)
        gr.Warning(str(exc), duration=8)
        return self.without_upload(views.upload_refused(Path(file).name, str(exc), self.default_survey))


def questions_of(described_by: SurveyConfig) -> dict:
    return gr.update(choices=[(views.question_label(described_by, q), q) for q in described_by.questions],
                     value=next(iter(described_by.questions), None))


# -- the handlers ----------------------------------------------------------------------------------------

def on_upload(n: NewProjectTab, file):
    if file is None:
        return {**n.without_upload(), n.sheet: gr.update(**NO_SHEETS)}
    try:
        sheets, chosen = upload_sheets(file)          # an xlsx: the first sheet with text answers
        shown = n.upload_form(file, chosen)
    except TextmineError as exc:                      # the browser's copy is not kept (upload.discard_upload)
        return {**n.refused(file, exc, discard=True), n.upload_survey: None, n.sheet: gr.update(**NO_SHEETS)}
    return {**shown, n.sheet: gr.update(choices=sheets, value=chosen, visible=len(sheets) > 1)}


def on_clear(n: NewProjectTab):
    return on_upload(n, None)


def on_sheet(n: NewProjectTab, file, chosen):
    if not file or not chosen:
        return gr.skip()
    try:
        return n.upload_form(file, chosen)
    except TextmineError as exc:                      # the file stays: another sheet can be chosen
        return n.refused(file, exc)


def on_set_role(n: NewProjectTab, shown_table, columns, new_role):
    return {n.setup_table: assign_role(shown_table, columns, new_role), n.role_columns: gr.update(value=[])}


def on_save_description(n: NewProjectTab, survey_path, shown_table, chosen):
    if not survey_path or survey_path == n.default_survey:
        raise TextmineError("Vælg først en fil med undersøgelsen ovenfor.")
    saved = save_setup(Path(survey_path), shown_table, n.desk.surveys.get(survey_path, chosen), chosen)
    return {n.described: str(saved.path), n.question: questions_of(saved), n.setup_status: views.setup_saved(saved)}


def on_load_report(n: NewProjectTab, survey_path, saved, question):
    return "\n".join(description_of(survey_path, saved, n.default_survey, n.config).seed_themes.get(question, []))


def read_seeds(file) -> str:
    return Path(file).read_text(encoding="utf-8", errors="replace")


def on_ask(n: NewProjectTab, survey_path, saved, id_col, q, request: gr.Request):
    described_by = description_of(survey_path, saved, n.default_survey, n.config)
    expected = estimate(n.desk, survey_path, described_by.id_column if saved else id_col, q, described_by)
    if expected is not None and expected.long:           # over 10 minutes: asked first, nothing started
        return {n.confirm_box: gr.update(visible=True), n.confirm_text: expected.question(), n.run_status: ""}
    return n.let_go(request.session_hash)


def on_go(n: NewProjectTab, request: gr.Request):
    return n.let_go(request.session_hash)


def on_no(n: NewProjectTab):
    return {n.confirm_box: gr.update(visible=False), n.run_status: "Søgningen er ikke startet."}


def on_run(n: NewProjectTab, page, old, survey_path, saved, id_col, q, g, seed_text, request: gr.Request):
    flag = n.runs.armed(request.session_hash)
    if flag is None:                                     # not let go: asked first, or the estimate refused
        return gr.skip()
    try:
        return discovered(n, page, old, survey_path, saved, id_col, q, g, seed_text, flag, request.session_hash)
    except Stopped:
        return {n.run_status: stopped_text()}
    finally:
        n.runs.finish(request.session_hash, flag)


def discovered(n: NewProjectTab, page, old, survey_path, saved, id_col, q, g, seed_text, flag, session) -> dict:
    from ..app.discovery_run import discover  # scikit-learn (and BERTopic when it runs): loaded on first use

    described_by = description_of(survey_path, saved, n.default_survey, n.config)
    id_col = described_by.id_column if saved else id_col
    progress = track(n.runs, session, n.desk, survey_path, id_col, q, described_by)   # shown by the bar
    s, left_out = discover(n.desk, survey_path, id_col, q, g, seed_text, n.projects_dir, progress, described_by, flag)
    s = replace(s, context_open=old.context_open)       # "Hvem siger det?" still open: it shows the new project
    done = views.run_done(project_label(Path(s.project)), left_out, masker_for(described_by))
    n.runs.done(session, s.project, done)
    return {**page.opened(s), page.tabs: gr.Tabs(selected="themes"), n.run_status: done, page.themes.feedback: done}


def on_finished(n: NewProjectTab, page, old, project):
    if not project:                                      # a run this page followed made it: opened as its own tab
        return gr.skip()
    done = views.run_done(project_label(Path(project)), [])
    s = replace(Session(project), context_open=old.context_open)
    return {**page.opened(s), page.tabs: gr.Tabs(selected="themes"), page.themes.feedback: done}


def on_ended(n: NewProjectTab):
    return {n.bar.row: gr.update(visible=False), n.run: gr.update(interactive=n.ready.is_set())}


def on_warming(n: NewProjectTab):
    if not n.ready.is_set():
        return gr.skip()
    columns = list(n.desk.surveys.get(n.default_survey).columns) if n.default_survey else [n.config.id_column]
    return {n.run: gr.update(value=RUN_LABEL, interactive=True), n.warming: gr.Timer(active=False),
            n.id_column: gr.update(choices=columns, value=n.config.id_column)}


def wire_run(n: NewProjectTab, page, app: gr.Blocks) -> None:
    """*Find temaer*: asked first when long (on_ask, or the confirmation's on_go), then run with the bar
    showing it (run_bar: its Stop button, and the run stopped when no open page follows it any more)."""
    ask = [n.confirm_box, n.confirm_text, n.run, n.run_status, n.bar.following, *n.bar.outputs]
    run_bar.wire(n.bar, app)
    inputs = [page.session, n.survey, n.described, n.id_column, n.question, n.granularity, n.seeds]

    def only_let_go(request: gr.Request) -> None:        # a run asked about first goes no further (.success)
        if n.runs.armed(request.session_hash) is None:     # and never waits in the discovery queue
            raise gr.Error("Søgningen er ikke startet.", visible=False, print_exception=False)

    for asked in (n.run.click(on(on_ask, n), [n.survey, n.described, n.id_column, n.question], ask, **FAST),
                  n.go.click(on(on_go, n), None, ask, **FAST)):
        checked = asked.then(only_let_go, None, None, queue=False, show_progress="hidden")
        ran = checked.success(on(on_run, n, page), inputs, [*page.outputs, page.tabs, n.run_status],
                              show_progress="hidden", concurrency_id="discovery",
                              concurrency_limit=1)        # one discovery at a time: 2 cores, about 1 GB each
        page.themes.context.follow(ran, show_progress="hidden").then(bound(on_ended, n), None, [n.bar.row, n.run],
                                                                     **FAST)
    n.no.click(bound(on_no, n), None, [n.confirm_box, n.run_status], **FAST)
    opened = n.bar.finished.change(on(on_finished, n, page), [page.session, n.bar.finished],
                                   [*page.outputs, page.tabs, page.themes.feedback], show_progress="hidden")
    page.themes.context.follow(opened, show_progress="hidden")


def wire(n: NewProjectTab, page, app: gr.Blocks) -> None:
    """`page` (page.Page): the whole page redrawn on the project a discovery made."""
    out = n.upload_outputs
    wire_run(n, page, app)
    n.upload_survey.upload(on(on_upload, n), [n.upload_survey], out)   # not .change: the refusal empties the field itself
    n.upload_survey.clear(on(on_clear, n), None, out)
    n.sheet.input(on(on_sheet, n), [n.upload_survey, n.sheet], out)
    n.set_role.click(on(on_set_role, n), [n.setup_table, n.role_columns, n.role], [n.setup_table, n.role_columns], **FAST)
    n.save_description.click(on(on_save_description, n), [n.survey, n.setup_table, n.sheet_read],
                             [n.described, n.question, n.setup_status], **FAST)
    n.load_report.click(on(on_load_report, n), [n.survey, n.described, n.question], [n.seeds])
    n.upload.upload(read_seeds, [n.upload], [n.seeds])
    n.warming.tick(bound(on_warming, n), None, [n.run, n.warming, n.id_column], show_progress="hidden")
