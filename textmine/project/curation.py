"""Themes as data: each curation action is a pure function from one State to the next.

A State holds the themes and, per answer, its primary theme (None = unplaced, NOT_AN_ANSWER = the
"Ikke et svar" bin), optional second theme and whether the analyst has reviewed its placement (confirmed
it, or moved the answer there: the review queue leaves those out and learns from them). Theme ids only grow: a new theme takes `next_id`, which
no action lowers, so an id never names two themes in one project. A final theme is locked: nothing is
moved into or out of it until it is reopened. A theme's quotes are answers the analyst pinned for the report,
in order; they are always answers of the theme (one moved away stops being its quote). Nothing here touches a
file or BERTopic: the store saves states and their differences, and a split's new groups come from the
clustering code as plain labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType

from ..errors import TextmineError

DEFAULT_NAME = re.compile(r"^Klynge \d+$")   # a theme's name until the analyst gives it one (from_clusters)
NOT_AN_ANSWER = -1                      # the primary "theme" of an answer that says nothing (placeholders, ...)
UNPLACED = -2                           # an unplaced answer's "theme" where it must be a number (the page's list)
NOT_AN_ANSWER_NAME = "Ikke et svar"
UNPLACED_NAME = "Ikke placeret"


def special_name(theme_id) -> str | None:
    """The name of an id that is no theme: *Ikke placeret* for None or UNPLACED, *Ikke et svar* for
    NOT_AN_ANSWER; None for a theme's own id (its name is the theme's)."""
    if theme_id is None or theme_id == UNPLACED:
        return UNPLACED_NAME
    return NOT_AN_ANSWER_NAME if theme_id == NOT_AN_ANSWER else None


class CurationError(TextmineError):
    """An action that cannot be done as asked (unknown theme, nothing selected, ...)."""


@dataclass(frozen=True)
class Theme:
    id: int
    name: str
    description: str = ""
    final: bool = False
    clusters: tuple[int, ...] = ()          # the discovered clusters behind the theme
    quotes: tuple = ()                      # answers pinned as the report's quotes, in the analyst's order
    suggested: bool = False                 # the name (and description) is textmine's suggestion, not the analyst's


def unnamed(theme: Theme) -> bool:
    """Has the analyst not yet chosen the theme's name? Still "Klynge N", or a suggested name not yet accepted or
    renamed: what the name suggestions and the tree's choice of a branch's name treat as no name."""
    return theme.suggested or bool(DEFAULT_NAME.match(theme.name))


@dataclass(frozen=True)
class State:
    themes: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))     # id -> Theme
    primary: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))    # answer -> id | None
    second: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))     # answer -> id
    next_id: int = field(default=0, compare=False)        # the id the next new theme gets (never lowered)
    reviewed: frozenset = frozenset()                    # answers whose placement the analyst decided
    corrected: frozenset = frozenset()                   # ... of them, those the analyst moved to another theme

    @classmethod
    def build(cls, themes, primary, second=None, next_id: int = 0, reviewed=(), corrected=()) -> "State":
        themes, primary = _quoted(dict(themes), dict(primary)), dict(primary)
        reviewed = frozenset(a for a in reviewed if primary.get(a) is not None)
        return cls(MappingProxyType(themes), MappingProxyType(primary), MappingProxyType(dict(second or {})),
                   max(next_id, max(themes, default=-1) + 1), reviewed, frozenset(corrected) & reviewed)

    @cached_property
    def _placed(self) -> dict:
        """theme id (None: unplaced) -> its answers in placement order: one pass over the answers per state (a
        State never changes), not one per question asked of it (at 100,000 answers a page asked five)."""
        groups: dict = {}
        for a, tid in self.primary.items():
            groups.setdefault(tid, []).append(a)
        return groups

    def sizes(self) -> dict[int, int]:
        return {tid: len(self._placed.get(tid, ())) for tid in self.themes}

    def second_sizes(self) -> dict[int, int]:
        """Answers that have each theme as their second theme."""
        counts = {tid: 0 for tid in self.themes}
        for tid in self.second.values():
            counts[tid] += 1
        return counts

    def members(self, theme_id: int) -> list:
        return list(self._placed.get(theme_id, ()))

    def unplaced(self) -> list:
        return self.members(None)

    def not_answers(self) -> list:
        return self.members(NOT_AN_ANSWER)

    def base(self) -> int:
        """The base (n) of every theme share: the answers that say something, i.e. all but those in *Ikke et
        svar* (unplaced answers count). A respondent has one answer per question, so it is also the number of
        respondents with an answer that says something (projectdata.answer_base on a table)."""
        return len(self.primary) - len(self.not_answers())

    def _with(self, themes=None, primary=None, second=None, next_id: int | None = None, reviewed=None,
              corrected=None) -> "State":
        """A changed copy; an answer that becomes unplaced is no longer reviewed (State.build)."""
        return State.build(self.themes if themes is None else themes, self.primary if primary is None else primary,
                           self.second if second is None else second, self.next_id if next_id is None else next_id,
                           self.reviewed if reviewed is None else reviewed,
                           self.corrected if corrected is None else corrected)


def _quoted(themes: dict, primary: dict) -> dict:
    """The themes with only the quotes that are still theirs: a pinned answer moved to another theme (or
    unplaced) is no longer a quote of the theme it left."""
    for tid, theme in themes.items():
        kept = tuple(a for a in theme.quotes if primary.get(a) == tid)
        if kept != theme.quotes:
            themes[tid] = replace(theme, quotes=kept)
    return themes


def from_clusters(clusters: dict, names: dict[int, str] | None = None, descriptions: dict[int, str] | None = None,
                  finals: dict[int, bool] | None = None, suggested=()) -> State:
    """The starting state: one theme per discovered cluster (-1 = unplaced), numbered as the clusters;
    a theme without a name is called "Klynge N" with N counted from 1; the clusters in `suggested` have a
    suggested name (Theme.suggested)."""
    ids = sorted({c for c in clusters.values() if c is not None and c >= 0})
    themes = {c: Theme(c, (names or {}).get(c, f"Klynge {c + 1}"), (descriptions or {}).get(c, ""),
                       bool((finals or {}).get(c, False)), (c,), suggested=c in set(suggested) and c in (names or {}))
              for c in ids}
    return State.build(themes, {a: (c if c is not None and c >= 0 else None) for a, c in clusters.items()})


def _theme(state: State, theme_id: int) -> Theme:
    if theme_id not in state.themes:
        raise CurationError("Temaet findes ikke (længere). Genindlæs siden.")
    return state.themes[theme_id]


def _open(state: State, theme_id: int | None) -> None:
    """Refuse to change what is in a final theme."""
    if theme_id is not None and theme_id in state.themes and state.themes[theme_id].final:
        raise CurationError(f"Temaet »{state.themes[theme_id].name}« er markeret som endeligt. "
                            "Genåbn det først, hvis det skal ændres.")


def _answers(state: State, answers) -> list:
    answers = list(answers)
    if not answers:
        raise CurationError("Vælg mindst ét svar.")
    unknown = [a for a in answers if a not in state.primary]
    if unknown:
        raise CurationError(f"Svaret {unknown[0]} findes ikke i projektet.")
    return answers


def _seconds(second: dict, primary: dict) -> dict:
    """The second themes that still mean something: only a placed answer has one, and never its first theme."""
    return {a: t for a, t in second.items() if primary[a] not in (None, NOT_AN_ANSWER, t)}


def rename(state: State, theme_id: int, name: str, description: str | None = None) -> State:
    name = name.strip()
    if not name:
        raise CurationError("Et tema skal have et navn.")
    theme = _theme(state, theme_id)
    kept = description is None or description.strip() == theme.description
    new = replace(theme, name=name, suggested=False,             # renamed or accepted: the analyst's name from now on
                  description=_follows(theme.description, theme.name, name) if kept else description.strip())
    return state._with(themes={**state.themes, theme_id: new})


def _follows(description: str, old: str, new: str) -> str:
    """A description that begins with the theme's name (a suggestion, "Gode match (virksomhed, passe, lokale)")
    with the theme's new name in its place: renamed, the report's description no longer names the old one."""
    if old != new and (description == old or description.startswith(old + " (")):
        return new + description[len(old):]
    return description


def suggest(state: State, names: dict) -> State:
    """Give themes not yet named by the analyst (`unnamed`) a suggested name and description: `names` maps a
    theme id to [name, description]. A theme the analyst has named is left as it is; one that does not exist is
    refused (CurationError), like every action naming a theme."""
    themes = dict(state.themes)
    for tid, (name, description) in names.items():
        theme = _theme(state, int(tid))
        if unnamed(theme) and str(name).strip():
            themes[theme.id] = replace(theme, name=str(name).strip(), description=str(description).strip(),
                                       suggested=True)
    return state._with(themes=themes)


def merge(state: State, theme_ids, name: str | None = None) -> State:
    """Merge themes into the first one; their answers and clusters go with them."""
    ids = list(dict.fromkeys(theme_ids))
    if len(ids) < 2:
        raise CurationError("Vælg mindst to temaer at slå sammen.")
    keep, *others = [_theme(state, t) for t in ids]
    for t in ids:
        _open(state, t)
    gone = {t.id for t in others}
    clusters = tuple(sorted({c for t in (keep, *others) for c in t.clusters}))
    themes = {i: t for i, t in state.themes.items() if i not in gone}
    quotes = tuple(dict.fromkeys(a for t in (keep, *others) for a in t.quotes))
    name = (name or keep.name).strip()
    named_by = next((t for t in (keep, *others) if t.name == name), None)     # whose name the merged theme takes
    described = named_by.description if named_by else _follows(keep.description, keep.name, name)
    themes[keep.id] = replace(keep, name=name, clusters=clusters, final=False, quotes=quotes,
                              suggested=bool(named_by and named_by.suggested), description=described)
    primary = {a: (keep.id if t in gone else t) for a, t in state.primary.items()}
    second = {a: (keep.id if t in gone else t) for a, t in state.second.items()}
    return state._with(themes, primary, {a: t for a, t in second.items() if t != primary[a]})


def split(state: State, theme_id: int, labels: dict, names: list[str] | None = None) -> State:
    """Split a theme by `labels` (answer -> 0..k-1, from re-clustering its answers): the answers of
    label 0 stay, every other label becomes a new theme."""
    theme = _theme(state, theme_id)
    _open(state, theme_id)
    members = set(state.members(theme_id))
    if set(labels) != members:
        raise CurationError("Opdelingen skal omfatte præcis temaets svar.")
    groups = sorted(set(labels.values()))
    if len(groups) < 2:
        raise CurationError("Temaet kunne ikke deles i flere grupper.")
    themes, primary, next_id = dict(state.themes), dict(state.primary), state.next_id
    for n, group in enumerate(groups[1:], start=1):
        name = names[n] if names and n < len(names) else f"{theme.name} ({n + 1})"
        themes[next_id] = Theme(next_id, name, clusters=theme.clusters,
                                quotes=tuple(a for a in theme.quotes if labels[a] == group),
                                suggested=theme.suggested and not names)
        primary.update({a: next_id for a, g in labels.items() if g == group})
        next_id += 1
    if names:
        themes[theme_id] = replace(theme, name=names[0], suggested=False)
    second = {a: t for a, t in state.second.items() if t != primary[a]}
    return state._with(themes, primary, second, next_id)


def move(state: State, answers, theme_id: int | None) -> State:
    """Move answers to a theme (None: unplace them; NOT_AN_ANSWER: the "Ikke et svar" bin). Also places
    outliers. Answers already in the theme stay; a final theme takes none and gives none away. The analyst
    decided where the answers go, so they count as reviewed (unplaced ones do not), and those that changed
    theme as corrected (their theme was wrong when the analyst read them: the check sample's outcome)."""
    answers = _answers(state, answers)
    if theme_id not in (None, NOT_AN_ANSWER):
        _theme(state, theme_id)
    _open(state, theme_id)
    for a in answers:
        if state.primary[a] != theme_id:
            _open(state, state.primary[a])
    changed = {a for a in answers if state.primary[a] != theme_id}
    primary = {**state.primary, **{a: theme_id for a in answers}}
    return state._with(primary=primary, second=_seconds(state.second, primary), reviewed=state.reviewed | set(answers),
                       corrected=state.corrected | changed)


def confirm(state: State, answers) -> State:
    """Mark answers as reviewed where they are ("Rigtigt"): the analyst stands behind their placement."""
    answers = _answers(state, answers)
    loose = [a for a in answers if state.primary[a] is None]
    if loose:
        raise CurationError(f"Svaret {loose[0]} er ikke placeret. Placér det i et tema i stedet for at bekræfte det.")
    return state._with(reviewed=state.reviewed | set(answers))


def set_second(state: State, answer, theme_id: int | None) -> State:
    """Give an answer a second theme (None removes it)."""
    _answers(state, [answer])
    second = dict(state.second)
    _open(state, second.get(answer))
    if theme_id is None:
        second.pop(answer, None)
    else:
        _theme(state, theme_id)
        _open(state, theme_id)
        if state.primary[answer] in (None, NOT_AN_ANSWER):
            raise CurationError("Placér svaret i et tema, før det får et andet tema.")
        if state.primary[answer] == theme_id:
            raise CurationError("Det andet tema skal være et andet end svarets første tema.")
        second[answer] = theme_id
    return state._with(second=second)


def delete(state: State, theme_id: int) -> State:
    """Delete a theme; its answers become unplaced."""
    _theme(state, theme_id)
    _open(state, theme_id)
    themes = {i: t for i, t in state.themes.items() if i != theme_id}
    primary = {a: (None if t == theme_id else t) for a, t in state.primary.items()}
    return state._with(themes, primary, _seconds({a: t for a, t in state.second.items() if t != theme_id}, primary))


def mark_final(state: State, theme_id: int, final: bool = True) -> State:
    """Mark a theme as final (locked), or reopen it with final=False."""
    theme = _theme(state, theme_id)
    return state._with(themes={**state.themes, theme_id: replace(theme, final=bool(final))})


def pin_quote(state: State, answers, pinned: bool = True) -> State:
    """Pin answers as quotes of their (first) theme, after the ones pinned before: the report uses a theme's
    pinned quotes, in this order, instead of its typical answers. pinned=False unpins them."""
    answers = list(dict.fromkeys(_answers(state, answers)))
    loose = [a for a in answers if state.primary[a] in (None, NOT_AN_ANSWER)]
    if loose:
        raise CurationError("Et valgt svar er ikke placeret i et tema. Placér det i et tema, før det bruges "
                            "som citat.")
    themes = dict(state.themes)
    for a in answers:
        theme = themes[state.primary[a]]
        quotes = (*theme.quotes, a) if pinned else tuple(q for q in theme.quotes if q != a)
        themes[theme.id] = replace(theme, quotes=tuple(dict.fromkeys(quotes)))
    if themes == dict(state.themes):
        raise CurationError("De valgte svar er allerede citater." if pinned else
                            "Ingen af de valgte svar er valgt som citat.")
    return state._with(themes=themes)


def create(state: State, name: str, description: str = "", answers=()) -> State:
    """A new theme, empty or with `answers` moved into it (as `move` moves them: the ones picked from a final
    theme are refused, and all count as reviewed), in one step."""
    name = (name or "").strip()
    if not name:
        raise CurationError("Et tema skal have et navn.")
    answers = list(answers or ())
    if answers:
        _answers(state, answers)
    theme = Theme(state.next_id, name, (description or "").strip())
    state = state._with(themes={**state.themes, theme.id: theme}, next_id=state.next_id + 1)
    return move(state, answers, theme.id) if answers else state


def restore(state: State, themes: list[dict], primary: dict, second: dict) -> State:
    """Replace every theme and placement at once (a codebook import): `themes` are rows (name, description,
    final, clusters, quotes: answers pinned, kept where the answer is placed under the theme) that get new ids in order; `primary`/`second` map answers to an index into `themes`
    (None = unplaced, NOT_AN_ANSWER = not an answer). Answers not named stay unplaced."""
    unknown = [a for a in (*primary, *second) if a not in state.primary]
    if unknown:
        raise CurationError(f"Svaret {unknown[0]} findes ikke i projektet.")
    indices = range(len(themes))
    if any(j not in indices and j not in (None, NOT_AN_ANSWER) for j in primary.values()) or \
            any(j not in indices for j in second.values()):
        raise CurationError(f"Et svar er placeret under et tema, der ikke er blandt de {len(themes)} temaer, der "
                            "indsættes. Intet er ændret.")
    ids = [state.next_id + i for i in range(len(themes))]
    new = {ids[i]: Theme(ids[i], str(t["name"]), str(t.get("description", "")), bool(t.get("final", False)),
                         tuple(int(c) for c in t.get("clusters", ())), tuple(int(a) for a in t.get("quotes", ())))
           for i, t in enumerate(themes)}
    as_id = {None: None, NOT_AN_ANSWER: NOT_AN_ANSWER, **dict(enumerate(ids))}
    placed = {a: as_id[primary.get(a)] for a in state.primary}
    seconds = {a: ids[j] for a, j in second.items() if placed[a] not in (None, NOT_AN_ANSWER, ids[j])}
    return State.build(new, placed, seconds, state.next_id + len(themes))


ACTIONS = {"rename": rename, "merge": merge, "split": split, "move": move, "set_second": set_second,
           "delete": delete, "mark_final": mark_final, "create": create, "restore": restore, "confirm": confirm,
           "pin_quote": pin_quote, "suggest": suggest}


def run_steps(state: State, steps) -> State:
    """Several actions, one after the other: [(action, params), ...] (one undoable step in the store)."""
    for action, params in steps:
        state = ACTIONS[action](state, **params)
    return state


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def describe(action: str, params: dict) -> str:
    """An action in the analyst's words, for the undo button and the history ("sammenlægning af 3 temaer")."""
    steps = params.get("steps") or []
    text = {
        "rename": "omdøbning af et tema",
        "merge": f"sammenlægning af {_count(len(params.get('theme_ids', [])), 'tema', 'temaer')}",
        "split": "opdeling af et tema",
        "move": f"flytning af {_count(len(params.get('answers', [])), 'svar', 'svar')}",
        "confirm": f"bekræftelse af {_count(len(params.get('answers', [])), 'svar', 'svar')}",
        "set_second": "andet tema til et svar",
        "delete": "sletning af et tema",
        "mark_final": "markering som endeligt" if params.get("final", True) else "genåbning af et tema",
        "create": "nyt tema",
        "pin_quote": (f"valg af {_count(len(params.get('answers', [])), 'svar', 'svar')} som citat"
                      if params.get("pinned", True) else
                      f"fjernelse af {_count(len(params.get('answers', [])), 'citat', 'citater')}"),
        "restore": "import af en kodebog",
        "suggest": "navneforslag til temaer",
        "second_themes": f"andet tema til {_count(sum(step[0] == 'set_second' for step in steps), 'svar', 'svar')}",
        "codebook": "import af en kodebog",
        "tree_cut": f"samling til {params.get('themes')} temaer",
    }
    return text.get(action, action)
