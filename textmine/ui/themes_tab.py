"""*Temaer*, the page's first tab: the project bar (open, rename, undo, redo), the theme list and the selected
theme's name and actions, over two inner tabs (*Svar*: answers_tab; *Hvem siger det?*: context_tab).

Every action redraws the page from the project file: `ThemesTab.shown` turns the desk's Page (its set fields)
into updates of these components, `full` is the page after an action. Handlers are this module's functions
of the tab `t`, a few lines each: one gradio-free call (textmine.app.actions) and the redraw."""

from __future__ import annotations

from dataclasses import replace

import gradio as gr

from ..app import actions, views
from ..app.choices import ORDERS, answer_ids, merge_ids
from ..app.desk import Desk, Session
from ..app.page import Page, relisted
from ..app.page import page as page_of
from ..app.projects import project_choices
from . import review_tab
from .answers_tab import AnswersTab
from .boundary import on
from .context_tab import ContextTab
from .parts import FAST, hide

CUT_LEVELS = (6, 8, 10, 12, 15, 20, 30)       # "Saml lignende temaer til N temaer" (tree.cut_steps)
NO_TICKS = "Markér mindst to temaer i listen"
TICKED_JS = f"""(v) => v.length > 1 ? `Slå ${{v.length.toLocaleString('da-DK')}} markerede temaer sammen …`
  : '{NO_TICKS}'"""


class ThemesTab:
    """The components of *Temaer* (built inside its gr.Tab) and the page's redraw. `review` (the ReviewTab,
    given by `attach` once built) adds its estimates to every redraw."""

    def __init__(self, desk: Desk, session: gr.State, projects_dir):
        self.desk, self.session, self.projects_dir = desk, session, projects_dir
        with gr.Row(elem_classes=["tm-bar"]):
            self.opened = gr.Dropdown(choices=project_choices(projects_dir), label="Projekt", scale=5,
                                      elem_id="project", show_label=False, container=False)
            self.rename_project = gr.Button("✎ Omdøb", scale=1, elem_id="rename-project", size="sm")
            self.undo = gr.Button("↶ Fortryd", scale=2, elem_id="undo", size="sm")
            self.redo = gr.Button("↷ Gentag", scale=2, elem_id="redo", size="sm")
        with gr.Row(elem_classes=["tm-bar"], elem_id="rename-row", visible=False) as self.rename_row:
            self.project_name = gr.Textbox(label="Projektets navn", show_label=False, container=False, scale=5,
                                           placeholder="Projektets nye navn", elem_id="project-name", max_length=120)
            self.rename_save = gr.Button("Gem navnet", scale=1, elem_id="rename-save", size="sm", variant="primary")
            self.rename_cancel = gr.Button("Annullér", scale=1, elem_id="rename-cancel", size="sm")
        self.status = gr.Markdown(elem_id="status")
        self.feedback = gr.Markdown(elem_id="feedback")
        with gr.Row(elem_id="workbench"):
            with gr.Column(scale=2, min_width=360, elem_id="list-column"):
                self.estimate = review_tab.estimate_box()
                with gr.Row(elem_classes=["tm-bar"], elem_id="cut-row", visible=False) as self.cut_row:
                    self.cut = gr.Button("Saml lignende temaer til", scale=2, elem_id="cut", size="sm")
                    self.cut_k = gr.Dropdown(choices=[(f"{n} temaer", n) for n in CUT_LEVELS], value=12, scale=1,
                                             elem_id="cut-k", show_label=False, container=False)
                self._list()
            with gr.Column(scale=3, min_width=520, elem_id="theme-column"):
                self._theme_column()

    def _list(self) -> None:
        """The theme list: its filter, order and tick mode; in tick mode the ticks (a CheckboxGroup of the same
        rows) and the merge of the ticked themes with its question, else one theme selected (a Radio)."""
        with gr.Row(elem_classes=["tm-bar"], elem_id="list-tools"):
            self.find = gr.Textbox(label="Filtrér temaer på navn eller nøgleord", placeholder="Filtrér temaer",
                                   show_label=False, container=False, scale=3, min_width=120, elem_id="theme-find",
                                   max_lines=1)
            self.order = gr.Dropdown(choices=ORDERS, value="size", show_label=False, container=False, scale=0,
                                     min_width=180, elem_id="theme-order", filterable=False)
            self.ticking = gr.Checkbox(label="Markér flere", value=False, container=False, scale=0, min_width=140,
                                       elem_id="tick-mode")
        with gr.Row(elem_classes=["tm-bar"], elem_id="tick-bar", visible=False) as self.tick_bar:
            self.tick_merge = gr.Button(NO_TICKS, size="sm", variant="primary", elem_id="merge-ticked")
        with gr.Column(visible=False, elem_id="confirm-merge") as self.merge_row:
            self.merge_text = gr.Markdown(elem_id="merge-question")
            with gr.Row(elem_classes=["tm-bar"]):
                self.ticked_name = gr.Textbox(label="Det samlede temas navn", show_label=False, container=False,
                                              scale=3, min_width=150, max_lines=1, elem_id="ticked-name")
                self.merge_yes = gr.Button("Slå sammen", scale=0, min_width=100, size="sm", variant="primary",
                                           elem_id="merge-yes")
                self.merge_no = gr.Button("Annullér", scale=0, min_width=80, size="sm", elem_id="merge-no")
        self.theme_list = gr.Radio(label="Temaer", elem_id="theme-list")
        self.ticks = gr.CheckboxGroup(label="Temaer", elem_id="theme-ticks", visible=False)

    def _theme_column(self) -> None:
        """The selected theme: its name, its actions, and the inner tabs of its answers and who says it."""
        with gr.Row(elem_classes=["tm-bar"]):
            self.name = gr.Textbox(label="Temaets navn", scale=3, elem_id="theme-name", max_lines=1)
            self.description = gr.Textbox(label="Beskrivelse", scale=3, max_lines=3, elem_id="theme-description")
            self.save = gr.Button("Gem navn og beskrivelse", scale=1, elem_id="rename", size="sm")
        self.info = gr.Markdown(elem_id="theme-info")
        with gr.Row(elem_classes=["tm-bar"]):
            self.final = gr.Button("Markér som endeligt", elem_id="final", size="sm")
            self.delete = gr.Button("Slet tema …", variant="stop", elem_id="delete", size="sm")
            self.split = gr.Button("Del temaet i", elem_id="split", size="sm")
            self.k = gr.Number(value=2, minimum=2, maximum=10, precision=0, show_label=False, container=False,
                               min_width=70, elem_id="split-k")
        with gr.Row(visible=False, elem_id="confirm-delete", elem_classes=["tm-bar"]) as self.confirm_row:
            self.confirm_text = gr.Markdown()
            self.confirm = gr.Button("Ja, slet temaet", variant="stop", elem_id="confirm-yes", size="sm")
            self.cancel = gr.Button("Annullér", elem_id="confirm-no", size="sm")
        with gr.Row(elem_classes=["tm-bar"]):
            self.merge_ids = gr.Dropdown(multiselect=True, label="Slå det valgte tema sammen med", scale=3,
                                         elem_id="merge-ids", show_label=False, container=False)
            self.merge_name = gr.Textbox(label="Navn på det samlede tema", scale=2, elem_id="merge-name",
                                         placeholder="Nyt navn (ellers det valgtes)",
                                         max_lines=1, show_label=False, container=False)
            self.merge = gr.Button("Slå sammen", scale=1, elem_id="merge", size="sm")
        with gr.Tabs():
            with gr.Tab("Svar", id="answers-tab") as self.answers_tab:
                self.answers = AnswersTab()
            with gr.Tab("Hvem siger det?", id="context-tab") as self.context_tab:
                self.context = ContextTab(self.desk, self.session)
        self.theme_buttons = [self.save, self.final, self.delete, self.split, self.merge, self.merge_ids,
                              self.merge_name, self.name, self.description, self.k]

    def attach(self, review: review_tab.ReviewTab) -> None:
        """The review tab's estimates follow every redraw; `outputs`: what a redraw may update."""
        self.review, a = review, self.answers
        outputs = [self.session, self.status, self.feedback, self.info, a.caption, self.name, self.description,
                   a.search, self.undo, self.redo, self.final, self.theme_list, self.merge_ids, a.target, a.picked,
                   self.merge_name, a.new_name, self.opened, self.confirm_row, a.earlier, a.later, self.cut_row,
                   self.cut_k, self.ticks, self.tick_bar, self.merge_row, *self.theme_buttons]
        self.outputs = list(dict.fromkeys(outputs + review.page_outputs))

    # -- the page as a dict of updates ------------------------------------------------------

    def shown(self, p: Page) -> dict:
        """The Page's set fields as updates of their components (and nothing else)."""
        f, a = p.set_fields(), self.answers
        plain = {"session": self.session, "status": self.status, "feedback": self.feedback, "info": self.info,
                 "caption": a.caption, "name": self.name, "description": self.description, "search": a.search,
                 "undo": self.undo, "redo": self.redo, "final": self.final}
        out = {plain[key]: gr.update(value=value) for key, value in f.items() if key in plain}
        if "themes" in f or "theme" in f:
            out[self.theme_list] = gr.update(value=f.get("theme"), **({"choices": f["themes"]} if "themes" in f else {}))
        if "themes" in f:
            out.update(self._list_updates(p, f, out[self.theme_list]))
        for key, comp, empty in (("merge", self.merge_ids, []), ("targets", a.target, None), ("answers", a.picked, [])):
            if key in f:
                out[comp] = gr.update(choices=f[key], value=empty)
        if "status" in f:                                   # after an action: the merge and move boxes are emptied
            out[self.merge_ids] = out.get(self.merge_ids, gr.update(value=[]))
            out[a.target] = out.get(a.target, gr.update(value=None))     # a next move names its theme again
            out[self.merge_name], out[a.new_name] = gr.update(value=""), gr.update(value="")   # two dicts: gradio changes them
        if "projects" in f:
            out[self.opened] = gr.update(choices=f["projects"], value=p.session.project if p.session else None)
        if "count" in f:                                    # every theme (the list may show only some)
            out.update(self._cut_levels(f["count"]))
        if "pager" in f:
            out[a.earlier], out[a.later] = (gr.update(visible=bool(v)) for v in f["pager"])
        for comp in self.theme_buttons if "editable" in f else ():
            out[comp] = {**out.get(comp, gr.update()), "interactive": f["editable"]}
        if p.session is not None:
            out[self.session] = p.session
            out.update(self.review.estimate_updates(p.session) if "themes" in f else {})
        return out

    def _list_updates(self, p: Page, f: dict, radio: dict) -> dict:
        """The list's heading, and in tick mode the ticks (emptied after an action) in place of the Radio."""
        ticking = bool(p.session and p.session.ticking)
        out = {self.theme_list: {**radio, "label": f.get("listed"), "visible": not ticking},
               self.tick_bar: gr.update(visible=ticking)}
        if ticking:
            out[self.ticks] = gr.update(choices=[c for c in f["themes"] if int(c[1]) >= 0], label=f.get("listed"),
                                        visible=True, **({"value": []} if "status" in f else {}))
        else:
            out[self.ticks], out[self.merge_row] = gr.update(visible=False), gr.update(visible=False)
        return out

    def _cut_levels(self, themes: int) -> dict:
        """The cut levels below the number of themes (the row hidden when there are none)."""
        levels = [n for n in CUT_LEVELS if n < themes]
        out = {self.cut_row: gr.update(visible=bool(levels))}
        if levels:
            out[self.cut_k] = gr.update(choices=[(f"{n} temaer", n) for n in levels],
                                        value=12 if 12 in levels else levels[-1])
        return out

    def page(self, s: Session, note: str | None = None) -> Page:
        """The whole page of session `s`, with the project list (where the project now reads "ændret" just now)."""
        p = page_of(self.desk, s, note)
        p.projects = project_choices(self.projects_dir)
        return p

    def full(self, s: Session, note: str | None = None) -> dict:
        """The page after an action: the project list too, and the delete question closed."""
        return {**self.shown(self.page(s, note)), self.confirm_row: gr.update(visible=False),
                self.merge_row: gr.update(visible=False)}

    def apply(self, s: Session, action: str, select=None, **params) -> dict:
        """One curation action (actions.apply) and the page after it."""
        return self.full(*actions.apply(self.desk, s, action, select, **params))


# -- the handlers ----------------------------------------------------------------------------------------

def on_select(t: ThemesTab, s: Session, value):
    theme = None if value in (None, "") else int(value)
    return t.shown(page_of(t.desk, s, full=False, select=theme))


def on_find(t: ThemesTab, s: Session, text, ticked):
    return t.shown(relisted(t.desk, replace(s, find=text or ""), keep=answer_ids(ticked)))


def on_order(t: ThemesTab, s: Session, order, ticked):
    return t.shown(relisted(t.desk, replace(s, order=order or "size"), keep=answer_ids(ticked)))


def on_ticking(t: ThemesTab, s: Session, ticking):
    s = replace(s, ticking=bool(ticking))
    first = [str(s.theme)] if ticking and s.theme is not None and s.theme >= 0 else []
    out = t.shown(relisted(t.desk, s, keep=answer_ids(first)))
    return {**out, t.ticks: {**out[t.ticks], "value": first}}


def on_merge_asked(t: ThemesTab, s: Session, ticked):
    question, name = actions.ask_merge(t.desk, s, ticked)
    return {t.merge_row: gr.update(visible=True), t.merge_text: question, t.ticked_name: name}


def on_merge_ticked(t: ThemesTab, s: Session, ticked, name):
    return t.full(*actions.merge_ticked(t.desk, s, ticked, name))


def on_rename_open(t: ThemesTab, s: Session):
    return {t.rename_row: gr.update(visible=True), t.project_name: gr.update(value=actions.project_name(s))}


def on_rename_project(t: ThemesTab, s: Session, title: str):
    note = actions.rename_project(s, title)
    return {**t.shown(t.page(s, note)), t.rename_row: gr.update(visible=False)}


def on_step(t: ThemesTab, kind: str, s: Session):
    return t.full(*actions.step(s, kind))


def on_merge(t: ThemesTab, s: Session, ids, name):
    return t.apply(s, "merge", theme_ids=merge_ids(s.theme, ids), name=name or None)


def on_save(t: ThemesTab, s: Session, name, description):
    return t.apply(s, "rename", theme_id=s.theme, name=name, description=description)


def on_final(t: ThemesTab, s: Session):
    return t.full(*actions.toggle_final(t.desk, s))


def on_delete_asked(t: ThemesTab, s: Session):
    question = views.delete_question(t.desk.snapshot(actions.open_project(s).path), actions.selected_theme(s))
    return {t.confirm_row: gr.update(visible=True), t.confirm_text: question}


def on_delete(t: ThemesTab, s: Session):
    return t.apply(s, "delete", select=_no_theme, theme_id=s.theme)


def _no_theme(_: Session) -> None:
    return None


def on_split(t: ThemesTab, s: Session, n):
    return t.full(*actions.split(t.desk, s, n))


def on_cut(t: ThemesTab, s: Session, n):
    return t.full(*actions.cut_themes(t.desk, s, n))


def wire(t: ThemesTab) -> None:
    """The events of the project bar and the selected theme (*Svar*: answers_tab.wire)."""
    out, s = t.outputs, t.session
    t.context.follow(t.theme_list.input(on(on_select, t), [s, t.theme_list], out, queue=False, show_progress="hidden"),
                     show_progress="hidden")
    t.find.change(on(on_find, t), [s, t.find, t.ticks], out, queue=False, show_progress="hidden",
                 trigger_mode="always_last")
    t.order.input(on(on_order, t), [s, t.order, t.ticks], out, **FAST)
    t.ticking.input(on(on_ticking, t), [s, t.ticking], out, **FAST)
    t.ticks.change(None, [t.ticks], [t.tick_merge], js=TICKED_JS)
    t.ticks.input(hide, None, [t.merge_row], **FAST)
    t.tick_merge.click(on(on_merge_asked, t), [s, t.ticks], [t.merge_row, t.merge_text, t.ticked_name], **FAST)
    t.merge_yes.click(on(on_merge_ticked, t), [s, t.ticks, t.ticked_name], out, **FAST)
    t.ticked_name.submit(on(on_merge_ticked, t), [s, t.ticks, t.ticked_name], out, **FAST)
    t.merge_no.click(hide, None, [t.merge_row], **FAST)
    t.rename_project.click(on(on_rename_open, t), [s], [t.rename_row, t.project_name], **FAST)
    t.rename_save.click(on(on_rename_project, t), [s, t.project_name], [*out, t.rename_row], **FAST)
    t.project_name.submit(on(on_rename_project, t), [s, t.project_name], [*out, t.rename_row], **FAST)
    t.rename_cancel.click(hide, None, [t.rename_row], **FAST)
    t.undo.click(on(on_step, t, "undo"), [s], out, **FAST)
    t.redo.click(on(on_step, t, "redo"), [s], out, **FAST)
    t.merge.click(on(on_merge, t), [s, t.merge_ids, t.merge_name], out, **FAST)
    t.save.click(on(on_save, t), [s, t.name, t.description], out, **FAST)
    t.final.click(on(on_final, t), [s], out, **FAST)
    t.delete.click(on(on_delete_asked, t), [s], [t.confirm_row, t.confirm_text], **FAST)
    t.cancel.click(hide, None, [t.confirm_row], **FAST)
    t.confirm.click(on(on_delete, t), [s], out, **FAST)
    t.split.click(on(on_split, t), [s, t.k], out, **FAST)
    t.cut.click(on(on_cut, t), [s, t.cut_k], out, **FAST)

