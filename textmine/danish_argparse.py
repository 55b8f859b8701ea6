"""argparse in Danish: its usage, help headings and its own error messages (a missing argument, an unknown
command, a bad number), for textmine's command line (cli.py). A help text may be made only when the help is
shown (Later); a command's arguments can be written as a table (argument, add_command)."""

from __future__ import annotations

import argparse
import re
import sys

_ARGPARSE_DANISH = [          # (argparse's English message, Python 3.11+, as a pattern; the Danish)
    (r"the following arguments are required: (.*)", r"disse argumenter mangler: \1"),
    (r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)", r"\1: \2 findes ikke; vælg blandt \3"),
    (r"argument (\S+): invalid int value: (.*)", r"\1 skal være et helt tal (fik \2)"),
    (r"argument (\S+): invalid float value: (.*)", r"\1 skal være et tal, fx 1.5 (fik \2)"),
    (r"argument (\S+): invalid (\S+) value: (.*)", r"\1 har en ugyldig værdi (fik \3)"),
    (r"argument (\S+): expected one argument", r"\1 skal have en værdi"),
    (r"argument (\S+): expected at least one argument", r"\1 skal have mindst én værdi"),
    (r"argument (\S+): expected at most one argument", r"\1 tager højst én værdi"),
    (r"argument (\S+): ignored explicit argument (.*)", r"\1 tager ingen værdi (fik \2)"),
    (r"unrecognized arguments: (.*)", r"ukendte argumenter: \1"),
    (r"ambiguous option: (\S+) could match (.*)", r"\1 er tvetydigt; det kan være \2"),
]


def danish_argparse_message(message: str) -> str:
    """argparse's English error message in Danish (unchanged when it is one not listed)."""
    for pattern, danish in _ARGPARSE_DANISH:
        if re.fullmatch(pattern, message, flags=re.DOTALL):
            return re.sub(pattern, danish, message, flags=re.DOTALL)
    return message


class Later(str):
    """A help text made only when the help is shown (`make()` may import a heavy module)."""

    def __new__(cls, make):
        text = super().__new__(cls, "…")
        text.make = make
        return text


class _DanishFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "brug: " if prefix is None else prefix)

    def _get_help_string(self, action):
        return action.help.make() if isinstance(action.help, Later) else action.help


class DanishArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Danish: its usage, help headings and error messages (one line, exit 2)."""

    def __init__(self, *args, add_help=True, **kwargs):
        kwargs.setdefault("formatter_class", _DanishFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title, self._optionals.title = "argumenter", "tilvalg"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="vis denne hjælp og afslut")

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"Fejl: {danish_argparse_message(message)}. Se {self.prog} -h.\n")


def argument(*flags, **options) -> tuple[tuple, dict]:
    """One argument of a command, as `add_argument` takes it."""
    return flags, options


def add_command(sub, name: str, func, help: str, *arguments) -> None:
    """Add the command `name` to the subparsers `sub`, run by `func`, with its arguments (each from `argument`)."""
    parser = sub.add_parser(name, help=help)
    for flags, options in arguments:
        parser.add_argument(*flags, **options)
    parser.set_defaults(func=func)
