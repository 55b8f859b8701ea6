"""How long a step has left, from how fast it has gone so far: "ca. 4 min tilbage" beside a progress bar.

Embedding is nearly all of a large discovery (10,000 answers: minutes), so the command line and the app
show the time left of the step under way. The estimate starts after a few seconds and 2 % of the step, when
the rate is known; before that it is left out rather than guessed.
"""

from __future__ import annotations

import time


def duration(seconds: float) -> str:
    """A time span in the analyst's words: "under 1 min", "4 min", "1 t 5 min"."""
    minutes = round(seconds / 60)
    if seconds < 60:
        return "under 1 min"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} t {minutes % 60} min"


class TimeLeft:
    """Call with (step, fraction done) as progress arrives; returns "ca. 4 min tilbage" or ""."""

    def __init__(self, clock=time.monotonic, min_seconds: float = 3.0, min_fraction: float = 0.02):
        self.clock = clock
        self.min_seconds = min_seconds
        self.min_fraction = min_fraction
        self._start: dict[str, tuple[float, float]] = {}

    def __call__(self, step: str, fraction: float) -> str:
        now = self.clock()
        started, at = self._start.setdefault(step, (now, fraction))
        done = fraction - at
        if fraction >= 1 or done < self.min_fraction or now - started < self.min_seconds:
            return ""
        return f"ca. {duration((now - started) / done * (1 - fraction))} tilbage"
