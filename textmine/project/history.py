"""The curation history in the analyst's words: each step says what happened with the theme names as they were
at the time ("flyttede 3 svar fra »Rekruttering« til »Match«: »Vi skal …«").

The audit log keeps, per step, the rows it changed before and after (store.diff). Walking it back from the
themes as they are now gives every step's names before and after it; a moved answer's theme before the move is
in the step's own rows. Answer texts are only quoted through `quote` (the caller's masked texts), never read
here. Nothing here touches a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..fmt import cut as fmt_cut
from ..fmt import name_label, number
from .curation import NOT_AN_ANSWER, special_name
from .curation import describe as action_noun

QUOTED = 2                          # answers quoted per step
QUOTE_CHARS = 40                    # characters of a quoted answer before it is cut with "…"
LISTED = 4                          # theme names listed in a merge before "og N andre"
NAME_CHARS = 300                    # characters of a theme name before it is cut with "…" (the name box has it all)


@dataclass(frozen=True)
class Then:
    """What a step's words need of the project as it was: theme names before and after the step (id -> name),
    the step's changed rows before and after (store.diff's sides) and the answers' shown (masked) texts."""

    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    rows_before: dict = field(default_factory=dict)
    rows_after: dict = field(default_factory=dict)
    quote: Callable[[int], str] | None = None


def replayed(names: dict, side: dict | None) -> dict:
    """The theme names once a side's theme rows are written (a row None: the theme is gone)."""
    names = dict(names)
    for tid, row in ((side or {}).get("themes") or {}).items():
        if row is None:
            names.pop(int(tid), None)
        else:
            names[int(tid)] = row["name"]
    return names


def sentence(text: str) -> str:
    """The first letter upper case, the rest as written (theme names keep their case)."""
    return text[:1].upper() + text[1:]


def cut(text: str, limit: int = QUOTE_CHARS) -> str:
    """A quoted answer (or a button's words) cut with "…" after `limit` characters (fmt.cut)."""
    return fmt_cut(text, limit)


def _name(names: dict, theme) -> str:
    special = special_name(theme)
    if special is not None:
        return f"»{special}«"
    return f"»{name_label(names[theme], NAME_CHARS)}«" if theme in names else f"tema nr. {int(theme) + 1}"


def _listing(parts: list[str]) -> str:
    """'A', 'A og B', 'A, B og C'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]


def _quotes(answers: list, then: Then) -> str:
    if then.quote is None or not answers:
        return ""
    shown = [f"»{cut(then.quote(a))}«" for a in answers[:QUOTED]]
    return ": " + ", ".join(shown) + (", …" if len(answers) > QUOTED else "")


def _came_from(answers: list, then: Then) -> str:
    """' fra »A«' (or 'fra »A« og »B«', 'fra 3 temaer'): where the moved answers were before the step."""
    placement = then.rows_before.get("placement") or {}
    sources = list(dict.fromkeys(placement[str(a)][0] for a in answers if str(a) in placement))
    if not sources:
        return ""
    if len(sources) > 2:
        return f" fra {number(len(sources))} temaer"
    return " fra " + _listing([_name(then.before, t) for t in sources])


def _answers(n: int) -> str:
    return f"{number(n)} svar"


def _merge(params: dict, then: Then) -> str:
    ids = list(dict.fromkeys(params.get("theme_ids", [])))
    names = [_name(then.before, t) for t in ids]
    if len(names) > LISTED:
        names = names[:LISTED - 1] + [f"{number(len(names) - LISTED + 1)} andre"]
    into = _name(then.after, ids[0]) if ids else "et tema"
    return f"slog {_listing(names)} sammen til {into}" if names else "slog temaer sammen"


def _rename(params: dict, then: Then) -> str:
    tid = params.get("theme_id")
    old, new = _name(then.before, tid), _name(then.after, tid)
    if old != new:
        return f"omdøbte {old} til {new}"
    before, after = (side.get("themes", {}).get(str(tid)) or {} for side in (then.rows_before, then.rows_after))
    if before.get("suggested") and not after.get("suggested"):      # the suggested name, kept: accepted
        return f"godkendte navnet {new}" + (" med en ny beskrivelse" if before.get("description") !=
                                            after.get("description") else "")
    return f"ændrede beskrivelsen af {new}"


def _move(params: dict, then: Then) -> str:
    answers = list(params.get("answers", []))
    return (f"flyttede {_answers(len(answers))}{_came_from(answers, then)} til "
            f"{_name(then.after, params.get('theme_id'))}{_quotes(answers, then)}")


def _create(params: dict, then: Then) -> str:
    answers = list(params.get("answers") or [])
    name = f"»{str(params.get('name', '')).strip()}«"
    if not answers:
        return f"oprettede {name}"
    return f"oprettede {name} med {_answers(len(answers))}{_came_from(answers, then)}{_quotes(answers, then)}"


def _second(params: dict, then: Then) -> str:
    steps = params.get("steps") or [["set_second", params]]
    seconds = [p for a, p in steps if a == "set_second"]
    answers = [p["answer"] for p in seconds]
    theme = seconds[0].get("theme_id") if seconds else None
    if theme is None:
        return f"fjernede det andet tema fra {_answers(len(answers))}{_quotes(answers, then)}"
    return f"gav {_answers(len(answers))} {_name(then.after, theme)} som andet tema{_quotes(answers, then)}"


def _pin(params: dict, then: Then) -> str:
    answers = list(params.get("answers", []))
    ids = [int(t) for t in (then.rows_after.get("themes") or {})]
    where = " under " + _listing([_name(then.after, t) for t in ids]) if ids else ""
    if params.get("pinned", True):
        return f"valgte {_answers(len(answers))} som citat{where}{_quotes(answers, then)}"
    quotes = "citat" if len(answers) == 1 else "citater"
    return f"fjernede {number(len(answers))} {quotes}{where}{_quotes(answers, then)}"


WORDS = {
    "rename": _rename,
    "merge": _merge,
    "split": lambda p, t: (f"delte {_name(t.before, p.get('theme_id'))} i "
                           f"{number(len(set((p.get('labels') or {}).values())))}"),
    "move": _move,
    "confirm": lambda p, t: (f"bekræftede {_answers(len(p.get('answers', [])))}"
                             f"{_quotes(list(p.get('answers', [])), t)}"),
    "set_second": _second,
    "second_themes": _second,
    "delete": lambda p, t: f"slettede {_name(t.before, p.get('theme_id'))}",
    "mark_final": lambda p, t: (f"markerede {_name(t.after, p.get('theme_id'))} som endeligt"
                                if p.get("final", True) else f"genåbnede {_name(t.after, p.get('theme_id'))}"),
    "create": _create,
    "pin_quote": _pin,
    "restore": lambda p, t: f"importerede en kodebog med {number(len(p.get('themes', [])))} temaer",
    "codebook": lambda p, t: "importerede en kodebog",
    "tree_cut": lambda p, t: f"samlede temaerne efter lighed til {number(p.get('themes', 0))} temaer",
    "suggest": lambda p, t: f"foreslog navne til {number(len(p.get('names', {})))} temaer",
}


def describe(action: str, params: dict, then: Then | None = None) -> str:
    """A step in the analyst's words, lower case first ("omdøbte »Klynge 7« til »Match«"); an action without
    words of its own is named as curation.describe names it."""
    words = WORDS.get(action)
    return words(params, then or Then()) if words else action_noun(action, params)


def concerned(params: dict, before: dict | None, after: dict | None) -> frozenset:
    """The themes a step concerns (for the history's filter): those it names, changed, or moved answers from or to."""
    ids = {params.get("theme_id"), *params.get("theme_ids", [])}
    ids |= {p.get("theme_id") for _, p in params.get("steps") or []}
    for side in (before or {}, after or {}):
        ids |= {int(t) for t in side.get("themes") or {}}
        ids |= {t for row in (side.get("placement") or {}).values() for t in row}
    return frozenset(int(t) for t in ids if t is not None and t != NOT_AN_ANSWER and int(t) >= 0)


def steps_in_words(rows: list[dict], names_now: dict, quote=None) -> list[tuple[str, frozenset]]:
    """Each audit row (seq, kind, action, and params, before, after read from JSON; oldest first) in words, with
    the themes it concerns; an undo or redo row gets the words of the step it undid or redid (its target)."""
    names, said = dict(names_now), {}
    for row in reversed(rows):
        earlier = replayed(names, row["before"])
        if row["kind"] == "action":
            then = Then(earlier, names, row["before"] or {}, row["after"] or {}, quote)
            said[row["seq"]] = (describe(row["action"], row["params"], then),
                                concerned(row["params"], row["before"], row["after"]))
        names = earlier
    return [said[row["seq"]] if row["kind"] == "action" else
            said.get(row.get("target"), (describe(row["action"], {}), frozenset())) for row in rows]
