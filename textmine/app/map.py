"""The map tab's points: the largest themes in distinct colours, every other answer grey."""

from __future__ import annotations

import html
import re

import pandas as pd

from ..fmt import name_label
from ..project.themes import Snapshot, map_points, theme_name
from .choices import UNPLACED

MAP_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
               "#bcbd22", "#393b79")
OTHER_COLOUR = "#c7c7c7"
LEGEND_CHARS = 48                  # a theme name in the legend: cut with "…" so the map keeps its width


def map_groups(snap: Snapshot, themes: pd.DataFrame, top: int = len(MAP_COLOURS), limit: int = 3000) -> pd.DataFrame:
    """The map's points (x, y, theme_id, Tema, Svar, group, colour, rank: the legend's order): the `top` largest themes in distinct colours,
    every other answer grey as 'Øvrige temaer' (or unplaced); cached per snapshot."""
    key = ("map", top, limit)
    if key in snap._cache:
        return snap._cache[key]

    points = map_points(snap, limit).dropna(subset=["x", "y"]).copy()
    largest = [int(t) for t in themes["theme_id"].head(top)]
    colour = dict(zip(largest, MAP_COLOURS))
    ids = points["theme_id"].astype("float").fillna(UNPLACED).astype(int)
    points["group"] = [name_label(theme_name(snap, t), LEGEND_CHARS) if t in colour
                       else ("Øvrige temaer" if t >= 0 else theme_name(snap, t)) for t in ids]
    points["colour"] = [colour.get(t, OTHER_COLOUR) for t in ids]
    points["rank"] = [largest.index(t) if t in colour else len(largest) + (t < 0) for t in ids]
    points["theme_id"] = ids
    full = snap.texts.shown.loc[points.index].map(lambda t: t if len(t) <= 400 else t[:399] + "…")
    points["Svar"] = full.map(lambda t: "<br>".join(html.escape(line) for line in re.findall(r".{1,70}(?:\s|$)", t)) or t)
    snap._cache[key] = points
    return points
