"""Where the app keeps projects: a free, safe file name for a new one, the one changed last, a project's
saved model, and the words of a run's progress bar (a discovery or a new wave making a new project)."""

from __future__ import annotations

from pathlib import Path

from ..files import safe_file_name

STEPS = {"embedding": "Indlejrer svarene", "clustering": "Danner klynger", "keywords": "Finder nøgleord",
         "placing": "Placerer svarene i temaerne", "done": "Gemmer projektet"}


def step_text(step: str, eta: str = "") -> str:
    """A run's step as its progress bar names it, with the time left when known."""
    return STEPS.get(step, step) + (f" – {eta}" if eta else "")


def new_project_path(directory: Path, survey: str, question: str) -> Path:
    """A free file name made safe from the survey's name and the question's header (any text: "?", "/",
    emoji, 200 characters; files.safe_file_name): never overwrite a project someone has curated."""
    base = f"{safe_file_name(Path(survey).stem, 'undersoegelse', 40)}_{safe_file_name(question, 'spoergsmaal')}"
    path, n = directory / f"{base}.sqlite", 2
    while path.exists():
        path, n = directory / f"{base}_{n}.sqlite", n + 1
    return path


def projects_in(directory: Path) -> list[str]:
    return sorted(str(p) for p in directory.glob("*.sqlite")) if directory.is_dir() else []


def latest_project(directory: Path) -> str | None:
    """The project changed last: what a reloaded page opens when none was chosen."""
    found = sorted(directory.glob("*.sqlite"), key=lambda p: p.stat().st_mtime) if directory.is_dir() else []
    return str(found[-1]) if found else None


def model_dir_of(project_path: Path) -> Path:
    """Where the app keeps a project's saved model (what a follow-up wave is placed with)."""
    return project_path.with_suffix(".model")
