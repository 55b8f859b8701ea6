"""The *Gennemse* tab (issue #13): the review queue in rounds (or the check sample's answers in its random
order: "Tilfældig stikprøve"), the coding-quality estimate (also beside the theme list on *Temaer*) and name
suggestions for themes the analyst has not named yet. Layout and event wiring only; what is shown comes from
textmine.app.review_page, every action is an audited, undoable store action through app.actions (act, step),
and every handler runs inside boundary.guarded.

The placement model is retrained in the background after each action (review_view.Trainer); a click shows
the previous model's estimate at once, and a timer puts the new one in when it is ready.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import replace

import gradio as gr

from ..app import review_page as rv
from ..app.actions import act, act_steps, step
from ..app.desk import Desk, Session
from ..app.history import undo_labels
from ..app.review_page import BATCH, NAME_SLOTS, ReviewView, Trainer
from ..fmt import literal
from ..project.store import Project
from ..project.themes import theme_name
from .boundary import guarded, on

log = logging.getLogger(__name__)

INTRO = ("**Mest tvivlsomme først**: øverst står de svar, som modellen mener mest sandsynligt ligger i et forkert "
         "tema. **Tilfældig stikprøve**: svarene i tilfældig rækkefølge; vil du vide, hvor god kodningen er, så "
         "læs den, for skønnet bygger da på dine egne valg. Tryk **Rigtigt**, hvis svaret ligger godt, **Flyt til "
         "forslag**, hvis forslaget er bedre, eller vælg selv et tema. Modellen lærer af hvert valg; alt kan "
         "fortrydes.")


def estimate_box() -> gr.Markdown:
    """The estimate beside the theme list (on *Temaer*); filled by ReviewTab.estimate_updates."""
    return gr.Markdown(elem_id="theme-estimate", elem_classes=["tm-small"])


class ReviewTab:
    """The tab's components (built inside its gr.Tab) and their handlers. `estimate` is the box beside the
    theme list; `session` the app's gr.State of the workbench Session; `timer` (made outside the tabs: a timer
    in a tab not shown never ticks) brings the retrained model's estimate in."""

    def __init__(self, desk: Desk, session: gr.State, estimate: gr.Markdown, timer: gr.Timer,
                 trainer: Trainer | None = None):
        self.desk, self.session, self.page_estimate, self.timer = desk, session, estimate, timer
        self.trainer = trainer or Trainer()
        self.view = gr.State(ReviewView())
        with gr.Row(equal_height=True):
            gr.Markdown(INTRO, elem_classes=["tm-small"])
            self.mode = gr.Radio(rv.MODES, value="queue", label="Læs svarene", elem_id="review-mode", scale=0,
                                 min_width=420)
        with gr.Row(elem_classes=["tm-bar"]):
            with gr.Column(scale=5):
                self.estimate = gr.Markdown(elem_id="review-estimate")
                self.status = gr.Markdown(elem_id="review-status")
            self.undo = gr.Button("↶ Fortryd", elem_id="review-undo", size="sm", scale=0, min_width=260)
            self.again = gr.Button("Rangér igen nu", elem_id="review-rerank", size="sm", scale=0, min_width=150)
        self.feedback = gr.Markdown(elem_id="review-feedback")
        with gr.Row():
            with gr.Column(scale=3, min_width=640, elem_id="review-queue"):
                self.rows, self.texts, self.oks, self.moves, self.others = [], [], [], [], []
                for i in range(BATCH):
                    with gr.Row(visible=False, elem_id=f"review-row-{i}", elem_classes=["tm-review-row"]) as row:
                        self.rows.append(row)
                        with gr.Column(scale=3, min_width=360):
                            self.texts.append(gr.Markdown(elem_id=f"review-text-{i}"))
                        with gr.Column(scale=2, min_width=300, elem_classes=["tm-review-do"]):
                            with gr.Row(elem_classes=["tm-bar"]):
                                self.oks.append(gr.Button("Rigtigt", elem_id=f"review-ok-{i}", variant="primary",
                                                          size="sm", min_width=90))
                                self.moves.append(gr.Button(rv.MOVE_LABEL, elem_id=f"review-move-{i}", size="sm",
                                                            min_width=130))
                            self.others.append(gr.Dropdown(label=f"Flyt svar {i + 1} til et andet tema",
                                                           show_label=False, container=False,
                                                           elem_id=f"review-other-{i}", elem_classes=["tm-other"]))
            with gr.Column(scale=1, min_width=300, elem_id="review-side"):
                gr.Markdown("**Navneforslag** til temaer, du ikke har navngivet endnu. Ét klik godkender navnet; "
                            "det kan fortrydes og rettes under *Temaer*.", elem_classes=["tm-small"])
                self.name_rows, self.name_texts, self.name_oks = [], [], []
                for j in range(NAME_SLOTS):
                    with gr.Row(visible=False, elem_id=f"name-row-{j}", elem_classes=["tm-bar"]) as row:
                        self.name_rows.append(row)
                        self.name_texts.append(gr.Markdown(elem_id=f"name-text-{j}", scale=3))
                        self.name_oks.append(gr.Button("Brug navnet", elem_id=f"name-ok-{j}", size="sm", scale=1,
                                                       min_width=100))
                self.no_names = gr.Markdown(elem_id="no-names", elem_classes=["tm-small"])
                gr.Markdown(f"{rv.LEGEND}\n\n{rv.HOW}", elem_classes=["tm-small"], elem_id="review-how")

    # -- the updates ---------------------------------------------------------------------------------

    @property
    def page_outputs(self) -> list:
        """What the *Temaer* page's events also update: the estimates and the timer."""
        return [self.page_estimate, self.estimate, self.timer]

    @property
    def outputs(self) -> list:
        return [self.session, self.view, self.status, self.feedback, self.undo, self.mode, *self.page_outputs,
                *self.rows, *self.texts, *self.oks, *self.moves, *self.others, *self.name_rows, *self.name_texts,
                self.no_names]

    def export_line(self, s: Session) -> str:
        """The estimate for the export tab's summary (the exported files carry the same estimate)."""
        if not s.project:
            return ""
        snap = self.desk.snapshot(s.project)
        line = rv.estimate_line(snap, self.trainer.shown(snap))
        return f"\n\n{line}. Skønnet står også i de eksporterede filer." if line else ""

    def estimate_updates(self, s: Session) -> dict:
        """Both estimates from the newest model trained (this version's retrained in the background, the
        timer on until it is in)."""
        if not s.project:
            return {self.page_estimate: "", self.estimate: "", self.timer: gr.Timer(active=False)}
        snap = self.desk.snapshot(s.project)
        model = self.trainer.shown(snap)
        line = rv.estimate_line(snap, model)
        fresh = model is not None and model.version == snap.version
        return {self.page_estimate: line, self.estimate: line, self.timer: gr.Timer(active=not fresh)}

    def on_tick(self, s: Session) -> dict:
        if not s.project:
            return {self.timer: gr.Timer(active=False)}
        snap = self.desk.snapshot(s.project)
        job = self.trainer.request(snap)
        if not job.done():
            return gr.skip()
        line = rv.estimate_line(snap, job.result()) if job.result() is not None else \
            "*Anslået kodningskvalitet: kan ikke beregnes for projektet endnu.*"
        return {self.page_estimate: line, self.estimate: line, self.timer: gr.Timer(active=False)}

    def everything(self, s: Session, view: ReviewView, note: str | None = "") -> dict:
        """The whole tab as `view` has it, at the newest version; *Temaer*, if it shows an older one, is
        re-drawn when it is opened (`behind`), so no click there acts on what the tab has not shown."""
        snap = self.desk.snapshot(s.project)
        if snap.version != s.version:
            view = replace(view, behind=True)
        s = replace(s, version=snap.version)
        choices = rv.other_choices(snap)
        out = {self.session: s, self.view: view, self.status: rv.status_line(snap, view),
               self.undo: undo_labels(self._project(s), snap.masker)[0], **self.estimate_updates(s)}
        if note is not None:
            out[self.feedback] = note
        for i, row in enumerate(view.rows):
            out[self.rows[i]] = gr.update(visible=row is not None)
            if row is not None:
                out[self.texts[i]] = rv.row_text(snap, row, i + 1)
                first = rv.prefers_move(row)                  # the likelier choice is the highlighted button
                out[self.oks[i]] = gr.update(variant="secondary" if first else "primary")
                out[self.moves[i]] = gr.update(value=rv.move_label(row), visible=rv.offers_move(row),
                                               variant="primary" if first else "secondary")
                out[self.others[i]] = gr.update(choices=choices, value=None)
        for j, slot in enumerate(view.names):
            out[self.name_rows[j]] = gr.update(visible=slot is not None)
            if slot is not None:
                out[self.name_texts[j]] = rv.name_text(snap, slot)
        out[self.no_names] = "" if any(view.names) else "Alle temaer har et navn, du har valgt."
        return out

    def new_round(self, s: Session, view: ReviewView, note: str | None = "", wait: float = 0.0,
                  names: bool = True) -> dict:
        snap = self.desk.snapshot(s.project)
        model = self.trainer.current(snap, wait) if wait else None
        return self.everything(s, rv.new_round(snap, model or self.trainer.shown(snap), view, names), note)

    def after(self, s: Session, view: ReviewView, slot: int, note: str) -> dict:
        """After one answer is handled: only its slot hidden (the others stay in place); the next round, when this
        one is done, comes from `on_round_done` (chained, so the click itself sends only these few updates)."""
        snap = self.desk.snapshot(s.project)
        return {self.session: s, self.view: view, self.rows[slot]: gr.update(visible=False), self.feedback: note,
                self.status: rv.status_line(snap, view), self.undo: undo_labels(self._project(s), snap.masker)[0],
                **self.estimate_updates(s)}

    def slot_outputs(self, slot: int) -> list:
        return [self.session, self.view, self.rows[slot], self.feedback, self.status, self.undo, *self.page_outputs]

    def on_round_done(self, s: Session, view: ReviewView):
        if not (s.project and view.rows and view.left == 0):
            return gr.skip()
        return self.new_round(s, view, None, names=False)      # names: when the tab opens or is ranked again

    @staticmethod
    def _project(s: Session) -> Project:
        return Project(s.project)

    # -- the handlers ----------------------------------------------------------------------------------

    def on_open(self, s: Session, view: ReviewView):
        if not s.project:
            return {**self.everything_empty(), self.status: "Åbn et projekt under *Temaer* først."}
        mode = rv.reading_mode(self._project(s).meta(rv.MODE_KEY))   # the order chosen last time, also after a reload
        if mode == view.mode and view.still_open(s.project, self.desk.snapshot(s.project)):
            return {**self.everything(s, view), self.mode: mode}     # back on the tab: the round as it was left
        view = replace(view, project=s.project, **({} if mode == view.mode else {"mode": mode, "round": 0}))
        out = self.new_round(s, view, "", wait=60.0)            # the first model of a file takes a few seconds
        return {**out, self.mode: mode}

    def everything_empty(self) -> dict:
        hidden = gr.update(visible=False)
        return {**{r: hidden for r in self.rows + self.name_rows}, self.estimate: "", self.no_names: ""}

    def on_ok(self, slot: int, s: Session, view: ReviewView):
        row = view.row(slot)
        rv.log_shown(self._project(s), row)             # its outcome calibrates the confidence shown (review.trust)
        s = act(s, "confirm", answers=[row.answer])
        name = theme_name(self.desk.snapshot(s.project), row.theme, gone=True)
        return self.after(s, view.handled(slot), slot, f"✓ Rigtigt: svaret bliver i »{literal(name)}« og står som gennemset.")

    def on_move(self, slot: int, s: Session, view: ReviewView):
        row = view.row(slot)
        label, steps = rv.move_steps(row)
        rv.log_shown(self._project(s), row)
        s = act_steps(s, label, steps) if len(steps) > 1 else _act(s, *steps[0])
        name = theme_name(self.desk.snapshot(s.project), row.suggested, gone=True)
        note = f"✓ Svaret har fået »{literal(name)}« som andet tema." if row.kind == "second" else \
            f"✓ Svaret er flyttet til »{literal(name)}«."
        return self.after(s, view.handled(slot), slot, note)

    def on_other(self, slot: int, s: Session, view: ReviewView, value):
        if value in (None, "") or slot >= len(view.rows) or view.rows[slot] is None:
            return gr.skip()                # the list fires again after its row was handled: nothing to say
        row, theme = view.row(slot), int(value)
        rv.log_shown(self._project(s), row)
        s = act(s, "move", answers=[row.answer], theme_id=theme)
        name = theme_name(self.desk.snapshot(s.project), theme, gone=True)
        return self.after(s, view.handled(slot), slot, f"✓ Svaret er flyttet til »{literal(name)}«.")

    def on_name(self, slot: int, s: Session, view: ReviewView):
        theme, name = view.names[slot] or (None, None)
        if theme is None:
            return gr.skip()
        s = act(s, "rename", theme_id=theme, name=name)
        names = tuple(None if j == slot else n for j, n in enumerate(view.names))
        return self.everything(s, replace(view, names=names, behind=True), f"✓ Temaet hedder nu »{literal(name)}«.")

    def on_mode(self, s: Session, view: ReviewView, mode):
        if not s.project:
            return gr.skip()
        mode = rv.reading_mode(mode)
        try:
            self._project(s).set_meta(rv.MODE_KEY, mode)
        except (sqlite3.Error, OSError):
            log.warning("the reading order could not be kept in the project file", exc_info=True)
        note = "Stikprøven: svarene i en tilfældig rækkefølge, den samme hver gang." if mode == "sample" else ""
        return self.new_round(s, replace(view, mode=mode, round=0), note, wait=5.0, names=False)   # names: as shown

    def on_undo(self, s: Session, view: ReviewView):
        s, note = step(s, "undo")
        # the same round drawn again with the answer back, not a new one: its number stays
        return self.new_round(s, replace(view, behind=True, round=max(view.round - 1, 0)), note, names=False)

    def wire(self, themes_tab: gr.Tab, tab: gr.Tab, full, page_outputs: list) -> None:
        """The events: the tab opened, the clicks, the timer; *Temaer* re-drawn when it is opened after an action
        here (`full`: the app's whole-page update of a session)."""
        quiet = dict(show_progress="hidden", show_progress_on=[self.view])    # no timer in the Markdown boxes
        fast = dict(quiet, trigger_mode="once")
        io = ([self.session, self.view], self.outputs)
        tab.select(guarded(self.on_open), *io, show_progress="minimal", show_progress_on=[self.status])
        self.again.click(guarded(lambda s, v: self.new_round(s, v, "", wait=5.0)), *io, **fast)
        self.undo.click(guarded(self.on_undo), *io, **fast)
        self.mode.input(guarded(self.on_mode), [*io[0], self.mode], io[1], **fast)
        for i in range(BATCH):
            for event, handler, inputs in ((self.oks[i].click, self.on_ok, io[0]), (self.moves[i].click, self.on_move,
                                           io[0]), (self.others[i].input, self.on_other, [*io[0], self.others[i]])):
                event(on(handler, i), inputs, self.slot_outputs(i), **fast) \
                    .then(guarded(self.on_round_done), *io, **quiet)
        for j in range(NAME_SLOTS):
            self.name_oks[j].click(on(self.on_name, j), *io, **fast)
        self.timer.tick(guarded(self.on_tick), [self.session], self.page_outputs, **quiet)
        themes_tab.select(guarded(lambda s, v: back_to_themes(full, self.view, s, v)), [self.session, self.view],
                          [*page_outputs, self.view], **quiet)


def back_to_themes(full, view_state, s: Session, view: ReviewView):
    """*Temaer* opened after decisions on this tab: redrawn (`full`), its last line replaced (a confirmation of an
    earlier action there would read as the newest); nothing when nothing was decided."""
    if not view.behind:
        return gr.skip()
    return {**full(s, "Temaerne er opdateret med dine valg under *Gennemse*."), view_state: replace(view, behind=False)}


def _act(s: Session, action: str, params: dict) -> Session:
    return act(s, action, **params)
