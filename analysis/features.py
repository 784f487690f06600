"""TF-IDF features that can be saved without pickle.

Models are saved as JSON (settings, vocabulary) plus a NumPy ``.npz`` of arrays, loaded with
``allow_pickle=False``: a model file shared between councils or restored from a backup can
hold numbers and words, never code. This module rebuilds fitted scikit-learn vectorisers
from those parts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from analysis.text import normal_words, normalise

if TYPE_CHECKING:  # scikit-learn is imported only when a model is trained or loaded
    from sklearn.feature_extraction.text import TfidfVectorizer

FloatArray = NDArray[np.float64]
_WORD_RE = r"(?u)\b[\w']+\b"


def _word_vectoriser(min_df: int) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        preprocessor=normalise,
        token_pattern=_WORD_RE,
        ngram_range=(1, 2),
        min_df=min_df,
        sublinear_tf=True,
        dtype=np.float32,
    )


def stem_terms(text: str) -> list[str]:
    """Words, word pairs and crude stems (first five letters) of the normalised text.

    Stems let "listening", "listened" and "listen" share weight and survive many typos at a
    fraction of the cost of character n-grams.
    """
    tokens = normal_words(text)
    terms = list(tokens)
    terms += [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]
    terms += ["~" + t[:5] for t in tokens if len(t) > 5]
    return terms


def _stem_vectoriser(min_df: int) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=stem_terms, min_df=min_df, sublinear_tf=True, dtype=np.float32)


def _char_vectoriser(min_df: int) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        preprocessor=normalise,
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=min_df,
        max_features=60000,
        sublinear_tf=True,
        dtype=np.float32,
    )


class TextFeatures:
    """Word 1-2 grams plus character 2-5 grams: the second catches typos and text-speak."""

    def __init__(self, min_df: int = 2, chars: bool = True, stems: bool = False) -> None:
        self.min_df = min_df
        self.chars = chars
        self.stems = stems
        self.word = _stem_vectoriser(min_df) if stems else _word_vectoriser(min_df)
        self.char: TfidfVectorizer | None = _char_vectoriser(min_df) if chars else None

    def fit_transform(self, texts: list[str]) -> sp.csr_matrix:
        parts = [self.word.fit_transform(texts)]
        if self.char is not None:
            parts.append(self.char.fit_transform(texts))
        return sp.hstack(parts, format="csr")

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        parts = [self.word.transform(texts)]
        if self.char is not None:
            parts.append(self.char.transform(texts))
        return sp.hstack(parts, format="csr")

    def to_parts(self, prefix: str) -> tuple[dict[str, Any], dict[str, FloatArray]]:
        """Settings and vocabularies for JSON; idf weights for the .npz."""
        meta: dict[str, Any] = {"min_df": self.min_df, "chars": self.chars, "stems": self.stems}
        arrays: dict[str, FloatArray] = {}
        for name, vec in self._named():
            vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
            meta[f"{name}_vocab"] = vocab
            arrays[f"{prefix}{name}_idf"] = np.asarray(vec.idf_, dtype=np.float64)
        return meta, arrays

    @classmethod
    def from_parts(
        cls, meta: dict[str, Any], arrays: dict[str, FloatArray], prefix: str
    ) -> TextFeatures:
        feats = cls(int(meta["min_df"]), bool(meta["chars"]), bool(meta.get("stems", False)))
        for name, vec in feats._named():
            vocab = {str(term): i for i, term in enumerate(meta[f"{name}_vocab"])}
            vec.set_params(vocabulary=vocab)
            vec._validate_vocabulary()
            vec.idf_ = arrays[f"{prefix}{name}_idf"]
        return feats

    def _named(self) -> list[tuple[str, TfidfVectorizer]]:
        named = [("word", self.word)]
        if self.char is not None:
            named.append(("char", self.char))
        return named
