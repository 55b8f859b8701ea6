"""What an event does to the open project, gradio-free. The project file is the state: each action is applied
to it at once, at the version the browser tab has seen (a stale tab is refused), and returns the tab's new
Session and, where the page says what was done, that line."""

from __future__ import annotations

from dataclasses import replace

from ..errors import TextmineError
from ..fmt import literal
from ..project.curation import NOT_AN_ANSWER
from ..project.store import Project
from ..project.themes import split_plan
from ..project.tree import cut_steps, kept_apart
from ..review.names import names_after
from .choices import answer_ids, second_theme_steps
from .desk import Desk, Session
from .history import project_masker
from .messages import back_feedback, confirmation, emptied_line, merge_question, merged_line, step_feedback
from .projects import project_label, project_title


def open_project(session: Session) -> Project:
    """The tab's open project (TextmineError when none is open)."""
    if not session.project:
        raise TextmineError("Åbn eller opret et projekt først.")
    return Project(session.project)


def act(session: Session, action: str, **params) -> Session:
    """Apply one curation action to the project file at the version the tab has seen (TextmineError if refused)."""
    version = open_project(session).apply(action, expected_version=session.version, **params)
    return replace(session, version=version)


def act_steps(session: Session, label: str, steps: list) -> Session:
    return replace(session, version=open_project(session).apply_steps(label, steps, expected_version=session.version))


def step(session: Session, kind: str) -> tuple[Session, str]:
    """Undo or redo; the new session and the line saying what it did."""
    project = open_project(session)
    what = project.next_undo() if kind == "undo" else project.next_redo()
    done = getattr(project, kind)(expected_version=session.version)
    return (session if done is None else replace(session, version=done)), step_feedback(kind, what, project_masker(project))


def go_back(session: Session, seq) -> tuple[Session, str]:
    """Go back to history point `seq` (refused when the tab has not seen the newest version); the new session
    and the line saying what it did."""
    if seq in (None, ""):
        raise TextmineError("Vælg det punkt i historikken, du vil tilbage til.")
    done = open_project(session).back_to(int(seq), expected_version=session.version)
    return (session if done is None else replace(session, version=done)), back_feedback(done)


def selected_theme(session: Session) -> int:
    """The theme selected in the list (TextmineError when none is, or a bin is)."""
    if session.theme is None or session.theme < 0:
        raise TextmineError("Vælg et tema i listen først (ikke en af kurvene).")
    return session.theme


def apply(desk: Desk, session: Session, action: str, select=None, **params) -> tuple[Session, str]:
    """One curation action: the session on the new version (its theme `select(session)` when given) and the
    line confirming what was done."""
    before = desk.snapshot(open_project(session).path).state if action == "move" else None
    session = act(session, action, **params)
    snap = desk.snapshot(session.project)
    line = confirmation(action, params, snap) + (emptied_line(before, snap) if before is not None else "")
    return replace(session, theme=select(session) if select else session.theme), line


def to_not_answer(desk: Desk, session: Session, answers) -> tuple[Session, str]:
    """Move the picked `answers` to *Ikke et svar* (one undoable move)."""
    return apply(desk, session, "move", answers=answer_ids(answers), theme_id=NOT_AN_ANSWER)


def second_themes(desk: Desk, session: Session, answers, value) -> tuple[Session, str]:
    """Give the picked `answers` the theme `value` as a second theme (one undoable step)."""
    steps = second_theme_steps(answers, value)
    session = act_steps(session, "second_themes", steps)
    return session, confirmation("second_themes", {"steps": steps}, desk.snapshot(session.project))


def ticked_themes(desk: Desk, session: Session, ticked) -> list[int]:
    """The themes ticked in the list, the largest first (it keeps its id and, by default, its name); refused
    below two."""
    ids = {int(v) for v in ticked or [] if int(v) >= 0}
    themes = desk.themes(desk.snapshot(open_project(session).path))
    order = [int(t) for t in themes["theme_id"] if t in ids]
    if len(order) < 2:
        raise TextmineError("Markér mindst to temaer i listen for at slå dem sammen.")
    return order


def ask_merge(desk: Desk, session: Session, ticked) -> tuple[str, str]:
    """The question before the ticked themes are merged, and the name the merged theme gets by default."""
    ids = ticked_themes(desk, session, ticked)
    snap = desk.snapshot(session.project)
    return merge_question(desk.themes(snap), ids), snap.state.themes[ids[0]].name


def merge_ticked(desk: Desk, session: Session, ticked, name: str | None) -> tuple[Session, str]:
    """Merge the ticked themes into the largest in one undoable step, named `name` (empty: the largest's name);
    the merged theme is selected."""
    ids = ticked_themes(desk, session, ticked)
    themes = desk.themes(desk.snapshot(session.project))
    name = (name or "").strip() or str(themes.set_index("theme_id").at[ids[0], "name"])
    session = act(session, "merge", theme_ids=ids, name=name)
    return replace(session, theme=ids[0]), merged_line(themes, ids, name)


def split(desk: Desk, session: Session, n) -> tuple[Session, str]:
    """Split the selected theme in `n` (2 when empty) by the answers' likeness."""
    if session.theme is None or session.theme < 0:
        raise TextmineError("Vælg det tema, der skal deles.")
    plan = split_plan(desk.snapshot(open_project(session).path), session.theme, int(n or 2))
    return apply(desk, session, "split", theme_id=session.theme, labels=plan)


def toggle_final(desk: Desk, session: Session) -> tuple[Session, str]:
    """Mark the selected theme as final, or open a final one again."""
    theme = selected_theme(session)
    is_final = desk.snapshot(open_project(session).path).state.themes[theme].final
    return apply(desk, session, "mark_final", theme_id=theme, final=not is_final)


def cut_themes(desk: Desk, session: Session, n) -> tuple[Session, str]:
    """Gather similar themes until `n` are left (the theme tree cut: one undoable step)."""
    n = int(n)
    project = open_project(session)
    snap = desk.snapshot(project.path)
    steps = cut_steps(snap, n)
    session = replace(session, version=project.apply_steps("tree_cut", steps + names_after(snap, steps),
                                                           expected_version=session.version, themes=n))
    return session, confirmation("tree_cut", {"themes": n, "steps": steps, "apart": len(kept_apart(snap))},
                                 desk.snapshot(project.path))


def project_name(session: Session) -> str:
    """The open project's name as the rename box starts with it."""
    path = open_project(session).path
    return project_label(path, project_title(path))


def rename_project(session: Session, title: str) -> str:
    """Give the open project a new name; the line saying so."""
    done = open_project(session).rename(title)
    return f"Projektet hedder nu »{literal(done)}«."
