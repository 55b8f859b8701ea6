"""Answer scales as surveys write them: Likert-like labels in order, "don't know" answers (where a numeric
scale is cut into low / middle / high: config.scale_cuts)."""

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

