"""How the local library ranks its files for a query: files holding every query word (as a lemma)
first, then the others by meaning, and nothing that matches neither way.

Scores are in [0, 1]:

- **every query word, exactly** (word or lemma: "Espresso shots" and espresso-shot.jpg): 0.9 to 1.0,
  higher for files with fewer other words (the more specific file);
- **by meaning**: the cosine between the query's and the file's sentence vectors (all-MiniLM-L6-v2),
  plus `LEXICAL_BONUS` × the share of query words the file holds (whole, as a prefix or inside a word),
  capped below the first tier. A file counts from `RELEVANT` up: true matches scored 0.47–0.84 in the
  research runs (docs/research/scene-visuals.md, 1.4), unrelated ones mostly under 0.45.
- **without the model**: the share of query words held, and any file holding one counts.

Everything a query needs is precomputed once per index: the files' vectors as one matrix, and each
distinct word (and, per language, lemma) of the library with the rows that hold it, so a query costs
one embedding, one matrix-vector product and a pass over the library's distinct words.
"""

from __future__ import annotations

import base64
import contextlib
import re
import threading
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..embedding import DIMENSIONS, text_embedder
from ..lemmas import lemma
from .base import orientation_of, tokenize

if TYPE_CHECKING:
    import numpy as np

    from .local import IndexEntry

EXACT_TIER = 0.9
RELEVANT = 0.45
LEXICAL_BONUS = 0.2
# What a query word is worth when a file holds it whole, as the start of a word, or inside one.
EXACT, PREFIX, INSIDE = 1.0, 0.6, 0.3


class Catalogue:
    """The usable files of an index, in path order, as arrays a query is scored against."""

    def __init__(self, index: dict[str, IndexEntry]) -> None:
        import numpy as np

        self.index = index
        usable = sorted((path, entry) for path, entry in index.items() if entry.usable)
        self.paths = [path for path, _ in usable]
        self.entries = [entry for _, entry in usable]
        self.kinds = np.array([entry.kind for entry in self.entries], dtype=object)
        self.orientations = np.array(
            [orientation_of(entry.width or 0, entry.height or 0) for entry in self.entries], dtype=object
        )
        self.vectors = vector_matrix(self.entries)
        rows_by_word: dict[str, list[int]] = defaultdict(list)
        counts = []
        for row, entry in enumerate(self.entries):
            words = set(entry.tags) | set(tokenize(entry.title))
            counts.append(len(words) or 1)
            for word in words:
                rows_by_word[word].append(row)
        self.word_counts = np.array(counts, np.float32)
        self._rows_by_word = {word: np.array(rows, np.int64) for word, rows in rows_by_word.items()}
        # The distinct words in one string, so finding those that contain a query word is one C-level
        # scan (a Python loop over 15,000 words took 9 ms a query) and a binary search per hit.
        self._words = list(self._rows_by_word)
        self._joined = "\n".join(self._words)
        self._starts = np.cumsum([0] + [len(word) + 1 for word in self._words[:-1]])
        self._rows_by_lemma: dict[str, dict[str, np.ndarray]] = {}
        self._lock = threading.Lock()

    def rank(
        self,
        terms: list[str],
        *,
        kind: str | None = None,
        orientation: str | None = None,
        language: str = "en",
        list_all: bool = False,
    ) -> tuple[list[int], list[float]]:
        """(rows, scores) of the matching files, best first, ties in path order. No terms: no rows, or
        with `list_all` every row that passes the filters, in path order."""
        import numpy as np

        mask = np.ones(len(self.paths), bool)
        if kind:
            mask &= self.kinds == kind
        if orientation:
            mask &= self.orientations == orientation
        if not terms:
            rows = np.flatnonzero(mask) if list_all else np.zeros(0, np.int64)
            return rows.tolist(), [0.0] * len(rows)

        held, exact = self._lexical(terms, language)
        every_word = exact == len(terms)
        embedder = text_embedder() if self.vectors is not None else None
        if embedder is not None and self.vectors is not None:
            query = embedder.embed([" ".join(terms)])[0]
            cosine = np.clip(self.vectors @ query, 0.0, 1.0)
            meaning = np.minimum(cosine + LEXICAL_BONUS * held, EXACT_TIER - 0.01)
            relevant = every_word | (meaning >= RELEVANT)
        else:
            meaning = held * (EXACT_TIER - 0.01)
            relevant = held > 0
        specific = np.minimum(len(terms) / self.word_counts, 1.0)
        scores = np.where(every_word, EXACT_TIER + (1 - EXACT_TIER) * specific, meaning)
        rows = np.flatnonzero(relevant & mask)
        order = rows[np.lexsort((rows, -scores[rows]))]
        return order.tolist(), scores[order].tolist()

    def _lexical(self, terms: list[str], language: str) -> tuple[np.ndarray, np.ndarray]:
        """Per row: the mean worth of the query words it holds, and how many it holds exactly."""
        import numpy as np

        by_lemma = self._lemma_rows(language)
        held = np.zeros(len(self.paths), np.float32)
        exact = np.zeros(len(self.paths), np.int64)
        for term in terms:
            best = np.zeros(len(self.paths), np.float32)
            for word, worth in self._containing(term):
                rows = self._rows_by_word[word]
                best[rows] = np.maximum(best[rows], worth)
            for found in (self._rows_by_word.get(term), by_lemma.get(lemma(term, language))):
                if found is not None:
                    best[found] = EXACT
            held += best
            exact += best == EXACT
        return held / len(terms), exact

    def _containing(self, term: str) -> list[tuple[str, float]]:
        """The library's words that hold `term` and are longer: `PREFIX` or `INSIDE` each."""
        import numpy as np

        if "\n" in term or not term:
            return []
        positions = [match.start() for match in re.finditer(re.escape(term), self._joined)]
        if not positions:
            return []
        found: dict[str, float] = {}
        at = np.searchsorted(self._starts, positions, side="right") - 1
        for position, index in zip(positions, at.tolist(), strict=True):
            word = self._words[index]
            if word != term:
                worth = PREFIX if position == self._starts[index] else INSIDE
                found[word] = max(found.get(word, 0.0), worth)
        return list(found.items())

    def _lemma_rows(self, language: str) -> dict[str, np.ndarray]:
        """Each lemma of the library's words in `language`, with the rows that hold it (made once)."""
        import numpy as np

        with self._lock:
            if language not in self._rows_by_lemma:
                grouped: dict[str, list[np.ndarray]] = defaultdict(list)
                for word, rows in self._rows_by_word.items():
                    grouped[lemma(word, language)].append(rows)
                self._rows_by_lemma[language] = {
                    key: np.unique(np.concatenate(parts)) for key, parts in grouped.items()
                }
            return self._rows_by_lemma[language]


def vector_matrix(entries: Sequence[IndexEntry]) -> np.ndarray | None:
    """The entries' vectors (base64 float16) as one float32 matrix, a zero row for an entry without
    one; None when no entry has one."""
    import numpy as np

    if not any(entry.vector for entry in entries):
        return None
    matrix = np.zeros((len(entries), DIMENSIONS), np.float32)
    for row, entry in enumerate(entries):
        if entry.vector:
            with contextlib.suppress(ValueError):
                matrix[row] = np.frombuffer(base64.b64decode(entry.vector), "<f2")
    return matrix


def encode_vector(vector: np.ndarray) -> str:
    """A unit vector as the index stores it: float16, base64."""
    return base64.b64encode(vector.astype("<f2").tobytes()).decode("ascii")
