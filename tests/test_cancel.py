"""A discovery on the page can be stopped (the *Stop* button, the tab closed) at its next safe point and
then writes nothing; its time is estimated first and a run over 10 minutes is confirmed before it starts."""

import pandas as pd
import pytest

from textmine.app.desk import Desk
from textmine.app.discovery_control import ASK_FROM, Runs, about, estimate, seconds_for
from textmine.config import load_config
from textmine.progress import STOPPED, StopFlag, Stopped
from textmine.text.embed import EmbeddingCache, embedding_input

from .conftest import FakeEmbedder

WORDS = ["mere tid til borgerne", "bedre it-systemer", "færre regler", "kortere sagsbehandling",
         "flere kolleger", "bedre ledelse", "mindre dokumentation", "samarbejde med virksomhederne"]


def big_survey(folder, n: int, name: str = "stor"):
    """A survey of `n` distinct answers (made from WORDS) and its description; the description's path."""
    folder.mkdir(parents=True, exist_ok=True)
    answers = [f"{WORDS[i % 8]} og {WORDS[(i // 8) % 8]}, svar nummer {i}" for i in range(n)]
    pd.DataFrame({"id": [f"R{i}" for i in range(n)], "svar": answers}).to_csv(folder / f"{name}.csv", index=False)
    toml = folder / f"{name}.toml"
    toml.write_text(f'[survey]\nname = "Stor prøve"\nfile = "{name}.csv"\nid_column = "id"\n\n'
                    '[questions]\nsvar = "Hvad skal kommunen gøre bedre?"\n', encoding="utf-8")
    return toml


def _discover(tmp_path, n, progress, stop=None):
    from textmine.app.discovery_run import discover

    config = load_config(big_survey(tmp_path / "survey", n))
    folder = tmp_path / "projects"
    folder.mkdir()
    stopping = {"stop": stop} if stop else {}
    return folder, lambda: discover(Desk(config), str(config.survey_file), "id", "svar", 1.0, "", folder,
                                    progress, config, **stopping)


def test_a_run_stopped_mid_embedding_raises_stopped_and_writes_nothing(tmp_path, bundled_model_is_fake):
    stop, seen = StopFlag(), []

    def progress(step, fraction):
        seen.append((step, fraction))
        if step == "embedding" and fraction > 0:          # the first batch is embedded: Stop is pressed
            stop.stop()
    folder, run = _discover(tmp_path, 300, progress, stop)
    with pytest.raises(Stopped, match="stoppet, og intet er gemt"):
        run()
    assert [s for s, f in seen] == ["embedding", "embedding"]     # stopped before the second batch
    assert list(folder.iterdir()) == []                            # no project file, no model folder


def test_a_run_not_stopped_makes_the_project_and_its_model(tmp_path, bundled_model_is_fake):
    folder, run = _discover(tmp_path, 120, lambda step, fraction: None, StopFlag())
    session, _ = run()
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))) == \
        ["stor_svar.model", "stor_svar.sqlite"] and session.project.endswith("stor_svar.sqlite")


def test_a_project_that_fails_to_save_leaves_no_model_folder(tmp_path, bundled_model_is_fake, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr("textmine.app.pipeline.QuestionResult.save_project", full)
    folder, run = _discover(tmp_path, 120, lambda step, fraction: None)
    with pytest.raises(OSError):
        run()
    assert list(folder.iterdir()) == []                            # all or nothing, like run_discover


def test_the_stop_flag_is_checked_by_the_progress_it_watches():
    stop, seen = StopFlag(), []
    report = stop.watching(lambda step, fraction: seen.append(step))
    report("embedding", 0.5)
    stop.stop()
    with pytest.raises(Stopped) as raised:
        report("embedding", 0.6)
    assert seen == ["embedding"] and str(raised.value) == STOPPED


def test_runs_by_session_a_stop_while_waiting_stops_the_run_as_it_starts():
    runs = Runs()
    assert runs.armed("a") is None and not runs.stop("a")          # nothing let go: nothing to stop
    flag = runs.arm("a")
    assert runs.stop("a") and runs.armed("a") is flag and flag.stopped
    assert runs.armed("b") is None                                 # another user's run is not touched
    runs.finish("a", flag)
    assert runs.armed("a") is None
    again = runs.arm("a")
    assert again is not flag and not again.stopped and runs.arm("a") is again


def test_the_estimate_follows_the_measured_runs():
    # docs/SCALE.md: 10,000 answers in 195 s, 100,000 in 1,661 s, on an empty embedding cache
    assert seconds_for(10_000) == pytest.approx(195, rel=0.1)
    assert seconds_for(100_000) == pytest.approx(1661, rel=0.1)
    assert seconds_for(100_000, to_embed=0) == pytest.approx(144, rel=0.05)     # everything cached
    assert seconds_for(1_000_000) > 4 * 3600                                      # RELIABILITY item 10
    assert seconds_for(30_000) < ASK_FROM < seconds_for(45_000)


def test_long_times_in_danish_words():
    assert [about(s) for s in (20, 1500, 3600, 3900, 7260)] == [
        "ca. 1 minut", "ca. 25 minutter", "ca. 1 time", "ca. 1 time og 5 minutter", "ca. 2 timer og 1 minut"]


def test_a_run_over_ten_minutes_is_asked_about_less_what_the_cache_holds(tmp_path, bundled_model_is_fake):
    config = load_config(big_survey(tmp_path, 48_000))
    desk = Desk(config)
    long = estimate(desk, str(config.survey_file), "id", "svar", config)
    assert long.long and long.answers == long.to_embed == 48_000
    assert long.question().startswith("Det tager ca. 14 minutter at finde temaer i 48.000 svar på denne maskine")
    assert long.question().endswith("Fortsæt?")
    texts = [embedding_input(t) for t in pd.read_csv(config.survey_file)["svar"][:30_000]]
    EmbeddingCache().put(FakeEmbedder.name, texts, FakeEmbedder().embed(texts))
    cached = estimate(desk, str(config.survey_file), "id", "svar", config)
    assert cached.to_embed == 18_000 and not cached.long
    small = load_config(big_survey(tmp_path / "small", 2_000))
    assert not estimate(Desk(small), str(small.survey_file), "id", "svar", small).long
