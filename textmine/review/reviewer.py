"""The placement model per click: one model per project version, the features per file, the newest few kept."""

from __future__ import annotations

import logging
import threading
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..cache import BoundedCache
from .model import Placement, ReviewSettings, feature_matrix, labels_of, placement
from .worker import Worker

log = logging.getLogger(__name__)


class Reviewer:
    """The placement model for the app: features kept per file, the model per version (the newest few).
    `model(snap)` trains when the version is new (tens of ms at 300 answers, see docs/MEASUREMENTS.md);
    `latest(snap)` returns the newest model already trained for the file (possibly of an older version),
    for a queue shown while `model` runs in the background. Holds only what the files hold. With a `worker`
    (review.worker) the fit runs in its low-priority child process, not in the calling thread."""

    def __init__(self, settings: ReviewSettings = ReviewSettings(), keep: int = 4, worker: Worker | None = None):
        self.settings = settings
        self.keep = keep
        self.worker = worker
        self._features: BoundedCache[str, object] = BoundedCache(keep, on_drop=self._forget_folds)
        self._folds: dict[str, dict] = {}           # per file: the newest fold models, to start the next fit from
        self._models: BoundedCache[str, Placement] = BoundedCache(2 * keep)
        self._lock = threading.Lock()               # the fold models are read by other threads while one trains

    @staticmethod
    def file_of(snap) -> str:
        """The file's id and place: a copied project file has the same id but its own versions."""
        return f"{snap.meta.get('file_id', '')}|{Path(snap.data.path).resolve()}"

    @classmethod
    def key(cls, snap) -> str:
        return f"{cls.file_of(snap)}@{snap.version}@{snap.data.stamp[-1] if snap.data.stamp else ''}"   # + its time

    def features(self, snap):
        return self._features.get(self.file_of(snap),
                                  lambda: feature_matrix(snap.vectors, snap.texts.counts, self.settings))

    def model(self, snap) -> Placement:
        return self._models.get(self.key(snap), lambda: self._fit(snap))

    def _fit(self, snap) -> Placement:
        if self.worker is not None:
            try:
                return self.worker.fit(self.file_of(snap), lambda: self.features(snap),
                                       labels_of(snap, self.settings), self.settings)
            except (OSError, BrokenProcessPool):           # no child process to be had: fit here instead
                log.warning("the training process failed; the placement model is fitted in the app", exc_info=True)
        return placement(snap, self.settings, self.features(snap), self._folds_of(snap))

    def latest(self, snap) -> Placement | None:
        prefix = f"{self.file_of(snap)}@"
        found = [m for k, m in self._models.items() if k.startswith(prefix) and m.version <= snap.version]
        return max(found, key=lambda m: m.version) if found else None

    def _folds_of(self, snap) -> dict:
        """The file's fold models (fold -> model), kept to start the next version's fit from."""
        with self._lock:
            return self._folds.setdefault(self.file_of(snap), {})

    def _forget_folds(self, file: str, features) -> None:
        """A file whose features are dropped loses its fold models too."""
        with self._lock:
            self._folds.pop(file, None)
