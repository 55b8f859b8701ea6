"""The layers only look down, and the README documents the command line."""

import re
import subprocess
import sys

from textmine.cli import build_parser

from .conftest import ROOT


def test_core_modules_do_not_import_gradio():
    code = ("import sys, textmine.survey.reading, textmine.text.lemmas, textmine.text.embed, textmine.discovery.topics, textmine.app.pipeline, "
            "textmine.discovery.evaluate, textmine.cli, textmine.review.model, textmine.app.review_page; print('gradio' in sys.modules, 'bertopic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]        # bertopic too is imported only when discovering


def test_every_cli_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = build_parser()._subparsers._group_actions[0].choices
    for name in commands:
        assert re.search(rf"textmine {name}\b", readme), f"'textmine {name}' is not documented in README.md"


def test_readme_quick_start_is_two_make_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make app" in readme and "make test" in readme
