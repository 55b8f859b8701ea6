"""The vectors answers are clustered on: centred sentence embeddings beside lemma TF-IDF.

Centering removes the direction every answer to the same question shares (e5 vectors of one
survey question sit in a narrow cone). The lexical half is a TF-IDF of character 3-5-grams of
the answer's Danish lemmas (stop words removed), reduced with SVD: character n-grams match the
parts of Danish compounds ("samtaleteknik", "virksomhedskontakt") and misspellings ("empatie"),
which word counts miss. Both halves are L2-normalised, the lexical one weighted, then joined.
Fitted parameters end in `_` and are saved as plain arrays beside the model.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

from ..text.lemmas import DanishLemmatizer, keyword_text
from ..text.vectors import unit_rows as _unit


class FeatureSpace:
    """fit/transform from (texts, embeddings) to the clustering vectors."""

    def __init__(self, lemmatizer: DanishLemmatizer, tfidf_weight: float = 0.6, svd_dims: int = 50,
                 random_state: int = 42):
        self.lemmatizer = lemmatizer
        self.tfidf_weight = tfidf_weight
        self.svd_dims = svd_dims
        self.random_state = random_state

    def _lemmas(self, text: str) -> str:
        return " ".join(self.lemmatizer(keyword_text(text)))

    def _tfidf(self) -> TfidfVectorizer:
        return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), preprocessor=self._lemmas,
                               lowercase=False, sublinear_tf=True, norm="l2")

    def fit(self, texts: list[str], embeddings: np.ndarray) -> "FeatureSpace":
        self.mean_ = embeddings.mean(axis=0)
        self.components_ = np.zeros((0, 0))
        if self.tfidf_weight > 0:
            vectorizer = self._tfidf().set_params(min_df=2 if len(texts) >= 50 else 1)
            try:
                matrix = vectorizer.fit_transform(texts)
            except ValueError:          # no word occurs twice: embeddings alone
                return self
            dims = min(self.svd_dims, matrix.shape[1] - 1, len(texts) - 1)
            if dims >= 2:
                svd = TruncatedSVD(dims, random_state=self.random_state).fit(matrix)
                self.vocabulary_ = {w: int(i) for w, i in vectorizer.vocabulary_.items()}
                self.idf_ = vectorizer.idf_
                self.components_ = svd.components_
        return self

    def _lexical(self, texts: list[str]) -> np.ndarray | None:
        if self.components_.size == 0:
            return None
        vectorizer = self._tfidf().set_params(vocabulary=self.vocabulary_)
        vectorizer.fit(["x"])          # sets up the analyzer; the idf is replaced below
        vectorizer.idf_ = self.idf_
        return _unit(np.asarray(vectorizer.transform(texts) @ self.components_.T))

    def transform(self, texts: list[str], embeddings: np.ndarray) -> np.ndarray:
        semantic = _unit(embeddings - self.mean_)
        lexical = self._lexical(texts)
        if lexical is None:
            return semantic
        return _unit(np.hstack([semantic, self.tfidf_weight * lexical]))

    def save(self, directory: Path) -> None:
        np.save(directory / "feature_mean.npy", self.mean_)
        np.save(directory / "feature_svd.npy", self.components_)
        if self.components_.size:
            np.save(directory / "feature_idf.npy", self.idf_)
        (directory / "feature_space.json").write_text(json.dumps({
            "tfidf_weight": self.tfidf_weight, "svd_dims": self.svd_dims,
            "vocabulary": getattr(self, "vocabulary_", {}),
        }, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path, lemmatizer: DanishLemmatizer) -> "FeatureSpace":
        meta = json.loads((directory / "feature_space.json").read_text(encoding="utf-8"))
        space = cls(lemmatizer, meta["tfidf_weight"], meta["svd_dims"])
        space.mean_ = np.load(directory / "feature_mean.npy")
        space.components_ = np.load(directory / "feature_svd.npy")
        if space.components_.size:
            space.idf_ = np.load(directory / "feature_idf.npy")
            space.vocabulary_ = meta["vocabulary"]
        return space
