"""Who may open the app: anyone on this machine when it listens on 127.0.0.1 (the default); a
username and password when it listens on an address other machines can reach.

The credentials come from the environment, never from code or the command line (where other users
could read them in the process list): TEXTMINE_AUTH="user:password", or TEXTMINE_AUTH_FILE naming a
file whose first line is "user:password". A blank, short or uniform password is refused, and wrong
logins from one address are answered slowly, one at a time (LoginGuard), so guessing takes long however
many requests are sent at once, while the right password from another address gets in at once.

Every request must name the app's own address in its Host header (Gate): a web page on another site
whose name is made to point at 127.0.0.1 (DNS rebinding) gets nothing.
"""

from __future__ import annotations

import asyncio
import contextvars
import hmac
import ipaddress
import os
import socket
import time
from pathlib import Path

from ..errors import ConfigError

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
WILDCARD_HOSTS = {"0.0.0.0", "::", ""}
SOURCE: contextvars.ContextVar[str] = contextvars.ContextVar("textmine_request_source", default="")
WRONG_HOST = ("Forkert adresse: appen svarer kun, når den er åbnet på sin egen adresse (fx http://127.0.0.1 "
              "med portnummer). Åbn den derfra.").encode("utf-8")
MIN_PASSWORD = 8
MIN_DISTINCT = 4                # different characters in a password ("aaaaaaaa", "12121212" are refused)


def credentials(host: str, environ=None) -> tuple[str, str] | None:
    """None for a local address; else (user, password), or a ConfigError saying how to set them."""
    if host in LOCAL_HOSTS:
        return None
    environ = os.environ if environ is None else environ
    raw = environ.get("TEXTMINE_AUTH", "")
    if not raw and environ.get("TEXTMINE_AUTH_FILE"):
        path = Path(environ["TEXTMINE_AUTH_FILE"])
        try:
            raw = next((line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()), "")
        except (OSError, UnicodeDecodeError):
            raise ConfigError(f"Filen med brugernavn og adgangskode kan ikke læses: {path}.") from None
    user, _, password = raw.partition(":")
    if not user.strip() or not password:
        raise ConfigError(
            f"Appen skal lytte på {host}, som andre maskiner kan nå, og det kræver brugernavn og adgangskode. "
            "Sæt miljøvariablen TEXTMINE_AUTH=bruger:adgangskode eller TEXTMINE_AUTH_FILE=sti til en fil med "
            "bruger:adgangskode på første linje. Uden dem kan appen kun lytte på 127.0.0.1.")
    _check_password(password, host)
    return user.strip(), password


def _check_password(password: str, host: str) -> None:
    if not password.strip():
        raise ConfigError(f"Adgangskoden i TEXTMINE_AUTH er tom eller kun mellemrum. Vælg en rigtig adgangskode, "
                          f"når appen lytter på {host}.")
    if len(password.strip()) < MIN_PASSWORD:
        raise ConfigError(f"Adgangskoden skal have mindst {MIN_PASSWORD} tegn (mellemrum ikke medregnet), "
                          f"når appen lytter på {host}.")
    if len(set(password)) < MIN_DISTINCT:
        raise ConfigError(f"Adgangskoden skal have mindst {MIN_DISTINCT} forskellige tegn, når appen lytter på {host}.")


class _Line:
    """One source address's logins: its lock, how many wait, its failures and when the last one was."""

    def __init__(self):
        self.lock, self.waiting, self.failures, self.last_failure = asyncio.Lock(), 0, 0, float("-inf")


class LoginGuard:
    """The login check the app gives Gradio (`auth=LoginGuard(user, password).check`).

    Each source address (SOURCE, set by Gate for each request) has its own line: its attempts are checked
    one at a time; after a wrong one the next waits `step` seconds longer than the last did (at most
    `longest`), so 50 guesses sent at once take minutes, not 0.3 s. At most `max_waiting` attempts wait in
    an address's line: more are refused without being checked, so none is answered faster than the line
    allows. An address's failures are forgotten `forget_after` seconds after its last one. Wrong logins from
    one address never lock out another: the right password from elsewhere is checked at once. The state is
    this process's (one app server), at most `max_sources` addresses (the longest quiet are forgotten first)."""

    def __init__(self, user: str, password: str, step: float = 0.5, longest: float = 5.0, max_waiting: int = 20,
                 forget_after: float = 900.0, clock=time.monotonic, sleep=asyncio.sleep, max_sources: int = 10_000):
        self.user, self.password = user, password
        self.step, self.longest, self.max_waiting, self.forget_after = step, longest, max_waiting, forget_after
        self.clock, self.sleep, self.max_sources = clock, sleep, max_sources
        self.lines: dict[str, _Line] = {}

    def _matches(self, user: str, password: str) -> bool:
        same_user = hmac.compare_digest(user.encode("utf-8"), self.user.encode("utf-8"))
        return hmac.compare_digest(password.encode("utf-8"), self.password.encode("utf-8")) and same_user

    def _line(self, source: str) -> _Line:
        line = self.lines.pop(source, None) or _Line()
        self.lines[source] = line                                # the newest last: the oldest are forgotten first
        if len(self.lines) > self.max_sources:
            quiet = next((s for s, ln in self.lines.items() if ln.waiting == 0 and s != source), None)
            self.lines.pop(quiet, None)
        return line

    async def check(self, user: str, password: str) -> bool:
        line = self._line(SOURCE.get())
        if line.waiting >= self.max_waiting:
            return False
        line.waiting += 1
        try:
            async with line.lock:
                if self.clock() - line.last_failure > self.forget_after:
                    line.failures = 0
                if self._matches(user, password):
                    return True
                line.failures += 1
                await self.sleep(min(self.step * line.failures, self.longest))
                line.last_failure = self.clock()
                return False
        finally:
            line.waiting -= 1


def allowed_hosts(host: str) -> frozenset[str]:
    """The names a request may give in its Host header when the app listens on `host`: the loopback names,
    `host` itself and, when it listens on every address (0.0.0.0), this machine's own names. Any address
    written as digits (an IP literal) is also right then: a browser only sends a name it looked up."""
    names = set(LOCAL_HOSTS) | {host.lower().strip("[]")}
    if host in WILDCARD_HOSTS:
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return frozenset(names - {""})


def host_is_allowed(header: str, names: frozenset[str], any_address: bool) -> bool:
    """Whether a Host header ("127.0.0.1:7860", "[::1]:7860", "localhost") names the app (allowed_hosts)."""
    name = _host_name(header)
    if name in names:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return any_address


def _host_name(header: str) -> str:
    """A Host header without its port, in lower case."""
    header = header.strip().lower()
    if header.startswith("["):                                # [::1]:7860
        header = header[1:].partition("]")[0]
    elif header.count(":") == 1:                              # name:port (more colons: a bare IPv6 address)
        header = header.partition(":")[0]
    return header.rstrip(".")


class Gate:
    """ASGI middleware in front of the app: a request whose Host header names another site is refused
    (421, a Danish line; a websocket is closed), and each request's source address is set in SOURCE for
    the LoginGuard."""

    def __init__(self, app, host: str):
        self.app, self.names, self.any_address = app, allowed_hosts(host), host in WILDCARD_HOSTS

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        header = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"host"), "")
        if not host_is_allowed(header, self.names, self.any_address):
            return await _refuse(scope, send)
        token = SOURCE.set((scope.get("client") or ("",))[0] or "")
        try:
            return await self.app(scope, receive, send)
        finally:
            SOURCE.reset(token)


async def _refuse(scope, send) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    await send({"type": "http.response.start", "status": 421,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(WRONG_HOST)).encode())]})
    await send({"type": "http.response.body", "body": WRONG_HOST})
