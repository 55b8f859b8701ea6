"""The page's handlers as plain function calls, one tab at a time, without a browser: each tab's components
are built in a gr.Blocks, and a handler's answer (a dict of updates keyed by component) is read as data."""

import threading

import gradio as gr
import pandas as pd
import pytest

from textmine.app.desk import Desk, Session
from textmine.config import load_config
from textmine.project.store import Project
from textmine.ui import new_project_tab, themes_tab
from textmine.ui.boundary import on
from textmine.ui.new_project_tab import NewProjectTab
from textmine.ui.review_tab import ReviewTab
from textmine.ui.themes_tab import ThemesTab

from .test_curation import make_project


@pytest.fixture
def themes(tmp_path):
    """*Temaer* (with the review tab its redraws carry the estimates of) on a three-theme project."""
    desk = Desk(load_config())
    with gr.Blocks():
        session = gr.State(Session())
        tab = ThemesTab(desk, session, tmp_path)
        tab.attach(ReviewTab(desk, session, tab.estimate, gr.Timer(0.5, active=False)))
    project = make_project(tmp_path / "p.sqlite")
    return tab, Session(str(project.path), version=project.version()), project


@pytest.fixture
def new_project(tmp_path):
    config = load_config()
    ready = threading.Event()
    ready.set()
    with gr.Blocks():
        return NewProjectTab(config, Desk(config), tmp_path / "projects", ready)


@pytest.fixture
def warnings_said(monkeypatch):
    said = []
    monkeypatch.setattr(gr, "Warning", lambda message, **kw: said.append(message))
    return said


def test_selecting_a_theme_shows_its_name_and_keeps_the_selection_in_the_session(themes):
    tab, s, project = themes
    out = themes_tab.on_select(tab, s, "1")
    assert out[tab.session].theme == 1 and out[tab.theme_list]["value"] == "1"
    assert out[tab.name]["value"] == project.state().themes[1].name
    assert out[tab.answers.picked]["value"] == [] and len(out[tab.answers.picked]["choices"]) == len(project.state().members(1))
    assert tab.rename_row not in out and tab.opened not in out              # a select redraws only the theme


def test_renaming_a_theme_saves_it_confirms_it_in_danish_and_closes_the_delete_question(themes):
    tab, s, project = themes
    s = themes_tab.on_select(tab, s, "0")[tab.session]
    out = themes_tab.on_save(tab, s, "Kerneopgaven", "Det, jobcentret er til for")
    theme = Project(project.path).state().themes[0]
    assert (theme.name, theme.description) == ("Kerneopgaven", "Det, jobcentret er til for")
    assert "»Kerneopgaven«" in out[tab.feedback]["value"] and out[tab.confirm_row]["visible"] is False
    assert out[tab.session].version == s.version + 1 and out[tab.undo]["value"].startswith("↶ Fortryd: ")


def test_renaming_the_project_names_it_in_the_list_and_closes_the_rename_box(themes):
    tab, s, project = themes
    out = themes_tab.on_rename_project(tab, s, "Jobcentret 2026")
    assert out[tab.feedback]["value"] == "Projektet hedder nu »Jobcentret 2026«."
    assert out[tab.rename_row]["visible"] is False
    assert any(label.startswith("Jobcentret 2026") for label, _ in out[tab.opened]["choices"])


def test_a_refused_action_is_a_danish_warning_and_changes_nothing(themes, warnings_said):
    tab, s, project = themes
    assert on(themes_tab.on_delete_asked, tab)(s) == gr.skip()               # no theme selected
    assert warnings_said == ["Vælg et tema i listen først (ikke en af kurvene)."]
    assert Project(project.path).version() == s.version


def test_an_upload_without_text_answers_is_refused_in_danish_and_the_form_is_back_on_the_app_s_survey(
        new_project, tmp_path, warnings_said):
    numbers_only = tmp_path / "tal.csv"
    pd.DataFrame({"id": [f"x{i}" for i in range(40)], "score": [str(i % 5 + 1) for i in range(40)]}) \
        .to_csv(numbers_only, index=False)
    out = new_project_tab.on_upload(new_project, str(numbers_only))
    assert warnings_said == ["tal.csv har ingen kolonne med tekstsvar (åbne spørgsmål), så der er intet at finde "
                             "temaer i. Vælg undersøgelsens eksport med fritekstsvarene."]
    assert out[new_project.upload_note].startswith("⚠ **tal.csv kunne ikke bruges.** tal.csv har ingen kolonne")
    assert out[new_project.upload_survey] is None and out[new_project.survey] == new_project.default_survey
    assert out[new_project.setup_box]["visible"] is False and out[new_project.sheet]["visible"] is False
    assert not (tmp_path / "projects" / "uploads").exists()                  # nothing stored


def test_after_a_move_the_move_box_is_emptied_so_a_next_move_names_its_theme_again(themes):
    """The box kept its theme after *Flyt valgte*: letters typed next were added to it ("Arbejde (nr. 10)Hjælpe"),
    and a next click moved other answers to the old theme."""
    from textmine.ui import answers_tab

    tab, s, project = themes
    s = themes_tab.on_select(tab, s, "0")[tab.session]
    answer = project.state().members(0)[0]
    out = answers_tab.on_move(tab, s, [str(answer)], "1")
    assert Project(project.path).state().primary[answer] == 1
    assert out[tab.answers.target]["value"] is None
    assert themes_tab.on_step(tab, "undo", out[tab.session])[tab.answers.target]["value"] is None


def test_temaer_opened_after_decisions_on_gennemse_says_it_was_updated_not_its_last_confirmation(themes):
    """Back on *Temaer* after *Gennemse*: "✓ 1 svar bruges nu som citat …" from before still read as the newest."""
    from textmine.app.review_page import ReviewView
    from textmine.ui.review_tab import back_to_themes

    tab, s, project = themes
    s = themes_tab.on_select(tab, s, "0")[tab.session]
    answer = project.state().members(0)[0]
    assert "citat" in answers_quote(tab, s, answer)[tab.feedback]["value"]
    Project(project.path).apply("confirm", answers=[answer])            # decided on Gennemse
    out = back_to_themes(tab.full, tab.review.view, s, ReviewView(behind=True))
    assert out[tab.feedback]["value"] == "Temaerne er opdateret med dine valg under *Gennemse*."
    assert out[tab.review.view].behind is False
    assert back_to_themes(tab.full, tab.review.view, s, ReviewView()) == gr.skip()


def answers_quote(tab, s, answer):
    from textmine.ui import answers_tab

    return answers_tab.on_pin(tab, s, [str(answer)])
