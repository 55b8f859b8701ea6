"""What the *Gennemse* tab shows (issue #13), computed from a snapshot and a placement model; no gradio.

The tab shows the review queue in rounds: a round is the `BATCH` answers most likely misplaced (unreviewed
only), ranked by the newest model at the round's start. A handled answer leaves its slot; the rest of the
round keeps its place, so nothing jumps under the analyst's pointer; when the round is done (or the analyst
asks) the queue is ranked again by the newest model. A slot remembers the suggestion it showed, so a click
does what the analyst read even when the model has been retrained since.

`Trainer` retrains the placement model in one background thread after each action, the fit itself in a child
process at the lowest priority (review.worker: it takes neither the page's core nor its GIL); until the new
version's model is ready the previous one's is shown (a click never waits for training). It is shared by every
browser session and holds only what the files hold.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, replace

from ..errors import TextmineError
from ..fmt import literal, name_label, number, percent
from ..project.curation import NOT_AN_ANSWER, NOT_AN_ANSWER_NAME
from ..project.themes import Snapshot, theme_name
from ..review.model import NoFeatures, Placement, calibrated
from ..review.names import suggest_names
from ..review.quality import (
    CHECK_MIN,
    Quality,
    check_progress,
    check_quality,
    check_queue,
    check_skipped,
    coding_quality,
)
from ..review.queue import KINDS, queue
from ..review.reviewer import Reviewer
from ..review.trust import CURRENT_A, CURRENT_KEY, SHOWN_KEY, logged, trusted
from ..review.worker import Worker, WorkerClosed

log = logging.getLogger("textmine.review.model")
BATCH = 8                       # answers per round
NAME_SLOTS = 6                  # name suggestions shown at a time
MOVE_LABEL, SECOND_LABEL = "Flyt til forslag", "Tilføj som andet tema"
HOW = ("Skønnet: de svar, du har gennemset, tæller som rigtige; for hvert af de øvrige bruges modellens "
       "sandsynlighed for, at svaret ligger i det rigtige tema. Modellen lærer af din kodning, men et svar "
       "vurderes aldrig af en model, der har set det selv. Den kan ikke se fejl, hvor en hel klynge er havnet i "
       f"et forkert tema. Det kan en **tilfældig stikprøve**: når du har læst {CHECK_MIN} svar af den, bygger "
       "skønnet på, hvor mange af dem du måtte flytte, og det holder også der, hvor modellen tager fejl.")
MODES = [("Mest tvivlsomme først", "queue"), ("Tilfældig stikprøve", "sample")]
MODE_KEY = "review_mode"      # the project's meta value: the reading order last chosen, kept over a reload
LEGEND = ("**Flyt**: forslaget passer bedre end det nuværende tema · **Andet tema**: svaret siger også "
          "forslagets pointe · **Ikke et svar**: svaret siger ikke noget · **Tjek**: det nuværende tema er "
          "modellens bedste bud, men den er usikker · **Placér**: svaret er ikke placeret · **Stikprøve**: "
          "svaret er trukket tilfældigt, og modellen har intet at indvende")


def reading_mode(value) -> str:
    """A reading order as the page or the project file gives it: "sample" or (anything else) "queue"."""
    return "sample" if value == "sample" else "queue"


@dataclass(frozen=True)
class Row:
    """One answer of a round as shown: its theme then, the suggestion shown and its kind (review.KINDS)."""

    answer: int
    theme: int | None
    suggested: int | None
    kind: str
    confidence: float           # the probability that the suggestion is right (review.trust.trusted)
    p_current: float            # ... and that the current theme is (its own map, review.trust.CURRENT_A)
    shown: float | None = None  # the model's calibrated probability behind `confidence` (the map's input)
    shown_current: float | None = None      # ... and behind `p_current`


@dataclass(frozen=True)
class ReviewView:
    """What one browser tab holds of the *Gennemse* tab (in gr.State): the round's rows by slot (None: handled),
    the round's number, the name suggestions by slot ((theme_id, name), None: accepted) and whether the
    *Temaer* page has not yet seen the tab's latest action."""

    rows: tuple = ()
    round: int = 0
    names: tuple = ()
    behind: bool = False
    mode: str = "queue"         # "queue": the most likely misplaced first; "sample": the check sample's order
    project: str = ""           # the project the round was drawn from

    def row(self, slot: int) -> Row:
        if slot >= len(self.rows) or self.rows[slot] is None:
            raise TextmineError("Svaret er allerede gennemset. Listen er opdateret.")
        return self.rows[slot]

    def handled(self, slot: int) -> "ReviewView":
        rows = list(self.rows)
        rows[slot] = None
        return replace(self, rows=tuple(rows), behind=True)

    @property
    def left(self) -> int:
        return sum(r is not None for r in self.rows)

    def still_open(self, project: str, snap: Snapshot) -> bool:
        """Whether the round can be shown again as it was (the tab opened again): it is `project`'s, answers are
        left, and each is still unreviewed in the theme it was shown in (else a new round is drawn)."""
        rows = [r for r in self.rows if r is not None]
        state = snap.state
        return (self.project == project and bool(rows)
                and all(r.answer not in state.reviewed and state.primary.get(r.answer) == r.theme for r in rows))


# -- the model in the background ------------------------------------------------------------------

class Trainer:
    """The placement model per project version, trained from one background thread (review.Reviewer inside, its
    fit in the low-priority child process of review.worker).
    `shown(snap)` never waits: this version's model when trained, else the newest older one of the file
    (None before the first); `current(snap, timeout)` waits for this version's."""

    def __init__(self, reviewer: Reviewer | None = None):
        self.reviewer = reviewer or Reviewer(worker=Worker())
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="textmine-review")
        self._jobs: dict[str, Future] = {}
        self._newest: dict[str, int] = {}
        self._lock = threading.Lock()

    def request(self, snap: Snapshot) -> Future:
        """Train this version's model in the background (once); a version overtaken before its turn is skipped."""
        file, key = Reviewer.file_of(snap), Reviewer.key(snap)
        with self._lock:
            self._newest[file] = max(self._newest.get(file, -1), snap.version)
            job = self._jobs.get(key)
            if job is None or (job.done() and job.result() is None):
                job = self._jobs[key] = self._pool.submit(self._train, snap)
            for old in [k for k, j in self._jobs.items() if j.done() and k != key]:
                del self._jobs[old]
        return job

    def _train(self, snap: Snapshot) -> Placement | None:
        if self._newest.get(Reviewer.file_of(snap), -1) > snap.version:
            return None                                   # a newer version is waiting: train that one
        try:
            return self.reviewer.model(snap)
        except (WorkerClosed, NoFeatures):                # the app is shutting down; a project without vectors
            return None
        except Exception:                                 # noqa: BLE001 (logged; the tab says it has no estimate)
            log.exception("training the placement model failed")
            return None

    def shown(self, snap: Snapshot) -> Placement | None:
        job = self.request(snap)
        if job.done() and job.result() is not None:
            return job.result()
        return self.reviewer.latest(snap)

    def current(self, snap: Snapshot, timeout: float | None = None) -> Placement | None:
        try:
            return self.request(snap).result(timeout)
        except FutureTimeout:
            return None


# -- what the tab shows -----------------------------------------------------------------------------

def knows(model: Placement | None, snap: Snapshot) -> bool:
    """The model knows every theme the answers are in now (an older model may not know a new split's themes)."""
    if model is None:
        return False
    known = set(int(c) for c in model.classes)
    return all(t is None or t in known for t in set(snap.state.primary.values()))


def quality_of(snap: Snapshot, model: Placement | None) -> Quality | None:
    """The check sample's estimate once enough of it is read (review.check_quality), else the model's."""
    return check_quality(snap) or (coding_quality(snap, model) if knows(model, snap) else None)


def estimate_line(snap: Snapshot | None, model: Placement | None) -> str:
    """'Anslået 91 % af svarene i et rigtigt tema (88–94 %) ud fra en stikprøve på 20 svar · 32 af 292 svar er
    gennemset' in Markdown; before the check sample is read, the model's estimate, said to be a first guess
    ('Foreløbigt skøn: 91 % … · modellens bud; læs 20 svar af »Tilfældig stikprøve« …')."""
    if snap is None:
        return ""
    q = quality_of(snap, model)
    if q is None:
        return "*Anslået kodningskvalitet: beregnes …*"
    done = f"{number(q.reviewed)} af {number(q.answers)} svar er gennemset"
    if q.checked:
        return f"**{q.headline()}** · {done}"
    # the model's own guess: it cannot see a whole cluster in a wrong theme (off by up to 30 points, measured)
    return (f"**{q.headline('Foreløbigt skøn:')}** · {done} · *modellens bud; læs "
            f"{number(CHECK_MIN)} svar af »Tilfældig stikprøve« for et skøn, der bygger på dine egne valg*")


def new_round(snap: Snapshot, model: Placement | None, view: ReviewView, names: bool = True) -> ReviewView:
    """The next round: the `BATCH` answers the model ranks most likely misplaced (or the check sample's next
    ones, in its order), and the name suggestions."""
    pick = check_queue if view.mode == "sample" else queue
    rows = () if model is None else tuple(rows_of(snap, model, pick(snap, model, BATCH)))
    return replace(view, rows=rows + (None,) * (BATCH - len(rows)), round=view.round + 1,
                   names=name_slots(snap) if names else view.names)


def rows_of(snap: Snapshot, model: Placement, table) -> list[Row]:
    column = {int(c): i for i, c in enumerate(model.classes)}
    out = []
    for a, theme, suggested, kind, raw in zip(table["answer_id"], table["theme_id"], table["suggested_theme_id"],
                                              table["kind"], table["confidence"]):
        q = calibrated(model.proba[int(a):int(a) + 1], model.temperature)[0]
        p = trusted(q, model.trust_shift)
        theme = None if theme is None or theme != theme else int(theme)
        suggested = None if suggested is None or suggested != suggested else int(suggested)
        at = column.get(suggested)
        confidence, shown = (float(p[at]), float(q[at])) if at is not None else (0.0, None)
        if kind == "not_an_answer" and NOT_AN_ANSWER not in column:
            confidence, shown = float(raw), None           # an answer without a content word (no bin to learn from)
        here = float(q[column[theme]]) if theme in column else None
        current = 0.0 if here is None else float(trusted(here, model.current_shift, CURRENT_A))
        out.append(Row(int(a), theme, suggested, str(kind), confidence, current, shown, here))
    return out


def log_shown(project, row: Row) -> None:
    """Keep the suggestion a handled row showed and its current theme, each with the probability behind its
    confidence (review.trust: once the answer is reviewed, their outcomes calibrate the project's confidences). Not
    a curation action; a file that cannot take it costs only the calibration."""
    try:
        for key, theme, q in ((SHOWN_KEY, row.suggested, row.shown), (CURRENT_KEY, row.theme, row.shown_current)):
            if theme is not None and q is not None:
                project.set_meta(key, logged(project.meta(key), row.answer, theme, q))
    except (sqlite3.Error, OSError):
        log.warning("the shown suggestion could not be kept in the project file", exc_info=True)


def name_slots(snap: Snapshot) -> tuple:
    """(theme_id, suggested name) for the themes the analyst has not named yet (curation.unnamed), largest first,
    `NAME_SLOTS` of them."""
    if "review_names" not in snap._cache:
        found = suggest_names(snap)
        sizes = snap.state.sizes()
        order = sorted(found, key=lambda t: (-sizes.get(t, 0), t))
        snap._cache["review_names"] = tuple((t, found[t]) for t in order)
    slots = snap._cache["review_names"][:NAME_SLOTS]
    return slots + (None,) * (NAME_SLOTS - len(slots))


def row_text(snap: Snapshot, row: Row, number_in_round: int) -> str:
    """The answer and what the model says about it, in Markdown (the answer shown as text, never markup)."""
    kind = KINDS.get(row.kind, row.kind)
    now = f"Nu: *{_theme(snap, row.theme)}*" + (f" ({shown_percent(row.p_current)})" if row.theme is not None else "")
    if row.suggested is None:
        said = f"{now} · ingen forslag"
    elif not offers_move(row):
        said = f"{now} · næstbedste tema: {_theme(snap, row.suggested)} ({shown_percent(row.confidence)})"
    else:
        said = f"{now} → forslag: **{_theme(snap, row.suggested)}** ({shown_percent(row.confidence)})"
    return (f"<span class='tm-kind tm-kind-{row.kind}'>{kind}</span> **{number_in_round}.** "
            f"»{literal(snap.texts.shown.iloc[row.answer])}«\n\n{said}")


def _theme(snap: Snapshot, theme: int) -> str:
    return literal(name_label(theme_name(snap, theme, gone=True)))


def shown_percent(p: float) -> str:
    """A probability as the tab shows it: '62 %'; 'under 1 %' and 'over 99 %' rather than a '0 %' or '100 %' that
    claims a certainty the model does not have."""
    return "under 1 %" if p < 0.005 else "over 99 %" if p >= 0.995 else percent(100 * p, 0)


def offers_move(row: Row) -> bool:
    """Whether the row offers its button: a second theme, or a move to a theme the model believes at least as
    much as the current one (never a move to a theme it gives a lower probability)."""
    return row.suggested is not None and (row.kind == "second" or row.confidence >= row.p_current)


def prefers_move(row: Row) -> bool:
    """Whether the row's suggestion is likelier right than its current theme (a move, not a second theme): then
    *Flyt til forslag* is the row's first button, not *Rigtigt*."""
    return offers_move(row) and row.kind != "second" and row.confidence > row.p_current


def move_label(row: Row) -> str:
    return SECOND_LABEL if row.kind == "second" else MOVE_LABEL


def move_steps(row: Row) -> tuple[str, list]:
    """The audited step of "Flyt til forslag": a move (marks the answer reviewed), or for a second-theme
    suggestion the second theme and a confirmation as one undoable step."""
    if not offers_move(row):
        raise TextmineError("Der er intet forslag til svaret. Vælg selv et tema i listen ved siden af.")
    if row.kind == "second":
        return "second_themes", [("set_second", {"answer": row.answer, "theme_id": row.suggested}),
                                 ("confirm", {"answers": [row.answer]})]
    return "move", [("move", {"answers": [row.answer], "theme_id": row.suggested})]


def other_choices(snap: Snapshot) -> list[tuple[str, str]]:
    """Where the analyst can put an answer instead: every open theme by name and number, and the bin."""
    final = {t for t, th in snap.state.themes.items() if th.final}
    return [(f"{name_label(th.name)} (nr. {t + 1})", str(t)) for t, th in sorted(snap.state.themes.items())
            if t not in final] + [(NOT_AN_ANSWER_NAME, str(NOT_AN_ANSWER))]


def name_text(snap: Snapshot, slot) -> str:
    """'»Klynge 7« → **Match**', or for a theme that holds the suggestion already '**Match** (forslag)'."""
    theme, name = slot
    now = theme_name(snap, theme, gone=True)
    return (f"**{literal(name_label(name))}** (forslag)" if now == name else
            f"»{literal(name_label(now))}« → **{literal(name_label(name))}**")


def status_line(snap: Snapshot, view: ReviewView) -> str:
    reviewed = len(snap.state.reviewed)
    if view.mode == "sample":
        return sample_line(snap, view)
    if not any(view.rows):
        return (f"**Ingen svar at gennemse lige nu.** {number(reviewed)} af {number(len(snap.state.primary))} svar "
                "er gennemset (svar i endelige temaer vises ikke).")
    return (f"**Runde {number(view.round)}** · {number(view.left)} af {number(BATCH)} svar tilbage; listen rangeres "
            "igen efter runden")


def sample_line(snap: Snapshot, view: ReviewView) -> str:
    """Where the analyst is in the check sample, and when its estimate takes over."""
    read = check_progress(snap)
    if read >= len(snap.state.primary):
        return "**Stikprøven er læst til ende**: alle svar er gennemset."
    done = f"{number(read)} svar af stikprøven er læst" + (" (de tælles i stikprøvens rækkefølge: læs også de svar "
                                                            "i runden, du sprang over)" if check_skipped(snap) else "")
    if read < CHECK_MIN:
        return (f"**Stikprøve, runde {number(view.round)}** · {done}; ved {number(CHECK_MIN)} bygger skønnet på "
                "stikprøven")
    return f"**Stikprøve, runde {number(view.round)}** · {done}; skønnet bygger på dem og bliver sikrere for hvert svar"
