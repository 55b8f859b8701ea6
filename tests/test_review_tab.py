"""The *Gennemse* tab: the rounds of the review queue, the background trainer, the estimate line, and the
tab's handlers as plain function calls on a small project (the browser test clicks through the demo)."""

import time
from dataclasses import replace

import pytest

from textmine.app.desk import Session
from textmine.app.review_page import (
    BATCH,
    ReviewView,
    Row,
    Trainer,
    estimate_line,
    move_steps,
    new_round,
    offers_move,
    prefers_move,
    row_text,
)
from textmine.project.curation import NOT_AN_ANSWER
from textmine.project.store import Project
from textmine.project.themes import Workbench, snapshot
from textmine.review.reviewer import Reviewer

from .test_review import make


def test_a_round_is_the_top_of_the_queue_and_a_handled_slot_is_emptied(tmp_path):
    from textmine.review.model import placement
    from textmine.review.queue import queue

    p = make(tmp_path / "p.sqlite")
    snap = snapshot(p)
    model = placement(snap)
    view = new_round(snap, model, ReviewView())
    assert view.round == 1 and len(view.rows) == BATCH and view.left == BATCH
    assert [r.answer for r in view.rows] == queue(snap, model, BATCH)["answer_id"].tolist()
    done = view.handled(2)
    assert done.rows[2] is None and done.left == BATCH - 1 and done.behind
    assert [r.answer for r in done.rows if r] == [r.answer for i, r in enumerate(view.rows) if i != 2]
    with pytest.raises(Exception, match="allerede gennemset"):
        done.row(2)


def test_a_row_says_the_theme_the_suggestion_and_its_kind_in_danish(tmp_path):
    p = make(tmp_path / "p.sqlite")
    p.apply("rename", theme_id=0, name="Rekruttering <b>")
    snap = snapshot(p)
    text = row_text(snap, Row(0, 0, 1, "move", 0.734, 0.2), 3)
    assert "Flyt" in text and "**3.**" in text and "Rekruttering &#60;b&#62;" in text
    assert "forslag: **Klynge 2** (73 %)" in text and "(20 %)" in text
    assert move_steps(Row(0, 0, 1, "move", 0.7, 0.2)) == ("move", [("move", {"answers": [0], "theme_id": 1})])
    label, steps = move_steps(Row(4, 0, 2, "second", 0.4, 0.6))
    assert label == "second_themes" and [a for a, _ in steps] == ["set_second", "confirm"]
    assert move_steps(Row(4, 0, NOT_AN_ANSWER, "not_an_answer", 0.9, 0.1))[1][0][1]["theme_id"] == NOT_AN_ANSWER


def test_the_estimate_line_is_danish_and_waits_for_a_model_that_knows_the_themes(tmp_path):
    from textmine.review.model import placement

    p = make(tmp_path / "p.sqlite")
    snap = snapshot(p)
    model = placement(snap)
    line = estimate_line(snap, model)
    assert line.startswith("**Foreløbigt skøn: ") and " % af svarene i et rigtigt tema (" in line and "gennemset" in line
    assert "modellens bud" in line and "Tilfældig stikprøve" in line      # a first guess until the check is read
    assert "." not in line.split("(")[1].split(")")[0]                     # no decimal point in the interval
    assert "beregnes" in estimate_line(snap, None)
    p.apply("split", theme_id=0, labels={a: a % 2 for a in p.state().members(0)})
    assert "beregnes" in estimate_line(snapshot(p), model)                # the old model knows no new theme


def test_the_trainer_trains_in_the_background_and_shows_the_previous_model_meanwhile(tmp_path):
    p = make(tmp_path / "p.sqlite")
    trainer, bench = Trainer(), Workbench()
    first = trainer.current(bench.snapshot(p.path), timeout=60)
    assert first is not None and first.version == p.version()
    p.apply("confirm", answers=[0])
    snap = bench.snapshot(p.path)
    slow = trainer.reviewer.model
    trainer.reviewer.model = lambda s: (time.sleep(0.5), slow(s))[1]     # a slow retraining
    started = time.perf_counter()
    shown = trainer.shown(snap)
    assert time.perf_counter() - started < 0.2 and shown is first          # the click does not wait
    assert trainer.current(snap, timeout=30).version == snap.version
    assert trainer.shown(snap).version == snap.version


def test_a_copied_project_file_is_its_own_project_for_the_snapshots_and_the_trainer(tmp_path):
    import shutil

    p = make(tmp_path / "p.sqlite")
    p.apply("confirm", answers=[0])
    shutil.copy(p.path, tmp_path / "kopi.sqlite")                  # the same file id, version 1
    copy = Project(tmp_path / "kopi.sqlite")
    p.apply("rename", theme_id=0, name="Originalen")               # version 2
    copy.apply("rename", theme_id=0, name="Kopien")                # version 2 too
    trainer, bench = Trainer(), Workbench()
    assert bench.snapshot(p.path).state.themes[0].name == "Originalen"
    assert bench.snapshot(copy.path).state.themes[0].name == "Kopien"
    p.apply("confirm", answers=[1])                                # the original moves on: version 3
    assert trainer.current(bench.snapshot(p.path), timeout=60).version == 3
    model = trainer.current(bench.snapshot(copy.path), timeout=60)  # was never trained: "beregnes …" for ever
    assert model is not None and model.version == 2
    assert "beregnes" not in estimate_line(bench.snapshot(copy.path), model)


def test_a_version_overtaken_before_its_turn_is_not_trained(tmp_path):
    p = make(tmp_path / "p.sqlite")
    calls = []
    reviewer = Reviewer()
    model = reviewer.model
    reviewer.model = lambda s: (calls.append(s.version), time.sleep(0.3), model(s))[2]
    trainer, bench = Trainer(reviewer), Workbench()
    trainer.request(bench.snapshot(p.path))                # busy with version 0
    for a in (1, 2, 3):
        p.apply("confirm", answers=[a])
        trainer.request(bench.snapshot(p.path))
    assert trainer.current(bench.snapshot(p.path), timeout=30).version == 3
    assert calls == [0, 3]


# -- the handlers, called as the page calls them ---------------------------------------------------

@pytest.fixture
def tab(tmp_path):
    import gradio as gr

    from textmine.app.desk import Desk
    from textmine.config import load_config
    from textmine.ui.review_tab import ReviewTab, estimate_box

    with gr.Blocks():
        session = gr.State(Session())
        timer = gr.Timer(0.5, active=False)
        box = estimate_box()
        built = ReviewTab(Desk(load_config()), session, box, timer)
    p = make(tmp_path / "p.sqlite")
    return built, Session(str(p.path), version=p.version()), p


def test_rigtigt_confirms_hides_only_its_slot_and_is_audited(tab):
    built, s, p = tab
    out = built.on_open(s, ReviewView())
    view = out[built.view]
    first, second = view.rows[0], replace(view.rows[1], kind="move", confidence=0.6, p_current=0.3)   # a move offered
    view = replace(view, rows=(first, second, *view.rows[2:]))
    assert out[built.rows[0]]["visible"] and "gennemset" in out[built.estimate]
    out = built.on_ok(0, out[built.session], view)
    assert p.state().reviewed == {first.answer} and p.audit()["action"].tolist() == ["confirm"]
    assert out[built.rows[0]]["visible"] is False and built.rows[1] not in out          # the others stay
    assert "Rigtigt" in out[built.feedback] and "bekræftede 1 svar" in out[built.undo]
    out = built.on_move(1, out[built.session], out[built.view])
    state = p.state()
    assert state.primary[second.answer] == second.suggested and second.answer in state.reviewed
    assert p.audit()["action"].tolist() == ["confirm", "move"] and "flyttet til" in out[built.feedback]


def test_the_likelier_choice_is_the_highlighted_button(tab):
    assert prefers_move(Row(1, 0, 1, "move", 0.6, 0.3)) and not prefers_move(Row(1, 0, 1, "move", 0.3, 0.3))
    assert not prefers_move(Row(1, 0, 1, "second", 0.6, 0.3)) and not prefers_move(Row(1, 0, None, "check", 0.0, 0.3))
    built, s, p = tab
    view = built.on_open(s, ReviewView())[built.view]
    rows = (replace(view.rows[0], kind="move", confidence=0.6, p_current=0.3),
            replace(view.rows[1], kind="check", confidence=0.2, p_current=0.5), *view.rows[2:])
    out = built.everything(s, replace(view, rows=rows))
    assert out[built.moves[0]]["variant"] == "primary" and out[built.oks[0]]["variant"] == "secondary"
    assert out[built.oks[1]]["variant"] == "primary" and out[built.moves[1]]["visible"] is False


def test_opening_the_tab_again_shows_the_round_as_it_was_left_until_its_answers_change(tab):
    """Each visit to the tab drew a new round (runde 1, 2, 3 …, the list renumbered) though the round was unfinished."""
    built, s, p = tab
    out = built.on_open(s, ReviewView())
    out = built.on_ok(0, out[built.session], out[built.view])
    left = out[built.view]
    again = built.on_open(out[built.session], left)
    assert again[built.view] == left and again[built.view].round == 1 and "Runde 1" in again[built.status]
    first = next(r for r in left.rows if r is not None)
    other = next(t for t in p.state().themes if t != first.theme)
    Project(p.path).apply("move", answers=[first.answer], theme_id=other)      # on Temaer: the round's answer moved
    redrawn = built.on_open(out[built.session], left)[built.view]
    assert redrawn.round == 2 and first.answer not in {r.answer for r in redrawn.rows if r is not None}


def test_each_handled_row_is_logged_with_the_probability_behind_its_confidence(tab):
    from textmine.review.trust import CURRENT_A, CURRENT_B, CURRENT_KEY, SHOWN_KEY, read_log, trusted

    built, s, p = tab
    out = built.on_open(s, ReviewView())
    view = out[built.view]
    first, second = view.rows[0], view.rows[1]
    assert first.suggested is not None and abs(trusted(first.shown) - first.confidence) < 1e-9   # no outcomes yet
    out = built.on_ok(0, out[built.session], view)
    assert read_log(p.meta(SHOWN_KEY)) == [(first.answer, first.suggested, round(first.shown, 5))]
    assert read_log(p.meta(CURRENT_KEY)) == [(first.answer, first.theme, round(first.shown_current, 5))]
    assert abs(trusted(first.shown_current, CURRENT_B, CURRENT_A) - first.p_current) < 1e-9      # its own map
    target = next(t for t in p.state().themes if t != second.theme)
    built.on_other(1, out[built.session], out[built.view], str(target))
    assert [r[0] for r in read_log(p.meta(SHOWN_KEY))] == [first.answer, second.answer]


def test_opening_the_tab_on_a_newer_version_redraws_temaer_when_it_is_opened_again(tab):
    """The review tab shows the newest version; *Temaer*, still showing the older one, must be re-drawn
    (view.behind) before it can act, or its stale list and undo button would act at the newest version."""
    built, s, p = tab
    Project(p.path).apply("merge", theme_ids=[0, 1], name="Fra en anden fane")
    out = built.on_open(s, ReviewView())
    assert out[built.session].version == p.version() and out[built.view].behind
    again = built.on_open(out[built.session], replace(out[built.view], behind=False))
    assert not again[built.view].behind                                 # nothing new: Temaer is up to date


def test_a_stale_slot_and_a_stale_tab_are_refused(tab):
    from textmine.errors import TextmineError

    built, s, p = tab
    out = built.on_open(s, ReviewView())
    view = out[built.view].handled(0)
    with pytest.raises(TextmineError, match="allerede gennemset"):
        built.on_ok(0, out[built.session], view)
    Project(p.path).apply("rename", theme_id=1, name="Fra en anden fane")
    with pytest.raises(TextmineError, match="anden fane"):
        built.on_ok(1, out[built.session], view)
    assert p.state().reviewed == frozenset()


def test_the_last_slot_of_a_round_brings_the_next_round_reranked(tab):
    built, s, p = tab
    out = built.on_open(s, ReviewView())
    s, view = out[built.session], out[built.view]
    seen = {r.answer for r in view.rows}
    for i in range(BATCH):
        out = built.on_ok(i, s, view)
        s, view = out[built.session], out[built.view]
        if i < BATCH - 1:
            assert built.view not in built.on_round_done(s, view) and view.left == BATCH - 1 - i     # no new round yet
    nxt = built.on_round_done(s, view)
    assert nxt[built.view].round == 2 and not seen & {r.answer for r in nxt[built.view].rows if r}
    assert p.state().reviewed == seen


def test_the_check_sample_is_read_in_its_order_and_its_estimate_takes_over(tab, monkeypatch):
    from textmine.app import review_page as review_view
    from textmine.review import quality

    built, s, p = tab
    monkeypatch.setattr(quality, "CHECK_MIN", 12)
    monkeypatch.setattr(review_view, "CHECK_MIN", 12)
    order = [int(a) for a in quality.check_order(len(p.state().primary), p.meta("file_id"))]
    out = built.on_mode(s, ReviewView(), "sample")
    s, view = out[built.session], out[built.view]
    assert view.mode == "sample" and [r.answer for r in view.rows] == order[:BATCH]
    assert {r.kind for r in view.rows} - {"move", "second", "not_an_answer", "place"} == {"sample"}   # never "Tjek"
    assert all("Stikprøve" in out[built.texts[i]] for i, r in enumerate(view.rows) if r.kind == "sample")
    assert "Stikprøve, runde 1" in out[built.status] and "0 svar af stikprøven er læst" in out[built.status]
    assert "stikprøve på" not in out[built.estimate] and "Foreløbigt skøn" in out[built.estimate]  # the model's, until 12
    for i in range(BATCH):
        row = view.rows[i]
        out = built.on_move(i, s, view) if i in (2, 5) and offers_move(row) else built.on_ok(i, s, view)
        s, view = out[built.session], out[built.view]
    nxt = built.on_round_done(s, view)
    s, view = nxt[built.session], nxt[built.view]
    assert [r.answer for r in view.rows] == order[BATCH:2 * BATCH] and "8 svar af stikprøven" in nxt[built.status]
    for i in range(4):
        out = built.on_ok(i, s, view)
        s, view = out[built.session], out[built.view]
    assert "ud fra en stikprøve på 12 svar" in out[built.estimate] and "skønnet bygger på dem" in out[built.status]
    assert out[built.page_estimate] == out[built.estimate]         # the same line beside the theme list
    back = built.on_mode(s, view, "queue")
    assert back[built.view].mode == "queue" and "Runde 1" in back[built.status]


def test_the_chosen_reading_order_is_kept_over_a_reload(tab, tmp_path):
    from textmine.review import quality

    built, s, p = tab
    order = [int(a) for a in quality.check_order(len(p.state().primary), p.meta("file_id"))]
    audited = len(p.audit())
    assert built.on_open(s, ReviewView())[built.mode] == "queue"             # nothing chosen yet
    built.on_mode(s, ReviewView(), "sample")
    again = built.on_open(s, ReviewView())                                  # a reloaded page: a fresh view
    assert again[built.mode] == "sample" and again[built.view].mode == "sample"
    assert [r.answer for r in again[built.view].rows] == order[:BATCH]
    built.on_mode(s, again[built.view], "queue")
    assert built.on_open(s, ReviewView())[built.view].mode == "queue"
    assert len(p.audit()) == audited                                        # a view setting, not an action


def test_undo_on_the_tab_takes_the_action_back_and_the_answer_returns(tab):
    built, s, p = tab
    out = built.on_open(s, ReviewView())
    answer = out[built.view].rows[0].answer
    out = built.on_ok(0, out[built.session], out[built.view])
    out = built.on_undo(out[built.session], out[built.view])
    assert p.state().reviewed == frozenset() and "Fortrudt" in out[built.feedback]
    assert answer in {r.answer for r in out[built.view].rows if r}
    assert "Runde 1" in out[built.status]                  # the round drawn again, not counted as the next one


def test_a_name_suggestion_is_accepted_with_one_click(tab):
    built, s, p = tab
    out = built.on_open(s, ReviewView())
    theme, name = out[built.view].names[0]
    out = built.on_name(0, out[built.session], out[built.view])
    assert p.state().themes[theme].name == name and out[built.name_rows[0]]["visible"] is False
    assert p.audit()["action"].tolist() == ["rename"]


# -- the estimate in the export ----------------------------------------------------------------------

def test_the_export_says_the_estimated_coding_quality(tmp_path):
    import re

    from docx import Document
    from openpyxl import load_workbook
    from pptx import Presentation

    from textmine.report.export import export_project

    p = make(tmp_path / "p.sqlite")
    p.apply("confirm", answers=[0, 1])
    files = {f.suffix: f for f in export_project(p, tmp_path / "out", ["xlsx", "docx", "pptx"])}
    line = re.compile(r"^Anslået kodningskvalitet: \d+ % af svarene i et rigtigt tema \(\d+–\d+ %\); "
                      r"2 af 36 svar er gennemset\.")
    about = {r[0]: r[1] for r in load_workbook(files[".xlsx"])["Om tallene"].iter_rows(min_row=2, values_only=True)}
    assert line.match(about["Anslået kodningskvalitet"]) and "95 %-interval" in about["Anslået kodningskvalitet"]
    assert any(line.match(par.text) for par in Document(files[".docx"]).paragraphs)
    first = Presentation(files[".pptx"]).slides[0]
    assert any(line.match(par.text) for shape in first.shapes if shape.has_text_frame
               for par in shape.text_frame.paragraphs)


def test_the_export_takes_the_check_samples_estimate_once_it_is_read(tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from textmine.report.export import export_project
    from textmine.review import quality

    monkeypatch.setattr(quality, "CHECK_MIN", 10)
    p = make(tmp_path / "p.sqlite")
    order = [int(a) for a in quality.check_order(len(p.state().primary), p.meta("file_id"))]
    p.apply("confirm", answers=order[:9])
    p.apply("move", answers=[order[9]], theme_id=(p.state().primary[order[9]] + 1) % 3)
    files = {f.suffix: f for f in export_project(p, tmp_path / "out", ["xlsx"])}
    about = {r[0]: r[1] for r in load_workbook(files[".xlsx"])["Om tallene"].iter_rows(min_row=2, values_only=True)}
    text = about["Anslået kodningskvalitet"]
    assert "ud fra en stikprøve på 10 svar" in text and "tilfældig stikprøve" in text
    assert text.startswith("Anslået kodningskvalitet: 93 % af svarene")         # 1 of 10 moved: 36·0,1 - 1 open


def test_a_project_without_vectors_exports_without_an_estimate(tmp_path):
    from openpyxl import load_workbook

    from textmine.report.export import export_project

    from .test_export import curated

    files = export_project(curated(tmp_path / "p.sqlite"), tmp_path / "out", ["xlsx"])
    about = [r[0] for r in load_workbook(files[0])["Om tallene"].iter_rows(min_row=2, values_only=True)]
    assert "Anslået kodningskvalitet" not in about


def test_a_second_theme_suggestion_and_another_theme_picked_in_the_row(tab):

    built, s, p = tab
    out = built.on_open(s, ReviewView())
    view = out[built.view]
    second = Row(3, p.state().primary[3], (p.state().primary[3] + 1) % 3, "second", 0.4, 0.6)
    view = replace(view, rows=(second,) + view.rows[1:])
    out = built.on_move(0, out[built.session], view)
    state = p.state()
    assert state.second[3] == second.suggested and 3 in state.reviewed and state.primary[3] == second.theme
    name = state.themes[second.suggested].name
    assert p.next_undo() == f"gav 1 svar »{name}« som andet tema" and "som andet tema" in out[built.feedback]
    picked = out[built.view].rows[1]
    target = next(t for t in state.themes if t != picked.theme)
    out = built.on_other(1, out[built.session], out[built.view], str(target))
    assert p.state().primary[picked.answer] == target and picked.answer in p.state().reviewed
    assert built.on_other(2, out[built.session], out[built.view], None) is not None      # nothing chosen: nothing done
    built.on_other(1, out[built.session], out[built.view], str(target))   # the list fires once more: no refusal
    assert p.audit()["action"].tolist() == ["second_themes", "move"]


def test_the_export_tab_says_the_estimate_the_files_carry(tab):
    built, s, p = tab
    built.on_open(s, ReviewView())
    for _ in range(100):                                  # the background trainer's model for this version
        line = built.export_line(s)
        if "beregnes" not in line:
            break
        time.sleep(0.1)
    assert line.startswith("\n\n**Foreløbigt skøn: ") and "% af svarene i et rigtigt tema" in line
    assert "eksporterede filer" in line and built.export_line(Session()) == ""


PLANTED = " ![x](http://127.0.0.1:9999/a) <http://127.0.0.1:9999/b> [klik](http://127.0.0.1:9999/c) **fed** www.x.dk"


def _rendered(markdown: str) -> str:
    """The Markdown as HTML, by CommonMark's rules (what the page's Markdown boxes follow)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").render(markdown)


def test_answers_and_theme_names_on_gennemse_are_text_never_markup(tmp_path):
    """RELIABILITY 2026-12-06 item 3: an answer's Markdown image became an <img> the browser fetched."""
    from textmine.app.review_page import name_text

    p = make(tmp_path / "p.sqlite")
    p.apply("rename", theme_id=1, name="Tema ![n](http://127.0.0.1:9999/n) [a](http://127.0.0.1:9999/m)")
    snap = snapshot(p)
    texts = snap.texts.shown.copy()
    texts.iloc[0] = PLANTED
    snap = snap.__class__(snap.data, replace(snap.texts, shown=texts))
    shown = _rendered(row_text(snap, Row(0, 0, 1, "move", 0.7, 0.2), 1)) + _rendered(name_text(snap, (1, PLANTED)))
    assert "<img" not in shown and "<a " not in shown and "<strong>fed" not in shown and "127.0.0.1:9999/a" in shown
    assert "![x](http://127.0.0.1:9999/a)" in shown and "[klik](http://127.0.0.1:9999/c)" in shown   # shown literally


def test_the_confirmation_after_an_action_shows_a_theme_name_as_text(tmp_path):
    from textmine.app.messages import confirmation

    p = make(tmp_path / "p.sqlite")
    name = "![x](http://127.0.0.1:9999/a) <https://127.0.0.1:9999/b> [a](http://e.dk) \u202e12 svar"
    p.apply("rename", theme_id=0, name=name)
    line = confirmation("rename", {"theme_id": 0, "name": name}, snapshot(p))
    shown = _rendered(line)
    assert "<img" not in shown and "<a " not in shown and "\u202e" not in shown
    assert "![x](http://127.0.0.1:9999/a)" in shown and "[a](http://e.dk)" in shown
