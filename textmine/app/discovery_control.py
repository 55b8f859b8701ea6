"""*Find temaer*'s controls, gradio-free and light (the page imports this module at start): how long a
discovery will take (a run over ASK_FROM seconds is confirmed first), and the discoveries under way, one per
browser session, each with its StopFlag (set by the *Stop* button, and when the tab that started it closes)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..config import DiscoverySettings, SurveyConfig
from ..fmt import count, number
from ..progress import STOPPED, StopFlag
from ..survey.reading import answers_of
from ..text.embed import EmbeddingCache, embedding_input, is_url, resolve_embedder
from .desk import Desk

log = logging.getLogger("textmine.app")
ASK_FROM = 600.0             # seconds: a discovery expected to take longer is confirmed first
EMBED_RATE = 66.0            # answers a second, the bundled model on this machine's 2 cores (docs/SCALE.md:
                             # 100,000 answers in 1,517 s, 10,000 in 145 s of embedding)
OTHER_SECONDS = ((0, 5.0), (1_000, 10.9), (10_000, 50.0), (100_000, 144.0))   # answers -> the rest of the run:
                             # clustering, keywords, map, saving (docs/SCALE.md: wall minus embedding)


def seconds_for(answers: int, to_embed: int | None = None) -> float:
    """A discovery's expected wall time on this machine: `to_embed` answers (default: all) not yet in the
    embedding cache at EMBED_RATE, and the other steps interpolated between the measured runs (linear
    beyond the largest, whose steps work on samples or are linear)."""
    sizes, seconds = zip(*OTHER_SECONDS)
    slope = (seconds[-1] - seconds[-2]) / (sizes[-1] - sizes[-2])
    rest = float(np.interp(answers, sizes, seconds)) + max(answers - sizes[-1], 0) * slope
    return (answers if to_embed is None else to_embed) / EMBED_RATE + rest


def about(seconds: float) -> str:
    """"ca. 25 minutter", "ca. 1 time og 5 minutter": a long run's time in the analyst's words."""
    minutes = max(round(seconds / 60), 1)
    hours, rest = divmod(minutes, 60)
    words = [count(hours, "time", "timer")] if hours else []
    words += [count(rest, "minut", "minutter")] if rest or not hours else []
    return "ca. " + " og ".join(words)


@dataclass(frozen=True)
class Estimate:
    answers: int                 # the real answers to cluster
    to_embed: int                # of them, not yet in the embedding cache
    seconds: float

    @property
    def long(self) -> bool:
        return self.seconds > ASK_FROM

    def question(self) -> str:
        """The confirmation asked before a long run."""
        held = self.answers - self.to_embed
        cached = f" ({number(held)} af dem er indlejret før og genbruges)" if held else ""
        return (f"Det tager {about(self.seconds)} at finde temaer i {number(self.answers)} svar{cached} på denne "
                "maskine, og imens arbejder den for fuld kraft. Du kan stoppe søgningen undervejs; så gemmes "
                "intet. Fortsæt?")


def estimate(desk: Desk, survey_path: str, id_col: str, question: str, config: SurveyConfig,
             model=DiscoverySettings.model) -> Estimate | None:
    """How long *Find temaer* will take for `question`; None for a model served elsewhere (its speed is not
    this machine's). The embedding cache is asked only when the run would be long without it."""
    if isinstance(model, str) and is_url(model):
        return None
    table = desk.surveys.get(survey_path, config.sheet_for(Path(survey_path)))
    answers = answers_of(table, question, id_col, config.text.placeholders, Path(survey_path).name)
    texts = [embedding_input(t) for t in answers.loc[answers["is_answer"], "answer"]]
    if seconds_for(len(texts)) <= ASK_FROM:
        return Estimate(len(texts), len(texts), seconds_for(len(texts)))
    cache = EmbeddingCache()
    distinct = {cache.key(t) for t in texts}
    to_embed = len(distinct - cache.held(resolve_embedder(model).name, texts))
    return Estimate(len(texts), to_embed, seconds_for(len(texts), to_embed))


def stopped_text() -> str:
    """Under *Find temaer* when a run was stopped."""
    return f"{STOPPED} Tryk på »Find temaer« for at starte forfra."


class Runs:
    """The discoveries under way, by browser session. `arm` before a run is let go (after its confirmation):
    a run finds its flag with `armed` (none: it was not let go, nothing runs), so a Stop pressed while the run
    still waits in the queue stops it as it starts; `stop` sets the flag; `finish` forgets it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._flags: dict[str, StopFlag] = {}

    def arm(self, session: str) -> StopFlag:
        with self._lock:
            flag = self._flags.get(session)
            if flag is None or flag.stopped:
                flag = self._flags[session] = StopFlag()
            return flag

    def armed(self, session: str) -> StopFlag | None:
        with self._lock:
            return self._flags.get(session)

    def stop(self, session: str) -> bool:
        """Stop the session's discovery; was one under way (or waiting)?"""
        flag = self.armed(session)
        if flag is not None:
            log.info("a discovery is asked to stop (its Stop button, or its tab closed)")
            flag.stop()
        return flag is not None

    def finish(self, session: str, flag: StopFlag) -> None:
        with self._lock:
            if self._flags.get(session) is flag:
                del self._flags[session]

