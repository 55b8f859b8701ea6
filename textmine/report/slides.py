"""PowerPoint in the report's style: the "Kondensering af kvalitative besvarelser" slide (the question
and the method on the left, the numbered headings with their descriptions in a box on the right); a
chart slide per grouping of the report (at most 10 themes a chart, more on further slides); a quote
slide per theme; for a follow-up the two waves the same way. Every chart and quote slide ends with a
"Note:" and a "Kilde:" line."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..files import replacing
from ..fmt import number, percent, quoted, share_base
from ..waves.comparing import WAVE_LABELS
from .charts import bar_chart, chunks, colours
from .groups import shares_for
from .layout import Box, fit_headings, fit_quotes, quote_heights
from .tables import ReportTables, shown
from .words import CHOSEN, METHOD, SHARE

DARK, GREY, BOX_FILL, BOX_LINE, QUOTE_FILL = (0x1F, 0x2A, 0x44), (0x59, 0x59, 0x59), (0xEA, 0xF1, 0xF8), \
    (0x1F, 0x4E, 0x79), (0xF3, 0xF6, 0xFA)
WIDTH, HEIGHT = 13.333, 7.5
TABLE_ROWS = 12                 # theme rows per comparison slide
SHARE_NOTE = ("Note: Søjlerne angiver andelen af svarene, der siger noget (alle svar undtagen »Ikke et svar«), som "
              "nævner temaet (som første eller andet tema); et svar kan nævne flere temaer.")


def _paragraph(frame, text: str, size: float, bold=False, italic=False, colour=DARK, space=0.0) -> None:
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    paragraph = frame.paragraphs[0] if not frame.paragraphs[0].runs else frame.add_paragraph()
    paragraph.space_after, paragraph.alignment = Pt(space), PP_ALIGN.LEFT
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
    run.font.color.rgb = RGBColor(*colour)


def _textbox(slide, box: Box):
    from pptx.util import Inches

    frame = slide.shapes.add_textbox(Inches(box.left), Inches(box.top), Inches(box.width), Inches(box.height)).text_frame
    frame.word_wrap = True
    return frame


def _title(slide, text: str, subtitle: str = "") -> None:
    _paragraph(_textbox(slide, Box(0.5, 0.3, WIDTH - 1, 0.6)), text, 24, bold=True)
    if subtitle:
        _paragraph(_textbox(slide, Box(0.5, 0.85, WIDTH - 1, 0.4)), subtitle, 16, colour=GREY)


def _footer(slide, note: str, source: str) -> None:
    frame = _textbox(slide, Box(0.5, HEIGHT - 0.95, WIDTH - 1, 0.8))
    _paragraph(frame, note, 10, colour=GREY, space=2)
    _paragraph(frame, source, 10, colour=GREY)


def _rounded(slide, box: Box, fill, line=None):
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR
    from pptx.util import Inches

    shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(box.left), Inches(box.top), Inches(box.width),
                                   Inches(box.height))
    shape.adjustments[0] = 0.06
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor(*fill)
    if line:
        shape.line.color.rgb = RGBColor(*line)
    else:
        shape.line.fill.background()
    shape.shadow.inherit = False
    frame = shape.text_frame
    frame.word_wrap, frame.vertical_anchor = True, MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = Inches(0.25)
    frame.margin_top = frame.margin_bottom = Inches(0.15)
    return frame


def write_pptx(tables: ReportTables, path: Path) -> Path:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(WIDTH), Inches(HEIGHT)
    themes = tables.report_themes
    _condensed_slides(deck, tables, themes)
    _chart_slides(deck, tables, themes)
    if tables.waves is not None:
        _wave_slides(deck, tables)
    for number_, (_, row) in enumerate(themes.iterrows(), start=1):
        _quote_slide(deck, tables, number_, row)
    with replacing(path) as temporary:
        deck.save(temporary)
    return path


def _blank(deck):
    return deck.slides.add_slide(deck.slide_layouts[6])


def _condensed_slides(deck, tables: ReportTables, themes: pd.DataFrame) -> None:
    """The question and the method left, the headings in the box right; a long list continues on the next slide."""
    box = Box(5.9, 0.5, 6.9, 6.5)
    headings = [(f"{i}. {t}", d) for i, (t, d) in enumerate(zip(themes["Tema"], themes["Beskrivelse"]), start=1)]
    for part, (sizes, items) in enumerate(fit_headings(headings, box)):
        slide = _blank(deck)
        left = _textbox(slide, Box(0.5, 0.5, 5.0, 6.5))
        _paragraph(left, "Kondensering af kvalitative besvarelser på spørgsmålet:" + (" (fortsat)" if part else ""),
                   20, bold=True, space=10)
        _paragraph(left, quoted(tables.question_text), 16, italic=True, space=14)
        count = f"Det har resulteret i {len(themes)} tematiske overskrifter, der tilsammen indfanger " \
                "hovedtendenserne i respondenternes svar."
        _paragraph(left, f"{METHOD} {count}", 12, space=8)
        _paragraph(left, f"n = {number(tables.n_respondents)} svar, der siger noget.", 12, colour=GREY, space=6)
        if tables.quality:
            _paragraph(left, tables.quality, 11, colour=GREY)
        frame = _rounded(slide, box, BOX_FILL, BOX_LINE)
        for heading, description in items:
            _paragraph(frame, heading, sizes[0], bold=True, space=0 if description else sizes[0] * 0.6)
            if description:
                _paragraph(frame, f"({description})", sizes[1], space=sizes[0] * 0.6)


def _groupings(tables: ReportTables) -> dict[str, tuple[str, ...]]:
    if tables.by_group is None:
        return {"Alle respondenter": ("Alle respondenter",)}
    by_group = tables.by_group
    return {name: tuple(dict.fromkeys(by_group.loc[by_group["Gruppering"] == name, "Gruppe"]))
            for name in dict.fromkeys(by_group["Gruppering"])}


def _series(tables: ReportTables, names: list[str], grouping: str, groups) -> dict[str, list[float]]:
    if tables.by_group is None:
        shares = tables.themes.drop_duplicates("Tema").set_index("Tema")[SHARE]
        return {"Alle respondenter": [float(shares[n]) for n in names]}
    return shares_for(tables.by_group[tables.by_group["Gruppering"] == grouping], names, groups)


CHART_BOX = Box(0.5, 1.75, WIDTH - 1, HEIGHT - 2.8)


def _chart_slides(deck, tables: ReportTables, themes: pd.DataFrame) -> None:
    """One chart slide per grouping, at most MAX_THEMES themes a chart."""
    names = list(themes["Tema"])
    for grouping, groups in _groupings(tables).items():
        parts = chunks(len(names))
        for k, part in enumerate(parts):
            slide = _blank(deck)
            _title(slide, "Andel af svarene, der nævner temaet",
                   grouping + (f" ({k + 1} af {len(parts)})" if len(parts) > 1 else ""))
            chosen = [names[i] for i in part]
            chart_with_legend(slide, chosen, _series(tables, chosen, grouping, groups), CHART_BOX)
            _footer(slide, f"{SHARE_NOTE} {tables.group_sizes(groups, grouping)}.{_final_note(tables)}",
                    tables.source())


def chart_with_legend(slide, categories: list[str], series: dict[str, list[float]], box: Box):
    """The bar chart at `box` and above it its legend in reading order (the order of the bars in each
    cluster, top to bottom): drawn as shapes, because PowerPoint and LibreOffice order a bar chart's own
    legend differently."""
    from pptx.util import Inches

    rows = _legend_rows(list(series), box.width) if len(series) > 1 else []
    extra = LEGEND_ROW * max(0, len(rows) - 1)          # a legend of several rows pushes the chart down
    chart = bar_chart(slide, categories, series, tuple(Inches(v) for v in (box.left, box.top + extra, box.width,
                                                                            box.height - extra)))
    _legend(slide, rows, dict(zip(series, colours(len(series)))), box.top - 0.4, box.width)
    return chart


LEGEND_ROW = 0.35               # inches


def _label_width(name: str, room: float) -> float:
    return min(0.45 + len(name) * 0.11, room - 0.42)


def _legend_rows(names: list[str], room: float) -> list[list[str]]:
    """The legend's entries in reading order, as many to a row as fit `room` inches."""
    rows, used = [[]], 0.0
    for name in names:
        width = 0.22 + _label_width(name, room) + 0.2
        if rows[-1] and used + width > room:
            rows, used = rows + [[]], 0.0
        rows[-1].append(name)
        used += width
    return rows


def _legend(slide, rows: list[list[str]], colour_of: dict, top: float, room: float) -> None:
    """One coloured mark and name per series (every group, however many), row by row from `top`."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches

    for r, names in enumerate(rows):
        left, y = 0.55, top + r * LEGEND_ROW
        for name in names:
            mark = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left), Inches(y + 0.08), Inches(0.18),
                                          Inches(0.18))
            mark.fill.solid()
            mark.fill.fore_color.rgb = RGBColor(*colour_of[name])
            mark.line.fill.background()
            mark.name = f"Forklaring: {name}"
            width = _label_width(name, room)
            label = _textbox(slide, Box(left + 0.22, y, width, LEGEND_ROW))
            label.margin_top = 0
            _paragraph(label, name, 13)
            left += 0.22 + width + 0.2


def _final_note(tables: ReportTables) -> str:
    shown = len(tables.report_themes)
    return "" if shown == len(tables.themes) else f" Viser de {shown} endelige temaer af {len(tables.themes)}."


def _quote_slide(deck, tables: ReportTables, number_: int, row) -> None:
    slide = _blank(deck)
    top = _textbox(slide, Box(0.5, 0.3, WIDTH - 1, 1.5))
    _paragraph(top, f"{number_}. {row['Tema']}", 24, bold=True, space=4)
    if row["Beskrivelse"]:
        _paragraph(top, row["Beskrivelse"], 14, italic=True, colour=GREY, space=2)
    _paragraph(top, f"{percent(row[SHARE])} {share_base(tables.n_respondents)}, nævner temaet "
                    f"({number(row['Respondenter'])} svar).", 14)
    area = Box(0.7, 2.0, WIDTH - 1.4, HEIGHT - 3.25)
    size, quotes = fit_quotes(tables.quotes(row), area)
    y = area.top
    for text, height in zip(quotes, quote_heights(quotes, area.width, size)):
        _paragraph(_rounded(slide, Box(area.left, y, area.width, height), QUOTE_FILL), text, size, italic=True)
        y += height + 0.15
    source = "Citaterne er valgt af analytikeren" if row[CHOSEN] else \
        "Citaterne er de svar, der ligger tættest på temaets midte"
    _footer(slide, f"Note: {source}; personoplysninger er skjult.",
            tables.source())


def _wave_slides(deck, tables: ReportTables) -> None:
    """The two waves as the chart slides, then the table of differences (95 % intervals, p-values)."""
    waves = tables.waves
    labels = [f"{t} (nyt)" if new == "Ja" else t for t, new in zip(waves["Tema"], waves["Nyt tema"])]
    parts = chunks(len(waves))
    for k, part in enumerate(parts):
        slide = _blank(deck)
        _title(slide, "Temaerne i de to målinger: andel af svarene, der siger noget",
               f"{WAVE_LABELS[0]} og {WAVE_LABELS[1].lower()}" + (f" ({k + 1} af {len(parts)})" if len(parts) > 1 else ""))
        rows = waves.iloc[list(part)]
        series = {w: [float(v) for v in rows[f"{w} (%)"].fillna(0)] for w in WAVE_LABELS}
        chart_with_legend(slide, [labels[i] for i in part], series, CHART_BOX)
        _footer(slide, f"{SHARE_NOTE} (nyt) = et tema, der ikke fandtes i {WAVE_LABELS[0].lower()}.",
                tables.source())
    for start in range(0, len(waves), TABLE_ROWS):          # a long list continues on the next slide
        _wave_table(deck, tables, waves.iloc[start:start + TABLE_ROWS], continued=start > 0)


def _wave_table(deck, tables: ReportTables, part: pd.DataFrame, continued: bool) -> None:
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    columns = {"Tema": 3.8, f"{WAVE_LABELS[0]} (%)": 1.45, f"{WAVE_LABELS[1]} (%)": 1.6, "Forskel (procentpoint)": 2.0,
               "95 %-interval": 1.6, "p-værdi": 1.0, "Nyt tema": 0.9}             # inches: the slide's text width
    slide = _blank(deck)
    _title(slide, "Forskelle mellem målingerne (procentpoint, 95 %-interval)" + (" (fortsat)" if continued else ""))
    grid = slide.shapes.add_table(len(part) + 1, len(columns), Inches(0.5), Inches(1.2), Inches(WIDTH - 1),
                                  Inches(0.4 * (len(part) + 1))).table
    for j, (column, width) in enumerate(columns.items()):
        grid.columns[j].width = Inches(width)
        grid.cell(0, j).text = column
        for i, value in enumerate(part[column], start=1):
            grid.cell(i, j).text = shown(column, value)
    for i, row in enumerate(grid.rows):
        for j, cell in enumerate(row.cells):
            for paragraph in cell.text_frame.paragraphs:
                paragraph.alignment = PP_ALIGN.RIGHT if i and 0 < j < len(columns) - 1 else PP_ALIGN.LEFT
                for run in paragraph.runs:
                    run.font.size = Pt(12)
    _footer(slide, "Note: Forskellen er opfølgningens andel minus første målings, i procentpoint; 95 %-interval efter "
                   "Newcombe; p-værdi fra chi-i-anden eller Fishers eksakte test.", tables.source())
