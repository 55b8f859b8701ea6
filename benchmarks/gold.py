"""The gold coding as the curated project an analyst following it would make (for `make bench` and `make eval`)."""

from __future__ import annotations

from collections import Counter

from textmine.project.codebook import Codebook, CodebookTheme


def gold_codebook(question: str, respondent_ids, clusters, primary):
    """The codebook an analyst following the gold coding would make from a discovery run: each
    cluster merged into its majority primary theme, each answer of another theme moved there by hand
    (so every answer sits in its primary gold theme)."""
    majority = {}
    for c in sorted(set(clusters) - {-1}):
        votes = Counter(p for k, p in zip(clusters, primary) if k == c)
        majority[c] = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    themes = []
    for label in sorted(set(primary)):
        own = tuple(c for c, m in majority.items() if m == label)
        members = tuple(str(r) for r, p in zip(respondent_ids, primary) if p == label)
        themes.append(CodebookTheme(label, "", own, members))
    return Codebook(question, tuple(themes))
