"""How long a step has left, from how fast it has gone so far: "ca. 4 min tilbage" beside a progress bar.

Embedding is nearly all of a large discovery (10,000 answers: minutes), so the command line and the app
show the time left of the step under way. The estimate starts after a few seconds and 2 % of the step, when
the rate is known; before that it is left out rather than guessed.
"""

from __future__ import annotations

import threading
import time

from .errors import TextmineError

STOPPED = "Søgningen blev stoppet, og intet er gemt."

# a run's steps as its progress bar names them (the app, and the command line with "done": "Færdig")
STEPS = {"embedding": "Indlejrer svarene", "features": "Danner klynger: læser ordene i svarene",
         "reducing": "Danner klynger: reducerer dimensionerne", "clustering": "Danner klynger: grupperer svarene",
         "keywords": "Finder nøgleord og typiske svar",
         "names": "Foreslår navne til temaerne", "map": "Tegner kortet", "saving": "Gemmer projektet",
         "placing": "Placerer svarene i temaerne", "done": "Gemmer projektet"}


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


class Stopped(TextmineError):
    """A run stopped on request (StopFlag) at a safe point: nothing of it has been written."""

    def __init__(self, message: str = STOPPED):
        super().__init__(message)


class StopFlag:
    """A run's cancellation, asked for from another thread (the page's *Stop* button, the tab closed): the
    run checks it at its safe points, between embedding batches and between steps, where `check` raises
    Stopped. `watching(progress)` is the run's progress callback with the check in front of it."""

    def __init__(self):
        self._set = threading.Event()

    def stop(self) -> None:
        self._set.set()

    @property
    def stopped(self) -> bool:
        return self._set.is_set()

    def check(self) -> None:
        if self._set.is_set():
            raise Stopped()

    def watching(self, progress):
        def report(step: str, fraction: float) -> None:
            self.check()
            progress(step, fraction)
        return report
