"""Word: a section per question: heading, method sentence, the themes with description, share and
quotes, and a table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..files import replacing
from .slides import METHOD
from .tables import ReportTables


def write_docx(tables: ReportTables, path: Path) -> Path:
    from docx import Document

    doc = Document()
    doc.add_heading(f"Kondensering af kvalitative besvarelser: {tables.question}", level=1)
    doc.add_paragraph(f"Spørgsmål: ”{tables.question_text}”")
    doc.add_paragraph(f"{METHOD} Det har resulteret i {len(tables.themes)} tematiske overskrifter.")
    for number, (_, row) in enumerate(tables.themes.iterrows(), start=1):
        doc.add_heading(f"{number}. {row['Tema']}", level=2)
        if row["Beskrivelse"]:
            doc.add_paragraph(row["Beskrivelse"])
        doc.add_paragraph(f"{row['Respondenter']} respondenter ({row['Andel af respondenter (%)']:.0f} %) nævner temaet.")
        for quote in tables.quotes(row):
            doc.add_paragraph(quote, style="Quote")
    table = doc.add_table(rows=1, cols=4)
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, ["Tema", "Svar", "Respondenter", "Andel af respondenter (%)"]):
        cell.text = text
    for _, row in tables.themes.iterrows():
        cells = table.add_row().cells
        for cell, value in zip(cells, [row["Tema"], row["Svar"], row["Respondenter"], f"{row['Andel af respondenter (%)']:.1f}"]):
            cell.text = str(value)
    if tables.waves is not None:
        doc.add_heading("Temaerne i de to målinger", level=2)
        doc.add_paragraph("Andel af respondenterne med et svar, der nævner temaet, i hver måling; forskellen i "
                          "procentpoint med 95 %-interval (Newcombe) og p-værdi (chi-i-anden eller Fishers test).")
        columns = list(tables.waves.columns)
        grid = doc.add_table(rows=1, cols=len(columns))
        grid.style = "Light Grid Accent 1"
        for cell, text in zip(grid.rows[0].cells, columns):
            cell.text = text
        for values in tables.waves.itertuples(index=False):
            for cell, value in zip(grid.add_row().cells, values):
                cell.text = "" if pd.isna(value) else str(value)
    with replacing(path) as temporary:
        doc.save(temporary)
    return path
