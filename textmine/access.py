"""Who may open the app: anyone on this machine when it listens on 127.0.0.1 (the default); a
username and password when it listens on an address other machines can reach.

The credentials come from the environment, never from code or the command line (where other users
could read them in the process list): TEXTMINE_AUTH="user:password", or TEXTMINE_AUTH_FILE naming a
file whose first line is "user:password".
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ConfigError

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
MIN_PASSWORD = 8


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
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"Adgangskoden skal have mindst {MIN_PASSWORD} tegn, når appen lytter på {host}.")
    return user.strip(), password
