"""The placement model fitted in a child process at the lowest CPU priority and with one BLAS thread, so that
retraining after a click never takes the page's core or its GIL (issue 26: at 10,000 answers the clicks took
2-4 times as long while the model retrained in a thread of the app; docs/MEASUREMENTS.md, session 26).

The child is started once (multiprocessing "spawn": no copy of the app's threads or locks) and keeps the
features of the newest few files, so a retraining sends only the version's labels (`model.Labels`, tens of
kB at 10,000 answers) and gets back the `Placement`. A child that died is started again at the next fit; the
child ends by itself when the app's process has gone (also when it was killed).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..cache import BoundedCache
from .model import Labels, Placement, ReviewSettings, fitted

NEED_FEATURES = "need features"     # the child's answer when it does not hold the file's features (yet)
_FOLDS: dict = {}                        # in the child: file -> fold models (logistic: the next fit starts there)
# in the child: file -> features, the newest `keep`; a file dropped takes its fold models along
_FEATURES: BoundedCache = BoundedCache(4, on_drop=lambda file, _: _FOLDS.pop(file, None))


def _low_priority() -> None:
    """The child's start: the lowest CPU priority and one BLAS/OpenMP thread (the page keeps the other core):
    the libraries loaded already are limited now, those loaded later (scipy's, sklearn's) read the variables."""
    from threadpoolctl import threadpool_limits

    os.nice(19)
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
    threadpool_limits(1)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int, every: float = 1.0) -> None:
    """In the child: end when the app's process has gone (killed: no one would ever end the child)."""
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(0)


def _fit(file: str, X, known: Labels, settings: ReviewSettings, keep: int):
    """In the child: the fit of `known` over the file's features (`X` when sent, else those kept)."""
    _FEATURES.keep = keep
    if X is not None:
        _FEATURES.put(file, X)
    X = _FEATURES.peek(file)
    if X is None:
        return NEED_FEATURES
    return fitted(X, known, settings, _FOLDS.setdefault(file, {}))


def _about() -> dict:
    """In the child: its process id, priority and BLAS threads (for tests and measurements)."""
    from threadpoolctl import threadpool_info

    return {"pid": os.getpid(), "nice": os.getpriority(os.PRIO_PROCESS, 0),
            "threads": max([i["num_threads"] for i in threadpool_info()] or [1])}


class WorkerClosed(RuntimeError):
    """The worker was closed (the app is shutting down): no more fits."""


class Worker:
    """The training process (started at the first fit). `fit` blocks its caller (the Trainer's thread) only."""

    def __init__(self, keep: int = 4):
        self.keep = keep
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _started(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(1, multiprocessing.get_context("spawn"), _low_priority)
            return self._pool

    def fit(self, file: str, features, known: Labels, settings: ReviewSettings) -> Placement:
        """The fit in the child; `features()` gives the file's features when the child does not hold them."""
        try:
            return self._fit(file, features, known, settings)
        except BrokenProcessPool:                       # the child died (killed, out of memory): start another
            with self._lock:
                self._pool = None
            return self._fit(file, features, known, settings)

    def _fit(self, file, features, known, settings) -> Placement:
        pool = self._started()
        try:
            out = pool.submit(_fit, file, None, known, settings, self.keep).result()
            if isinstance(out, str) and out == NEED_FEATURES:
                out = pool.submit(_fit, file, features(), known, settings, self.keep).result()
        except RuntimeError as e:                       # "cannot schedule new futures after shutdown" (at exit)
            if isinstance(e, BrokenProcessPool) or "after shutdown" not in str(e):
                raise
            raise WorkerClosed(str(e)) from e
        return out

    def about(self) -> dict:
        return self._started().submit(_about).result()

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
