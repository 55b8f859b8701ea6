"""Writers: render the report tables to files. Answers are always written as text, never as a
formula: in xlsx every text cell is a string cell; in CSV a cell a spreadsheet would read as a formula
gets a leading apostrophe (files.safe_cell). Every file is replaced whole or not at all (files.replacing)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..files import replacing, write_csv as write_frame
from .tables import ReportTables


def write_csv(tables: ReportTables, path: Path) -> Path:
    """The coded answers, one row per answer (UTF-8 with BOM so Excel reads æøå)."""
    return write_frame(tables.answers, path, encoding="utf-8-sig")


def write_xlsx(tables: ReportTables, path: Path) -> Path:
    """One sheet per table: header frozen, column widths fitted, text cells as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    for title, frame in tables.sheets().items():
        sheet = book.create_sheet(title)
        sheet.append(list(frame.columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            _as_text(cell)
        for values in frame.itertuples(index=False):
            sheet.append([None if isinstance(v, float) and pd.isna(v) else v for v in values])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    _as_text(cell)
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
        for i, column in enumerate(frame.columns, start=1):
            longest = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(max(10, longest + 2), 80)
    with replacing(path) as temporary:
        book.save(temporary)
    return path


def _as_text(cell) -> None:
    if isinstance(cell.value, str):
        cell.data_type = "s"            # never a formula, whatever the text starts with
