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
def clock():
    fake = FakeTime()
    yield fake
    fake.loop.close()


def test_wrong_logins_are_answered_one_at_a_time_each_later_than_the_last(clock):
    from textmine.access import LoginGuard

    guard = LoginGuard("ana", "hemmelig-kode", clock=clock.clock, sleep=clock.sleep)
    assert clock.attempts(guard, [("ana", "hemmelig-kode")]) == [True] and clock.slept == []      # no wait
    got = clock.attempts(guard, [("ana", f"gæt-{i}") for i in range(6)] + [("ana", "hemmelig-kode")])
    assert got == [False] * 6 + [True]
    assert clock.slept == [0.5, 1.0, 1.5, 2.0, 2.5, 3.0]                   # one after the other, longer each time
    assert clock.attempts(guard, [("bo", "hemmelig-kode"), ("ana ", "hemmelig-kode")]) == [False, False]
    clock.slept.clear()
    clock.now += 3600                                                     # an hour without failures: forgotten
    assert clock.attempts(guard, [("ana", "forkert")]) == [False] and clock.slept == [0.5]


def test_wrong_logins_are_bounded_and_those_over_the_bound_are_refused_unchecked(clock):
    from textmine.access import LoginGuard

    guard = LoginGuard("ana", "hemmelig-kode", max_waiting=5, longest=2.0, clock=clock.clock, sleep=clock.sleep)
    got = clock.attempts(guard, [("ana", "forkert")] * 5 + [("ana", "hemmelig-kode")] * 3)
    assert got == [False] * 8                                        # the last three were not even checked
    assert clock.slept == [0.5, 1.0, 1.5, 2.0, 2.0]                      # never longer than `longest`
    assert clock.attempts(guard, [("ana", "hemmelig-kode")]) == [True]


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


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The app on an open address with credentials, with one project in its folder."""
    import pandas as pd

    from textmine.store import Project

    tmp = tmp_path_factory.mktemp("served")
    project = tmp / "projects" / "hemmeligt_projekt.sqlite"
    Project.create(project, "kerneopgave", pd.DataFrame({"respondent_id": ["R1", "R2"], "answer": ["a b", "c d"],
                                                         "cluster": [0, 0]}))
    port = free_port()
    proc = subprocess.Popen([sys.executable, "app_gradio.py", "--host", "0.0.0.0", "--port", str(port),
                             "--projects-dir", str(tmp / "projects")], cwd=ROOT,
                            env=_env(TEXTMINE_AUTH="ana:hemmelig-kode", PYTHONPATH=str(ROOT)),
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
        yield base, project
    finally:
        proc.kill()
        proc.wait()


def _get(url, cookie=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace"), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace"), exc.headers


def _login(base, password):
    data = urllib.parse.urlencode({"username": "ana", "password": password}).encode()
    return _get_post(base + "/login", data)


def _get_post(url, data):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=60) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers


@pytest.mark.slow
def test_with_credentials_the_login_page_tells_nothing_about_projects_or_the_survey(served):
    base, project = served
    for path in ("/", "/?all_endpoints=true", "/gradio_api/runs", "/?page="):
        status, page, _ = _get(base + path)
        assert status in (200, 404), path
        for secret in (str(project.parent), project.stem, "mg_jobparate", "respondent_id", "au_viden_arbejdsmarked"):
            assert secret not in page, f"{secret} in {path}"
    for path in ("/config", "/gradio_api/info", "/gradio_api/openapi.json", f"/gradio_api/file={project}"):
        assert _get(base + path)[0] == 401, path                       # the app's data: not without login


@pytest.mark.slow
def test_with_credentials_wrong_logins_are_slowed_and_the_right_one_gets_in(served):
    from concurrent.futures import ThreadPoolExecutor

    base, project = served
    start = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(lambda i: _login(base, f"forkert-{i}")[0], range(4)))
    assert codes == [400] * 4 and time.monotonic() - start >= 4.0     # 0.5 + 1 + 1.5 + 2 s, one after the other
    status, headers = _login(base, "hemmelig-kode")
    assert status == 200
    cookie = "; ".join(c.split(";")[0] for c in headers.get_all("set-cookie"))
    status, page, _ = _get(base + "/", cookie)
    assert status == 200 and project.stem in page                      # logged in: the app with its projects
