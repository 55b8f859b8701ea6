"""Gradio's import made shorter and its start quiet; `prepare` runs in ui/__init__, before gradio is imported.

- Gradio rewrites the type stubs (.pyi) of each of its components when it makes the component's class: for
  every class it parses the component's source file and renders a Jinja template, about half of its import
  (1.5-3 s of 2.5-6 s on the 2-core test machine). The stubs only serve an editor's type hints, and gradio
  ships them already written, so its `create_or_modify_pyi` is replaced by `_no_stubs` the moment
  gradio.component_meta is loaded (a one-time import hook; nothing else in gradio changes).
- No usage statistics and version checks sent to Gradio's servers on start (GRADIO_ANALYTICS_ENABLED), unless
  the environment asks for them: the app runs on survey answers and needs no outside calls.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys

STUB_MODULE = "gradio.component_meta"


def prepare() -> None:
    """Before gradio's import: no stub rewriting, no analytics (see the module's docstring)."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    if STUB_MODULE in sys.modules:                        # gradio already imported: its later classes skip it
        sys.modules[STUB_MODULE].create_or_modify_pyi = _no_stubs
    elif not any(isinstance(finder, _SkipStubs) for finder in sys.meta_path):
        sys.meta_path.insert(0, _SkipStubs())


def _no_stubs(*_args, **_kwargs) -> None:
    """Gradio's `create_or_modify_pyi` as the app runs it: nothing to write."""


class _SkipStubs(importlib.abc.MetaPathFinder):
    """Finds gradio.component_meta as Python would and, once its code has run, swaps in `_no_stubs`."""

    def find_spec(self, name, path, target=None):
        if name != STUB_MODULE:
            return None
        sys.meta_path.remove(self)                        # one module, once
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            run = spec.loader.exec_module

            def exec_module(module):
                run(module)
                module.create_or_modify_pyi = _no_stubs

            spec.loader.exec_module = exec_module
        return spec
