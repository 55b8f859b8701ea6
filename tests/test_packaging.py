"""The wheel is the whole app: built from the sources and installed without the repository (not editable),
it imports the web app and the report package, finds its demo survey and builds the app. Offline: the
wheel is built without build isolation and installed without dependencies into a fresh venv that borrows
the main venv's packages through a .pth file (which does not run the main venv's editable-install hook)."""

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow

CHECK = """
import sys
from pathlib import Path

import textmine, textmine.report.export, textmine.ui.app as ui
from textmine.config import load_config
from textmine.survey.reading import read_survey

site = Path(sys.prefix).resolve()
assert Path(textmine.__file__).resolve().is_relative_to(site), textmine.__file__      # the installed copy
config = load_config()                                                                   # the demo, from the wheel
assert config.path.resolve().is_relative_to(site) and config.survey_file.is_file(), config.path
assert not config.projects_dir().resolve().is_relative_to(site)                         # projects outside the install
app = ui.build_app(config, read_survey(config.survey_file, config.sheet), config.projects_dir())
print(type(app).__name__, config.projects_dir())
"""


def _sources(target: Path) -> Path:
    """What a source checkout holds, without build leftovers or the analyst's projects."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "projects")
    target.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, target / name)
    for name in ("textmine", "data"):
        shutil.copytree(ROOT / name, target / name, symlinks=True, ignore=ignore)
    return target


def _run(args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=180, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_an_installed_wheel_holds_the_app_the_report_and_the_demo(tmp_path):
    source = _sources(tmp_path / "src")
    _run([sys.executable, "-m", "pip", "wheel", source, "--no-deps", "--no-build-isolation", "--no-index",
          "-w", tmp_path / "dist"])
    wheel = next((tmp_path / "dist").glob("textmine-*.whl"))

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")     # a path line: no hooks run
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}                # the worktree must not win
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME="", TEXTMINE_CACHE=str(tmp_path / "cache"))
    _run([python, "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", "--quiet", wheel],
         env=env, cwd=tmp_path)

    printed = _run([python, "-c", CHECK], env=env, cwd=tmp_path).stdout.split()
    assert printed == ["Blocks", str(tmp_path / "home" / ".local" / "share" / "textmine" / "projects")]
    _run([venv / "bin" / "textmine", "shares", "--out", tmp_path / "shares"], env=env, cwd=tmp_path)
    assert (tmp_path / "shares" / "item_shares.csv").is_file()         # the console script and the demo survey
