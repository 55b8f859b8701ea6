"""A survey uploaded in the browser: read it where the browser left it, refuse one without text answers,
keep a readable one in the projects folder, and the description discovery then uses."""

from __future__ import annotations

import contextlib
import filecmp
import os
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from ..config import SurveyConfig, load_config
from ..errors import TextmineError
from ..survey.reading import read_survey, sheet_names
from ..survey.setup import answer_sheet, has_open_question, propose


def store_upload(upload: str, directory: Path) -> Path:
    """Copy an uploaded survey into the projects folder (the only place uploads are kept). The browser's
    file name is reduced to safe characters, and an earlier upload of the same name is never replaced
    (a project may refer to it)."""
    source = Path(upload)
    stem = re.sub(r"[^\w.-]+", "_", source.stem).strip("._") or "survey"
    suffix = re.sub(r"[^\w.]+", "", source.suffix.lower())
    folder = directory / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    target, n = folder / f"{stem}{suffix}", 2
    while target.exists() and not filecmp.cmp(source, target, shallow=False):
        target, n = folder / f"{stem}_{n}{suffix}", n + 1
    if not target.exists():
        shutil.copyfile(source, target)
    return target


def upload_folder() -> Path:
    """Where Gradio leaves the browser's uploads (GRADIO_TEMP_DIR, else the system's temporary folder)."""
    return Path(os.environ.get("GRADIO_TEMP_DIR") or Path(tempfile.gettempdir()) / "gradio").resolve()


def discard_upload(upload: str) -> None:
    """Remove the browser's copy of a refused upload (and the folder Gradio made for it when it is left empty):
    a file textmine will not use does not stay in the temporary folder. Only a file inside that folder is ever
    removed."""
    source = Path(upload).resolve()
    if not source.is_relative_to(upload_folder()) or not source.is_file():
        return
    source.unlink(missing_ok=True)
    if source.parent != upload_folder():
        with contextlib.suppress(OSError):    # another file is in it: kept
            source.parent.rmdir()


def accept_upload(upload: str, directory: Path, sheet: str | None = None) -> tuple[Path, pd.DataFrame]:
    """Read an uploaded survey where the browser left it; only a readable one is stored (store_upload)."""
    table = read_survey(upload, sheet)
    return store_upload(upload, directory), table


def propose_upload(upload: str, directory: Path, sheet: str | None = None):
    """Read an uploaded survey (its xlsx `sheet`, else the first) and propose its description; a file without
    any text answers is refused before anything is stored. (stored path, table, proposal)."""
    table = read_survey(upload, sheet)
    proposal = propose(table)
    if not has_open_question(table, proposal):
        where = f"Arket »{sheet}« i {Path(upload).name}" if sheet else Path(upload).name
        raise TextmineError(f"{where} har ingen kolonne med tekstsvar (åbne spørgsmål), så der er intet at finde "
                            "temaer i. Vælg " + ("et andet ark, eller " if sheet else "") +
                            "undersøgelsens eksport med fritekstsvarene.")
    return store_upload(upload, directory), table, proposal


def upload_sheets(upload: str) -> tuple[list[str], str | None]:
    """An uploaded survey's sheets (xlsx; [] for CSV and SPSS) and the one proposed: the first with text answers."""
    sheets = sheet_names(upload)
    return sheets, answer_sheet(Path(upload), sheets)


def description_of(survey_path: str, saved: str, default_survey: str, config: SurveyConfig) -> SurveyConfig:
    """The description discovery uses: the one `saved` for an uploaded survey, else the app's `config` (of
    `default_survey`); an uploaded survey not yet described is refused."""
    if saved:
        return load_config(saved)
    if survey_path and survey_path != default_survey:
        raise TextmineError("Gem først beskrivelsen af undersøgelsen (knappen »Gem beskrivelse« ovenfor); "
                            "derefter kan du finde temaer.")
    return config
