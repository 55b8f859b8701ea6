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
# pynndescent's own modules: UMAP's nearest neighbours above 4,096 answers. Most of their functions are not
# cached by pynndescent; compiling them took 75 s of a 178 s warm discover at 10,000 answers.
NNDESCENT = tuple(f"pynndescent.{m}" for m in ("pynndescent_", "utils", "rp_trees", "distances", "graph_utils",
                                                 "sparse", "sparse_nndescent", "search", "search_graph",
                                                 "hub_tree", "hybrid_forest", "threaded_rp_trees"))


def cache_umap_compilation() -> None:
    """Let numba keep UMAP's and pynndescent's compiled functions on disk. UMAP compiles them on its first fit
    in every process (10-20 s, the bulk of a warm `discover` command at the demo's size; pynndescent's, used
    from 4,097 answers, over a minute). With
    numba's on-disk cache (in the user's cache folder: runtime.use_user_cache_for_numba) later processes
    load them in well under a second. Compiled code is re-made when UMAP or numba change."""
    global _CACHED
    if _CACHED:
        return
    import importlib

    from numba.core.registry import CPUDispatcher

    for name in ("umap.umap_", "umap.layouts", "umap.utils", "umap.distances", "umap.spectral", *NNDESCENT):
        for function in vars(importlib.import_module(name)).values():
            if isinstance(function, CPUDispatcher):
                function.enable_caching()
    _CACHED = True


def reducer(n_answers: int, random_state: int, fit_on: int | None = None):
    """UMAP to 10 dimensions for the clustering; with `fit_on` (a number of answers below n_answers) fitted on
    a random sample of that many answers and applied to the rest (SampledUMAP)."""
    from umap import UMAP

    cache_umap_compilation()
    umap = UMAP(n_neighbors=min(15, n_answers - 1), n_components=10, min_dist=0.0,
                metric="cosine", random_state=random_state)
    return SampledUMAP(umap, fit_on, random_state) if fit_on and fit_on < n_answers else umap


def sample_rows(n: int, size: int, random_state: int):
    """A sorted random sample of `size` of n row numbers (the same for the same n, size and seed)."""
    import numpy as np

    return np.sort(np.random.default_rng(random_state).choice(n, size, replace=False))


BLOCK = 20_000               # answers placed by UMAP's transform at a time (SampledUMAP)


class SampledUMAP:
    """UMAP fitted on a sample of the rows; the other rows are placed by UMAP's transform (their nearest
    sampled neighbours). At 100,000 answers a full fit alone takes most of an hour on two cores."""

    def __init__(self, umap, size: int, random_state: int, progress=None):
        self.umap, self.size, self.random_state = umap, size, random_state
        self.progress = progress                # called with the share of the rows placed, after each block

    def fit(self, X, y=None):
        import numpy as np

        self.rows_ = sample_rows(len(X), self.size, self.random_state)
        self.umap.fit(X[self.rows_])
        rest = np.setdiff1d(np.arange(len(X)), self.rows_)
        out = np.empty((len(X), self.umap.n_components), dtype=np.float32)
        out[self.rows_] = self.umap.embedding_
        for start in range(0, len(rest), BLOCK):             # bounded memory per block
            if self.progress:
                self.progress((len(self.rows_) + start) / len(X))
            block = rest[start:start + BLOCK]
            out[block] = self.umap.transform(X[block])
        self.embedding_ = out
        self.n_rows_ = len(X)
        return self

    def transform(self, X):
        if len(X) == getattr(self, "n_rows_", -1):          # BERTopic asks for what it just fitted
            return self.embedding_
        return self.umap.transform(X)


class SampledKMeans:
    """KMeans fitted on a sample of the rows, every row labelled by its nearest centre."""

    def __init__(self, n_clusters: int, size: int, random_state: int, n_init: int = 10):
        from sklearn.cluster import KMeans

        self.kmeans = KMeans(n_clusters, n_init=n_init, random_state=random_state)
        self.size, self.random_state = size, random_state

    def fit(self, X, y=None):
        rows = sample_rows(len(X), min(self.size, len(X)), self.random_state)
        self.kmeans.fit(X[rows])
        self.labels_ = self.kmeans.predict(X)
        return self

    def predict(self, X):
        return self.kmeans.predict(X)


class Reported:
    """A model BERTopic fits (the reduction or the clustering) that reports its `step` as it starts and ends
    (progress(step, fraction)), and a SampledUMAP's blocks between; the fit itself is the model's."""

    def __init__(self, model, step: str, progress):
        self.model, self.step, self.progress = model, step, progress

    def fit(self, X, y=None):
        self.progress(self.step, 0.0)
        if isinstance(self.model, SampledUMAP):
            self.model.progress = lambda fraction: self.progress(self.step, fraction)
        self.model.fit(X)
        self.progress(self.step, 1.0)
        return self

    def fit_transform(self, X, y=None):
        """What BERTopic asks of a reduction: the fitted rows' positions (UMAP's own, not re-placed)."""
        return self.fit(X).model.embedding_

    def transform(self, X):
        return self.model.transform(X)

    def predict(self, X):
        return self.model.predict(X)

    @property
    def labels_(self):
        return self.model.labels_


def warm_up(large: bool = False) -> None:
    """Fit UMAP once on a little random data so numba compiles before the analyst's first run; `large` also
    compiles what a set of more than 4,096 answers uses (pynndescent's neighbour search, UMAP's transform).
    The compiled code is kept on disk (cache_umap_compilation), so this is paid once per machine: `make
    install` runs it (`python -m textmine.discovery.clustering`: 2 min 42 s here on an empty cache), after which the first
    10,000-answer discover took 125 s less and peaked 0.9 GB lower."""
    import numpy as np

    data = np.random.default_rng(0).normal(size=(60, 8))
    reducer(len(data), 0).fit_transform(data)
    if large:
        data = np.random.default_rng(0).normal(size=(4_600, 16)).astype(np.float32)
        reducer(len(data), 0, fit_on=4_200).fit(data)
        map_2d(data, 0, fit_on=4_200)


def map_2d(features, random_state: int = 42, fit_on: int | None = None, progress=None):
    """2-D positions of the answers for the map (UMAP, same neighbourhood as the clustering); with `fit_on`
    fitted on a sample of that many answers (SampledUMAP, which calls `progress` with the share placed)."""
    from umap import UMAP

    cache_umap_compilation()
    umap = UMAP(n_neighbors=min(15, len(features) - 1), n_components=2, min_dist=0.1, metric="cosine",
                random_state=random_state)
    if fit_on and fit_on < len(features):
        return SampledUMAP(umap, fit_on, random_state, progress).fit(features).embedding_
    return umap.fit_transform(features)


if __name__ == "__main__":
    from ..runtime import use_user_cache_for_numba

    use_user_cache_for_numba()
    warm_up(large=True)
