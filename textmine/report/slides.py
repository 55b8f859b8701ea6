"""PowerPoint in the style of the report's "Kondensering af kvalitative besvarelser" slide: the
question on the left, the numbered theme headings in a box on the right; then a native, editable
bar chart of the theme shares (by the report's groups when known); then a quotes slide per theme."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.util import lazyproperty

from ..files import replacing
from .tables import ReportTables

METHOD = ("Kondenseringen er sket ved klyngeanalyse af fritekstsvarene (textmine) kombineret med manuel "
          "gennemgang, med henblik på at identificere gennemgående temaer, begreber og formuleringer.")


DARK = (0x1F, 0x2A, 0x44)
TABLE_ROWS = 12                 # theme rows per comparison slide


class _TextWorkbookWriter(CategoryWorkbookWriter):
    """The chart's embedded workbook with every name as a text cell. python-pptx writes it with XlsxWriter,
    which by default turns a string starting with "=" into a live formula: a theme named =cmd|... would run
    when the chart's data is opened in Excel."""

    @contextmanager
    def _open_worksheet(self, xlsx_file):
        from xlsxwriter import Workbook

        workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
        yield workbook, workbook.add_worksheet()
        workbook.close()


class TextChartData(CategoryChartData):
    """CategoryChartData whose embedded workbook never holds a formula (_TextWorkbookWriter)."""

    @lazyproperty
    def _workbook_writer(self):
        return _TextWorkbookWriter(self)


def _text(frame, text: str, size: int, bold: bool = False) -> None:
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    paragraph = frame.paragraphs[0] if not frame.paragraphs[0].text else frame.add_paragraph()
    paragraph.alignment = PP_ALIGN.LEFT
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold = Pt(size), bold
    run.font.color.rgb = RGBColor(*DARK)


def write_pptx(tables: ReportTables, path: Path) -> Path:
    from pptx import Presentation
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR
    from pptx.util import Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    blank = deck.slide_layouts[6]
    themes = tables.themes

    slide = deck.slides.add_slide(blank)
    left = slide.shapes.add_textbox(Inches(0.5), Inches(0.5), Inches(5.3), Inches(6.3)).text_frame
    left.word_wrap = True
    _text(left, "Kondensering af kvalitative besvarelser på spørgsmålet:", 20, bold=True)
    _text(left, f"”{tables.question_text}”", 16)
    _text(left, METHOD, 12)
    box = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(6.1), Inches(0.5), Inches(6.7), Inches(6.5))
    box.fill.solid()
    box.fill.fore_color.rgb = RGBColor(0xEA, 0xF1, 0xF8)
    box.line.color.rgb = RGBColor(0x1F, 0x4E, 0x79)
    frame = box.text_frame
    frame.word_wrap, frame.vertical_anchor = True, MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = frame.margin_top = Inches(0.3)
    for number, row in enumerate(themes.itertuples(), start=1):
        _text(frame, f"{number}. {row.Tema}", 15, bold=True)
        if row.Beskrivelse:
            _text(frame, f"({row.Beskrivelse})", 12)

    slide = deck.slides.add_slide(blank)
    title = slide.shapes.add_textbox(Inches(0.5), Inches(0.3), Inches(12), Inches(0.8)).text_frame
    _text(title, "Andel af respondenterne, der nævner temaet (%)", 20, bold=True)
    data = TextChartData()
    data.categories = list(themes["Tema"])
    if tables.by_group is not None:
        for group, part in tables.by_group.groupby("Gruppe", sort=False):
            data.add_series(group, [float(v) for v in part.set_index("Tema").reindex(themes["Tema"])["Andel (%)"].fillna(0)])
    else:
        data.add_series("Alle respondenter", [float(v) for v in themes["Andel af respondenter (%)"]])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.5), Inches(1.2), Inches(12.3), Inches(6),
                                   data).chart
    chart.has_legend = tables.by_group is not None
    if chart.has_legend:
        chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    chart.category_axis.reverse_order = True
    chart.category_axis.tick_labels.font.size = Pt(11)

    if tables.waves is not None:
        _wave_slides(deck, tables.waves)

    for number, (_, row) in enumerate(themes.iterrows(), start=1):
        slide = deck.slides.add_slide(blank)
        frame = slide.shapes.add_textbox(Inches(0.5), Inches(0.4), Inches(12.3), Inches(6.6)).text_frame
        frame.word_wrap = True
        _text(frame, f"{number}. {row['Tema']}", 22, bold=True)
        _text(frame, f"{row['Beskrivelse']} · {row['Andel af respondenter (%)']:.0f} % af respondenterne", 13)
        for quote in tables.quotes(row):
            _text(frame, quote, 14)
    with replacing(path) as temporary:
        deck.save(temporary)
    return path


def _wave_slides(deck, waves) -> None:
    """The two waves side by side: a native bar chart of the shares, then the table with the
    differences, their 95 % intervals and p-values (new themes marked)."""
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Inches, Pt

    from ..waves import WAVE_LABELS

    blank = deck.slide_layouts[6]
    labels = [f"{t} (nyt)" if new == "Ja" else t for t, new in zip(waves["Tema"], waves["Nyt tema"])]
    slide = deck.slides.add_slide(blank)
    title = slide.shapes.add_textbox(Inches(0.5), Inches(0.3), Inches(12), Inches(0.8)).text_frame
    _text(title, "Temaerne i de to målinger: andel af respondenterne (%)", 20, bold=True)
    data = TextChartData()
    data.categories = labels
    for wave in WAVE_LABELS:
        data.add_series(wave, [float(v) for v in waves[f"{wave} (%)"].fillna(0)])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.5), Inches(1.2), Inches(12.3), Inches(6),
                                   data).chart
    chart.has_legend = True
    chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    chart.category_axis.reverse_order = True
    chart.category_axis.tick_labels.font.size = Pt(11)

    columns = ["Tema", f"{WAVE_LABELS[0]} (%)", f"{WAVE_LABELS[1]} (%)", "Forskel (procentpoint)", "95 %-interval",
               "p-værdi", "Nyt tema"]
    for start in range(0, len(waves), TABLE_ROWS):          # a long list continues on the next slide
        part = waves.iloc[start:start + TABLE_ROWS]
        slide = deck.slides.add_slide(blank)
        title = slide.shapes.add_textbox(Inches(0.5), Inches(0.3), Inches(12), Inches(0.8)).text_frame
        _text(title, "Forskelle mellem målingerne (procentpoint, 95 %-interval)"
              + (" (fortsat)" if start else ""), 20, bold=True)
        grid = slide.shapes.add_table(len(part) + 1, len(columns), Inches(0.5), Inches(1.2), Inches(12.3),
                                      Inches(0.4 * (len(part) + 1))).table
        grid.columns[0].width = Inches(4.3)
        for j in range(1, len(columns)):
            grid.columns[j].width = Inches(8.0 / (len(columns) - 1))
        for j, column in enumerate(columns):
            grid.cell(0, j).text = column
            for i, value in enumerate(part[column], start=1):
                grid.cell(i, j).text = "" if pd.isna(value) else str(value)
        for row in grid.rows:
            for cell in row.cells:
                for paragraph in cell.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(11)
