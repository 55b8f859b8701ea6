"""The app listens on 127.0.0.1; any other address needs a username and password from the environment."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from textmine.access import credentials
from textmine.errors import ConfigError

from .conftest import ROOT
from .test_browser import free_port


def test_localhost_needs_no_credentials():
    assert credentials("127.0.0.1", {}) is None and credentials("localhost", {}) is None


def test_other_addresses_need_credentials_from_the_environment_or_a_file(tmp_path):
    with pytest.raises(ConfigError, match="TEXTMINE_AUTH"):
        credentials("0.0.0.0", {})
    with pytest.raises(ConfigError, match="mindst 8 tegn"):
        credentials("0.0.0.0", {"TEXTMINE_AUTH": "ana:kort"})
    assert credentials("0.0.0.0", {"TEXTMINE_AUTH": "ana:en:lang:kode"}) == ("ana", "en:lang:kode")
    secret = tmp_path / "auth.txt"
    secret.write_text("\nbo:hemmelig-kode\n", encoding="utf-8")
    assert credentials("192.168.1.10", {"TEXTMINE_AUTH_FILE": str(secret)}) == ("bo", "hemmelig-kode")
    with pytest.raises(ConfigError, match="kan ikke læses"):
        credentials("0.0.0.0", {"TEXTMINE_AUTH_FILE": str(tmp_path / "mangler.txt")})


def test_blank_short_or_uniform_passwords_are_refused():
    for blank in ("ana:" + " " * 8, "ana:\t\t\t\t\t\t\t\t", "ana:" + " " * 20):
        with pytest.raises(ConfigError, match="tom eller kun mellemrum"):
            credentials("0.0.0.0", {"TEXTMINE_AUTH": blank})
    with pytest.raises(ConfigError, match="mindst 8 tegn"):
        credentials("0.0.0.0", {"TEXTMINE_AUTH": "ana:  kort    "})            # 4 characters and spaces
    for uniform in ("ana:aaaaaaaa", "ana:12121212"):
        with pytest.raises(ConfigError, match="forskellige tegn"):
            credentials("0.0.0.0", {"TEXTMINE_AUTH": uniform})


class FakeTime:
    """A clock and a sleep that only pretend to wait, and the one event loop the attempts run on (as in the app)."""

    def __init__(self):
        import asyncio

        self.now, self.slept, self.loop = 1000.0, [], asyncio.new_event_loop()

    def attempts(self, guard, tries) -> list[bool]:
        """Login attempts sent at once; their results in order."""
        import asyncio

        async def run():
            return await asyncio.gather(*(guard.check(user, password) for user, password in tries))
        return self.loop.run_until_complete(run())

    def clock(self):
        return self.now

    async def sleep(self, seconds):
        import asyncio

        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)                      # let the other attempts queue up meanwhile


@pytest.fixture
def fake_time():
    clock = FakeTime()
    yield clock
    clock.loop.close()


def test_wrong_logins_are_answered_one_at_a_time_each_later_than_the_last(fake_time):
    from textmine.access import LoginGuard

    time = fake_time
    guard = LoginGuard("ana", "hemmelig-kode", clock=time.clock, sleep=time.sleep)
    assert time.attempts(guard, [("ana", "hemmelig-kode")]) == [True] and time.slept == []     # no failure: no wait
    got = time.attempts(guard, [("ana", f"gæt-{i}") for i in range(6)] + [("ana", "hemmelig-kode")])
    assert got == [False] * 6 + [True]
    assert time.slept == [0.5, 1.0, 1.5, 2.0, 2.5, 3.0]               # one after the other, longer each time
    assert time.attempts(guard, [("bo", "hemmelig-kode"), ("ana ", "hemmelig-kode")]) == [False, False]
    time.slept.clear()
    time.now += 3600                                                 # an hour without failures: forgotten
    assert time.attempts(guard, [("ana", "forkert")]) == [False] and time.slept == [0.5]


def test_wrong_logins_are_bounded_and_those_over_the_bound_are_refused_unchecked(fake_time):
    from textmine.access import LoginGuard

    time = fake_time
    guard = LoginGuard("ana", "hemmelig-kode", max_waiting=5, longest=2.0, clock=time.clock, sleep=time.sleep)
    got = time.attempts(guard, [("ana", "forkert")] * 5 + [("ana", "hemmelig-kode")] * 3)
    assert got == [False] * 8                                        # the last three were not even checked
    assert time.slept == [0.5, 1.0, 1.5, 2.0, 2.0]                   # never longer than `longest`
    assert time.attempts(guard, [("ana", "hemmelig-kode")]) == [True]


def test_the_guard_is_a_coroutine_function_for_gradio():
    import inspect

    from textmine.access import LoginGuard

    assert inspect.iscoroutinefunction(LoginGuard("ana", "hemmelig-kode").check)      # gradio awaits it


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTMINE_AUTH")}
    return {**env, **extra}


def test_the_app_refuses_to_start_on_an_open_address_without_credentials(tmp_path):
    done = subprocess.run([sys.executable, "app_gradio.py", "--host", "0.0.0.0", "--port", str(free_port()),
                           "--projects-dir", str(tmp_path / "projects")], cwd=ROOT, env=_env(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().startswith("Fejl: Appen skal lytte på 0.0.0.0") and "TEXTMINE_AUTH" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "projects").exists()


@pytest.mark.slow
def test_with_credentials_it_starts_and_asks_for_them(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "app_gradio.py", "--host", "0.0.0.0", "--port", str(port),
                             "--projects-dir", str(tmp_path / "projects")], cwd=ROOT,
                            env=_env(TEXTMINE_AUTH="ana:hemmelig-kode"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(base + "/", timeout=1)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.5)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + "/config", timeout=5)           # the app's data: not without login
        assert refused.value.code == 401

        def login(password):
            data = urllib.parse.urlencode({"username": "ana", "password": password}).encode()
            try:
                return urllib.request.urlopen(urllib.request.Request(base + "/login", data=data), timeout=5).status
            except urllib.error.HTTPError as exc:
                return exc.code
        assert login("forkert-kode") == 400 and login("hemmelig-kode") == 200
    finally:
        proc.kill()
        proc.wait()
