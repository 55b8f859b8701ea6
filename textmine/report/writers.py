"""Writers: render the report tables to files. Answers are always written as text, never as a
formula: in xlsx every text cell is a string cell; in CSV a cell a spreadsheet would read as a formula
gets a leading apostrophe (files.safe_cell). Every file is replaced whole or not at all (files.replacing)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..files import replacing
from ..files import write_csv as write_frame
from ..fmt import COUNT_FORMAT, DECIMAL_FORMAT, P_VALUE_FORMAT, PERCENT_FORMAT
from .tables import ReportTables
from .words import TOTAL_NAME


def write_csv(tables: ReportTables, path: Path) -> Path:
    """The coded answers, one row per answer, as a Danish Excel opens it with a double click: UTF-8 with BOM
    (so it reads æøå) and semicolons between the cells (its list separator; with commas every row lands in
    one column)."""
    return write_frame(tables.answers, path, encoding="utf-8-sig", sep=";")


def number_format(column: str, values: pd.Series) -> str | None:
    """The Danish-reading number format of a numeric column (fmt.py), None for text. Whole numbers are counts;
    other numbers are percents, except differences in points and p-values."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    if pd.api.types.is_integer_dtype(values):
        return COUNT_FORMAT
    if "p-værdi" in column:
        return P_VALUE_FORMAT
    return DECIMAL_FORMAT if "procentpoint" in column else PERCENT_FORMAT


def write_xlsx(tables: ReportTables, path: Path) -> Path:
    """One sheet per table: header frozen, column widths fitted, text cells as text, numbers as numbers
    with a Danish-reading number format; the theme sheet's "I alt" row in bold."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, frame in tables.sheets().items():
        _sheet(book.create_sheet(title), frame)
    with replacing(path) as temporary:
        book.save(temporary)
    return path


def _sheet(sheet, frame: pd.DataFrame) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        _as_text(cell)
    formats = [number_format(c, frame[c]) for c in frame.columns]
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, values in enumerate(frame.itertuples(index=False), start=2):
        sheet.append([None if v is pd.NA or (isinstance(v, float) and pd.isna(v)) else v for v in values])
        row = [sheet.cell(number, i) for i in range(1, len(formats) + 1)]   # sheet[max_row] scans every cell
        for cell, code in zip(row, formats):
            if isinstance(cell.value, str):
                _as_text(cell)
                cell.alignment = wrap
            elif code and cell.value is not None:
                cell.number_format = code
        if values[0] == TOTAL_NAME:
            for cell in row:
                cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for i, column in enumerate(frame.columns, start=1):
        longest = max([len(w) for w in str(column).split()] + [len(str(v)) for v in frame[column].head(200)])
        width = 14 if formats[i - 1] else min(max(10, longest + 2), 60)
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = width


def _as_text(cell) -> None:
    if isinstance(cell.value, str):
        cell.data_type = "s"            # never a formula, whatever the text starts with
