"""Native, editable PowerPoint bar charts in the report's style: horizontal bars, the first theme at the
top, the value written on each bar the Danish way, no value axis (the legend is drawn by slides.py).

Each bar's label is written as text by fmt.percent ("20,9 %"), so it reads the Danish way on any
machine, whatever its regional settings; the series' own label format ('0.0" %"', fmt.PERCENT_FORMAT)
is what PowerPoint falls back to when the analyst resets a label after editing the chart's data."""

from __future__ import annotations

from contextlib import contextmanager

from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.util import lazyproperty

from ..fmt import PERCENT_FORMAT, percent

MAX_THEMES = 10                 # themes per chart; more go on further slides
COLOURS = [(0x1F, 0x4E, 0x79), (0x9D, 0xC3, 0xE6), (0x2E, 0x75, 0xB6), (0xC5, 0xA0, 0x3A), (0x7F, 0x7F, 0x7F),
           (0x54, 0x82, 0x35), (0xC0, 0x50, 0x4D), (0x80, 0x64, 0xA2), (0xF4, 0xB1, 0x83), (0x4B, 0xAC, 0xC6)]


def colours(n: int) -> list[tuple[int, int, int]]:
    """One colour per series (group), n of them however many groups there are: the report's palette, then
    further hues a golden angle apart."""
    import colorsys

    extra = [tuple(round(255 * c) for c in colorsys.hsv_to_rgb((0.61 + i * 0.381966) % 1, 0.55, 0.75))
             for i in range(max(0, n - len(COLOURS)))]
    return (COLOURS + extra)[:n]


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


def chunks(n: int, size: int = MAX_THEMES) -> list[range]:
    """0..n-1 in the fewest parts of at most `size`, as even as possible (12 -> 6 + 6, not 10 + 2)."""
    parts = max(1, -(-n // size))
    bounds = [round(i * n / parts) for i in range(parts + 1)]
    return [range(a, b) for a, b in zip(bounds, bounds[1:])]


def bar_chart(slide, categories: list[str], series: dict[str, list[float]], box) -> object:
    """A clustered horizontal bar chart of percents at `box` (left, top, width, height); returns the chart."""
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Pt

    data = TextChartData(number_format=PERCENT_FORMAT)
    data.categories = categories
    for name, values in series.items():
        data.add_series(name, [round(float(v), 1) for v in values])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, *box, data).chart
    chart.font.size = Pt(12)
    chart.has_legend = False                        # drawn beside the chart in reading order (slides.chart_with_legend)
    category = chart.category_axis
    category.reverse_order = True                   # the first theme at the top, as it is read
    category.tick_labels.font.size = Pt(12)
    category.format.line.fill.background()
    value = chart.value_axis
    value.visible, value.has_major_gridlines = False, False
    value.minimum_scale, value.maximum_scale = 0, _axis_end(series)
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 40, 0
    for colour, (s, values) in zip(colours(len(series)), zip(plot.series, series.values())):
        _bars(s, values, colour)
    return chart


def _axis_end(series: dict[str, list[float]]) -> float:
    """Room right of the longest bar for its label."""
    top = max([v for values in series.values() for v in values] + [1.0])
    return min(100.0, top * 1.18 + 3)


def _bars(series, values: list[float], colour) -> None:
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_LABEL_POSITION
    from pptx.util import Pt

    series.format.fill.solid()
    series.format.fill.fore_color.rgb = RGBColor(*colour)
    labels = series.data_labels
    labels.number_format, labels.number_format_is_linked = PERCENT_FORMAT, False
    labels.show_value, labels.position = True, XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(11)
    for i, value in enumerate(values):
        label = series.points[i].data_label
        label.position = XL_LABEL_POSITION.OUTSIDE_END
        frame = label.text_frame
        frame.text = percent(round(float(value), 1))    # as the report writes it, on any machine
        frame.paragraphs[0].runs[0].font.size = Pt(11)
