"""SIGKILL at random moments never loses an acknowledged action or leaves a broken project file."""

import os
import random
import signal
import subprocess
import sys

import pandas as pd

from textmine.project.store import Project

from .conftest import ROOT
from .crash_child import replay


def test_kills_between_50_random_actions_lose_nothing(tmp_path):
    n = 40
    answers = pd.DataFrame({"respondent_id": [f"R{i}" for i in range(n)], "answer": [f"svar {i}" for i in range(n)],
                            "cluster": [i % 6 for i in range(n)]})
    clusters = pd.DataFrame({"cluster": range(6), "keywords": "k", "examples": [["e"]] * 6})
    path = tmp_path / "project.sqlite"
    start = Project.create(path, "q", answers).state()
    seed, rng, done = 7, random.Random(1), 0
    while done < 50:
        child = subprocess.Popen([sys.executable, "-m", "tests.crash_child", str(path), str(seed), str(done)],
                                 cwd=ROOT, stdout=subprocess.PIPE, text=True)
        acknowledged = [int(child.stdout.readline()) for _ in range(rng.randint(1, 12))]
        os.kill(child.pid, signal.SIGKILL)                    # right after an action returned
        child.wait()
        child.stdout.close()
        project = Project(path)
        actions = int((project.audit()["kind"] == "action").sum())
        assert actions >= done + len(acknowledged)             # every acknowledged action is there
        assert project.version() >= acknowledged[-1]
        assert project.state() == replay(start, seed, actions)  # and the file is exactly their result
        done = actions
    assert done >= 50
