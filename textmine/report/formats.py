"""The export formats, one list: what `textmine export --formats`, the *Eksport* tab's checkboxes and the tests
read. Light on purpose (no writer is imported until a file is written), so the page can list the formats
without loading python-pptx, python-docx and scipy at start-up."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Format:
    """One export format: `key` as `--formats` and the export tab name it, the file's `extension`, the `kind`
    its file name ends in (kerneopgave_temaer.xlsx), its Danish `label` on the export tab, and its `writer`:
    "module:function" in textmine.report, called as function(report tables, path) -> path."""

    key: str
    extension: str
    kind: str
    label: str
    writer: str

    def write(self, tables, path: Path) -> Path:
        module, name = self.writer.split(":")
        # imported when a file is written: the writers' libraries stay out of the page's start-up
        return getattr(importlib.import_module(f"textmine.report.{module}"), name)(tables, path)


EXPORT_FORMATS = (          # in this order on the export tab and in the CLI's help
    Format("xlsx", "xlsx", "temaer", "Excel (temaer, kodede svar, grupper)", "writers:write_xlsx"),
    Format("pptx", "pptx", "temaer", "PowerPoint", "slides:write_pptx"),
    Format("docx", "docx", "temaer", "Word", "document:write_docx"),
    Format("json", "json", "kodebog", "Kodebog (JSON)", "export:write_codebook"),
    Format("csv", "csv", "svar", "Kodede svar (CSV)", "writers:write_csv"),
)
FORMATS = tuple(f.key for f in EXPORT_FORMATS)      # their keys: xlsx, pptx, docx, json, csv


def format_choices() -> list[tuple[str, str]]:
    """(Danish label, key) of every format, for the export tab's checkboxes."""
    return [(f.label, f.key) for f in EXPORT_FORMATS]
