"""The placement model retrained in a low-priority child process (issue 26): the app's own process does not fit,
the child runs at the lowest priority with one BLAS thread, holds a file's features after the first fit, and a
child that died is started again."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from textmine.app.review_page import Trainer
from textmine.project.themes import Workbench
from textmine.review import model as review_model
from textmine.review import worker
from textmine.review.model import labels_of, placement
from textmine.review.reviewer import Reviewer
from textmine.review.worker import NEED_FEATURES, Worker

from .test_review import make


def test_the_trainer_fits_in_a_child_process_at_the_lowest_priority_with_one_blas_thread(tmp_path, monkeypatch):
    p = make(tmp_path / "p.sqlite")

    def not_here(*args, **kwargs):
        raise AssertionError("the placement model was fitted in the app's own process")
    monkeypatch.setattr(review_model, "out_of_fold", not_here)      # the app's process; a spawned child has its own
    trainer = Trainer()
    model = trainer.current(Workbench().snapshot(p.path), timeout=60)
    assert model is not None and model.version == p.version()
    about = trainer.reviewer.worker.about()
    assert about["pid"] != os.getpid()
    assert about["nice"] == 19 and about["threads"] == 1
    trainer.reviewer.worker.close()


def test_the_child_fits_as_the_app_did_and_is_sent_a_files_features_once(tmp_path):
    p = make(tmp_path / "p.sqlite")
    bench, reviewer, worker = Workbench(), Reviewer(), Worker()
    sent = []

    def features(snap):
        sent.append(snap.version)
        return reviewer.features(snap)
    for answer in (0, 1):
        snap = bench.snapshot(p.path)
        here = placement(snap, reviewer.settings, reviewer.features(snap))
        there = worker.fit(Reviewer.file_of(snap), lambda: features(snap), labels_of(snap), reviewer.settings)
        assert there.version == snap.version and np.array_equal(there.classes, here.classes)
        assert np.allclose(there.proba, here.proba) and np.isclose(there.temperature, here.temperature)
        p.apply("confirm", answers=[answer])
    assert sent == [0]                                  # the second version sent only its labels
    worker.close()


def test_the_child_keeps_the_newest_files_features_and_drops_the_others_with_their_fold_models(tmp_path):
    p = make(tmp_path / "p.sqlite")
    snap = Workbench().snapshot(p.path)
    settings = review_model.ReviewSettings()
    X, known = review_model.feature_matrix(snap.vectors, snap.texts.counts, settings), labels_of(snap)
    a, b = str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite")      # _fit as the child runs it, here in-process
    assert worker._fit(a, None, known, settings, 1) == NEED_FEATURES
    assert worker._fit(a, X, known, settings, 1).version == known.version
    assert worker._fit(a, None, known, settings, 1).version == known.version and a in worker._FOLDS
    worker._fit(b, X, known, settings, 1)                               # keep 1: a's features go, its folds too
    assert worker._fit(a, None, known, settings, 1) == NEED_FEATURES and a not in worker._FOLDS
    assert worker._fit(b, None, known, settings, 1).version == known.version


def test_a_child_that_died_is_started_again(tmp_path):
    p = make(tmp_path / "p.sqlite")
    trainer, bench = Trainer(), Workbench()
    assert trainer.current(bench.snapshot(p.path), timeout=60) is not None
    first = trainer.reviewer.worker.about()["pid"]
    os.kill(first, signal.SIGKILL)
    p.apply("confirm", answers=[0])
    model = trainer.current(bench.snapshot(p.path), timeout=60)
    assert model is not None and model.version == p.version()
    assert trainer.reviewer.worker.about()["pid"] != first
    trainer.reviewer.worker.close()


def _running(pid: int) -> bool:
    """The process exists and has not ended (a zombie waiting for its new parent has ended)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads /proc")
def test_the_child_ends_when_the_app_is_killed(tmp_path):
    script = ("import os, signal\nfrom textmine.review.worker import Worker\nif __name__ == '__main__':\n"
              "    print(Worker().about()['pid'], flush=True)\n    os.kill(os.getpid(), signal.SIGKILL)\n")
    (tmp_path / "app.py").write_text(script)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    app = subprocess.Popen([sys.executable, str(tmp_path / "app.py")], stdout=subprocess.PIPE, text=True, env=env)
    child = int(app.stdout.readline())
    app.wait(timeout=60)
    try:
        for _ in range(50):
            if not _running(child):
                break
            time.sleep(0.1)
        assert not _running(child)
    finally:
        if _running(child):
            os.kill(child, signal.SIGKILL)


def test_a_project_without_vectors_has_no_model_and_logs_no_error(tmp_path, caplog):
    """Its fit failed in the child with a traceback in the log each time the page asked for a model."""
    from .test_curation import make_project

    p = make_project(tmp_path / "p.sqlite")
    trainer = Trainer()
    assert Workbench().snapshot(p.path).vectors is None
    assert trainer.current(Workbench().snapshot(p.path), timeout=60) is None
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == []
    trainer.reviewer.worker.close()
