"""Issue 27: `make eval`'s merge accuracy over five seeds measures the clusters `discover` finds."""

import numpy as np
import pandas as pd
import pytest

from textmine.config import DiscoverySettings
from textmine.discovery.topics import cluster_features, discover
from textmine.text.lemmas import DanishLemmatizer


def same_partition(a, b) -> bool:
    table = pd.crosstab(np.asarray(a), np.asarray(b))
    return bool(table.gt(0).sum(axis=1).eq(1).all() and table.gt(0).sum(axis=0).eq(1).all())


@pytest.mark.parametrize("n_clusters, random_state", [(5, 42), (7, 3)])
def test_the_seed_table_clusters_as_discover_does(n_clusters, random_state):
    """Three themes cut into more clusters: where a theme is split depends on the seed, so only the same
    reduction and KMeans (and their seeds) give discover's partition."""
    from tests.conftest import FakeEmbedder
    from tests.test_topics import TEXTS

    settings = DiscoverySettings(n_clusters=n_clusters, random_state=random_state)
    found = discover(TEXTS, FakeEmbedder().embed(TEXTS), settings, DanishLemmatizer())
    assert same_partition(found.clusters, cluster_features(found.features, settings))
