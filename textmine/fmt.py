"""Numbers the Danish way, as the report writes them: decimal comma, a dot between thousands, a space
before "%" ("10,3 %"), p-values as "0,015" and "<0,001"."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

# The bidirectional controls, which can reorder the text beside them (a name's counts): dropped.
_NO_BIDI = {chr(c): None for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
_PLAIN = str.maketrans(_NO_BIDI)
# Every character Markdown or HTML gives a meaning, as a character reference, and no bidirectional control.
# ":" and "@" stop autolinks ("http://", "a@b.dk").
_LITERAL = str.maketrans({**{c: f"&#{ord(c)};" for c in "&<>\"'*_[]()!`\\~|#:@{}"}, **_NO_BIDI})
# Plotly reads a few HTML tags (<a href>, <b>, <br>) in legends and tooltips: "<" and ">" as references.
_PLOTLY = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", **_NO_BIDI})
_WWW = re.compile(r"(?i)(?<=\bwww)\.")


def number(value, decimals: int = 0) -> str:
    """1234.5 -> "1.234,5" (decimals=1); "–" for a missing value. A half is rounded up, as a report and Excel
    round it (2 of 16, 12.5 %: "13 %"; Python's own rounding gave "12 %")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float) and math.isfinite(value) or hasattr(value, "dtype") and math.isfinite(float(value)):
        value = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def literal(text) -> str:
    """Text shown inside Markdown exactly as written, on one line: no link, autolink, image, emphasis or
    HTML can come from it ("![x](http://…)" stays those characters)."""
    return _WWW.sub("&#46;", " ".join(str(text).split()).translate(_LITERAL))


def plain(text) -> str:
    """Text shown as text beside other text (a theme name before its counts): no bidirectional control."""
    return str(text).translate(_PLAIN)


NAME_CHARS = 160                   # a theme name in a list, a line or the history: longer ones are cut with "…"
                                   # (the report's bracketed headings, ~100-130 characters, are shown whole)


def cut(text, limit: int) -> str:
    """Text on one line of at most about `limit` characters: a longer one cut after its last whole word that fits
    (inside a word only when none fits), with " …"."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    head = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return head.rstrip(",.;:") + " …"


def name_label(name, limit: int = NAME_CHARS) -> str:
    """A theme name where it is shown beside other text (a list, a line, the history): on one line, no
    bidirectional control, cut with "…" after `limit` characters. The name box and the files keep it whole."""
    return cut(plain(name), limit)


def chart_text(text) -> str:
    """Text in a Plotly legend or tooltip, shown as written: no tag (a link, an image) and no bidirectional
    control."""
    return str(text).translate(_PLOTLY)


def count(n: int, one: str, many: str) -> str:
    """A count and its noun in the right number: count(1, "åbent spørgsmål", "åbne spørgsmål") -> "1 åbent
    spørgsmål"; count(3, ...) -> "3 åbne spørgsmål"."""
    return f"{number(n)} {one if n == 1 else many}"


def percent(value, decimals: int = 1) -> str:
    """10.34 -> "10,3 %"."""
    shown = number(value, decimals)
    return shown if shown == "–" else f"{shown} %"


def quoted(text) -> str:
    """Text in Danish quotation marks: »Hvad er kerneopgaven?«."""
    return f"»{text}«"


def p_value(p) -> str:
    """0.0153 -> "0,015"; under 0.001 -> "<0,001"."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "–"
    return "<0,001" if p < 0.001 else number(p, 3)


def share_base(n: int) -> str:
    """What every theme share is a share of, in words: "af de 169 svar, der siger noget"."""
    return "af det ene svar, der siger noget" if n == 1 else f"af de {number(n)} svar, der siger noget"


def points(value, decimals: int = 1) -> str:
    """A difference in percentage points: -25.0 -> "-25,0"; with a sign when positive: "+3,5"."""
    shown = number(value, decimals)
    return f"+{shown}" if shown != "–" and value > 0 else shown


# Number formats for spreadsheet cells and chart labels. A format code is always stored in Excel's
# invariant form ("." decimal point, "," thousands separator); Excel and LibreOffice show it with the
# reader's regional separators, so on a Danish machine 1234.5 reads "1.234,5" and 20.9 reads "20,9 %",
# and the cell stays a number that formulas can use.
COUNT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
PERCENT_FORMAT = '0.0" %"'              # the value is the percent itself (20.9), not a fraction
P_VALUE_FORMAT = '[<0.001]"<0,001";0.000'
