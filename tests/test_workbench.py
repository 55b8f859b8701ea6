"""The curation workbench's page as plain function calls: what it shows, what an action says, the history,
second themes, final themes, the search over all answers, the bin, and the shared caches' bounds."""

import subprocess
import sys
from dataclasses import replace

import pandas as pd
import pytest

from textmine.app.choices import UNPLACED, merge_ids, name_key, new_theme_params, target_choices, target_id
from textmine.app.desk import Desk, Session, SurveyTables
from textmine.app.history import BUTTON_WORDS, filter_theme, history, history_filter, undo_labels
from textmine.app.map import map_groups
from textmine.app.messages import confirmation, step_feedback
from textmine.app.page import PAGE, Page, answer_list, page
from textmine.app.projects import project_choices, project_label
from textmine.config import load_config
from textmine.discovery.keywords import theme_keywords
from textmine.errors import TextmineError
from textmine.project.curation import NOT_AN_ANSWER, CurationError
from textmine.project.store import Project
from textmine.project.themes import theme_table
from textmine.survey import labels

from .test_curation import make_project


@pytest.fixture
def desk():
    return Desk(load_config(), read_survey=lambda p, sheet: pd.DataFrame({"respondent_id": ["R1"]}))


def opened(desk, project) -> Page:
    return page(desk, Session(str(project.path)))


def test_the_page_numbers_themes_from_1_with_danish_numbers_and_both_bins(tmp_path, desk):
    project = make_project(tmp_path / "p.sqlite")
    shown = opened(desk, project)
    assert shown.themes[0] == ("Klynge 1 · svar · 3\u00a0svar · 37,5\u00a0%", "0")
    assert [label for label, _ in shown.themes[-2:]] == ["Ikke placeret · 1 svar", "Ikke et svar · 0 svar"]
    assert ("Klynge 1 (nr. 1)", "0") in shown.targets and ("Ikke et svar", "-1") in shown.targets
    again = page(desk, shown.session)
    assert again.targets is None and again.merge is None                     # unchanged: not sent again
    assert shown.session.theme == 0 and shown.name == "Klynge 1" and shown.undo == "↶ Fortryd"
    assert "8 svar i **3 temaer**" in shown.status and "1 ikke placeret" in shown.status
    assert shown.info.startswith("Nr. 1 · 3 svar · 37,5 % af de 8 svar, der siger noget")


def test_second_themes_show_on_both_themes(tmp_path, desk):
    project = make_project(tmp_path / "p.sqlite")
    first = project.state().members(0)[0]
    project.apply_steps("second_themes", [("set_second", {"answer": first, "theme_id": 1})])
    shown = opened(desk, project)
    assert shown.themes[1][0].startswith("Klynge 2 · svar · 2\u00a0svar + 1\u00a0som andet tema")
    assert any(label.endswith("[også: Klynge 2]") for label, _ in shown.answers)              # on its first theme
    other = page(desk, shown.session, full=False, select=1)
    assert other.answers[-1] == ("↪ svar 0 [første tema: Klynge 1]", str(first))              # and on the second
    assert other.caption.startswith("**2 svar + 1 som andet tema")


def test_a_final_theme_refuses_moves_until_reopened(tmp_path, desk):
    project = make_project(tmp_path / "p.sqlite")
    inside, outside = project.state().members(0)[0], project.state().members(1)[0]
    project.apply("mark_final", theme_id=0)
    shown = opened(desk, project)
    assert shown.final == "Genåbn" and shown.themes[0][0].startswith("✔ Klynge 1") and "endeligt" in shown.info
    for answers, target in (([inside], 1), ([outside], 0)):            # out of it, into it
        with pytest.raises(CurationError, match="endeligt"):
            project.apply("move", answers=answers, theme_id=target)
    with pytest.raises(CurationError, match="endeligt"):
        project.apply("delete", theme_id=0)
    project.apply("mark_final", theme_id=0, final=False)
    assert opened(desk, project).final == "Markér som endeligt"
    project.apply("move", answers=[inside], theme_id=1)
    assert project.state().primary[inside] == 1


def test_the_search_covers_every_answer_of_the_question(tmp_path, desk):
    project = make_project(tmp_path / "p.sqlite")
    snap = desk.snapshot(project.path)
    choices, caption, _ = answer_list(snap, 0, "svar")
    assert len(choices) == len(project.answers()) and caption.startswith("**8 svar** i hele spørgsmålet")
    themes = {label.split("] ")[0] + "]" for label, _ in choices}
    assert themes == {"[Klynge 1]", "[Klynge 2]", "[Klynge 3]", "[Ikke placeret]"}
    choices, caption, _ = answer_list(snap, 0, "svar 7")
    assert choices == [("[Ikke placeret] svar 7", "7")]


def test_the_bin_and_the_unplaced_are_listed_like_themes(tmp_path, desk):
    project = make_project(tmp_path / "p.sqlite")
    members = project.state().members(0)
    project.apply("move", answers=members[:2], theme_id=NOT_AN_ANSWER)
    shown = opened(desk, project)
    assert shown.themes[-1] == ("Ikke et svar · 2 svar", "-1") and "2 ikke et svar" in shown.status
    assert shown.themes[0][0] == "Klynge 2 · svar · 2\u00a0svar · 33,3\u00a0%"             # shares leave the bin out: 2 of 6
    binned = page(desk, shown.session, full=False, select=NOT_AN_ANSWER)
    assert binned.editable is False and [a for _, a in binned.answers] == [str(a) for a in members[:2]]
    loose = page(desk, shown.session, full=False, select=UNPLACED)
    assert loose.name == "Ikke placeret" and len(loose.answers) == 1


def test_each_action_says_what_it_did_and_undo_what_it_would_undo(tmp_path, desk):
    project = make_project(tmp_path / "p.sqlite")
    project.apply("merge", theme_ids=[0, 1, 2], name="Alt")
    snap = desk.snapshot(project.path)
    assert confirmation("merge", {"theme_ids": [0, 1, 2]}, snap) == "✓ 3 temaer er slået sammen til »Alt«."
    assert confirmation("move", {"answers": [1, 2], "theme_id": NOT_AN_ANSWER}, snap) == \
        "✓ 2 svar er flyttet til »Ikke et svar«."
    merged = "slog »Klynge 1«, »Klynge 2« og »Klynge 3« sammen til »Alt«"          # the names as they were
    assert undo_labels(project) == (f"↶ Fortryd: {merged}", "↷ Gentag")
    project.undo()
    assert undo_labels(project) == ("↶ Fortryd", f"↷ Gentag: {merged}")
    assert step_feedback("undo", merged) == f"✓ Fortrudt: {merged}."


def test_the_undo_button_names_where_a_step_went_when_the_names_are_long(tmp_path):
    """"↶ Fortryd: flyttede 3 svar fra »Match mellem borger og virksomhed« til …" hid where the answers went."""
    project = make_project(tmp_path / "p.sqlite")
    project.apply("rename", theme_id=0, name="Match mellem borger og virksomhed")
    project.apply("rename", theme_id=1, name="Hjælpe virksomhederne")
    project.apply("move", answers=project.state().members(0)[:1], theme_id=1)
    undo = undo_labels(project)[0]
    assert undo.endswith("til »Hjælpe virksomhederne«") and "»Match mellem" in undo
    assert len(undo) <= len("↶ Fortryd: ") + BUTTON_WORDS


def test_the_merge_keeps_the_selected_theme_first_and_refuses_one_theme():
    assert merge_ids(4, ["2", "4", "7"]) == [4, 2, 7]
    with pytest.raises(TextmineError):
        merge_ids(None, ["2"])
    assert target_id(str(UNPLACED)) is None and target_id("-1") == NOT_AN_ANSWER
    with pytest.raises(TextmineError, match="Vælg, hvor"):
        target_id(None)


def test_the_history_goes_back_to_a_point_and_redo_brings_it_back(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    project.apply("rename", theme_id=0, name="Første")
    project.apply("merge", theme_ids=[1, 2])
    project.apply("move", answers=[7], theme_id=0)
    table, points = history(project)
    assert table["Handling"].tolist() == ["Flyttede 1 svar fra »Ikke placeret« til »Første«: »svar 7«",
                                          "Slog »Klynge 2« og »Klynge 3« sammen til »Klynge 2«",
                                          "Omdøbte »Klynge 1« til »Første«"]
    assert " kl. " in table["Tidspunkt"].iloc[0] and points[-1] == ("Som temaerne blev fundet (før al kuratering)", 0)
    after_rename = points[2][1]
    assert points[2][0].endswith("omdøbte »Klynge 1« til »Første«")
    project.back_to(after_rename, expected_version=project.version())
    state = project.state()
    assert state.themes[0].name == "Første" and set(state.themes) == {0, 1, 2} and state.primary[7] is None
    table, _ = history(project)
    assert table["Handling"].tolist()[:2] == ["Fortryd: slog »Klynge 2« og »Klynge 3« sammen til »Klynge 2«",
                                              "Fortryd: flyttede 1 svar fra »Ikke placeret« til »Første«: »svar 7«"]
    assert table["Status"].tolist()[2:4] == ["fortrudt", "fortrudt"]
    project.redo()
    assert set(project.state().themes) == {0, 1} and project.state().primary[7] is None
    project.redo()
    assert project.state().primary[7] == 0


def test_keywords_are_recomputed_only_for_the_themes_an_action_touched(tmp_path, desk, monkeypatch):
    project = make_project(tmp_path / "p.sqlite")
    first = desk.themes(desk.snapshot(project.path))
    assert first.equals(theme_table(desk.snapshot(project.path)))             # the same table as the exports'
    computed = []
    monkeypatch.setattr("textmine.app.desk.theme_keywords", lambda counts, words, members, todo, n=8:
                        computed.append(todo) or theme_keywords(counts, words, members, todo, n))
    project.apply("move", answers=[7], theme_id=2)
    after = desk.themes(desk.snapshot(project.path))
    assert computed == [[2]] and after.set_index("theme_id").loc[2, "size"] == 3
    project.apply("rename", theme_id=0, name="Nyt navn")
    desk.themes(desk.snapshot(project.path))
    assert computed == [[2]]                                                  # a rename changes no answers


def test_the_pages_keywords_put_a_themes_own_word_before_a_word_every_theme_uses(tmp_path, desk):
    """Class TF-IDF as in the exports: "borger", twice in every answer of every theme, comes after the word
    only one theme's answers use (counted alone it would come first)."""
    own = {0: "samtale", 1: "virksomhed", 2: "ydelse"}
    answers = pd.DataFrame({"respondent_id": [f"R{i}" for i in range(9)], "cluster": [i % 3 for i in range(9)],
                            "answer": [f"borger borger {own[i % 3]}" for i in range(9)]})
    snap = desk.snapshot(Project.create(tmp_path / "p.sqlite", "kerneopgave", answers).path)
    shown = desk.themes(snap)
    assert dict(zip(shown["theme_id"], shown["keywords"])) == {t: f"{word}, borger" for t, word in own.items()}
    assert shown["keywords"].tolist() == theme_table(snap)["keywords"].tolist()


def test_survey_tables_are_a_small_lru_by_path_and_mtime(tmp_path):
    reads = []
    tables = SurveyTables(lambda p, sheet: reads.append(str(p)) or pd.DataFrame({"x": [len(reads)]}), keep=2)
    files = [tmp_path / f"s{i}.csv" for i in range(3)]
    for f in files:
        f.write_text("x\n1\n")
        tables.get(f)
    assert len(tables) == 2 and len(reads) == 3
    tables.get(files[2])
    assert len(reads) == 3                                                    # kept
    tables.get(files[0])
    assert len(reads) == 4                                                    # it had been dropped
    import os

    os.utime(files[0], (1, 1))                                                # the file changed: read again
    tables.get(files[0])
    assert len(reads) == 5 and len(tables) == 2


def test_readable_project_names_item_texts_and_column_labels(tmp_path):
    assert project_label(tmp_path / "baseline_survey_kerneopgave_2.sqlite") == "baseline survey kerneopgave (2)"
    (tmp_path / "a_b.sqlite").write_bytes(b"")
    (label, path), = project_choices(tmp_path)
    assert label.startswith("a b – ændret ") and path == str(tmp_path / "a_b.sqlite")
    texts = labels.item_texts(load_config())
    assert labels.item_label(texts, "au_viden_arbejdsmarked").startswith("At opsøge og anvende viden")
    assert labels.column_label("socialfagligt_uddannet") == "Socialfagligt uddannet"


def test_the_map_colours_the_largest_themes_and_greys_the_rest(tmp_path, desk):
    from textmine.app import views

    project = make_project(tmp_path / "p.sqlite")
    snap = desk.snapshot(project.path)
    points = map_groups(snap, desk.themes(snap), top=2)
    assert set(points["group"]) == {"Klynge 1", "Klynge 2", "Øvrige temaer", "Ikke placeret"} or \
        points.empty                                                          # the test project has no map
    figure = views.map_figure(points.assign(x=0.0, y=0.0)) if len(points) else None
    if figure is not None:
        assert [t.name for t in figure.data][:2] == ["Klynge 1", "Klynge 2"]
        assert "x" not in figure.data[0].hovertemplate.replace("extra", "")


def test_the_app_module_loads_without_the_heavy_libraries():
    code = ("import sys, textmine.ui.app; print(sorted(m for m in ('spacy', 'torch', 'bertopic', 'sklearn') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_workbench_never_imports_gradio():
    code = "import sys, textmine.app.page, textmine.app.map; print('gradio' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def big_project(path, n: int = 450):
    rows = [{"respondent_id": f"R{i:04d}", "answer": f"svar nummer {i} om job", "cluster": 0 if i < n - 10 else 1}
            for i in range(n)]
    return Project.create(path, "kerneopgave", pd.DataFrame(rows))


def test_long_lists_page_200_at_a_time_and_another_theme_starts_at_its_first_page(tmp_path, desk):
    project = big_project(tmp_path / "big.sqlite")
    first = opened(desk, project)
    assert len(first.answers) == PAGE and first.pager == (False, True)
    assert "viser 1-200 af 440" in first.caption
    third = page(desk, replace(first.session, start=400), full=False)
    assert len(third.answers) == 40 and third.pager == (True, False) and "viser 401-440 af 440" in third.caption
    assert {a for _, a in third.answers}.isdisjoint({a for _, a in first.answers})
    other = page(desk, third.session, full=False, select=1)
    assert other.session.start == 0 and other.pager == (False, False) and "viser" not in other.caption


def test_a_page_emptied_by_moving_its_answers_falls_back_to_the_last_page(tmp_path, desk):
    project = big_project(tmp_path / "big.sqlite")
    last = page(desk, replace(opened(desk, project).session, start=400), full=False)
    project.apply("move", answers=[int(a) for _, a in last.answers], theme_id=1)
    again = page(desk, last.session, full=False)
    assert again.session.start == 200 and len(again.answers) == 200 and again.pager == (True, False)


def test_search_hits_page_too(tmp_path):
    snap = Desk(load_config()).snapshot(big_project(tmp_path / "big.sqlite").path)
    choices, caption, (start, total) = answer_list(snap, 0, "job", start=400)
    assert total == 450 and len(choices) == 50 and "viser 401-450 af 450" in caption


def test_a_project_can_be_renamed(tmp_path, desk):
    """Issue 23: a project kept the column id as its name for good ("kommuneundersoegelse Q12 fritekst")."""
    project = make_project(tmp_path / "kommuneundersoegelse_Q12_fritekst.sqlite")
    assert project_choices(tmp_path)[0][0].startswith("kommuneundersoegelse Q12 fritekst – ændret ")
    assert project.rename("  Kommunernes   undersøgelse 2026 ") == "Kommunernes undersøgelse 2026"
    assert project_choices(tmp_path)[0][0].startswith("Kommunernes undersøgelse 2026 – ændret ")
    assert "**Kommunernes undersøgelse 2026** · " in opened(desk, project).status
    with pytest.raises(TextmineError, match="Skriv projektets nye navn"):
        project.rename("   ")
    with pytest.raises(TextmineError, match="højst være 120 tegn"):
        project.rename("x" * 121)
    assert project.meta("title") == "Kommunernes undersøgelse 2026"


def test_a_theme_left_empty_is_no_theme_unless_the_analyst_named_it(tmp_path, desk):
    from textmine.report.export import export_project, export_summary

    project = make_project(tmp_path / "p.sqlite")                 # Klynge 1 (3 answers), Klynge 2 (2), Klynge 3 (2)
    viewing = page(desk, Session(str(project.path)), select=2).session       # the analyst is on Klynge 3
    project.apply("move", answers=project.state().members(2), theme_id=0)
    shown = page(desk, viewing)
    labels = [label for label, _ in shown.themes]
    assert not any(label.startswith("Klynge 3") for label in labels) and len(labels) == 2 + 2   # gone from the list
    assert "svar i **2 temaer** (0 endelige)" in shown.status and shown.session.theme == 0     # and from the count
    assert ("Klynge 3 (nr. 3)", "2") not in target_choices(desk.themes(desk.snapshot(str(project.path))))
    assert list(theme_table(desk.snapshot(str(project.path)))["name"]) == ["Klynge 1", "Klynge 2"]
    project.undo()
    assert "Klynge 3 · svar · 2\u00a0svar · 25,0\u00a0%" in [label for label, _ in opened(desk, project).themes]   # undo brings it back
    project.apply("rename", theme_id=2, name="Tillid")
    project.apply("move", answers=project.state().members(2), theme_id=0)
    shown = opened(desk, project)
    assert "Tillid · 0\u00a0svar · 0,0\u00a0%" in [label for label, _ in shown.themes]                   # named: kept, marked
    assert "svar i **2 temaer** og 1 tomt tema" in shown.status
    assert "· 2 temaer, ingen endelige" in export_summary(project.read())                     # not counted in files
    written = export_project(project, tmp_path / "out", ["xlsx", "pptx"])
    sheet = pd.read_excel(written[0], sheet_name="Temaer")
    assert "Tillid" not in set(sheet["Tema"]) and "Klynge 3" not in set(sheet["Tema"])
    from pptx import Presentation

    first = " ".join(s.text_frame.text for s in Presentation(written[1]).slides[0].shapes if s.has_text_frame)
    assert "resulteret i 2 tematiske overskrifter" in first and "Tillid" not in first


def test_the_history_names_themes_as_they_were_then_and_quotes_moved_answers_cut_and_masked(tmp_path):
    answers = pd.DataFrame({"respondent_id": ["R1", "R2", "R3", "R4"], "cluster": [0, 0, 1, 1],
                            "answer": ["Vi skal have flere hænder i ældreplejen og bedre tid til borgerne hver dag",
                                       "Skriv til mig på jens@example.dk", "Match mellem borger og job", "Job"]})
    project = Project.create(tmp_path / "p.sqlite", "kerneopgave", answers)
    project.apply("rename", theme_id=0, name="Rekruttering")
    project.apply("rename", theme_id=1, name="Match")
    project.apply("move", answers=[0, 1, 3], theme_id=1)                        # 3 is there already
    project.apply("rename", theme_id=1, name="Job og match")                    # later: the move keeps »Match«
    project.apply("create", name="Nyt", answers=[2])
    project.apply("mark_final", theme_id=2)
    table, points = history(project)
    assert table["Handling"].tolist() == [
        "Markerede »Nyt« som endeligt",
        "Oprettede »Nyt« med 1 svar fra »Job og match«: »Match mellem borger og job«",
        "Omdøbte »Match« til »Job og match«",
        "Flyttede 3 svar fra »Rekruttering« til »Match«: »Vi skal have flere hænder i ældreplejen …«, "
        "»Skriv til mig på [e-mail]«, …",
        "Omdøbte »Klynge 2« til »Match«", "Omdøbte »Klynge 1« til »Rekruttering«"]
    assert "jens@example.dk" not in " ".join(table["Handling"]) + " ".join(p for p, _ in points)
    assert points[1][0].endswith("oprettede »Nyt« med 1 svar fra »Job og match«: »Match mellem borger og job«")
    only_first, first_points = history(project, theme=0)                   # the filter: steps about »Rekruttering«
    assert only_first["Handling"].tolist() == [table["Handling"][3], "Omdøbte »Klynge 1« til »Rekruttering«"]
    assert len(first_points) == 3 and first_points[-1][1] == 0
    project.undo()
    project.undo()
    again, _ = history(project)
    assert again["Handling"].tolist()[:2] == ["Fortryd: oprettede »Nyt« med 1 svar fra »Job og match«: »Match "
                                              "mellem borger og job«", "Fortryd: markerede »Nyt« som endeligt"]
    assert undo_labels(project)[1] == "↷ Gentag: oprettede »Nyt« med 1 svar fra »Job og match«"


def test_the_history_filter_lists_all_themes_first_then_every_theme_by_danish_name(tmp_path, desk):
    project = make_project(tmp_path / "p.sqlite")
    project.apply("rename", theme_id=0, name="Ånd")
    project.apply("rename", theme_id=1, name="øko")
    project.apply("rename", theme_id=2, name="Zebra")
    assert history_filter(desk.snapshot(project.path)) == [("Alle temaer", "alle"), ("Zebra", "2"), ("øko", "1"),
                                                              ("Ånd", "0")]
    assert filter_theme("alle") is None and filter_theme("2") == 2
    assert sorted(["Klynge 10", "klynge 2", "Klynge 1"], key=name_key) == ["Klynge 1", "klynge 2", "Klynge 10"]


def test_the_move_list_is_by_name_and_the_merge_list_never_offers_the_selected_theme(tmp_path, desk):
    project = make_project(tmp_path / "p.sqlite")
    project.apply("rename", theme_id=0, name="Tillid")
    project.apply("rename", theme_id=2, name="arbejdsmiljø")
    shown = opened(desk, project)
    assert [label for label, _ in shown.targets] == ["arbejdsmiljø (nr. 3)", "Klynge 2 (nr. 2)", "Tillid (nr. 1)",
                                                      "Ikke et svar", "Ikke placeret"]
    assert shown.session.theme == 0 and [v for _, v in shown.merge] == ["2", "1"]
    other = page(desk, shown.session, full=False, select=2)              # another theme picked: the merge list follows
    assert other.targets is None and [v for _, v in other.merge] == ["1", "0"]
    assert page(desk, other.session, full=False).merge is None          # the same theme again: not sent again


def test_nyt_tema_needs_a_name_and_picked_answers_and_says_what_it_made(tmp_path, desk):
    with pytest.raises(TextmineError, match="navn"):
        new_theme_params(["1"], "  ")
    with pytest.raises(TextmineError, match="Vælg de svar"):
        new_theme_params([], "Match")
    assert new_theme_params(["1", "5"], " Match ") == {"name": "Match", "answers": [1, 5]}
    project = make_project(tmp_path / "p.sqlite")
    project.apply("create", name="Match", answers=[1, 5])
    snap = desk.snapshot(project.path)
    assert confirmation("create", {"name": "Match", "answers": [1, 5]}, snap) == \
        "✓ Temaet »Match« er oprettet med 2 svar."


def test_the_undo_button_names_a_step_with_a_long_name_cut_short(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    project.apply("rename", theme_id=0, name="Samarbejde med virksomhederne om rekruttering " * 5)
    undo, _ = undo_labels(project)
    assert undo.startswith("↶ Fortryd: omdøbte »Klynge 1« til »Samarbejde") and undo.endswith(" …«")   # cut inside
    assert len(undo) <= len("↶ Fortryd: ") + BUTTON_WORDS + 2
    assert project.history()["what"].iloc[-1].endswith("rekruttering«")             # the history has it whole


def test_an_empty_history_says_so_for_every_theme_and_for_one(tmp_path, desk):
    from textmine.app.panels import history_view

    project = make_project(tmp_path / "p.sqlite")
    session = Session(str(project.path), version=project.version())
    assert history_view(desk, session)[0] == "Ingen handlinger endnu."          # not "(for dette tema)" with all
    project.apply("rename", theme_id=0, name="Første")
    assert history_view(desk, session, "1")[0] == "Ingen handlinger for dette tema."


def test_the_history_without_a_project_says_so_without_a_warning(desk):
    from textmine.app.panels import history_view

    table, points, choices, chosen = history_view(desk, Session())
    assert "Intet projekt er åbent" in table and points == [] == choices and chosen is None


def test_a_move_that_empties_a_theme_says_so_and_whether_it_is_still_listed(tmp_path, desk):
    """All of a suggested theme's answers moved to *Ikke et svar*: the theme left the list (17 → 16 temaer) while the
    line said only "9 svar er flyttet til »Ikke et svar«"."""
    from textmine.app import actions

    project = make_project(tmp_path / "p.sqlite")
    project.apply("rename", theme_id=1, name="Navngivet")
    session = Session(str(project.path), version=project.version())
    session, line = actions.to_not_answer(desk, session, project.state().members(0))
    assert line.endswith("»Klynge 1« har ikke flere svar og vises ikke længere i listen.")
    session, line = actions.apply(desk, session, "move", answers=project.state().members(1), theme_id=2)
    assert "»Navngivet« har ikke flere svar og står tomt i listen" in line
    session, line = actions.apply(desk, session, "move", answers=project.state().members(2)[:1], theme_id=NOT_AN_ANSWER)
    assert line == "✓ 1 svar er flyttet til »Ikke et svar«."                      # nothing emptied: nothing said
