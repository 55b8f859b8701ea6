"""Write a project's report files: what `textmine export` and the app's export panel call."""

from __future__ import annotations

from pathlib import Path

from ..errors import TextmineError
from ..files import write_text
from ..store import Project
from .. import codebook
from . import tables, writers

FORMATS = ("xlsx", "pptx", "docx", "json", "csv")


class Written(list):
    """The files written, in order (a list of paths); `warnings`: what the export left out and why, in
    Danish, for the CLI to print and the app to show (e.g. no groups: the survey lacks their columns)."""

    def __init__(self, paths=(), warnings=()):
        super().__init__(paths)
        self.warnings = list(warnings)


def export_project(project: Project, out: Path, formats=FORMATS, question_text: str = "", survey=None,
                   config=None, masker=None) -> Written:
    """themes.xlsx, themes.pptx, themes.docx, codebook.json and/or answers.csv in `out`; returns the files
    written, with warnings. With the survey table and its config the tables and chart also show the report's
    groups; when the survey lacks their columns they are left out and a warning says so. Each file is
    replaced whole or not at all (files.replacing).
    Personal data in the answers is masked (`masker`, else the config's [privacy], else the default)."""
    formats = [f.strip().lower() for f in formats if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise TextmineError(f"Ukendt eller intet format: {', '.join(unknown) or '–'}. Vælg blandt {', '.join(FORMATS)}.")
    data = project.read()                          # one read: every file shows the same version
    built = tables.build(data, question_text=question_text, survey=survey, config=config, masker=masker)
    out.mkdir(parents=True, exist_ok=True)
    written = Written(warnings=built.notes)
    if "xlsx" in formats:
        written.append(writers.write_xlsx(built, out / "themes.xlsx"))
    if "pptx" in formats:
        from .slides import write_pptx

        written.append(write_pptx(built, out / "themes.pptx"))
    if "docx" in formats:
        from .document import write_docx

        written.append(write_docx(built, out / "themes.docx"))
    if "json" in formats:
        written.append(write_text(codebook.from_project(data).to_json(), out / "codebook.json"))
    if "csv" in formats:
        written.append(writers.write_csv(built, out / "answers.csv"))
    return written
