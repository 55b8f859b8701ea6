"""Word: a section per question the analyst can paste into the report: a heading with the question's
text, the method paragraph, a table of the themes that fits the page (its header row repeated on every
page), the themes with description, share and quotes, and "Note:" and "Kilde:" lines. A4, Danish numbers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..files import replacing
from ..fmt import number, percent, quoted, share_base
from ..waves.comparing import WAVE_LABELS
from .tables import ReportTables, shown
from .words import METHOD, SHARE

TEXT_WIDTH_CM = 16.0            # A4 with 2,5 cm margins
THEME_COLUMNS = [("Tema", 8.4), ("Svar", 1.6), ("Respondenter", 3.0), ("Andel", 3.0)]


def write_docx(tables: ReportTables, path: Path) -> Path:
    from docx import Document

    doc = Document()
    _a4(doc)
    themes = tables.report_themes
    doc.add_heading(f"Kondensering af kvalitative besvarelser på spørgsmålet: {quoted(tables.question_text)}", level=1)
    doc.add_paragraph(f"{METHOD} Det har resulteret i {len(themes)} tematiske overskrifter, der tilsammen "
                      f"indfanger hovedtendenserne i de {number(tables.n_respondents)} svar, der siger noget.")
    _theme_table(doc, themes)
    _lines(doc, f"Note: Andelen {share_base(tables.n_respondents)} (alle svar undtagen »Ikke et svar«), som nævner "
                "temaet (som første eller andet tema); et svar kan nævne flere temaer, så andelene summerer til mere "
                "end 100 %. Svar: svar med temaet som første tema; Respondenter: som første eller andet tema.",
           tables.source())
    if tables.quality:
        _lines(doc, tables.quality)
    for i, (_, row) in enumerate(themes.iterrows(), start=1):
        doc.add_heading(f"{i}. {row['Tema']}", level=2)
        if row["Beskrivelse"]:
            doc.add_paragraph(row["Beskrivelse"])
        doc.add_paragraph(f"{percent(row[SHARE])} {share_base(tables.n_respondents)}, nævner temaet "
                          f"({number(row['Respondenter'])} svar).")
        for quote in tables.quotes(row):
            doc.add_paragraph(quote, style="Quote")
    if tables.waves is not None:
        _waves(doc, tables)
    with replacing(path) as temporary:
        doc.save(temporary)
    return path


def _a4(doc) -> None:
    from docx.shared import Cm

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)


def _lines(doc, *texts: str) -> None:
    from docx.shared import Pt

    for text in texts:
        run = doc.add_paragraph().add_run(text)
        run.font.size = Pt(9)


def _theme_table(doc, themes: pd.DataFrame) -> None:
    rows = [[(row["Tema"], row["Beskrivelse"]), number(row["Svar"]), number(row["Respondenter"]), percent(row[SHARE])]
            for _, row in themes.iterrows()]
    grid = _table(doc, THEME_COLUMNS)
    for values in rows:
        cells = grid.add_row().cells
        (name, description), *numbers = values
        _cell_text(cells[0], name, bold=True)
        if description:
            _cell_text(cells[0], description, size=9, new_paragraph=True)
        for cell, value in zip(cells[1:], numbers):
            _cell_text(cell, value, right=True)
    _fixed(grid, THEME_COLUMNS)


def _table(doc, columns):
    """A table with a bold header row that Word repeats at the top of every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    grid = doc.add_table(rows=1, cols=len(columns))
    grid.style = "Light Grid Accent 1"
    grid.autofit = False
    for cell, (title, _) in zip(grid.rows[0].cells, columns):
        _cell_text(cell, title, bold=True, size=9)
    header = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    return grid


def _fixed(grid, columns) -> None:
    """Fixed column widths that add up to the text width; no row split across pages."""
    from docx.oxml import OxmlElement
    from docx.shared import Cm

    grid.autofit = False                            # w:tblLayout fixed: Word keeps the widths
    for row in grid.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, (_, width) in zip(row.cells, columns):
            cell.width = Cm(width)
    for column, (_, width) in zip(grid.columns, columns):
        column.width = Cm(width)


def _cell_text(cell, text: str, bold=False, size=10, right=False, new_paragraph=False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.add_paragraph() if new_paragraph else cell.paragraphs[0]
    run = paragraph.add_run(str(text))
    run.font.size, run.font.bold = Pt(size), bold
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _wave_columns() -> list[tuple[str, float]]:
    return [("Tema", 3.8), (f"{WAVE_LABELS[0]} (%)", 2.2), (f"{WAVE_LABELS[1]} (%)", 2.4),
            ("Forskel (procentpoint)", 3.0), ("95 %-interval", 2.8), ("p-værdi", 1.8)]


def _waves(doc, tables: ReportTables) -> None:
    doc.add_heading("Temaerne i de to målinger", level=2)
    doc.add_paragraph("Andel af svarene, der siger noget (alle svar undtagen »Ikke et svar«), som nævner temaet, i "
                      "hver måling; forskellen i "
                      "procentpoint med 95 %-interval (Newcombe) og p-værdi (chi-i-anden eller Fishers test).")
    columns = _wave_columns()
    grid = _table(doc, columns)
    for _, row in tables.waves.iterrows():
        cells = grid.add_row().cells
        name = f"{row['Tema']} (nyt)" if row["Nyt tema"] == "Ja" else row["Tema"]
        _cell_text(cells[0], name)
        for cell, (column, _) in zip(cells[1:], columns[1:]):
            _cell_text(cell, shown(column, row[column]), right=True)
    _fixed(grid, columns)
    _lines(doc, "Note: (nyt) = et tema, der ikke fandtes i første måling.", tables.source())
