"""Getting a process ready: numba's cache in the user's folder (every entry point), and a long-running
process ready for fast curation actions (app/warm.py readies the app)."""

from __future__ import annotations

import gc
import os

from .config import user_cache_dir


def use_user_cache_for_numba() -> None:
    """Keep numba's compiled code (UMAP's functions, clustering.cache_umap_compilation) in the user's cache
    folder, numba/ under $TEXTMINE_CACHE or $XDG_CACHE_HOME/textmine, instead of beside the installed
    packages, which may be read-only or shared. numba reads NUMBA_CACHE_DIR once, when it is imported, so
    this runs first in every entry point; a NUMBA_CACHE_DIR the user set is kept."""
    os.environ.setdefault("NUMBA_CACHE_DIR", str(user_cache_dir() / "numba"))


def freeze_heap() -> None:
    """Move everything alive now out of the garbage collector's sight. After importing torch, BERTopic
    and spaCy the heap holds millions of long-lived objects; a full collection over them took
    600-800 ms and landed inside a curation action (measured with `make bench`)."""
    gc.collect()
    gc.freeze()
