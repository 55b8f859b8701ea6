"""How many clusters, and the reduction before clustering.

BERTopic's default HDBSCAN finds 2-3 clusters and many outliers on a few hundred short answers.
The analyst wants 2-3 times as many clusters as final themes, with every answer placed, so the
clustering step is KMeans (no outliers) on 10-dimensional UMAP vectors, with
k = ceil(granularity * sqrt(n)): 18 clusters for 300 answers, 45 for 2,000. A silhouette-chosen k
was tried and dropped: on survey answers its curve is flat and changes with the UMAP seed.
"""

from __future__ import annotations

import math


def n_clusters(n_answers: int, granularity: float = 1.0) -> int:
    """The default number of clusters for n answers, scaled by the analyst's granularity."""
    k = math.ceil(granularity * math.sqrt(n_answers))
    return int(min(max(k, 2), max(n_answers - 1, 2)))


_CACHED = False


def cache_umap_compilation() -> None:
    """Let numba keep UMAP's compiled functions on disk. UMAP compiles them on its first fit in every
    process (10-20 s, the bulk of a warm `discover` command); pynndescent already caches its own. With
    numba's on-disk cache (in the user's cache folder: runtime.use_user_cache_for_numba) later processes
    load them in well under a second. Compiled code is re-made when UMAP or numba change."""
    global _CACHED
    if _CACHED:
        return
    import importlib

    from numba.core.registry import CPUDispatcher

    for name in ("umap.umap_", "umap.layouts", "umap.utils", "umap.distances", "umap.spectral"):
        for function in vars(importlib.import_module(name)).values():
            if isinstance(function, CPUDispatcher):
                function.enable_caching()
    _CACHED = True


def reducer(n_answers: int, random_state: int):
    from umap import UMAP

    cache_umap_compilation()
    return UMAP(n_neighbors=min(15, n_answers - 1), n_components=10, min_dist=0.0,
                metric="cosine", random_state=random_state)


def warm_up() -> None:
    """Fit UMAP once on a little random data so numba compiles before the analyst's first run."""
    import numpy as np

    data = np.random.default_rng(0).normal(size=(60, 8))
    reducer(len(data), 0).fit_transform(data)


def map_2d(features, random_state: int = 42):
    """2-D positions of the answers for the map (UMAP, same neighbourhood as the clustering)."""
    from umap import UMAP

    cache_umap_compilation()
    return UMAP(n_neighbors=min(15, len(features) - 1), n_components=2, min_dist=0.1, metric="cosine",
                random_state=random_state).fit_transform(features)
