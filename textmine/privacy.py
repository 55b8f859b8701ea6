"""Masking personal data in what textmine shows and exports.

On by default: Danish CPR numbers (ddmmyy-xxxx, also without the dash or with a space, when ddmmyy is
a real date), Danish phone numbers (8 digits, optionally grouped 2-2-2-2 or 4-4 and prefixed +45/0045;
without a prefix the first digit is 2-9, as in every Danish number), e-mail addresses and names from a
configurable list (whole words, as written). The original text stays in the project file only: the
app, the exports and the CLI's example columns show the masked text. Years, amounts, dates and ranges
such as "2019", "25.000 kr.", "01-02-2023" or "3-5 år" are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

CPR_MASK, PHONE_MASK, EMAIL_MASK, NAME_MASK = "[CPR-nr.]", "[telefonnr.]", "[e-mail]", "[navn]"

_CPR = re.compile(r"(?<![\w.,/-])(\d{2})(\d{2})(\d{2})[- ]?(\d{4})(?![\w-]|[.,]\d)")
_PHONE = re.compile(
    r"(?<![\w.,/+-])(?:(?:\+|00)45[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}|[2-9]\d(?:[ ]?\d{2}){3}|[2-9]\d{3}[ ]\d{4})"
    r"(?![\w-]|[.,]\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")


def _is_date(day: str, month: str, year: str) -> bool:
    try:
        date(2000 + int(year), int(month), int(day))     # any century: only day and month are checked
        return True
    except ValueError:
        return int(day) == 29 and int(month) == 2           # 29 February of a leap year of another century


def _cpr(match: re.Match) -> str:
    day, month, year, _ = match.groups()
    return CPR_MASK if _is_date(day, month, year) else match.group(0)


@dataclass(frozen=True)
class Masker:
    """mask(text) -> text with personal data replaced. `enabled=False` returns texts unchanged."""

    names: tuple[str, ...] = ()
    enabled: bool = True

    def __post_init__(self):
        words = sorted({n.strip() for n in self.names if n and n.strip()}, key=len, reverse=True)
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)") \
            if words else None
        object.__setattr__(self, "_names", pattern)

    def mask(self, text) -> str:
        if not self.enabled or not isinstance(text, str) or not text:
            return text
        text = _EMAIL.sub(EMAIL_MASK, text)
        text = _CPR.sub(_cpr, text)
        text = _PHONE.sub(PHONE_MASK, text)
        if self._names is not None:
            text = self._names.sub(NAME_MASK, text)
        return text

    __call__ = mask


NO_MASK = Masker(enabled=False)


def masker_for(config) -> Masker:
    """The masking a survey description asks for ([privacy] in the TOML); on by default."""
    privacy = getattr(config, "privacy", None)
    if privacy is None:
        return Masker()
    return Masker(tuple(privacy.names), privacy.mask)
