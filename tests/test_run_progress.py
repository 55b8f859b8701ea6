"""A discovery that keeps the analyst informed (issue 25, item 6): the clustering reports its sub-steps with
fractions that move, and the run registry (discovery_control.Runs) lets every open page, a reloaded one too,
follow the run, stop it, and see how it ended; a run no page follows any more stops."""

import gradio as gr
import pytest

from tests.test_cancel import _discover
from tests.test_topics import TEXTS
from textmine.app.discovery_control import GRACE, KEEP, Runs, share_done, status_line, step_line
from textmine.config import DiscoverySettings
from textmine.discovery import clustering
from textmine.discovery.topics import discover
from textmine.progress import StopFlag
from textmine.text.lemmas import DanishLemmatizer

CLUSTERING = ["features", "reducing", "clustering", "keywords"]


def steps_of(seen):
    """The steps in the order they began."""
    return [s for i, (s, _) in enumerate(seen) if i == 0 or seen[i - 1][0] != s]


def test_the_clustering_reports_its_sub_steps_and_the_reduction_moves_block_by_block(monkeypatch):
    from tests.conftest import FakeEmbedder

    monkeypatch.setattr(clustering, "BLOCK", 25)        # the answers not in UMAP's sample placed 25 at a time
    texts = [f"{t} [{i}]" for i, t in enumerate(TEXTS * 4)]
    seen = []
    discover(texts, FakeEmbedder().embed(texts), DiscoverySettings(n_clusters=3, fit_sample=40), DanishLemmatizer(),
             progress=lambda step, fraction: seen.append((step, fraction)))
    assert steps_of(seen) == CLUSTERING
    reducing = [f for s, f in seen if s == "reducing"]
    assert reducing[0] == 0.0 and reducing[-1] == 1.0 and len(set(reducing)) >= 5     # 40/144, 65/144, ...
    assert reducing == sorted(reducing)
    assert [f for s, f in seen if s == "clustering"] == [0.0, 1.0]
    keywords = [f for s, f in seen if s == "keywords"]
    assert keywords == sorted(keywords) and keywords[0] == 0.0 and keywords[-1] > 0.5


def test_a_whole_discovery_reports_every_step_in_order_with_fractions_that_never_go_back(tmp_path,
                                                                                      bundled_model_is_fake):
    seen = []
    _, run = _discover(tmp_path, 120, lambda step, fraction: seen.append((step, fraction)), StopFlag())
    run()
    assert steps_of(seen) == ["embedding", *CLUSTERING, "names", "map", "saving"]
    for step in set(s for s, _ in seen) - {"embedding"}:   # (list answers are embedded again by their items)
        fractions = [f for s, f in seen if s == step]
        assert fractions == sorted(fractions), step


class Clock:
    def __init__(self):
        self.now = 1_700_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def runs():
    return Runs(Clock())


def test_the_status_line_moves_while_a_step_reports_nothing_and_says_it_in_danish(runs):
    runs.arm("a")
    report = runs.track("a", "stor.csv", "svar: Hvad skal kommunen gøre bedre?", 10_000)
    report("embedding", 0.0)
    runs.clock.now += 30
    report("embedding", 0.2)
    run = runs.look("a", "a")
    assert step_line(run, runs.clock()) == "Indlejrer svarene: 20 % – ca. 2 min tilbage"    # 120 s at its rate
    report("reducing", 0.0)                               # UMAP's fit: no fraction until it ends
    lines, shares = [], []
    for _ in range(3):
        runs.clock.now += 7
        lines.append(step_line(run, runs.clock()))
        shares.append(share_done(run, runs.clock()))
    assert lines[0] == "Danner klynger: reducerer dimensionerne – i gang i 7 s, ca. 15 s tilbage"
    assert len(set(lines)) == 3 and shares == sorted(shares) and len(set(shares)) == 3
    runs.clock.now += 600
    assert step_line(run, runs.clock()).endswith("i gang i 10 min 21 s, lidt længere end ventet")
    line = status_line(run, runs.clock())
    assert "Finder temaer i stor.csv: »svar: Hvad skal kommunen gøre bedre?« (10.000 svar) · startet kl. " in line
    assert "." not in line.split("startet")[1].split("<progress")[0].replace("kl.", "")       # no "0.0%"


def test_a_reloaded_page_follows_the_run_and_a_run_no_page_follows_stops(runs):
    flag = runs.arm("a")
    report = runs.track("a", "stor.csv", "svar", 500)
    assert runs.live() == "a"
    runs.look("a", "b")                                   # the page reloaded: a new session follows the run
    runs.left("a")                                        # ... and the old one's unload comes
    runs.clock.now += 2 * GRACE
    report("embedding", 0.5)
    assert not flag.stopped                               # followed by the reloaded page
    runs.left("b")                                        # the last page closes
    runs.clock.now += GRACE / 2
    report("embedding", 0.6)
    assert not flag.stopped                               # a reload within GRACE may still come back
    runs.look("a", "c")                                   # ... and one does: the run goes on
    runs.clock.now += 2 * GRACE
    report("embedding", 0.7)
    assert not flag.stopped
    runs.left("c")
    runs.clock.now += GRACE
    report("embedding", 0.8)
    assert flag.stopped and runs.armed("a") is flag
    assert runs.stop("a", "another page's Stop button")   # a Stop from any page reaches the same flag


def test_an_ended_run_is_told_to_its_followers_then_forgotten(runs):
    flag = runs.arm("a")
    runs.track("a", "stor.csv", "svar", 500)
    runs.done("a", "/p/stor_svar.sqlite", "✓ Projektet stor_svar er lavet.")
    runs.finish("a", flag)
    assert runs.armed("a") is None and runs.live() == ""
    run = runs.look("a", "b")
    assert run.project == "/p/stor_svar.sqlite" and "✓ Projektet stor_svar er lavet." in status_line(run, 0)
    runs.clock.now += KEEP + 1
    assert runs.look("a", "b") is None
    stopped = runs.arm("c")
    stopped.stop()
    runs.finish("c", stopped)
    assert runs.look("c", "c").message.startswith("Søgningen blev stoppet, og intet er gemt.")


def test_the_bar_shows_a_followed_run_and_opens_its_project_only_on_a_page_that_did_not_start_it(runs):
    from textmine.ui.run_bar import RunBar

    with gr.Blocks():
        bar = RunBar(runs)
    flag = runs.arm("a")
    runs.track("a", "stor.csv", "svar", 500)("embedding", 0.1)
    follower = bar.shown("a", "b")
    assert follower[bar.row]["visible"] and follower[bar.stop]["visible"] and follower[bar.timer].active
    assert "Indlejrer svarene: 10 %" in follower[bar.status]
    runs.done("a", "/p/ny.sqlite", "✓ Projektet ny er lavet.")
    runs.finish("a", flag)
    follower = bar.shown("a", "b")
    assert follower[bar.finished] == "/p/ny.sqlite" and not follower[bar.timer].active
    assert not follower[bar.stop]["visible"]
    owner = bar.shown("a", "a")                           # the tab that started it opens the project itself
    assert not owner[bar.row]["visible"] and bar.finished not in owner
