"""*Svar*, the inner tab under the selected theme on *Temaer*: its answers (or a search in all answers), a
page at a time, and what can be done with the picked ones (move, a second theme, a new theme, quotes).
Handlers get the ThemesTab `t` (its `answers` are this tab's components) and redraw the page through it."""

from __future__ import annotations

from dataclasses import replace

import gradio as gr

from ..app import actions, similar
from ..app.choices import answer_ids, new_theme_params, target_id
from ..app.desk import Session
from ..app.page import PAGE, answer_list, answers_page, not_answer_list
from ..app.page import page as page_of
from .boundary import on
from .parts import FAST

COUNT_PICKED = """(picked, caption) => { const base = (caption || '').split(' · **')[0];
  return picked.length ? `${base} · **${picked.length.toLocaleString('da-DK')} valgt**` : base; }"""


class AnswersTab:
    """The components of *Svar* (built inside its gr.Tab)."""

    def __init__(self):
        with gr.Row(elem_classes=["tm-bar"]):
            self.search = gr.Textbox(label="Søg i alle svar på spørgsmålet", elem_id="search", scale=4,
                                     placeholder="Søg i alle svar på spørgsmålet: skriv og tryk Enter "
                                                 "(tomt felt: temaets svar)",
                                     max_lines=1, show_label=False, container=False)
            self.similar = gr.Button("Find lignende", scale=0, min_width=120, elem_id="find-similar", size="sm")
        self.caption = gr.Markdown(elem_id="caption")
        self.picked = gr.CheckboxGroup(show_label=False, elem_id="answers")
        with gr.Row(elem_classes=["tm-bar"], elem_id="pager"):
            self.earlier = gr.Button(f"◀ Forrige {PAGE}", size="sm", visible=False, elem_id="page-back")
            self.later = gr.Button(f"Næste {PAGE} ▶", size="sm", visible=False, elem_id="page-next")
        with gr.Row(elem_classes=["tm-bar"]):
            self.target = gr.Dropdown(label="Til tema", scale=3, elem_id="target", show_label=False, container=False,
                                      filterable=True)           # typed letters narrow the themes (sorted by name)
            self.move = gr.Button("Flyt valgte", scale=0, min_width=110, elem_id="move", size="sm")
            self.second = gr.Button("Giv valgte et andet tema", scale=0, min_width=190, elem_id="second", size="sm")
        with gr.Row(elem_classes=["tm-bar"]):
            self.new_name = gr.Textbox(label="Navn på det nye tema", scale=3, elem_id="new-name",
                                       placeholder="Navn på et nyt tema til de valgte svar",
                                       max_lines=1, show_label=False, container=False)
            self.new_theme = gr.Button("Nyt tema med valgte", scale=2, elem_id="new-theme", size="sm")
        with gr.Row(elem_classes=["tm-bar"]):       # answers about the survey or empty, and where they go
            self.find_meta = gr.Button("Svar om spørgeskemaet / uden indhold", scale=1, elem_id="find-meta", size="sm")
            self.to_not_answer = gr.Button("Flyt valgte til Ikke et svar", scale=1, elem_id="to-not-answer", size="sm")
        with gr.Row(elem_classes=["tm-bar"]):
            self.pin = gr.Button("❝ Brug som citat", scale=1, elem_id="pin-quote", size="sm")
            self.unpin = gr.Button("Fjern som citat", scale=1, elem_id="unpin-quote", size="sm")


def listing(t, s: Session, text: str, start: int) -> dict:
    """The search hits from number `start` (the theme's own answers: the page)."""
    a = t.answers
    if not (text or "").strip():
        return t.shown(page_of(t.desk, replace(s, start=max(0, start)), full=False))
    choices, cap, (start, total) = answer_list(t.desk.snapshot(actions.open_project(s).path), s.theme, text,
                                                  max(0, start))
    return {a.picked: gr.update(choices=choices, value=[]), a.caption: cap, t.session: replace(s, start=start),
            a.earlier: gr.update(visible=start > 0), a.later: gr.update(visible=start + PAGE < total)}


def on_search(t, s: Session, text):
    return listing(t, replace(s, similar=None), text, 0)


def on_similar(t, s: Session, answers):
    return t.shown(answers_page(t.desk, similar.find(t.desk, s, answers)))


def on_page(t, step: int, s: Session, text):
    return listing(t, s, text, s.start + step)


def on_move(t, s: Session, answers, target):
    return t.apply(s, "move", answers=answer_ids(answers), theme_id=target_id(target))


def on_find_meta(t, s: Session):
    choices, ticked, caption = not_answer_list(t.desk.snapshot(actions.open_project(s).path))
    a = t.answers
    return {a.picked: gr.update(choices=choices, value=ticked), a.caption: caption,
            a.earlier: gr.update(visible=False), a.later: gr.update(visible=False)}


def on_to_not_answer(t, s: Session, answers):
    return t.full(*actions.to_not_answer(t.desk, s, answers))


def on_second(t, s: Session, answers, value):
    return t.full(*actions.second_themes(t.desk, s, answers, value))


def on_new_theme(t, s: Session, answers, name):
    return t.apply(s, "create", **new_theme_params(answers, name))


def on_pin(t, s: Session, answers):
    return t.apply(s, "pin_quote", answers=answer_ids(answers))


def on_unpin(t, s: Session, answers):
    return t.apply(s, "pin_quote", answers=answer_ids(answers), pinned=False)


def wire(t) -> None:
    """The events of *Svar*; every action redraws the page (t.outputs)."""
    a, out = t.answers, t.outputs
    a.move.click(on(on_move, t), [t.session, a.picked, a.target], out, **FAST)
    a.find_meta.click(on(on_find_meta, t), [t.session], out, **FAST)
    a.to_not_answer.click(on(on_to_not_answer, t), [t.session, a.picked], out, **FAST)
    a.second.click(on(on_second, t), [t.session, a.picked, a.target], out, **FAST)
    a.pin.click(on(on_pin, t), [t.session, a.picked], out, **FAST)
    a.unpin.click(on(on_unpin, t), [t.session, a.picked], out, **FAST)
    a.new_theme.click(on(on_new_theme, t), [t.session, a.picked, a.new_name], out, **FAST)
    a.new_name.submit(on(on_new_theme, t), [t.session, a.picked, a.new_name], out, **FAST)
    a.search.submit(on(on_search, t), [t.session, a.search], out, **FAST)
    a.similar.click(on(on_similar, t), [t.session, a.picked], out, **FAST)
    a.earlier.click(on(on_page, t, -PAGE), [t.session, a.search], out, **FAST)
    a.later.click(on(on_page, t, PAGE), [t.session, a.search], out, **FAST)
    a.picked.input(None, [a.picked, a.caption], [a.caption], js=COUNT_PICKED)          # in the page: no round trip
