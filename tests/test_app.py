"""The app's views and handlers as plain function calls (the browser test clicks through the page)."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from textmine.app import views
from textmine.app.actions import act
from textmine.app.desk import Session
from textmine.app.projects import latest_project, new_project_path
from textmine.config import load_config
from textmine.project.store import Project
from textmine.survey.reading import read_survey

from .test_curation import make_project


def test_act_saves_at_once_and_refuses_a_stale_tab(tmp_path):
    from textmine.project.store import StaleError

    project = make_project(tmp_path / "p.sqlite")
    tab1 = tab2 = Session(str(project.path), version=project.version())
    tab1 = act(tab1, "rename", theme_id=0, name="Fra fane 1")
    assert Project(project.path).state().themes[0].name == "Fra fane 1" and tab1.version == 1
    with pytest.raises(StaleError, match="anden fane"):
        act(tab2, "rename", theme_id=0, name="Fra fane 2")
    assert Project(project.path).state().themes[0].name == "Fra fane 1"


def test_a_stale_tab_cannot_undo_redo_or_go_back_after_only_clicking_a_theme(tmp_path):
    """RELIABILITY 2026-12-06 item 4: tab B clicks a theme after another user's merge; its undo button still
    names its own rename, so its undo, redo and history step are refused ("Genindlæs") and nothing changes."""
    from textmine.app.actions import go_back, step
    from textmine.app.desk import Desk
    from textmine.app.page import page
    from textmine.project.store import StaleError

    project = make_project(tmp_path / "p.sqlite")
    desk = Desk(load_config())
    tab_b = act(page(desk, Session(str(project.path))).session, "rename", theme_id=0, name="Fra fane B")
    renamed = project.version()
    Project(project.path).apply("merge", theme_ids=[1, 2], name="Sammenlagt af en anden")   # the CLI or tab A
    tab_b = page(desk, tab_b, full=False, select=0).session                              # a plain theme click
    merged = Project(project.path).state()
    for attempt in (lambda: step(tab_b, "undo"), lambda: step(tab_b, "redo"), lambda: go_back(tab_b, renamed)):
        with pytest.raises(StaleError, match="Genindlæs siden"):
            attempt()
        assert Project(project.path).state() == merged
    tab_b = page(desk, tab_b).session                                    # reloaded: the whole page is new
    tab_b, note = step(tab_b, "undo")
    assert "sammen til »Sammenlagt af en anden«" in note and Project(project.path).state().themes[0].name == "Fra fane B"


def test_new_projects_never_overwrite_and_the_latest_is_reopened(tmp_path):
    first = new_project_path(tmp_path, "survey.xlsx", "kerneopgave")
    make_project(first)
    second = new_project_path(tmp_path, "survey.xlsx", "kerneopgave")
    assert first.name == "survey_kerneopgave.sqlite" and second.name == "survey_kerneopgave_2.sqlite"
    make_project(second)
    assert latest_project(tmp_path) == str(second)


def test_who_says_it_and_likert_views():
    by_group = pd.DataFrame({"group": ["Medarbejdere", "Ledere"], "n": [10, 5], "count": [4, 1],
                             "share": [40.0, 20.0], "ci_low": [16.8, 3.6], "ci_high": [68.7, 62.4]})
    tests = pd.DataFrame({"groups": ["Medarbejdere vs Ledere"], "test": ["Fisher"], "p_value": [0.6]})
    who, text = views.who_says_it(by_group, tests)
    assert who["Med temaet"].tolist() == ["4 af 10", "1 af 5"] and who["Andel (95 %-interval)"][0] == "40 % (17–69)"
    assert "Fishers eksakte test" in text and "signifikant" not in text and "p = 0,600" in text
    context = pd.DataFrame({"field": ["IT"], "n_theme": [4], "share_theme": [50.0], "n_others": [6],
                            "share_others": [25.0], "difference": [25.0]})
    assert views.likert_context_table(context).iloc[0].tolist() == ["IT", "50 %", "25 %", "25,0"]


def test_item_share_table_has_the_report_layout():
    from textmine.app.survey_panels import item_share_table
    from textmine.survey.shares import item_shares

    config = load_config()
    table = item_share_table(item_shares(read_survey(config.survey_file, config.sheet), config))
    assert list(table.columns[:2]) == ["Vidensfelt", "Spørgsmål"] and len(table) == 33
    assert table.set_index("Spørgsmål").loc["au_viden_arbejdsmarked", "Ledere"] == 61


def test_app_builds_on_the_demo_survey(tmp_path):
    from textmine.ui.app import build_app

    config = load_config()
    app = build_app(config, read_survey(config.survey_file, config.sheet), tmp_path)
    assert app.title.startswith("textmine")


def test_uploads_are_kept_only_in_the_projects_folder(tmp_path):
    from textmine.app.upload import store_upload

    upload = tmp_path / "browser-temp" / "min survey.csv"
    upload.parent.mkdir()
    upload.write_text("respondent_id,svar\nR1,hej\n", encoding="utf-8")
    stored = store_upload(str(upload), tmp_path / "projects")
    assert stored == tmp_path / "projects" / "uploads" / "min_survey.csv"        # only safe characters
    assert stored.read_text(encoding="utf-8") == upload.read_text(encoding="utf-8")
    assert store_upload(str(upload), tmp_path / "projects") == stored             # the same file again: reused
    upload.write_text("respondent_id,svar\nR1,noget andet\n", encoding="utf-8")
    other = store_upload(str(upload), tmp_path / "projects")                      # same name, new content
    assert other == tmp_path / "projects" / "uploads" / "min_survey_2.csv"
    assert "hej" in stored.read_text(encoding="utf-8")                            # the first is never replaced
    sneaky = tmp_path / "browser-temp" / "..%2F..%2Fetc passwd.csv"
    sneaky.write_text("x\n", encoding="utf-8")
    assert store_upload(str(sneaky), tmp_path / "projects").parent == tmp_path / "projects" / "uploads"


def test_export_panel_writes_into_the_projects_folder(tmp_path):
    from textmine.errors import TextmineError
    from textmine.ui.export_tab import export_files

    project = make_project(tmp_path / "p.sqlite")
    files = export_files(Session(str(project.path)), ["xlsx", "json"], tmp_path)
    assert [p.split("/")[-1] for p in files] == ["p_kerneopgave_temaer.xlsx", "p_kerneopgave_kodebog.json"]
    assert all(p.startswith(str(tmp_path / "exports" / "p")) for p in files)
    with pytest.raises(TextmineError, match="format"):
        export_files(Session(str(project.path)), [], tmp_path)


def test_the_export_uses_the_pages_lemmatised_texts_only_when_masked_as_the_export_masks(tmp_path, monkeypatch):
    """Lemmatising every answer again took 15-20 s of an export at 100,000 answers: the app hands the export its
    snapshot's texts. They are used only when the snapshot masked them as the export does, and the files are
    the same either way."""
    import json

    import textmine.project.themes as themes
    from textmine.app.desk import Desk
    from textmine.app.exports import write_exports
    from textmine.text.privacy import NO_MASK, masker_for

    config = load_config()
    project = make_project(tmp_path / "p.sqlite")
    session = Session(str(project.path))
    fresh = json.loads(write_exports(session, ["json"], tmp_path / "a", config)[0].read_text(encoding="utf-8"))
    snap = Desk(config).snapshot(str(project.path))
    assert snap.masker == masker_for(config)
    made = []
    real = themes.texts_of
    monkeypatch.setattr(themes, "texts_of", lambda *a, **k: made.append(1) or real(*a, **k))
    reused = write_exports(session, ["json"], tmp_path / "b", config, snap=snap)[0]
    reused = json.loads(reused.read_text(encoding="utf-8"))
    assert reused == fresh and made == []
    other = replace(snap, masker=NO_MASK)                                      # masked otherwise: not used
    write_exports(session, ["json"], tmp_path / "c", config, snap=other)
    assert made == [1]


def test_the_error_boundary_warns_in_danish_and_changes_nothing(monkeypatch, caplog):
    import gradio as gr

    from textmine.project.curation import CurationError
    from textmine.ui import boundary

    said = []
    monkeypatch.setattr(gr, "Warning", lambda message, **kw: said.append(message))

    def refused():
        raise CurationError("Vælg mindst to temaer at slå sammen.")

    def broken():
        raise KeyError("bug")

    assert boundary.guarded(refused)() == gr.skip() and said == ["Vælg mindst to temaer at slå sammen."]
    with caplog.at_level("ERROR", logger="textmine.app"):
        assert boundary.guarded(broken)() == gr.skip()
    assert said[-1] == boundary.UNEXPECTED and "Traceback" in caplog.text and "KeyError: 'bug'" in caplog.text


def test_each_browser_session_keeps_its_state_in_a_session_state(tmp_path):
    import gradio as gr

    from textmine.ui.app import build_app

    config = load_config()
    app = build_app(config, None, tmp_path)
    states = [b for b in app.blocks.values() if isinstance(b, gr.State)]
    assert any(isinstance(s.value, Session) for s in states)


def test_gradio_s_server_variables_are_the_defaults_and_the_credential_rule_stays(monkeypatch, capsys):
    from textmine import cli

    monkeypatch.setenv("GRADIO_SERVER_NAME", "0.0.0.0")
    monkeypatch.setenv("GRADIO_SERVER_PORT", "7999")
    monkeypatch.delenv("TEXTMINE_AUTH", raising=False)
    monkeypatch.delenv("TEXTMINE_AUTH_FILE", raising=False)
    args = cli.build_parser().parse_args(["app"])
    assert (args.host, args.port) == ("0.0.0.0", 7999)
    assert cli.main(["app"]) == 2 and "TEXTMINE_AUTH" in capsys.readouterr().err     # refused before loading
    monkeypatch.delenv("GRADIO_SERVER_NAME")
    assert cli.build_parser().parse_args(["app"]).host == "127.0.0.1"


def test_the_export_tab_says_which_project_it_exports(tmp_path):
    from textmine.app.exports import export_summary_of

    project = make_project(tmp_path / "kommune_2026.sqlite")
    project.apply("mark_final", theme_id=0)
    said = export_summary_of(Session(str(project.path)))
    assert "kommune_2026" in said and "kerneopgave" in said and "3 temaer, 1 endeligt: kun det endelige kommer med" in said
    assert "Intet projekt" in export_summary_of(Session())


def test_the_run_status_names_the_answers_without_content_it_left_out():
    line = views.run_done("kantine kommentar", ["-", "Ved ikke", "-", "ved  ikke ", "Nej tak", "n/a", "x", "?", "."])
    assert line.startswith("✓ Projektet kantine kommentar er lavet. 9 svar uden indhold (»-«, ».«, ")
    assert line.endswith(" …) er lagt til side: de er ikke med i temaerne og tæller ikke med i andelene.")
    assert views.run_done("kantine kommentar", []) == "✓ Projektet kantine kommentar er lavet."


def test_a_bar_chart_keeps_the_groups_in_the_rows_order_and_writes_its_shares_the_danish_way():
    from textmine.ui.parts import bars

    frame = pd.DataFrame({"Gruppe": ["Under 1 år", "Mellemlang videregående uddannelse", "Over 10 år"],
                          "Andel (%)": [10.5, 20.0, 12.5]})
    update = bars(frame)
    bar = update["value"].data[0]
    assert list(bar.customdata) == list(frame["Gruppe"]) and update["visible"]       # the rows' order, names whole
    assert list(bar.x) == ["Under 1 år", "Mellemlang<br>videregående<br>uddannelse", "Over 10 år"]   # wrapped
    assert list(bar.text) == ["11 %", "20 %", "13 %"] and update["value"].layout.separators == ",."
    assert "sort" not in update                     # Gradio's BarPlot, sent a sort, drew the value it had before
    assert bars(frame, top=100)["value"].layout.yaxis.range == (0, 100)
    assert bars(None)["visible"] is False


def test_a_half_is_rounded_up_as_a_report_and_excel_round_it():
    from textmine.fmt import number, percent

    assert percent(100 * 2 / 16, 0) == "13 %" and number(0.125, 2) == "0,13" and number(2.675, 2) == "2,68"
    assert number(1234.5) == "1.235" and number(np.float32(0.5)) == "1" and number(3) == "3"


ODD_HEADERS = ["Hvad bad du din digitale assistent om sidst?", "Ja/nej: \"hvorfor\" – og 'hvordan'?", "Æ" * 200,
               "Hvad synes du? 😀🙈", "???", "../../etc/passwd", "a\\b*c|d<e>f"]


@pytest.mark.parametrize("header", ODD_HEADERS)
def test_a_project_s_file_name_is_safe_whatever_the_question_s_header(tmp_path, header):
    from textmine.files import safe_file_name

    path = new_project_path(tmp_path, "min survey?.xlsx", header)
    assert path.parent == tmp_path and path.suffix == ".sqlite"
    assert len(path.with_suffix(".model").name.encode("utf-8")) <= 120       # far below a file name's 255 bytes
    assert not set(path.stem) & set("?/\\:*|<>\"' #%."), path.name
    assert path.stem.startswith("min_survey_") and path.stem != "min_survey_"
    assert safe_file_name(header, "spoergsmaal") in path.stem
    make_project(path)
    assert new_project_path(tmp_path, "min survey?.xlsx", header).name == f"{path.stem}_2.sqlite"


def test_a_safe_file_name_keeps_danish_letters_and_falls_back_when_nothing_is_left():
    from textmine.files import safe_file_name

    assert safe_file_name("Hvad gør du på din arbejdsplads?", "x") == "Hvad_gør_du_på_din_arbejdsplads"
    assert safe_file_name(" ?! 😀 ", "spoergsmaal") == "spoergsmaal"
    cut = safe_file_name("ø" * 100, "x", limit=61)
    assert cut == "ø" * 30 and len(cut.encode("utf-8")) <= 61                 # cut between characters


def test_a_project_file_whose_name_has_a_question_mark_opens(tmp_path):
    """Projects saved under such names by an older textmine: the read-only check must not read `?` as the
    start of the URI's options (which opened, and created, a different, empty file)."""
    path = tmp_path / "survey_Hvad bad du om sidst?#50%.sqlite"
    make_project(path)
    assert Project(path).version() == 0 and Project(path).state().themes
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [path.name]


def test_bold_text_has_a_complete_font_for_every_letter():
    """Gradio's Source Sans Pro SemiBold (what bold fell back to) is a ~5 KB subset without most capitals: the first
    letter of a bold line came from another font. The page's font has its bold from the complete Bold file."""
    import re
    from pathlib import Path

    import gradio

    from textmine.ui.app import CSS

    static = Path(gradio.__file__).parent / "templates" / "frontend"
    family = re.search(r"--font:\s*'([^']+)'", CSS).group(1)
    faces = {}
    for rule in re.findall(r"@font-face\s*{([^}]*)}", CSS):
        if f"'{family}'" in rule:
            low, high = map(int, re.search(r"font-weight:\s*(\d+)\s+(\d+)", rule).groups())
            faces[(low, high)] = static / re.search(r"url\('([^']+)'\)", rule).group(1)
    regular = next(f for (low, high), f in faces.items() if low <= 400 <= high)
    for weight in (600, 700):                                          # semibold and <strong>
        bold = next(f for (low, high), f in faces.items() if low <= weight <= high)
        assert bold.is_file() and bold.stat().st_size > regular.stat().st_size / 2, (weight, bold)


def test_the_status_line_and_a_stale_tab_s_message_are_plain_danish(tmp_path):
    from textmine.app.desk import Desk
    from textmine.app.messages import status_line
    from textmine.project.store import StaleError

    project = make_project(tmp_path / "p.sqlite")
    project.apply("mark_final", theme_id=0)
    desk = Desk(load_config())
    snap = desk.snapshot(str(project.path))
    assert "(1 endeligt)" in status_line(snap, desk.themes(snap), str(project.path))
    with pytest.raises(StaleError) as refused:
        act(Session(str(project.path), version=0), "rename", theme_id=1, name="x")
    assert "siden siden" not in str(refused.value) and "efter at du indlæste siden" in str(refused.value)


def test_the_header_and_the_new_project_tab_say_undersoegelse_not_survey(tmp_path):
    import re

    from textmine.ui.app import build_app

    assert views.header(load_config()).startswith("**textmine** · fra fritekstsvar til temaer · undersøgelse *")
    app = build_app(load_config(), None, tmp_path)
    shown = [str(getattr(b, attr, "") or "") for b in app.blocks.values() for attr in ("label", "value")
             if isinstance(getattr(b, attr, None), str)]
    assert [t for t in shown if re.search(r"(?i)\bsurvey", t)] == []
    assert any("Anden undersøgelse" in t for t in shown)


def test_the_page_translates_gradio_s_progress_and_upload_refusal_into_danish():
    """page.js, run in Node with a stand-in document: the texts Gradio writes itself."""
    import json
    import shutil
    import subprocess
    from pathlib import Path

    import textmine.ui

    node = shutil.which("node")
    if node is None:
        pytest.skip("Node is not installed")
    page = Path(textmine.ui.__file__).parent / "page.js"
    texts = ["4.3%", "0.0%", "- 12.5%", "Invalid file type: rapport.docx. Only .xlsx, .csv, .sav allowed.",
             "Invalid file types: a.docx, b.pdf. Only .xlsx, .csv, .sav allowed.", "Drop File Here", "4,3 %"]
    script = ("globalThis.document = {addEventListener() {}, documentElement: {}, body: null};"
              f"require({json.dumps(str(page))});"
              f"console.log(JSON.stringify({json.dumps(texts)}.map((t) => globalThis.textmineTranslate(t))));")
    out = json.loads(subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout)
    assert out == ["4,3 %", "0,0 %", "- 12,5 %",
                   "rapport.docx kan ikke bruges: filtypen kendes ikke. Vælg en fil af typen .xlsx, .csv eller .sav.",
                   "a.docx, b.pdf kan ikke bruges: filtypen kendes ikke. Vælg en fil af typen .xlsx, .csv eller .sav.",
                   "Slip filen her", None]


def test_the_nyt_tema_and_history_handlers_make_one_undoable_theme_and_name_it(tmp_path):
    import gradio as gr

    from textmine.ui.app import build_app

    project = make_project(tmp_path / "p.sqlite")
    app = build_app(load_config(), None, tmp_path)
    handlers = {f.fn.__name__: f.fn for f in app.fns.values() if f.fn is not None}
    s = Session(str(project.path), version=project.version())
    out = handlers["on_new_theme"](s, ["1", "4"], "Match")
    state = Project(project.path).state()
    assert state.themes[3].name == "Match" and state.members(3) == [1, 4]
    said = {getattr(c, "elem_id", None): v for c, v in out.items()}
    assert said["feedback"]["value"] == "✓ Temaet »Match« er oprettet med 2 svar."
    assert said["undo"]["value"] == "↶ Fortryd: oprettede »Match« med 2 svar fra »Klynge 1« og »Klynge 2«"
    assert said["new-name"]["value"] == "" and ("Match (nr. 4)", "3") in said["target"]["choices"]
    assert said["new-name"] is not said["merge-name"]            # one update each: gradio consumes what it sends
    shown = handlers["on_history"](s, "3")                                       # the history of »Match« only
    said = {getattr(c, "elem_id", None): v for c, v in shown.items()}
    assert "Oprettede »Match« med 2 svar" in said["history"] and said["history-theme"]["value"] == "3"
    assert handlers["on_new_theme"](s, [], "Tom") == gr.skip()                      # refused: nothing picked


def test_theme_names_on_the_map_and_in_tables_are_text_and_cannot_reorder_their_counts():
    """A name's <a href> is no live link in the map's legend or tooltip, and no bidirectional control
    (U+202E) reaches the legend or the history table."""
    name = "<a href=http://127.0.0.1:9/a>x</a> \u202eomvendt"
    points = pd.DataFrame({"x": [0.0], "y": [0.0], "theme_id": [0], "Tema": [name], "Svar": ["svar \u202e1"],
                           "group": [name], "colour": ["#000"], "rank": [0]})
    trace = views.map_figure(points).data[0]
    assert trace.name == "&lt;a href=http://127.0.0.1:9/a&gt;x&lt;/a&gt; omvendt"
    assert "<a" not in str(trace.customdata.tolist()) and "\u202e" not in str(trace.customdata.tolist())
    table = views.html_table(pd.DataFrame({"Handling": [f"Omdøbte til »{name}«"]}))
    assert "\u202e" not in table and "<a href" not in table


def test_no_theme_list_or_choice_carries_a_bidirectional_control(tmp_path):
    """U+202E in a theme name cannot reverse the counts or numbers written after it in any list."""
    from textmine.app import review_page as rv
    from textmine.app.choices import merge_choices, target_choices, theme_choices
    from textmine.app.desk import Desk
    from textmine.app.history import history_filter

    project = make_project(tmp_path / "p.sqlite")
    project.apply("rename", theme_id=0, name="Tid \u202eomvendt\u2066")
    desk = Desk(load_config())
    snap = desk.snapshot(str(project.path))
    themes = desk.themes(snap)
    lists = {"themes": theme_choices(snap, themes), "targets": target_choices(themes),
             "merge": merge_choices(themes, 1), "history": history_filter(snap), "review": rv.other_choices(snap)}
    for where, choices in lists.items():
        labels = " ".join(label for label, _ in choices)
        assert "Tid omvendt" in labels and "\u202e" not in labels and "\u2066" not in labels, where


def test_names_and_search_texts_in_the_markdown_lines_are_text(tmp_path):
    """The undo/redo line, the delete question, the search caption and the status line are Markdown: a theme's
    or the project's name or a search text with an image or a link is shown as its characters, and the undo
    line masks as the project does."""
    from textmine.app.desk import Desk
    from textmine.app.messages import status_line, step_feedback
    from textmine.app.page import answer_list
    from textmine.text.privacy import Masker

    name = "![n](http://127.0.0.1:9/n) [l](http://127.0.0.1:9/l) Fatima"
    project = make_project(tmp_path / "p.sqlite")
    project.apply("rename", theme_id=0, name=name)
    snap = Desk(load_config()).snapshot(str(project.path))
    _, caption, _ = answer_list(snap, 0, search=name)
    project.rename(name)                                                           # the project's own name
    status = status_line(snap, Desk(load_config()).themes(snap), str(project.path))
    lines = {"undo": step_feedback("undo", project.next_undo(), Masker(("Fatima",))),
             "delete": views.delete_question(snap, 0), "search": caption, "status": status}
    for where, line in lines.items():
        assert "](" not in line and "http://" not in line, (where, line)
    assert "Fatima" not in lines["undo"] and "[navn]" not in lines["undo"]     # masked, then shown as text
    assert "&#91;navn&#93;" in lines["undo"]
