"""Gradio layout and event wiring. Handlers are a few lines: one core call, then `render`.

The project file is the state: every action is applied to it at once, and the page is re-rendered
from it. A browser session holds only a small `Session` (project path, the version it has seen,
the selected theme) in gr.State, so two tabs see the same data and a stale tab is told so.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path

import gradio as gr
import pandas as pd

from ..config import DiscoverySettings, SurveyConfig, load_config
from ..errors import TextmineError, TooFewAnswersError
from ..io import max_file_bytes, read_survey, text_columns
from ..pipeline import discover_question
from ..privacy import masker_for
from ..runtime import prepare_app_process
from ..shares import item_shares, theme_context
from ..store import Project
from ..themes import map_points, respondents, snapshot, split_plan, theme_answers, theme_table, unplaced
from ..waves import apply_to_project, comparison_of, display_comparison
from . import views

CSS = """
#answers .wrap, #unplaced .wrap { max-height: 380px; overflow-y: auto; }
#answers label, #unplaced label { width: 100%; }
"""
STEPS = {"embedding": "Indlejrer svarene", "clustering": "Danner klynger", "keywords": "Finder nøgleord",
         "placing": "Placerer svarene i temaerne", "done": "Gemmer projektet"}
REPORT_GROUPS = "Rapportens grupper"


@dataclass(frozen=True)
class Session:
    project: str | None = None
    version: int = 0
    theme: int | None = None
    group_by: str = REPORT_GROUPS


def new_project_path(directory: Path, survey: str, question: str) -> Path:
    """A free file name: never overwrite a project someone has curated."""
    base = f"{Path(survey).stem}_{question}"
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


def model_dir_of(project_path: Path) -> Path:
    """Where the app keeps a project's saved model (what a follow-up wave is placed with)."""
    return project_path.with_suffix(".model")


def act(session: Session, action: str, **params) -> Session:
    """Apply one curation action to the project file; errors become a message box, nothing changes."""
    if not session.project:
        raise gr.Error("Åbn eller opret et projekt først.")
    try:
        version = Project(session.project).apply(action, expected_version=session.version, **params)
    except TextmineError as exc:
        raise gr.Error(str(exc)) from None
    return replace(session, version=version)


def step(session: Session, kind: str) -> Session:
    if not session.project:
        raise gr.Error("Åbn eller opret et projekt først.")
    try:
        done = getattr(Project(session.project), kind)(expected_version=session.version)
    except TextmineError as exc:
        raise gr.Error(str(exc)) from None
    if done is None:
        gr.Info("Der er intet at fortryde." if kind == "undo" else "Der er intet at gentage.")
        return session
    return replace(session, version=done)


def give_second(session: Session, answers, target) -> Session:
    for answer in views.ids(answers):
        session = act(session, "set_second", answer=answer, theme_id=views.one_id(target))
    return session


def export_files(session: Session, formats: list[str], directory: Path, config: SurveyConfig | None = None,
                 survey: pd.DataFrame | None = None) -> list[str]:
    """Write the chosen formats for the open project into the projects folder; the paths to download."""
    from ..report.export import export_project

    if not session.project:
        raise gr.Error("Åbn et projekt først.")
    project = Project(session.project)
    text = config.questions.get(project.question(), "") if config else ""
    try:
        written = export_project(project, directory / "exports" / Path(session.project).stem, formats,
                                 question_text=text, survey=survey, config=config if survey is not None else None,
                                 masker=masker_for(config) if config else None)
    except TextmineError as exc:
        raise gr.Error(str(exc)) from None
    return [str(p) for p in written]


def new_wave(session: Session, upload: str | None, directory: Path, config: SurveyConfig,
             progress=lambda step, fraction: None) -> tuple[Session, Path, pd.DataFrame]:
    """Lay the open project's themes on the next wave (an uploaded survey, else the config's follow-up
    file) as a new project; returns the session on it, the survey's path and its table."""
    if not session.project:
        raise gr.Error("Åbn først det kuraterede projekt fra den første måling (under Temaer).")
    if not upload and config.followup_file is None:
        raise gr.Error("Vælg den nye målings survey-fil.")
    baseline = Project(session.project)
    try:
        path, table = accept_upload(upload, directory) if upload else \
            (config.followup_file, read_survey(config.followup_file, config.sheet_for(config.followup_file)))
        out = new_project_path(directory, Path(path).name, baseline.question())
        apply_to_project(baseline, Path(path), table, out, config, progress=progress)
    except TextmineError as exc:
        raise gr.Error(str(exc)) from None
    return Session(str(out)), Path(path), table


def build_app(config: SurveyConfig, table: pd.DataFrame, projects_dir: Path, project: Path | None = None) -> gr.Blocks:
    questions = list(config.questions)
    items = item_shares(table, config) if config.likert.get("fields") else pd.DataFrame(columns=["item", "group", "share"])
    default_survey = str(config.survey_file.resolve()) if config.survey_file else ""
    masker = masker_for(config)           # personal data is masked in everything the page shows
    tables = {default_survey: table}          # survey files read by this app, by path (read-only data)

    def survey_table(path: str) -> pd.DataFrame:
        if path not in tables:
            tables[path] = read_survey(path, config.sheet_for(Path(path)))
        return tables[path]

    def render(session: Session):
        """Everything shown of the project, read from the file."""
        if not session.project:
            empty, none = gr.update(choices=[], value=None), gr.update(choices=[], value=[])
            return (session, views.no_project(), views.EMPTY_THEMES, none, empty, "", "", "", none,
                    None, None, None, "", none, empty, None, gr.update(choices=projects_in(projects_dir)),
                    views.wave_status(None, None), None, None)
        snap = snapshot(Project(session.project), masker)
        themes = theme_table(snap)
        theme = session.theme if session.theme in snap.state.themes else (themes["theme_id"].iloc[0] if len(themes) else None)
        session = replace(session, version=snap.version, theme=None if theme is None else int(theme))
        choices = views.theme_choices(themes)
        top, answers = theme_answers(snap, session.theme) if session.theme is not None else ([], pd.DataFrame())
        name, description = views.theme_name(snap, session.theme)
        who, tests, plot, likert = context(snap, session)
        return (session, views.status(session.project, snap, themes), views.theme_list(themes),
                gr.update(choices=choices, value=[]), gr.update(choices=choices, value=None),
                name, description, views.typical(top), gr.update(choices=views.answer_choices(answers), value=[]),
                who, plot, likert, tests, gr.update(choices=views.unplaced_choices(unplaced(snap)), value=[]),
                gr.update(choices=choices, value=None), map_points(snap),
                gr.update(choices=projects_in(projects_dir), value=session.project), *waves(snap))

    def waves(snap):
        comparison = comparison_of(snap.meta, snap.state, snap.answers)
        status = views.wave_status(snap, comparison)
        if comparison is None:
            return status, None, None
        return status, views.comparison_figure(comparison), display_comparison(comparison)

    def project_survey(session: Session) -> pd.DataFrame | None:
        try:
            return survey_table(Project(session.project).meta("survey") or default_survey) if session.project else None
        except TextmineError:
            return None

    def context(snap, session: Session):
        if session.theme is None:
            return None, "", None, None
        theme_ids, answered = respondents(snap, session.theme)
        try:
            survey = survey_table(snap.survey or default_survey)
            by_group, tests, likert = theme_context(theme_ids, answered, survey, config,
                                                    None if session.group_by == REPORT_GROUPS else session.group_by)
        except TextmineError as exc:
            gr.Warning(str(exc))
            return None, "", None, None
        who, test_text = views.who_says_it(by_group, tests)
        return who, test_text, views.share_plot(by_group), views.likert_context_table(likert)

    with gr.Blocks(title="textmine – temaer i fritekstsvar") as app:
        gr.Markdown(views.header(config, table))
        session = gr.State(Session(str(project)) if project else Session())
        with gr.Tab("Temaer"):
            survey = gr.State(default_survey)
            with gr.Row():
                upload_survey = gr.File(label="Anden survey-fil (xlsx, csv, sav)", file_types=[".xlsx", ".csv", ".sav"],
                                        height=90, scale=2, elem_id="survey-file")
                id_column = gr.Dropdown(choices=list(table.columns), value=config.id_column, label="Id-kolonne", scale=1)
            with gr.Row():
                question = gr.Dropdown(choices=[(views.question_label(config, q), q) for q in questions],
                                       value=questions[0] if questions else None, label="Åbent spørgsmål", scale=3,
                                       elem_id="question")
                granularity = gr.Slider(0.5, 2.0, value=1.0, step=0.1, label="Finhed (flere eller færre klynger)", scale=2)
                run = gr.Button("Find temaer (nyt projekt)", variant="primary", scale=1, elem_id="run-discovery")
            with gr.Accordion("Startemaer (valgfrit): svar, der ligner en overskrift, styres til den", open=False):
                seeds = gr.Textbox(lines=4, show_label=False, elem_id="seeds",
                                   placeholder="Én overskrift pr. linje, fx rapportens seks temaer")
                with gr.Row():
                    load_report = gr.Button("Hent rapportens overskrifter", size="sm")
                    upload = gr.UploadButton("Hent fra tekstfil", file_types=[".txt"], size="sm")
            with gr.Row():
                opened = gr.Dropdown(choices=projects_in(projects_dir), label="Projekt", scale=4, elem_id="project")
                undo = gr.Button("↶ Fortryd", scale=1, elem_id="undo")
                redo = gr.Button("↷ Gentag", scale=1, elem_id="redo")
            status = gr.Markdown(elem_id="status")
            with gr.Row():
                with gr.Column(scale=3):
                    themes = gr.Dataframe(label="Temaer (vælg en række)", interactive=False, wrap=True,
                                          elem_id="theme-table", column_widths=["8%", "30%", "9%", "9%", "44%"])
                    with gr.Row():
                        merge_ids = gr.Dropdown(multiselect=True, label="Temaer at slå sammen", scale=3, elem_id="merge-ids")
                        merge_name = gr.Textbox(label="Navn på det samlede tema", scale=2, elem_id="merge-name")
                        merge = gr.Button("Slå sammen", scale=1, elem_id="merge")
                    gr.Markdown("#### Ikke placerede svar\nI parentes de nærmeste temaer og deres lighed (0-1).")
                    loose = gr.CheckboxGroup(show_label=False, elem_id="unplaced")
                    with gr.Row():
                        place_target = gr.Dropdown(label="Placér valgte i", scale=3, elem_id="place-target")
                        place = gr.Button("Placér", scale=1, elem_id="place")
                with gr.Column(scale=2):
                    with gr.Group():
                        name = gr.Textbox(label="Temaets navn", elem_id="theme-name")
                        description = gr.Textbox(label="Beskrivelse", lines=2, elem_id="theme-description")
                        with gr.Row():
                            save = gr.Button("Gem navn og beskrivelse", elem_id="rename")
                            final = gr.Button("Markér som endeligt")
                            delete = gr.Button("Slet tema", variant="stop")
                        with gr.Row():
                            k = gr.Number(value=2, minimum=2, maximum=10, precision=0, label="Del i", scale=1)
                            split = gr.Button("Del temaet", scale=2)
                    typical = gr.Markdown()
                    search = gr.Textbox(label="Søg i temaets svar", elem_id="search")
                    picked = gr.CheckboxGroup(label="Temaets svar (typiske først): vælg for at flytte",
                                              elem_id="answers", show_select_all=True)
                    with gr.Row():
                        target = gr.Dropdown(label="Til tema", scale=2, elem_id="target")
                        move = gr.Button("Flyt valgte", scale=1, elem_id="move")
                        second = gr.Button("Giv valgte et andet tema", scale=1)
                    gr.Markdown("#### Hvem siger det?")
                    by = gr.Dropdown(choices=[REPORT_GROUPS, *config.background], value=REPORT_GROUPS,
                                     label="Fordel på", elem_id="group-by")
                    who = gr.Dataframe(interactive=False, wrap=True, column_widths=["42%", "24%", "34%"])
                    who_tests = gr.Markdown()
                    who_plot = gr.BarPlot(x="Gruppe", y="Andel (%)", y_lim=[0, None], height=240,
                                          x_label_angle=-30, show_label=False, sort=views.PLOT_ORDER)
                    gr.Markdown("#### Likert-kontekst\nAndel med gennemsnit 4-5 i vidensfeltet: temaets "
                                "respondenter mod de øvrige, der har svaret på spørgsmålet.")
                    likert = gr.Dataframe(interactive=False, wrap=True, column_widths=["46%", "17%", "17%", "20%"])
        with gr.Tab("Eksport"):
            gr.Markdown("Temaerne til rapporten. Svarene skrives altid som tekst, aldrig som formler.")
            formats = gr.CheckboxGroup([("Excel (temaer, kodede svar, grupper)", "xlsx"), ("PowerPoint", "pptx"),
                                        ("Word", "docx"), ("Kodebog (JSON)", "json"), ("Kodede svar (CSV)", "csv")],
                                       value=["xlsx", "pptx", "docx", "json", "csv"], label="Formater")
            export = gr.Button("Lav filerne", variant="primary", elem_id="export")
            files = gr.File(label="Hent", file_count="multiple", interactive=False, elem_id="export-files")
        with gr.Tab("Ny bølge"):
            gr.Markdown("Læg temaerne fra det åbne projekt på næste måling af samme survey: hvert nyt svar får det "
                        "tema, det ligner mest, og svar, der ikke passer i noget tema, samles i nye klynger "
                        "(**Ny 1**, **Ny 2**, …). Resultatet er et nyt projekt, som du kuraterer under *Temaer*; "
                        "sammenligningen herunder følger med.")
            with gr.Row():
                wave_file = gr.File(label="Næste målings survey-fil (xlsx, csv, sav)", file_types=[".xlsx", ".csv", ".sav"],
                                    height=110, scale=3, elem_id="wave-file")
                wave_run = gr.Button("Læg temaerne på den nye måling", variant="primary", scale=1, elem_id="apply-wave")
            if config.followup_file:
                gr.Markdown(f"Uden en fil bruges {config.followup_file.name} (demoens opfølgning).")
            wave_status = gr.Markdown(elem_id="wave-status")
            wave_plot = gr.Plot(show_label=False, elem_id="wave-plot")
            wave_table = gr.Dataframe(interactive=False, wrap=True, elem_id="wave-table",
                                      column_widths=["30%", "8%", "8%", "8%", "8%", "9%", "13%", "8%", "8%"])
        with gr.Tab("Kort"):
            gr.Markdown("Svarene på et kort: svar, der ligner hinanden, ligger tæt. Hold musen over et punkt for at se svaret.")
            chart = gr.ScatterPlot(x="x", y="y", color="Tema", tooltip=["Svar", "Tema"], height=600, show_label=False)
        with gr.Tab("Tal"):
            gr.Markdown("Andel, der svarer 4 eller 5 (i høj eller meget høj grad), blandt dem, der har svaret.")
            item = gr.Dropdown(choices=list(dict.fromkeys(items["item"])), value=items["item"].iloc[0] if len(items) else None,
                               label="Spørgsmål")
            item_chart = gr.BarPlot(views.item_plot(items, items["item"].iloc[0]) if len(items) else None,
                                    x="Gruppe", y="Andel 4-5 (%)", y_lim=[0, 100], height=260, show_label=False,
                                    sort=views.PLOT_ORDER)
            gr.Dataframe(views.item_share_table(items) if len(items) else None, interactive=False, wrap=True)

        shown = [session, status, themes, merge_ids, target, name, description, typical, picked,
                 who, who_plot, likert, who_tests, loose, place_target, chart, opened, wave_status, wave_plot, wave_table]

        def on_run(s, survey_path, id_col, q, g, seed_text, progress=gr.Progress()):
            headings = tuple(line.strip() for line in (seed_text or "").splitlines() if line.strip())
            try:
                found = discover_question(survey_table(survey_path), q, config,
                                          DiscoverySettings(granularity=g, seed_themes=headings), id_column=id_col,
                                          progress=lambda st, f: progress(f, desc=STEPS.get(st, st)),
                                          source=Path(survey_path).name)
                path = new_project_path(projects_dir, Path(survey_path).name, q)
                found.save_model(model_dir_of(path), DiscoverySettings(granularity=g, seed_themes=headings))
                found.save_project(path, survey_path, model_dir_of(path))
            except TooFewAnswersError as exc:               # too few to cluster: show them to be read instead
                raise gr.Error(views.too_few(str(exc), exc.answers, masker), duration=None) from None
            except TextmineError as exc:
                raise gr.Error(str(exc)) from None
            return render(Session(str(path)))

        def on_wave(s, file, progress=gr.Progress()):
            session, path, wave = new_wave(s, file, projects_dir, config,
                                           lambda st, f: progress(f, desc=STEPS.get(st, st)))
            tables[str(Path(path).resolve())] = wave          # its groups are shown next: read once
            gr.Info(f"Den nye måling er lagt i projektet {Path(session.project).name}.")
            return render(session)

        def on_upload(file):
            if file is None:
                return default_survey, gr.update(choices=list(table.columns), value=config.id_column), \
                    gr.update(choices=[(views.question_label(config, q), q) for q in questions], value=questions[0])
            try:
                stored, uploaded = accept_upload(file, projects_dir)     # a bad file is refused, nothing stored
                tables[str(stored)] = uploaded
            except TextmineError as exc:
                raise gr.Error(str(exc)) from None
            columns, texts = list(uploaded.columns), text_columns(uploaded)
            guess = config.id_column if config.id_column in columns else columns[0]
            if not texts:
                gr.Warning("Filen ser ikke ud til at have åbne spørgsmål med tekstsvar. Vælg kolonnen selv.")
            return str(stored), gr.update(choices=columns, value=guess), \
                gr.update(choices=texts or columns, value=(texts or columns)[0])

        def on_select(s, evt: gr.SelectData):
            return render(replace(s, theme=views.theme_id_of_row(evt.row_value)))

        def on_search(s, text):
            _, answers = theme_answers(snapshot(Project(s.project), masker), s.theme, text) if s.project else (None, pd.DataFrame())
            return gr.update(choices=views.answer_choices(answers), value=[])

        run.click(on_run, [session, survey, id_column, question, granularity, seeds], shown)
        wave_run.click(on_wave, [session, wave_file], shown)
        upload_survey.change(on_upload, [upload_survey], [survey, id_column, question])
        load_report.click(lambda q: "\n".join(config.seed_themes.get(q, [])), [question], [seeds])
        upload.upload(lambda f: Path(f).read_text(encoding="utf-8", errors="replace"), [upload], [seeds])
        app.load(lambda s: render(s if s.project else Session(latest_project(projects_dir))), [session], shown)
        opened.input(lambda path: render(Session(path)), [opened], shown)
        themes.select(on_select, [session], shown)
        undo.click(lambda s: render(step(s, "undo")), [session], shown)
        redo.click(lambda s: render(step(s, "redo")), [session], shown)
        merge.click(lambda s, ids, n: render(act(s, "merge", theme_ids=views.ids(ids), name=n or None)),
                    [session, merge_ids, merge_name], shown)
        save.click(lambda s, n, d: render(act(s, "rename", theme_id=s.theme, name=n, description=d)),
                   [session, name, description], shown)
        final.click(lambda s: render(act(s, "mark_final", theme_id=s.theme)), [session], shown)
        delete.click(lambda s: render(replace(act(s, "delete", theme_id=s.theme), theme=None)), [session], shown)
        split.click(lambda s, n: render(act(s, "split", theme_id=s.theme,
                                            labels=split_plan(snapshot(Project(s.project), masker), s.theme, int(n)))),
                    [session, k], shown)
        move.click(lambda s, a, t: render(act(s, "move", answers=views.ids(a), theme_id=views.one_id(t))),
                   [session, picked, target], shown)
        second.click(lambda s, a, t: render(give_second(s, a, t)), [session, picked, target], shown)
        place.click(lambda s, a, t: render(act(s, "move", answers=views.ids(a), theme_id=views.one_id(t))),
                    [session, loose, place_target], shown)
        by.change(lambda s, b: render(replace(s, group_by=b)), [session, by], shown)
        search.change(on_search, [session, search], [picked])
        export.click(lambda s, f: export_files(s, f, projects_dir, config, project_survey(s)), [session, formats], [files])
        item.change(lambda i: views.item_plot(items, i), [item], [item_chart])
    return app


def launch(config_path=None, host: str = "127.0.0.1", port: int = 7860, project: str | None = None,
           projects_dir: str | None = None, auth: tuple[str, str] | None = None) -> None:
    """Serve the app; `auth` (user, password) is required by cli.cmd_app for any address but 127.0.0.1,
    and wrong logins are slowed (access.LoginGuard). No event is described in the API info: Gradio embeds
    that description, with every component's default and choices (project paths, the survey's column
    names), even in the login page it shows before anyone has logged in."""
    from ..access import LoginGuard

    config = load_config(config_path)
    table = read_survey(config.survey_file, config.sheet)
    folder = Path(projects_dir) if projects_dir else Path(config.path).parent / "projects"
    folder.mkdir(parents=True, exist_ok=True)
    # import BERTopic, compile UMAP (10-20 s once per process) and freeze the heap while the analyst looks around
    threading.Thread(target=prepare_app_process, daemon=True).start()
    app = build_app(config, table, folder, Path(project) if project else None)
    for event in app.fns.values():           # the page still calls them; no API description or run history
        event.api_visibility = "private"
    app.queue().launch(
        server_name=host, server_port=port, show_error=False, inbrowser=False, css=CSS,
        auth=LoginGuard(*auth).check if auth else None, run_history=False, max_file_size=max_file_bytes())
