"""The saved projects as the analyst reads them (a project's label and title, the projects of a folder) and
where the app keeps them: a free, safe file name for a new one, the one changed last, a project's saved model,
and the words of a run's progress bar (a discovery or a new wave making a new project)."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from ..errors import TextmineError
from ..files import safe_file_name
from ..progress import STEPS
from ..project.store import Project
from .history import local_time


def step_text(step: str, eta: str = "") -> str:
    """A run's step as its progress bar names it, with the time left when known."""
    return STEPS.get(step, step) + (f" – {eta}" if eta else "")


def exports_dir(directory: Path, project: str | Path | None = None) -> Path:
    """Where the page writes the exports of the projects in `directory` (`project`: of that project). The app
    serves files for download from there only (ui.app.launch's allowed_paths)."""
    folder = directory / "exports"
    return folder / Path(project).stem if project else folder


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


def project_label(path: Path, title: str = "") -> str:
    """A project as the analyst reads it: the name given to it (Project.rename), else its file's name in words:
    'baseline survey · kerneopgave (2)'."""
    if title:
        return title
    stem = Path(path).stem
    match = re.fullmatch(r"(.*)_(\d+)", stem)
    base, n = (match.group(1), match.group(2)) if match else (stem, None)
    words = base.replace("_", " ")
    return words + (f" ({n})" if n else "")


def project_title(path: Path) -> str:
    """The name the analyst gave the project ("" when none, or when the file cannot be read)."""
    try:
        return Project(path).meta("title")
    except TextmineError:
        return ""


def project_choices(directory: Path) -> list[tuple[str, str]]:
    """The projects in a folder, newest first: ('baseline survey kerneopgave – 1. dec. kl. 12:03', path)."""
    if not directory.is_dir():
        return []
    found = sorted(directory.glob("*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True)
    return [(f"{project_label(p, project_title(p))} – ændret "
             f"{local_time(datetime.fromtimestamp(p.stat().st_mtime, timezone.utc).isoformat())}", str(p)) for p in found]
