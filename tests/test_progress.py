"""The time left beside a progress bar, from the rate of the step so far."""

from textmine.progress import TimeLeft, duration


def test_durations_in_danish_words():
    assert [duration(s) for s in (20, 61, 240, 3900)] == ["under 1 min", "1 min", "4 min", "1 t 5 min"]


def test_the_time_left_follows_the_rate_of_the_step_and_waits_until_it_is_known():
    now = [0.0]
    left = TimeLeft(clock=lambda: now[0])
    assert left("embedding", 0.0) == ""
    now[0] = 1.0
    assert left("embedding", 0.01) == ""                      # too early to say
    now[0] = 60.0
    assert left("embedding", 0.2) == "ca. 4 min tilbage"      # 20 % a minute: 80 % left is 4 minutes
    now[0] = 61.0
    assert left("clustering", 0.0) == ""                      # a new step starts its own clock
    assert left("embedding", 1.0) == ""


def test_the_command_line_writes_progress_the_danish_way(capsys, monkeypatch):
    from textmine import cli

    monkeypatch.setattr(cli, "_TIME_LEFT", None)           # steps timed from here, not from an earlier command
    cli._progress("embedding", 0.043)
    cli._progress("embedding", 1.0)
    assert capsys.readouterr().err.splitlines() == ["Indlejrer svarene: 4 %", "Indlejrer svarene: 100 %"]
