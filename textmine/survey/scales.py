"""Answer scales as surveys write them: Likert-like labels in order, "don't know" answers, and where a
numeric scale is cut into low / middle / high."""

from __future__ import annotations

TEXT_SCALES = (
    ("i meget lav grad", "i lav grad", "i nogen grad", "i høj grad", "i meget høj grad"),
    ("slet ikke", "i mindre grad", "i nogen grad", "i høj grad", "i meget høj grad"),
    ("helt uenig", "uenig", "hverken enig eller uenig", "enig", "helt enig"),
    ("meget uenig", "uenig", "hverken enig eller uenig", "enig", "meget enig"),
    ("meget utilfreds", "utilfreds", "hverken tilfreds eller utilfreds", "tilfreds", "meget tilfreds"),
    ("meget dårlig", "dårlig", "hverken god eller dårlig", "god", "meget god"),
)
DONT_KNOW = ("ved ikke", "ved ikke/ikke relevant", "ikke relevant", "vil ikke svare", "ønsker ikke at svare")


def scale_cuts(minimum: int, maximum: int) -> tuple[int, int]:
    """(low_max, high_from) of a scale whose description does not set them: the bottom and top two points of
    five, 1-2 / 3 / 4-5 on 1-5 as in the report, and the same share of other scales (0-3 / 4-6 / 7-10 on 0-10,
    1-3 / 4 / 5-7 on 1-7). What the survey setup proposes, too (setup.Scale.cuts)."""
    span = maximum - minimum + 1
    low = minimum + round(span * 2 / 5) - 1
    return low, maximum - (low - minimum)
