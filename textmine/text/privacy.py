"""Masking personal data in what textmine shows and exports, and in what its keywords are made from.

On by default:
- Danish CPR numbers: ddmmyy and four digits, when ddmmyy is a real date. The date may be written
  010190, 01.01.90, 01-01-90 or 01/01/90; the four digits may follow directly or after a dash, two
  dashes, / or white space (a dotted or dashed date followed by white space and a number is a date, not
  a CPR number). Every dash counts as a dash: -, U+2010-2015 (‐ ‑ ‒ – — ―) and the minus sign −.
- Danish phone numbers: 8 digits, optionally prefixed +45/0045. Without a prefix the first digit is 2-9,
  as in every Danish number, when the digits are written together or grouped with white space
  (22334455, 22 33 44 55, 2233 4455) or as 2233/4455 or 2233-4455; grouped 2-2-2-2 with dashes, dots or
  slashes (12-34-56-78, 23.45.67.88) the first digit may be 1. Two years such as "2019/2020", "2019-2023"
  or "2019 2020" and a range of round numbers such as "2500-3000" stay.
- Both also right after a word and a dot, slash or comma ("tlf.22334455", "cpr-nr.0101901234"), and
  when two are joined by / or , ("22334455/26354460", "22334455,0101901234"); a number after a digit
  and a dot, slash or comma ("3.22334455", "1,22334455") is part of a longer number and stays.
- E-mail addresses, also written "jens (at) example.dk", "jens[at]example(dot)dk" or "jens @ example.dk".
- Names from a configurable list: whole words in any case ("Fatima", "fatima", "FATIMA"), in the genitive
  ("Fatimas", "Jens'"), with any white space or _ between their parts ("Jens  Jensen", "Jens\\nJensen",
  "Jens_Jensen"), also when joined to another word by _ ("Fatima_B"), and however their letters are
  composed (the text and the names are compared in Unicode's NFC form: "é" as one character or as e
  and an accent).
  A listed name that is also an everyday Danish word ("Per", "Bo", "Hans") is masked when capitalised,
  not when written as the word in lower case ("per måned", "hans egen plan").

The original text stays in the project file only: the app, the exports and the CLI's example columns
show the masked text, and discovery and a follow-up wave embed the masked text and make their keywords and
vocabulary from it (so no name or part of an e-mail address becomes a keyword, shapes a vector or is saved
with the model). Years, amounts, percentages,
dates and ranges such as "2019", "2019-2023", "25.000 kr.", "12 %", "01-02-2023" or "3-5 år" are left alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

CPR_MASK, PHONE_MASK, EMAIL_MASK, NAME_MASK = "[CPR-nr.]", "[telefonnr.]", "[e-mail]", "[navn]"
MASKS = (CPR_MASK, PHONE_MASK, EMAIL_MASK, NAME_MASK)

_GAP = r"[\s\u200b-\u200d\u2060\ufeff]+"          # any run of white space, zero-width spaces too
_NAME_GAP = r"[\s_\u200b-\u200d\u2060\ufeff]+"     # between the parts of a name: white space or _
_SPACE = r"[\s\u200b-\u200d\u2060\ufeff]*"
_DASH = r"\-\u2010-\u2015\u2212"                    # -, the dashes U+2010-2015 and the minus sign
_START = rf"(?<![\w{_DASH}])(?<!\d[.,/])"        # not part of a word or of a longer number ("tlf.2233..." is)
_END = rf"(?![\w{_DASH}]|[.,/]\d)"                # not followed by more of a number

_CPR = re.compile(
    rf"{_START}(?P<day>\d{{2}})(?P<sep>[./{_DASH}]?)(?P<month>\d{{2}})(?P=sep)(?P<year>\d{{2}})"
    rf"(?P<gap>[{_DASH}]{{1,2}}|/|{_GAP})?\d{{4}}{_END}")

_EIGHT = rf"(?:\d{{2}}(?P<p>[./{_DASH}])\d{{2}}(?P=p)\d{{2}}(?P=p)\d{{2}}|\d{{4}}/\d{{4}}|\d{{2}}(?:{_SPACE}\d{{2}}){{3}})"
_PHONE = re.compile(
    rf"(?<!\+){_START}(?:(?:\+|00)45(?:[{_DASH}]|{_SPACE}){_EIGHT}"
    rf"|[1-9]\d(?P<s>[./{_DASH}])\d{{2}}(?P=s)\d{{2}}(?P=s)\d{{2}}"     # 12-34-56-78, 23.45.67.88
    rf"|[2-9]\d{{3}}[/{_DASH}]\d{{4}}"                                # 2345/6789, 2345-6789
    rf"|[2-9]\d(?:{_SPACE}\d{{2}}){{3}}){_END}")                    # 22334455, 22 33 44 55, 2233 4455
_YEARS = re.compile(r"(?:19|20)\d\d\D+(?:19|20)\d\d")             # "2019/2020", "2019 2020": two years
_ROUND_RANGE = re.compile(rf"\d{{3}}0[{_DASH}]\d{{3}}0")            # "2500-3000": an amount from-to
_NUMBER = rf"(?:\d{{6}}[{_DASH}]?\d{{4}}|\d{{8}})(?!\d)"           # a CPR or phone number written together
_JOINED = re.compile(rf"{_START}{_NUMBER}(?:[/,]{_NUMBER})+{_END}")   # "22334455/26354460", "22334455,0101901234"


def _spelled(words: str) -> str:
    """'(at)', '[at]', ' (dot) ': a word in brackets standing for a character of an e-mail address."""
    return rf"{_SPACE}[(\[{{<]{_SPACE}(?:{words}){_SPACE}[)\]}}>]{_SPACE}"


_AT = rf"(?:[ \t]?@[ \t]?|{_spelled('at|snabel-?a')})"
_DOT = rf"(?:\.|{_spelled('dot|punktum|prik')})"
_EMAIL = re.compile(rf"(?<![\w.+-])[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[a-z]{{2,}}(?![\w-])", re.IGNORECASE)

# Listed names that are also everyday Danish words: written as the word (lower case) they stay.
DANISH_WORDS = frozenset({
    "per", "bo", "han", "hans", "ask", "aske", "sten", "storm", "mark", "dag", "bjørn", "ravn", "sol", "lærke",
    "karl", "birk", "ture", "maj", "kaj", "bue", "tage", "gry", "anker", "helle", "svend", "line", "liv",
    "skov", "lund", "holm", "dal", "vang", "bak", "kim", "sejr", "ulv", "lykke",
})


def _is_date(day: str, month: str, year: str) -> bool:
    try:
        date(2000 + int(year), int(month), int(day))     # any century: only day and month are checked
        return True
    except ValueError:
        return int(day) == 29 and int(month) == 2           # 29 February of a leap year of another century


def _cpr(match: re.Match) -> str:
    if not _is_date(match["day"], match["month"], match["year"]):
        return match.group(0)
    if match["sep"] and match["gap"] and match["gap"].isspace():     # "den 01.02.23 1500 kr.": a date, then a number
        return match.group(0)
    return CPR_MASK


def _phone(match: re.Match) -> str:
    found = match.group(0)
    return found if _YEARS.fullmatch(found) or _ROUND_RANGE.fullmatch(found) else PHONE_MASK


def _numbers(text: str) -> str:
    """CPR and phone numbers masked (the e-mail addresses are masked before)."""
    return _PHONE.sub(_phone, _CPR.sub(_cpr, text))


def _joined(match: re.Match) -> str:
    """Numbers joined by / or ,: each masked as if it stood alone."""
    return re.sub(r"[^/,]+", lambda part: _numbers(part.group(0)), match.group(0))


@lru_cache(maxsize=512)
def _name_pattern(names: tuple[str, ...]) -> re.Pattern:
    """Whole words in any case, any white space or _ between the parts, optionally in the genitive;
    _ ends a word ("Fatima_B")."""
    spelled = "|".join(_NAME_GAP.join(re.escape(part) for part in n.split()) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{spelled})(?:s|['’]s|(?<=[sxz])['’])?(?![^\W_])", re.IGNORECASE)


def _name(match: re.Match) -> str:
    found = match.group(0)
    return found if found.islower() and found in DANISH_WORDS else NAME_MASK


def _nfc(text: str) -> str:
    """One way of writing each letter: "é" as one character, not e and a combining accent."""
    return unicodedata.normalize("NFC", text)


_TOKEN = re.compile(r"[^\W_]+")                  # a word; _ joins words ("Fatima_B")


@dataclass(frozen=True)
class Masker:
    """mask(text) -> text with personal data replaced. `enabled=False` returns texts unchanged."""

    names: tuple[str, ...] = ()
    enabled: bool = True

    def __post_init__(self):
        by_word = {}                    # a name's first word (lower case) -> the listed names starting with it
        for name in {" ".join(_nfc(n).split()) for n in self.names if n and n.strip()}:
            first = _TOKEN.search(name)
            by_word.setdefault(first.group(0).lower() if first else "", set()).add(name)
        object.__setattr__(self, "_by_word", {w: tuple(sorted(ns)) for w, ns in by_word.items()})

    def _names_in(self, text: str) -> tuple[str, ...]:
        """The listed names whose first word the text has (also in the genitive): the few to look for."""
        words = {w.lower() for w in _TOKEN.findall(text)}
        words |= {w[:-1] for w in words if w.endswith("s")} | {""}
        return tuple(sorted({n for w in words for n in self._by_word.get(w, ())}))

    def mask(self, text) -> str:
        if not self.enabled or not isinstance(text, str) or not text:
            return text
        text = _EMAIL.sub(EMAIL_MASK, _nfc(text))
        text = _numbers(_JOINED.sub(_joined, text))
        names = self._names_in(text) if self._by_word else ()
        return _name_pattern(names).sub(_name, text) if names else text

    __call__ = mask


NO_MASK = Masker(enabled=False)


def masker_for(config) -> Masker:
    """The masking a survey description asks for ([privacy] in the TOML); on by default."""
    privacy = getattr(config, "privacy", None)
    if privacy is None:
        return Masker()
    return Masker(tuple(privacy.names), privacy.mask)
