"""Japanese caption timing for Kokoro, which gives no word timings: words share a sentence's time
in proportion to their morae as OpenJTalk (Kokoro's own front end) reads them."""

from __future__ import annotations

import pytest

from scriptsensei_cli.common.text import words
from scriptsensei_cli.engine.render.tts import mora_weights

pyopenjtalk = pytest.importorskip("pyopenjtalk", reason="the `ja` extra is not installed")


def shares(sentence: str) -> dict[str, float]:
    return dict(zip(words(sentence), mora_weights(sentence), strict=True))


def test_words_of_equal_length_get_time_by_their_morae() -> None:
    got = shares("今日は東京で新しい映画を見ました。")
    # Three characters each, but キョーワ is three morae and トーキョーデ five.
    assert got["東京で"] - got["今日は"] == pytest.approx(2.0)


def test_latin_letters_are_matched_to_openjtalk_s_full_width_reading() -> None:
    got = shares("AIの未来について話します。")
    assert got["AI"] == pytest.approx(4.5)  # エーアイ: four morae, not two letters


def test_a_pause_mark_adds_time_like_a_comma() -> None:
    got = shares("そして、彼は走った。")
    assert got["そして、"] == pytest.approx(3 + 2.0 + 0.5)


def test_without_the_front_end_characters_stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str) -> list[dict[str, object]]:
        raise RuntimeError("no dictionary")

    monkeypatch.setattr(pyopenjtalk, "run_frontend", broken)
    assert mora_weights("今日は東京で。") == [3.5, 3.5]
