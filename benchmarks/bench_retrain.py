"""Server-side click times while the review model retrains (issue 26, item 4): the page handlers of select,
rename, merge, move and undo on an n-answer project (bench_scale.large_project), each click timed as the app
runs it (the action, the page data, the estimate line, which asks the Trainer to retrain the new version).

    python -m benchmarks.bench_retrain [--n 10000] [--rounds 6] [--idle] [--in-thread] [--project FILE]

By default the next click follows 50 ms after the previous one (a browser's round trip), so it runs while the
Trainer retrains; `--idle` waits for the retraining to end first. `--in-thread` fits in the Trainer's thread as
before issue 26 (`Reviewer()` without a worker process). Prints median / max ms per action and the seconds
from a click until its version's model is ready (docs/MEASUREMENTS.md, "Clicks while the review model retrains").
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.bench_scale import large_project
from textmine.app import actions
from textmine.app import review_page as rv
from textmine.app.desk import Desk, Session
from textmine.app.page import page as page_of
from textmine.config import load_config
from textmine.review.reviewer import Reviewer

ACTIONS = ("select", "rename", "merge", "move", "undo")


def clicks(path: Path, rounds: int, idle: bool, trainer: rv.Trainer) -> tuple[dict, list]:
    """{action: [ms]} over `rounds` rounds, and the seconds until three renames' models were ready."""
    desk = Desk(load_config())
    snap = desk.snapshot(str(path))
    trainer.current(snap, 600)                                  # the file's features and first model
    s = Session(project=str(path), version=snap.version)
    themes, times = sorted(snap.state.themes), {k: [] for k in ACTIONS}

    def full(session, note):                                    # as ThemesTab.full: the page and the estimate
        p = page_of(desk, session, note)
        rv.estimate_line(desk.snapshot(p.session.project), trainer.shown(desk.snapshot(p.session.project)))
        return p.session

    def timed(label, click):
        nonlocal s
        if idle:
            trainer.current(desk.snapshot(s.project), 600)
        else:
            time.sleep(0.05)
        started = time.perf_counter()
        s = click()
        times[label].append(1000 * (time.perf_counter() - started))

    for i in range(rounds):
        a, b, target = themes[1 + i % 3], themes[-3 - i], themes[-2]
        timed("select", lambda: page_of(desk, s, full=False, select=a).session)
        timed("rename", lambda: full(*actions.apply(desk, s, "rename", theme_id=a, name=f"Tema {i}", description="")))
        timed("merge", lambda: full(*actions.apply(desk, s, "merge", theme_ids=[a, b])))
        moved = [x for x, t in desk.snapshot(s.project).state.primary.items() if t == a][:1]
        timed("move", lambda: full(*actions.apply(desk, s, "move", answers=moved, theme_id=target)))
        timed("undo", lambda: full(*actions.step(s, "undo")))
    trainer.current(desk.snapshot(s.project), 600)
    ready = []
    for i in range(3):
        s = full(*actions.apply(desk, s, "rename", theme_id=themes[1], name=f"Tema R{i}", description=""))
        started = time.perf_counter()
        trainer.current(desk.snapshot(s.project), 600)
        ready.append(time.perf_counter() - started)
    return times, ready


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--idle", action="store_true", help="wait for the retraining before each click")
    parser.add_argument("--in-thread", action="store_true", help="fit in the Trainer's thread (before issue 26)")
    parser.add_argument("--project", default=None, help="a large_project file to copy instead of building one")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.project:
            path = Path(tmp) / Path(args.project).name
            shutil.copy(args.project, path)
            for survey in Path(args.project).parent.glob("large_survey.csv"):
                shutil.copy(survey, Path(tmp) / survey.name)
        else:
            path = large_project(Path(tmp), args.n)
        trainer = rv.Trainer(Reviewer()) if args.in_thread else rv.Trainer()
        times, ready = clicks(path, args.rounds, args.idle, trainer)
    print(f"{'in thread' if args.in_thread else 'child process'}, {'idle' if args.idle else 'while retraining'}, "
          f"load {os.getloadavg()[0]:.2f}")
    for k, v in times.items():
        print(f"  {k:7s} median {statistics.median(v):5.0f}  max {max(v):5.0f} ms")
    print("  retrained model ready after " + " ".join(f"{x:.2f}" for x in ready) + " s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
