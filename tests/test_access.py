"""The app listens on 127.0.0.1; any other address needs a username and password from the environment."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from textmine.app.access import credentials
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
    from textmine.app.access import LoginGuard

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
    from textmine.app.access import LoginGuard

    guard = LoginGuard("ana", "hemmelig-kode", max_waiting=5, longest=2.0, clock=clock.clock, sleep=clock.sleep)
    got = clock.attempts(guard, [("ana", "forkert")] * 5 + [("ana", "hemmelig-kode")] * 3)
    assert got == [False] * 8                                        # the last three were not even checked
    assert clock.slept == [0.5, 1.0, 1.5, 2.0, 2.0]                      # never longer than `longest`
    assert clock.attempts(guard, [("ana", "hemmelig-kode")]) == [True]


def _from(source, guard, user, password):
    """One login attempt as the app makes it: the request's source address set by access.Gate."""
    from textmine.app.access import SOURCE

    async def attempt():
        SOURCE.set(source)                        # each attempt runs in its own task: its own context
        return await guard.check(user, password)
    return attempt()


def test_wrong_logins_from_one_address_never_lock_the_right_password_out_elsewhere(clock):
    """RELIABILITY 2026-12-06 item 9: with 20+ wrong logins in flight the right password was refused."""
    import asyncio

    from textmine.app.access import LoginGuard

    guard = LoginGuard("ana", "hemmelig-kode", clock=clock.clock, sleep=clock.sleep)

    async def run():
        attack = [asyncio.ensure_future(_from("10.0.0.66", guard, "ana", f"gæt-{i}")) for i in range(30)]
        await asyncio.sleep(0)                                  # the guesses are in line before the right login
        right = await _from("10.0.0.7", guard, "ana", "hemmelig-kode")
        slept_before_right = len(clock.slept)
        return right, slept_before_right, await asyncio.gather(*attack)
    right, slept_before_right, attack = clock.loop.run_until_complete(run())
    assert right is True and slept_before_right <= 1             # answered at once, not after the guesses
    assert attack == [False] * 30 and len(clock.slept) == 20      # 20 checked one after the other, 10 refused unchecked
    assert clock.slept[:3] == [0.5, 1.0, 1.5]
    again = clock.loop.run_until_complete(_from("10.0.0.66", guard, "ana", "hemmelig-kode"))
    assert again is True and len(clock.slept) == 20              # its line drained: the right password gets in


def test_the_guard_forgets_the_quietest_address_when_it_has_too_many(clock):
    from textmine.app.access import LoginGuard

    guard = LoginGuard("ana", "hemmelig-kode", max_sources=3, clock=clock.clock, sleep=clock.sleep)
    for source in ("a", "b", "c", "d", "e"):
        clock.loop.run_until_complete(_from(source, guard, "ana", "forkert"))
    assert list(guard.lines) == ["c", "d", "e"]


def test_the_guard_is_a_coroutine_function_for_gradio():
    import inspect

    from textmine.app.access import LoginGuard

    assert inspect.iscoroutinefunction(LoginGuard("ana", "hemmelig-kode").check)      # gradio awaits it


def _through_gate(listen_on: str, host_header: str, kind: str = "http"):
    """One request through access.Gate in front of a tiny app: (what was sent back, the source the app saw)."""
    import asyncio

    from textmine.app.access import SOURCE, Gate

    seen, sent = [], []

    async def app(scope, receive, send):
        seen.append(SOURCE.get())
        await send({"type": "http.response.start", "status": 200, "headers": []})

    async def send(message):
        sent.append(message)

    scope = {"type": kind, "headers": [(b"host", host_header.encode())], "client": ("192.168.1.20", 50123)}
    asyncio.run(Gate(app, listen_on)(scope, None, send))
    return sent, seen


@pytest.mark.parametrize("listen_on,host_header", [
    ("127.0.0.1", "evil.example"), ("127.0.0.1", "evil.example:7860"), ("127.0.0.1", "rebind.127.0.0.1.nip.io:7860"),
    ("127.0.0.1", ""), ("127.0.0.1", "192.168.1.10:7860"), ("192.168.1.10", "evil.example:7860"),
    ("0.0.0.0", "evil.example:7860"), ("0.0.0.0", "localhost.evil.example"),
])
def test_a_request_naming_another_host_is_refused_before_the_app_sees_it(listen_on, host_header):
    """RELIABILITY 2026-12-06 item 11: `Host: evil.example` got /config from the 127.0.0.1 app (DNS rebinding)."""
    sent, seen = _through_gate(listen_on, host_header)
    assert seen == [] and sent[0]["status"] == 421
    assert "Forkert adresse" in sent[1]["body"].decode("utf-8")
    sent, seen = _through_gate(listen_on, host_header, kind="websocket")
    assert seen == [] and sent == [{"type": "websocket.close", "code": 1008}]


@pytest.mark.parametrize("listen_on,host_header", [
    ("127.0.0.1", "127.0.0.1:7860"), ("127.0.0.1", "localhost:7860"), ("127.0.0.1", "LOCALHOST"),
    ("127.0.0.1", "[::1]:7860"), ("192.168.1.10", "192.168.1.10:7860"), ("analyse.local", "Analyse.Local:7860"),
    ("0.0.0.0", "10.1.2.3:7860"), ("0.0.0.0", "localhost:7860"),
])
def test_a_request_naming_the_apps_own_address_passes_with_its_source(listen_on, host_header):
    sent, seen = _through_gate(listen_on, host_header)
    assert sent[0]["status"] == 200 and seen == ["192.168.1.20"]


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

    from textmine.project.store import Project

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


def _start_app(tmp, host: str, env: dict) -> tuple[subprocess.Popen, str]:
    """The app on `host` with one project; (its process, the base URL on 127.0.0.1) once it answers."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "app_gradio.py", "--host", host, "--port", str(port),
                             "--projects-dir", str(tmp / "projects")], cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.5)
    return proc, base


def _get_as(url: str, host: str) -> tuple[int, str]:
    """GET with a Host header of our choosing (what a rebinding page's requests carry)."""
    import http.client

    parts = urllib.parse.urlsplit(url)
    con = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        con.request("GET", parts.path or "/", headers={"Host": host})
        response = con.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        con.close()


@pytest.mark.slow
def test_the_local_app_answers_only_requests_naming_its_own_address(tmp_path):
    """RELIABILITY 2026-12-06 item 11: `Host: evil.example` got /config (project paths, columns) and the
    event API from the credential-free 127.0.0.1 app."""
    proc, base = _start_app(tmp_path, "127.0.0.1", _env())
    try:
        port = base.rsplit(":", 1)[1]
        for path in ("/config", "/gradio_api/info", "/"):
            status, body = _get_as(base + path, "evil.example")
            assert status == 421 and "Forkert adresse" in body and "projects" not in body, path
            assert _get_as(base + path, f"evil.example:{port}")[0] == 421, path
        assert _get_as(base + "/config", f"127.0.0.1:{port}")[0] == 200
        assert _get_as(base + "/config", f"localhost:{port}")[0] == 200
    finally:
        proc.kill()
        proc.wait()


def _login_from(base: str, source: str, password: str) -> int:
    """A login sent from the source address `source` (any 127.x.y.z reaches this machine)."""
    import http.client

    parts = urllib.parse.urlsplit(base)
    con = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120, source_address=(source, 0))
    try:
        con.request("POST", "/login", urllib.parse.urlencode({"username": "ana", "password": password}),
                    {"Content-Type": "application/x-www-form-urlencoded"})
        return con.getresponse().status
    finally:
        con.close()


@pytest.mark.slow
def test_with_credentials_the_right_password_gets_in_while_another_address_sends_wrong_ones(served):
    """RELIABILITY 2026-12-06 item 9: with 20+ wrong logins in flight the right one was refused 4 times of 5."""
    from concurrent.futures import ThreadPoolExecutor

    base, _ = served
    pool = ThreadPoolExecutor(24)
    try:
        attack = [pool.submit(_login_from, base, "127.0.0.2", f"gæt-{i}") for i in range(24)]
        time.sleep(1.0)                                                   # the guesses are in flight
        start = time.monotonic()
        rights = [_login_from(base, "127.0.0.1", "hemmelig-kode") for _ in range(5)]
        took = time.monotonic() - start
        assert rights == [200] * 5 and took < 5.0, (rights, took)
        assert sum(f.done() for f in attack) <= 8                         # the guesses are still answered slowly
    finally:
        pool.shutdown(wait=False, cancel_futures=True)                    # they end when the app is stopped
