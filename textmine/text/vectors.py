"""The one L2 normalisation: every vector compared by cosine goes through `unit_rows`."""

from __future__ import annotations

import numpy as np


def unit_rows(rows: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1; a zero row stays zero."""
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms < 1e-12, 1.0, norms)
