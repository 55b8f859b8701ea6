"""The page as a whole: a project opened (from the list, on load, or made by a discovery or a new wave) redraws
every tab that follows its survey (the header, *Temaer*, "Fordel på", *Tal*, *Nyt projekt*)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from ..app.desk import Desk, Session
from ..app.projects import latest_project
from ..errors import TextmineError
from .boundary import on
from .new_project_tab import NewProjectTab
from .numbers_tab import NumbersTab
from .parts import FAST
from .themes_tab import ThemesTab


@dataclass
class Page:
    """The tabs a project opened redraws, the page's `header` and `tabs`, and the browser session's `session`."""

    desk: Desk
    projects_dir: Path
    session: gr.State
    header: gr.Markdown
    tabs: gr.Tabs
    themes: ThemesTab
    numbers: NumbersTab
    new: NewProjectTab

    @property
    def outputs(self) -> list:
        """What opening a project updates."""
        t, n, c = self.themes, self.new, self.themes.context
        return [*t.outputs, self.header, c.by, self.numbers.item, self.numbers.by, self.numbers.intro, n.survey,
                n.described, n.setup_box, n.question, n.id_column]

    def opened(self, s: Session) -> dict:
        """The whole page on a project just opened, with everything that follows its survey."""
        from ..app import survey_panels  # the survey's statistics (SciPy): loaded when a project is first opened

        s, parts = survey_panels.survey_parts(self.desk, s)
        return {**self.themes.shown(self.themes.page(s, "")), self.header: parts["header"],
                **self.themes.context.survey_updates(parts), **self.numbers.survey_updates(parts),
                **self.new.survey_updates(parts)}


def on_load(page: Page, s: Session):
    s = s if s.project else Session(latest_project(page.projects_dir))
    try:
        return page.opened(s)
    except TextmineError as exc:                 # a damaged project: say so, open nothing
        gr.Warning(str(exc), duration=10)
        return page.opened(Session())


def on_open(page: Page, s: Session, path):
    return page.opened(Session(path, context_open=s.context_open, order=s.order, find=s.find, ticking=s.ticking))


def wire(page: Page, app: gr.Blocks) -> None:
    """The page loaded, and a project chosen in the list."""
    context = page.themes.context
    context.follow(app.load(on(on_load, page), [page.session], page.outputs, show_progress="minimal"))
    context.follow(page.themes.opened.input(on(on_open, page), [page.session, page.themes.opened], page.outputs,
                                            **FAST), show_progress="hidden")
