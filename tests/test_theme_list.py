"""The theme list at many themes (issue 25 item 2), as plain function calls: each row's keywords, the orders
(size, Danish name order, the least reviewed first), the filter, and several ticked themes merged in one step."""

from dataclasses import replace

import gradio as gr
import pandas as pd
import pytest

from textmine.app import actions
from textmine.app.choices import listed_themes, short_keywords, theme_rows_shown
from textmine.app.desk import Desk, Session
from textmine.app.page import page, relisted
from textmine.config import load_config
from textmine.errors import TextmineError
from textmine.project.store import Project
from textmine.ui import themes_tab
from textmine.ui.review_tab import ReviewTab
from textmine.ui.themes_tab import ThemesTab

from .test_curation import make_project


def table(rows) -> pd.DataFrame:
    """A theme table as Desk.themes gives it (largest first): (id, name, size, keywords[, final])."""
    frame = pd.DataFrame([(t, n, s, 0, s, 100 * s / 40, k, f, False) for t, n, s, k, *rest in rows for f in [bool(rest)]],
                         columns=["theme_id", "name", "size", "second", "respondents", "share", "keywords", "final",
                                  "suggested"])
    return frame.sort_values(["size", "theme_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


THEMES = table([(0, "Øvrige", 20, "løn, vagt, travlhed, ledelse, kollega"),
                (1, "Aftaler", 12, "aftale, møde"),
                (2, "Klynge 10", 5, "samarbejdsrelationer, virksomhedskonsulenter, kommunikation"),
                (3, "Klynge 2", 3, "")])


def test_a_row_shows_the_name_its_first_keywords_shortened_its_count_and_share():
    rows = dict((v, label.replace("\u00a0", "_")) for label, v in theme_rows_shown(THEMES))
    assert rows["0"] == "Øvrige · løn, vagt, travlhed, ledelse · 20_svar · 50,0_%"          # four keywords at most
    assert rows["1"] == "Aftaler · aftale, møde · 12_svar · 30,0_%"
    assert rows["2"] == "Klynge 10 · samarbejdsrelat…, virksomhedskons… · 5_svar · 12,5_%"   # long words cut
    assert rows["3"] == "Klynge 2 · 3_svar · 7,5_%"      # no keywords: no gap; "_": number and unit kept together
    assert short_keywords("a, b, c, d, e") == "a, b, c, d" and short_keywords("") == ""


def test_the_list_sorts_by_size_by_danish_name_and_least_reviewed_first():
    def ids(frame):
        return frame["theme_id"].tolist()
    assert ids(listed_themes(THEMES)) == [0, 1, 2, 3]
    assert ids(listed_themes(THEMES, "name")) == [1, 3, 2, 0]          # "Klynge 2" before "Klynge 10"; Ø after z
    reviewed = {0: 20, 1: 3, 3: 1}                                      # shares 1, 0,25, 0 and 0,33
    assert ids(listed_themes(THEMES, "review", reviewed=reviewed)) == [2, 1, 3, 0]
    final = table([(0, "A", 20, "x", True), (1, "B", 10, "y")])
    assert ids(listed_themes(final, "review", reviewed={})) == [1, 0]  # a final theme counts as reviewed


def test_the_filter_finds_a_text_in_the_name_or_the_keywords_and_keeps_the_ticked():
    def ids(find, keep=()):
        return listed_themes(THEMES, find=find, keep=keep)["theme_id"].tolist()
    assert ids("KLYNGE") == [2, 3] and ids("  kommunika ") == [2] and ids("vagt") == [0]
    assert ids("ledelse") == [0]                                        # a keyword not shown in the row
    assert ids("intet her") == [] and ids("intet her", keep=[1]) == [1]
    assert ids("") == [0, 1, 2, 3]


@pytest.fixture
def project(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    project.apply("rename", theme_id=0, name="Øvrige")
    project.apply("rename", theme_id=1, name="Aftaler")
    return project


def test_the_page_lists_in_the_sessions_order_and_filter_with_the_bins_last(project):
    desk = Desk(load_config())
    s = Session(str(project.path), version=project.version(), order="name", find="klynge")
    shown = page(desk, s)
    assert [v for _, v in shown.themes][:-2] == ["2"] and shown.listed == "Temaer: 1 af 3 (filter: »klynge«)"
    assert [v for _, v in page(desk, replace(s, find="")).themes][:-2] == ["1", "2", "0"]    # by name: Ø last
    listed = relisted(desk, Session(str(project.path), order="review"))
    assert [v for _, v in listed.themes][:-2] == ["0", "1", "2"] and " · 0\u00a0gennemset · " in listed.themes[0][0]
    assert listed.listed == "Temaer (3)" and listed.name is None and listed.answers is None   # only the list


def test_ticked_themes_merge_in_one_undoable_step_into_the_largest_under_the_chosen_name(project):
    desk = Desk(load_config())
    s = page(desk, Session(str(project.path))).session
    question, name = actions.ask_merge(desk, s, ["2", "1", "0"])
    assert name == "Øvrige" and question.startswith("**Slå 3 temaer sammen?** »Øvrige« (3 svar), »Aftaler« "
                                                    "(2 svar) og »Klynge 3« (2 svar) bliver ét tema med 7 svar")
    s, line = actions.merge_ticked(desk, s, ["2", "1", "0"], "  Samarbejde ")
    state = Project(project.path).state()
    assert set(state.themes) == {0} and state.themes[0].name == "Samarbejde" and len(state.members(0)) == 7
    assert s.theme == 0 and line == ("✓ »Øvrige« (3 svar), »Aftaler« (2 svar) og »Klynge 3« (2 svar) er "
                                     "slået sammen til »Samarbejde« (7 svar).")
    assert Project(project.path).undo() is not None and len(Project(project.path).state().themes) == 3   # one step


def test_the_largest_name_is_kept_when_none_is_typed_and_one_tick_is_refused(project):
    desk = Desk(load_config())
    s = page(desk, Session(str(project.path))).session
    with pytest.raises(TextmineError, match="Markér mindst to temaer"):
        actions.merge_ticked(desk, s, ["1"], "")
    with pytest.raises(TextmineError, match="Markér mindst to temaer"):
        actions.ask_merge(desk, s, ["1", "-1"])                       # a bin is no theme to merge
    actions.merge_ticked(desk, s, ["2", "0"], "")
    assert Project(project.path).state().themes[0].name == "Øvrige"


@pytest.fixture
def tab(project, tmp_path):
    desk = Desk(load_config())
    with gr.Blocks():
        session = gr.State(Session())
        t = ThemesTab(desk, session, tmp_path)
        t.attach(ReviewTab(desk, session, t.estimate, gr.Timer(0.5, active=False)))
    return t, page(desk, Session(str(project.path))).session


def test_tick_mode_shows_the_ticks_in_place_of_the_list_and_a_merge_clears_them(tab):
    t, s = tab
    out = themes_tab.on_ticking(t, s, True)
    assert out[t.theme_list]["visible"] is False and out[t.ticks]["visible"] is True and out[t.tick_bar]["visible"]
    assert out[t.ticks]["value"] == ["0"] and [v for _, v in out[t.ticks]["choices"]] == ["0", "1", "2"]   # no bins
    s = out[t.session]
    asked = themes_tab.on_merge_asked(t, s, ["0", "2"])
    assert asked[t.merge_row]["visible"] and asked[t.ticked_name] == "Øvrige"
    out = themes_tab.on_merge_ticked(t, s, ["0", "2"], "Samlet")
    assert out[t.ticks]["value"] == [] and out[t.merge_row]["visible"] is False
    assert "»Samlet«" in out[t.feedback]["value"]
    assert [label.split(" · ")[0] for label, _ in out[t.ticks]["choices"]] == ["Samlet", "Aftaler"]
    out = themes_tab.on_find(t, out[t.session], "aftale", ["0"])         # a ticked theme stays listed
    assert [v for _, v in out[t.ticks]["choices"]] == ["0", "1"] and "value" not in out[t.ticks]
    assert t.cut_row not in out and t.answers.picked not in out             # a filter redraws only the list
