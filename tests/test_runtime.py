"""Process set-up: numba keeps its compiled code in the user's cache folder, never beside the installed
packages (which may be read-only or shared by several users)."""

import os
import subprocess
import sys

import pytest

from .conftest import ROOT

# A numba function cached on disk, as UMAP's are (clustering.cache_umap_compilation), in its own module:
# numba's default is a __pycache__ beside the module's file, i.e. inside site-packages.
MODULE = """
from numba import njit

@njit(cache=True)
def twice(x):
    return 2 * x
"""

CHILD = """
import sys
from textmine.cli import main

main(sys.argv[1:])                                 # any command: the entry point sets numba up first
import numba
import compiled

assert compiled.twice(21) == 42
print(numba.config.CACHE_DIR)
"""


def _child(tmp_path, env: dict, argv=("evaluate", "findes-ikke.csv", "findes-ikke.csv")) -> str:
    (tmp_path / "pkg").mkdir(exist_ok=True)
    (tmp_path / "pkg" / "compiled.py").write_text(MODULE, encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if k not in {"NUMBA_CACHE_DIR", "TEXTMINE_CACHE", "XDG_CACHE_HOME"}}
    clean.update(env, PYTHONPATH=os.pathsep.join([str(ROOT), str(tmp_path / "pkg")]))
    result = subprocess.run([sys.executable, "-c", CHILD, *argv], capture_output=True, text=True, env=clean,
                            cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _cached(folder) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.nbi")) if folder.exists() else []


@pytest.mark.parametrize("variable, expected", [("TEXTMINE_CACHE", "{tmp}/cache/numba"),
                                                ("XDG_CACHE_HOME", "{tmp}/cache/textmine/numba")])
def test_numba_caches_in_the_users_cache_folder(tmp_path, variable, expected):
    printed = _child(tmp_path, {variable: str(tmp_path / "cache")})
    folder = expected.format(tmp=tmp_path)
    assert printed == folder
    assert any(name.startswith("compiled.twice") for name in _cached(tmp_path / "cache"))
    assert _cached(tmp_path / "pkg") == []                     # nothing written beside the module


def test_a_numba_cache_folder_the_user_chose_is_kept(tmp_path):
    printed = _child(tmp_path, {"NUMBA_CACHE_DIR": str(tmp_path / "mine"), "TEXTMINE_CACHE": str(tmp_path / "c")})
    assert printed == str(tmp_path / "mine") and _cached(tmp_path / "mine")
