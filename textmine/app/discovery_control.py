"""*Find temaer*'s controls, gradio-free and light (the page imports this module at start): how long a
discovery will take (a run over ASK_FROM seconds is confirmed first), and the discoveries under way (Runs),
each with its StopFlag (set by the *Stop* button, and when no open page follows it any more) and the status
line every open page shows of it (status_line)."""

from __future__ import annotations

import html
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..config import DiscoverySettings, SurveyConfig
from ..fmt import count, number, percent, quoted
from ..progress import STOPPED, StopFlag, duration
from ..survey.reading import answers_of
from ..text.embed import EmbeddingCache, embedding_input, is_url, resolve_embedder
from .desk import Desk
from .history import local_time
from .projects import step_text
from .views import question_label

log = logging.getLogger("textmine.app")
ASK_FROM = 600.0             # seconds: a discovery expected to take longer is confirmed first
EMBED_RATE = 66.0            # answers a second, the bundled model on this machine's 2 cores (docs/SCALE.md:
                             # 100,000 answers in 1,517 s, 10,000 in 145 s of embedding)
OTHER_SECONDS = ((0, 5.0), (1_000, 10.9), (10_000, 50.0), (100_000, 144.0))   # answers -> the rest of the run:
                             # clustering, keywords, map, saving (docs/SCALE.md: wall minus embedding)


STEP_SHARES = {"features": 0.18, "reducing": 0.47, "clustering": 0.05, "keywords": 0.02, "names": 0.02, "map": 0.23,
               "saving": 0.03}      # each step's share of the time after embedding (OTHER_SECONDS), as measured
                                    # on 10,000 answers here: 18 + 48 + 5 + 2 + 2 + 24 + 3 s
ORDER = ("embedding", *STEP_SHARES)
GRACE = 10.0                 # seconds: a run no open page follows stops unless a page comes back to it in this time
KEEP = 600.0                 # seconds: an ended run is still shown to the pages that followed it
FAILED = "Søgningen stoppede med en fejl, og intet er gemt. Detaljerne står i terminalen, hvor appen kører."


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
    texts = answer_texts(desk, survey_path, id_col, question, config)
    if seconds_for(len(texts)) <= ASK_FROM:
        return Estimate(len(texts), len(texts), seconds_for(len(texts)))
    cache = EmbeddingCache()
    distinct = {cache.key(t) for t in texts}
    to_embed = len(distinct - cache.held(resolve_embedder(model).name, texts))
    return Estimate(len(texts), to_embed, seconds_for(len(texts), to_embed))


def answer_texts(desk: Desk, survey_path: str, id_col: str, question: str, config: SurveyConfig) -> list[str]:
    """The real answers to `question` as they are embedded (the survey read once, kept by the desk)."""
    table = desk.surveys.get(survey_path, config.sheet_for(Path(survey_path)))
    answers = answers_of(table, question, id_col, config.text.placeholders, Path(survey_path).name)
    return [embedding_input(t) for t in answers.loc[answers["is_answer"], "answer"]]


def track(runs: Runs, session: str, desk: Desk, survey_path: str, id_col: str, question: str,
          config: SurveyConfig):
    """The progress callback of the discovery `session` let go (Runs.track), the run named for the pages."""
    answers = len(answer_texts(desk, survey_path, id_col, question, config))
    return runs.track(session, config.name or Path(survey_path).name, question_label(config, question), answers)


def stopped_text() -> str:
    """Under *Find temaer* when a run was stopped."""
    return f"{STOPPED} Tryk på »Find temaer« for at starte forfra."


@dataclass
class Run:
    """A discovery as every open page shows it: what it works on, its step and how far that step is, and
    how it ended. Its `session` (the browser session that let it go) is its key in Runs."""

    session: str
    started: float                            # the clock's time (time.time) when it was let go
    flag: StopFlag = field(default_factory=StopFlag)
    survey: str = ""                          # the survey's name, and the question as the page names it
    question: str = ""
    answers: int = 0
    step: str = "waiting"                     # a progress step (progress.STEPS); "waiting": queued behind another
    fraction: float = 0.0
    step_since: float = 0.0                   # when the step began, and its fraction then
    step_from: float = 0.0
    ended: float | None = None
    project: str = ""                         # the project it made, and the words its end is told in
    message: str = ""
    followers: dict[str, float] = field(default_factory=dict)   # the pages showing it: session -> last look
    left: float | None = None                 # when the last page showing it closed (None: one is open)

    def moved(self, step: str, fraction: float, now: float) -> None:
        if step != self.step:
            self.step, self.step_since, self.step_from = step, now, fraction
        self.fraction = fraction

    def expected(self, step: str) -> float:
        """The seconds `step` takes on this machine, from the measured rates (seconds_for)."""
        if step == "embedding":
            return self.answers / EMBED_RATE
        return seconds_for(self.answers, 0) * STEP_SHARES.get(step, 0.0)


class Runs:
    """The discoveries under way, by the browser session that let each go, as every open page follows them.
    `arm` before a run is let go (after its confirmation): a run finds its flag with `armed` (none: it was not
    let go, nothing runs), so a Stop pressed while the run still waits in the queue stops it as it starts;
    `track` gives the run's progress callback; `stop` sets the flag; `finish` records the end, which the pages
    that followed the run are shown for KEEP seconds. A page follows a run by looking at it (`look`, every
    second); when the last page following it closes (`left`, gradio's unload), the run stops unless a page
    looks at it again within GRACE seconds (a reload, or the page opened anew in another tab)."""

    def __init__(self, clock=time.time):
        self._lock, self.clock = threading.Lock(), clock
        self._runs: dict[str, Run] = {}

    def arm(self, session: str) -> StopFlag:
        with self._lock:
            run, now = self._runs.get(session), self.clock()
            if run is None or run.flag.stopped or run.ended is not None:
                run = self._runs[session] = Run(session, now, step_since=now)
            run.followers[session] = now
            return run.flag

    def _live(self, key: str) -> Run | None:
        run = self._runs.get(key)
        return run if run is not None and run.ended is None else None

    def armed(self, session: str) -> StopFlag | None:
        with self._lock:
            run = self._live(session)
            return run.flag if run else None

    def stop(self, key: str, why: str = "its Stop button") -> bool:
        """Stop the discovery let go by `key`; was one under way (or waiting)?"""
        flag = self.armed(key)
        if flag is not None:
            log.info("a discovery is asked to stop (%s)", why)
            flag.stop()
        return flag is not None

    def track(self, session: str, survey: str, question: str, answers: int):
        """The progress(step, fraction) of the run `session` let go, on `answers` answers to `question`."""
        with self._lock:
            run = self._runs[session]
            run.survey, run.question, run.answers = survey, question, answers

        def report(step: str, fraction: float) -> None:
            now = self.clock()
            run.moved(step, fraction, now)
            if run.left is not None and now - run.left >= GRACE:
                self.stop(session, f"no open page has followed it for {GRACE:.0f} s")
        return report

    def done(self, session: str, project: str, message: str) -> None:
        """The run made `project`, said in `message`; it ends with `finish`."""
        with self._lock:
            run = self._runs[session]
            run.project, run.message = project, message

    def finish(self, session: str, flag: StopFlag) -> None:
        with self._lock:
            run = self._runs.get(session)
            if run is None or run.flag is not flag:
                return
            run.ended = self.clock()
            if not run.project:
                run.message = stopped_text() if flag.stopped else FAILED

    def live(self) -> str:
        """The key of the discovery under way a page just opened shows ("": none): the one running, else the
        first let go."""
        with self._lock:
            runs = sorted((r for r in self._runs.values() if r.ended is None), key=lambda r: r.started)
        running = [r for r in runs if r.step != "waiting"]
        return (running or runs or [Run("", 0.0)])[0].session

    def look(self, key: str, session: str) -> Run | None:
        """The run `key` as the page of `session` is shown it (followed by that page from now on); None when
        there is none, or it ended more than KEEP seconds ago."""
        now = self.clock()
        with self._lock:
            for old in [k for k, r in self._runs.items() if r.ended is not None and now - r.ended > KEEP]:
                del self._runs[old]
            run = self._runs.get(key)
            if run is not None and run.ended is None:
                run.followers[session], run.left = now, None
            return run

    def left(self, session: str) -> None:
        """The page of `session` closed: the runs only it followed will stop after GRACE seconds (Runs)."""
        with self._lock:
            for run in self._runs.values():
                if run.followers.pop(session, None) is not None and not run.followers and run.ended is None:
                    run.left = self.clock()


def seconds_left(seconds: float) -> str:
    """"ca. 40 s", "ca. 4 min": a step's time left in the analyst's words."""
    return f"ca. {max(5, round(seconds / 5) * 5)} s" if seconds < 57.5 else f"ca. {duration(seconds)}"


def step_line(run: Run, now: float) -> str:
    """The step under way and how far it is: its share done ("42 %") and the time left from its rate so far
    (progress.TimeLeft); a step that reports no fractions (UMAP's and KMeans' fits) by its time so far against
    the time it is expected to take (Run.expected)."""
    if run.step == "waiting":
        return "Venter på, at den søgning, der er i gang, bliver færdig"
    spent, done = now - run.step_since, run.fraction - run.step_from
    shown = step_text(run.step)
    if done >= 0.02 and spent >= 3:
        left = spent / done * (1 - run.fraction)
        return f"{shown}: {percent(100 * run.fraction, 0)} – {seconds_left(left)} tilbage"
    if run.fraction > 0:
        shown += f": {percent(100 * run.fraction, 0)}"
    expected = run.expected(run.step)
    if spent < expected:
        return f"{shown} – i gang i {elapsed(spent)}, {seconds_left(expected - spent)} tilbage"
    return f"{shown} – i gang i {elapsed(spent)}, lidt længere end ventet"


def elapsed(seconds: float) -> str:
    """"25 s", "1 min 20 s", "1 t 5 min": how long a step has taken so far."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    return f"{whole // 60} min {whole % 60} s" if whole < 3600 else duration(seconds)


def share_done(run: Run, now: float) -> float:
    """How far the whole run is (the bar), each step weighted by its expected time; a step without fractions
    counts by its time so far, at most 95 % of it."""
    if run.step not in ORDER:
        return 0.0
    times = [run.expected(step) for step in ORDER]
    at = ORDER.index(run.step)
    step = run.fraction if run.fraction > run.step_from else min((now - run.step_since) / max(times[at], 1.0), 0.95)
    return min((sum(times[:at]) + step * times[at]) / max(sum(times), 1.0), 1.0)


def status_line(run: Run, now: float) -> str:
    """The discovery on every open page (HTML): its survey and question, when it started, its step and how
    far, and a bar for the whole run; when it has ended, how it ended."""
    started = local_time(datetime.fromtimestamp(run.started, timezone.utc).isoformat()).split(" kl. ")[-1]
    about_run = (f"Finder temaer i {html.escape(run.survey)}: {html.escape(quoted(run.question))}"
                 f" ({number(run.answers)} svar) · startet kl. {started}") if run.survey else "Finder temaer"
    if run.ended is not None:
        about_run = about_run.replace("Finder temaer", "Søgningen efter temaer", 1)
        return f'<div class="tm-run"><p>{about_run}</p><p class="tm-run-end">{run.message}</p></div>'
    share = share_done(run, now)
    return (f'<div class="tm-run"><p>{about_run}</p><progress max="1000" value="{round(1000 * share)}"></progress>'
            f'<p class="tm-run-step">{html.escape(step_line(run, now))}</p></div>')
