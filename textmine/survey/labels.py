"""Words for a survey's codes: a column name as words, a Likert item's statement, the report's grouping."""

from __future__ import annotations

import json
from pathlib import Path

from ..config import SurveyConfig
from ..errors import ConfigError

REPORT_GROUPS = "Rapportens grupper"     # the choice of the report's own groups (leaders/employees, near/far)


def column_label(column: str) -> str:
    """A column name as words: 'socialfagligt_uddannet' -> 'Socialfagligt uddannet'."""
    words = str(column).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def item_texts(config: SurveyConfig) -> dict[str, str]:
    """Likert item code -> its statement, from the file the config's [likert] item_texts names (a JSON with
    items.<code>.text, as data/report_targets.json); {} without one. A file that is missing or cannot be read
    as such a JSON is refused (ConfigError), not taken as no texts."""
    name = config.likert.item_texts
    if not name or config.path is None:
        return {}
    path = Path(config.path).parent / name
    where = f"Filen med Likert-spørgsmålenes tekster ({path}, item_texts under [likert] i {Path(config.path).name})"
    try:
        items = json.loads(path.read_text(encoding="utf-8")).get("items", {})
    except FileNotFoundError:
        raise ConfigError(f"{where} findes ikke. Læg den tilbage, eller fjern item_texts fra beskrivelsen.") from None
    except (OSError, ValueError, AttributeError) as exc:
        why = f"linje {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
        raise ConfigError(f"{where} kan ikke læses som JSON med spørgsmålenes tekster under \"items\" ({why}). "
                          "Ret filen, eller fjern item_texts fra beskrivelsen.") from None
    if not isinstance(items, dict):
        raise ConfigError(f"{where} skal have spørgsmålenes tekster under \"items\" som "
                          "{\"kode\": {\"text\": \"…\"}}. Ret filen, eller fjern item_texts fra beskrivelsen.")
    return {code: str(item.get("text", code)) for code, item in items.items() if isinstance(item, dict)}


def item_label(texts: dict[str, str], code: str) -> str:
    text = texts.get(code)
    return f"{text[:1].upper()}{text[1:]}" if text else column_label(code)
