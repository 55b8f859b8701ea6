"""Who may open the app: anyone on this machine when it listens on 127.0.0.1 (the default); a
username and password when it listens on an address other machines can reach.

The credentials come from the environment, never from code or the command line (where other users
could read them in the process list): TEXTMINE_AUTH="user:password", or TEXTMINE_AUTH_FILE naming a
file whose first line is "user:password". A blank, short or uniform password is refused, and wrong
logins are answered slowly, one at a time (LoginGuard), so guessing takes long however many requests
are sent at once.
"""

from __future__ import annotations

import asyncio
import hmac
import os
import time
from pathlib import Path

from .errors import ConfigError

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
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


class LoginGuard:
    """The login check the app gives Gradio (`auth=LoginGuard(user, password).check`).

    Attempts are checked one at a time; after a wrong one the next waits `step` seconds longer than the
    last did (at most `longest`), so 50 guesses sent at once take minutes, not 0.3 s. At most `max_waiting`
    attempts wait in line: more are refused without being checked, so none is answered faster than the
    line allows. Failures are forgotten `forget_after` seconds after the last one. The state is this
    process's (one app server); a right login is not delayed unless wrong ones are waiting before it."""

    def __init__(self, user: str, password: str, step: float = 0.5, longest: float = 5.0, max_waiting: int = 20,
                 forget_after: float = 900.0, clock=time.monotonic, sleep=asyncio.sleep):
        self.user, self.password = user, password
        self.step, self.longest, self.max_waiting, self.forget_after = step, longest, max_waiting, forget_after
        self.clock, self.sleep = clock, sleep
        self.failures, self.last_failure, self.waiting = 0, float("-inf"), 0
        self._lock: asyncio.Lock | None = None

    def _matches(self, user: str, password: str) -> bool:
        same_user = hmac.compare_digest(user.encode("utf-8"), self.user.encode("utf-8"))
        return hmac.compare_digest(password.encode("utf-8"), self.password.encode("utf-8")) and same_user

    async def check(self, user: str, password: str) -> bool:
        if self.waiting >= self.max_waiting:
            return False
        self.waiting += 1
        try:
            self._lock = self._lock or asyncio.Lock()
            async with self._lock:
                if self.clock() - self.last_failure > self.forget_after:
                    self.failures = 0
                if self._matches(user, password):
                    return True
                self.failures += 1
                await self.sleep(min(self.step * self.failures, self.longest))
                self.last_failure = self.clock()
                return False
        finally:
            self.waiting -= 1
