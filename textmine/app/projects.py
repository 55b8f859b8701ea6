"""The saved projects as the analyst reads them: a project's label and title, and the projects of a folder."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from ..errors import TextmineError
from ..project.store import Project
from .history import local_time


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
