"""Themes as data: each curation action is a pure function from one State to the next.

A State holds the themes and, per answer, its primary theme (None = unplaced) and optional second
theme. Nothing here touches a file or BERTopic: the store saves states and their differences, and
a split's new groups come from the clustering code as plain labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType

from .errors import TextmineError


class CurationError(TextmineError):
    """An action that cannot be done as asked (unknown theme, nothing selected, ...)."""


@dataclass(frozen=True)
class Theme:
    id: int
    name: str
    description: str = ""
    final: bool = False
    clusters: tuple[int, ...] = ()          # the discovered clusters behind the theme


@dataclass(frozen=True)
class State:
    themes: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))     # id -> Theme
    primary: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))    # answer -> id | None
    second: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))     # answer -> id

    @classmethod
    def build(cls, themes, primary, second=None) -> "State":
        return cls(MappingProxyType(dict(themes)), MappingProxyType(dict(primary)), MappingProxyType(dict(second or {})))

    def sizes(self) -> dict[int, int]:
        counts = {tid: 0 for tid in self.themes}
        for tid in self.primary.values():
            if tid is not None:
                counts[tid] += 1
        return counts

    def members(self, theme_id: int) -> list:
        return [a for a, t in self.primary.items() if t == theme_id]

    def unplaced(self) -> list:
        return [a for a, t in self.primary.items() if t is None]

    def _with(self, themes=None, primary=None, second=None) -> "State":
        return State.build(self.themes if themes is None else themes, self.primary if primary is None else primary,
                           self.second if second is None else second)


def from_clusters(clusters: dict, names: dict[int, str] | None = None) -> State:
    """The starting state: one theme per discovered cluster (-1 = unplaced)."""
    ids = sorted({c for c in clusters.values() if c is not None and c >= 0})
    themes = {c: Theme(c, (names or {}).get(c, f"Klynge {c}"), clusters=(c,)) for c in ids}
    return State.build(themes, {a: (c if c is not None and c >= 0 else None) for a, c in clusters.items()})


def _theme(state: State, theme_id: int) -> Theme:
    if theme_id not in state.themes:
        raise CurationError(f"Temaet {theme_id} findes ikke (længere). Genindlæs siden.")
    return state.themes[theme_id]


def _answers(state: State, answers) -> list:
    answers = list(answers)
    if not answers:
        raise CurationError("Vælg mindst ét svar.")
    unknown = [a for a in answers if a not in state.primary]
    if unknown:
        raise CurationError(f"Svaret {unknown[0]} findes ikke i projektet.")
    return answers


def rename(state: State, theme_id: int, name: str, description: str | None = None) -> State:
    name = name.strip()
    if not name:
        raise CurationError("Et tema skal have et navn.")
    theme = _theme(state, theme_id)
    new = replace(theme, name=name, description=theme.description if description is None else description.strip())
    return state._with(themes={**state.themes, theme_id: new})


def merge(state: State, theme_ids, name: str | None = None) -> State:
    """Merge themes into the first one; their answers and clusters go with them."""
    ids = list(dict.fromkeys(theme_ids))
    if len(ids) < 2:
        raise CurationError("Vælg mindst to temaer at slå sammen.")
    keep, *others = [_theme(state, t) for t in ids]
    gone = {t.id for t in others}
    clusters = tuple(sorted({c for t in (keep, *others) for c in t.clusters}))
    themes = {i: t for i, t in state.themes.items() if i not in gone}
    themes[keep.id] = replace(keep, name=(name or keep.name).strip(), clusters=clusters, final=False)
    primary = {a: (keep.id if t in gone else t) for a, t in state.primary.items()}
    second = {a: (keep.id if t in gone else t) for a, t in state.second.items()}
    return state._with(themes, primary, {a: t for a, t in second.items() if t != primary[a]})


def split(state: State, theme_id: int, labels: dict, names: list[str] | None = None) -> State:
    """Split a theme by `labels` (answer -> 0..k-1, from re-clustering its answers): the answers of
    label 0 stay, every other label becomes a new theme."""
    theme = _theme(state, theme_id)
    members = set(state.members(theme_id))
    if set(labels) != members:
        raise CurationError("Opdelingen skal omfatte præcis temaets svar.")
    groups = sorted(set(labels.values()))
    if len(groups) < 2:
        raise CurationError("Temaet kunne ikke deles i flere grupper.")
    themes, primary = dict(state.themes), dict(state.primary)
    next_id = max(state.themes) + 1
    for n, group in enumerate(groups[1:], start=1):
        name = names[n] if names and n < len(names) else f"{theme.name} ({n + 1})"
        themes[next_id] = Theme(next_id, name, clusters=theme.clusters)
        primary.update({a: next_id for a, g in labels.items() if g == group})
        next_id += 1
    if names:
        themes[theme_id] = replace(theme, name=names[0])
    return state._with(themes, primary)


def move(state: State, answers, theme_id: int | None) -> State:
    """Move answers to a theme (None: unplace them). Also places outliers."""
    answers = _answers(state, answers)
    if theme_id is not None:
        _theme(state, theme_id)
    primary = {**state.primary, **{a: theme_id for a in answers}}
    second = {a: t for a, t in state.second.items() if t != primary[a]}
    return state._with(primary=primary, second=second)


def set_second(state: State, answer, theme_id: int | None) -> State:
    """Give an answer a second theme (None removes it)."""
    _answers(state, [answer])
    second = dict(state.second)
    if theme_id is None:
        second.pop(answer, None)
    else:
        _theme(state, theme_id)
        if state.primary[answer] == theme_id:
            raise CurationError("Det andet tema skal være et andet end svarets første tema.")
        second[answer] = theme_id
    return state._with(second=second)


def delete(state: State, theme_id: int) -> State:
    """Delete a theme; its answers become unplaced."""
    _theme(state, theme_id)
    themes = {i: t for i, t in state.themes.items() if i != theme_id}
    primary = {a: (None if t == theme_id else t) for a, t in state.primary.items()}
    return state._with(themes, primary, {a: t for a, t in state.second.items() if t != theme_id})


def mark_final(state: State, theme_id: int, final: bool = True) -> State:
    theme = _theme(state, theme_id)
    return state._with(themes={**state.themes, theme_id: replace(theme, final=final)})


ACTIONS = {"rename": rename, "merge": merge, "split": split, "move": move, "set_second": set_second,
           "delete": delete, "mark_final": mark_final}
