"""How much text fits where on a slide: a cautious estimate (characters a line from the font size) so
headings and quotes are set in the largest size that fits their box, and a list too long for one box
continues on the next slide. Widths are in inches; sizes in points."""

from __future__ import annotations

from dataclasses import dataclass

CHAR_WIDTH = 0.56               # average character width in ems (wide fonts such as DejaVu Sans; Calibri is narrower)
BOLD_WIDTH = 0.62
LINE_HEIGHT = 1.25              # line height in ems
HEADING_SIZES = [(16, 12), (14, 11), (13, 10), (12, 10), (11, 9)]     # (heading, description) points
QUOTE_SIZES = [16, 14, 13, 12]
QUOTE_GAP = 0.15                # inches between two quotes
QUOTE_PADDING = 0.35            # inches of the quote box above and below its text


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float


def lines(text: str, width: float, size: float, factor: float = CHAR_WIDTH) -> int:
    """Lines `text` takes in a column `width` inches wide at `size` points, wrapping at words."""
    per_line = max(1, int(width * 72 / (factor * size)))
    count, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) <= per_line:
            used += 1 + len(word)
            continue
        count += 1 if used else 0
        count += (len(word) - 1) // per_line          # a word longer than a line
        used = (len(word) - 1) % per_line + 1
    return count


def _headings_height(items, width: float, sizes) -> float:
    big, small = sizes
    total = 0.0
    for heading, description in items:
        total += lines(heading, width, big, BOLD_WIDTH) * big * LINE_HEIGHT
        if description:
            total += lines(f"({description})", width, small) * small * LINE_HEIGHT
        total += big * 0.6
    return total / 72


def fit_headings(items: list[tuple[str, str]], box: Box, margin: float = 0.5) -> list[tuple[tuple, list]]:
    """[(sizes, items)] per slide: all headings in one box in the largest sizes that fit; when even the
    smallest does not fit, as many as fit, the rest on the next slides."""
    width, height = box.width - margin, box.height - 0.4
    for sizes in HEADING_SIZES:
        if _headings_height(items, width, sizes) <= height:
            return [(sizes, items)]
    sizes, slides, current = HEADING_SIZES[-1], [], []
    for item in items:
        if current and _headings_height(current + [item], width, sizes) > height:
            slides.append((sizes, current))
            current = []
        current.append(item)
    return slides + [(sizes, current)] if current else slides


def quote_heights(quotes: list[str], width: float, size: float) -> list[float]:
    return [lines(q, width - 0.5, size) * size * LINE_HEIGHT / 72 + QUOTE_PADDING for q in quotes]


def fit_quotes(quotes: list[str], box: Box, least: int = 3) -> tuple[float, list[str]]:
    """(size, quotes): the largest size at which the quotes fit the box; with too little room, fewer
    quotes (not under `least`) in the smallest size."""
    for size in QUOTE_SIZES:
        if _stacked(quote_heights(quotes, box.width, size)) <= box.height:
            return size, quotes
    size = QUOTE_SIZES[-1]
    for n in range(len(quotes) - 1, least - 1, -1):
        if _stacked(quote_heights(quotes[:n], box.width, size)) <= box.height:
            return size, quotes[:n]
    return size, quotes[:least]


def _stacked(heights: list[float]) -> float:
    return sum(heights) + QUOTE_GAP * max(len(heights) - 1, 0)

