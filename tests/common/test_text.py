"""Sentence splitting, spoken lines and caption words shared by the writer and the render pipeline."""

from __future__ import annotations

import doctest
import unicodedata

import pytest

from scriptsensei_cli.common import text
from scriptsensei_cli.common.text import ends_sentence, join_words, narration_lines, split_sentences, words
from scriptsensei_cli.engine import writer


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Dr. Smith is here. He is late.", ["Dr. Smith is here.", "He is late."]),
        ("Mr. and Mrs. Jones met Ms. Lee at St. Mary's.", ["Mr. and Mrs. Jones met Ms. Lee at St. Mary's."]),
        ("It costs $3.50 today. Tomorrow more.", ["It costs $3.50 today.", "Tomorrow more."]),
        ("It is 2.5x faster. Really.", ["It is 2.5x faster.", "Really."]),
        ("Update to v2.0.1 now! Then restart.", ["Update to v2.0.1 now!", "Then restart."]),
        ("Eat fruit, e.g. apples, i.e. red ones.", ["Eat fruit, e.g. apples, i.e. red ones."]),
        ("Bring pens, paper, etc. to class.", ["Bring pens, paper, etc. to class."]),
        ("Bring pens, paper, etc. The rest is here.", ["Bring pens, paper, etc.", "The rest is here."]),
        ("Prices in the U.S. are rising.", ["Prices in the U.S. are rising."]),
        ("She moved to the U.S. The move was hard.", ["She moved to the U.S.", "The move was hard."]),
        ("Wake at 6 a.m. every day.", ["Wake at 6 a.m. every day."]),
        ("It starts Jan. 5 at No. 10 Main St.", ["It starts Jan. 5 at No. 10 Main St."]),
        ("No. I will not.", ["No.", "I will not."]),
        ("Wait... what happened?", ["Wait... what happened?"]),
        ("Wait… what happened?", ["Wait… what happened?"]),
        ("I waited... Nothing happened.", ["I waited...", "Nothing happened."]),
        ('"Stop!" he said. "Why?" She left.', ['"Stop!" he said.', '"Why?"', "She left."]),
        ("Really?! Yes.", ["Really?!", "Yes."]),
        ("He (the boss) left.) Next.", ["He (the boss) left.)", "Next."]),
        ("J. K. Rowling wrote it.", ["J. K. Rowling wrote it."]),
        ("  lots   of\tspace .  ", ["lots of space ."]),
        ("", []),
    ],
)
def test_latin_sentences(source: str, expected: list[str]) -> None:
    assert split_sentences(source) == expected


def test_cjk_sentences_need_no_space() -> None:
    assert split_sentences("我喜欢人工智能。你呢？太好了！", "zh") == [
        "我喜欢人工智能。",
        "你呢？",
        "太好了！",
    ]
    assert split_sentences("今日は晴れ。「行こう！」と言った。", "ja") == [
        "今日は晴れ。",
        "「行こう！」と言った。",
    ]
    assert split_sentences("全角ピリオド．次の文", "ja") == ["全角ピリオド．", "次の文"]
    assert split_sentences("価格は３．５ドル。", "ja") == ["価格は３．５ドル。"]
    # The language is a hint for abbreviations; CJK full stops end sentences whatever it says.
    assert split_sentences("第一句。第二句。") == ["第一句。", "第二句。"]


def test_devanagari_sentences() -> None:
    assert split_sentences("यह पहला वाक्य है। यह दूसरा है॥ तीसरा", "hi") == [
        "यह पहला वाक्य है।",
        "यह दूसरा है॥",
        "तीसरा",
    ]
    assert split_sentences("पहला।दूसरा", "ne") == ["पहला।", "दूसरा"]


def test_abbreviations_follow_the_language() -> None:
    assert split_sentences("El Sr. García llegó. ¿Qué pasa? ¡Nada!", "es-MX") == [
        "El Sr. García llegó.",
        "¿Qué pasa?",
        "¡Nada!",
    ]
    # "mar" is an English month abbreviation but the Spanish word for sea.
    assert split_sentences("Vimos el mar. Luego comimos.", "es") == ["Vimos el mar.", "Luego comimos."]
    assert split_sentences("Wir essen z.B. Äpfel.", "de") == ["Wir essen z.B. Äpfel."]


def test_newlines_always_end_a_sentence() -> None:
    assert split_sentences("First line without stop\nSecond line\r\n\r\nThird, after a blank") == [
        "First line without stop",
        "Second line",
        "Third, after a blank",
    ]


def test_ends_sentence_for_caption_words() -> None:
    assert ends_sentence("here.", "Then")
    assert ends_sentence("done!")
    assert ends_sentence("好。", "我们")
    assert not ends_sentence("Dr.", "Smith")
    assert not ends_sentence("$3.50", "today")
    assert not ends_sentence("wait...", "what")
    assert not ends_sentence("hello", "world")
    assert not ends_sentence("", "x")


def test_narration_lines_drop_markdown_and_metadata() -> None:
    script = """Title: Five habits
# Five habits that changed my mornings
## Intro

Wake up **early**, and _stretch_.
- First bullet point
* Second bullet
1. Numbered step with `code` and a [link](https://example.com)
2) Another step
#habits #morning
> Quoted line
---
Follow for more! #habits #shorts
Keep snake_case and 5 * 3 * 2 as they are.
"""
    assert narration_lines(script) == [
        "Wake up early, and stretch.",
        "First bullet point",
        "Second bullet",
        "Numbered step with code and a link",
        "Another step",
        "Quoted line",
        "Follow for more!",
        "Keep snake_case and 5 * 3 * 2 as they are.",
    ]


def test_title_is_dropped_only_at_the_start() -> None:
    assert narration_lines("Intro line\nTitle: stays, it is spoken") == [
        "Intro line",
        "Title: stays, it is spoken",
    ]
    assert narration_lines("\n\n  \n") == []


def test_words_of_spaced_scripts() -> None:
    assert words("Wait — what is   this?") == ["Wait —", "what", "is", "this?"]
    assert words("Привет, мир!") == ["Привет,", "мир!"]
    assert join_words(words("Wait — what is this?")) == "Wait — what is this?"


@pytest.mark.parametrize(
    "sentence",
    [
        "我喜欢人工智能技术。",
        "今日は天気がいいです。散歩しましょう！",
        "2024年に「東京」へ行きます。",
        "我喜欢AI技术",
    ],
)
def test_words_of_cjk_are_short_chunks(sentence: str) -> None:
    chunks = words(sentence)
    assert len(chunks) > 1
    assert join_words(chunks) == sentence
    for chunk in chunks:
        cjk = [ch for ch in chunk if unicodedata.name(ch).startswith(("CJK UNIFIED", "HIRAGANA", "KATAKANA"))]
        assert len(cjk) <= 4, chunk
        assert any(ch.isalnum() for ch in chunk), chunk
        assert chunk[0] not in "。！？、", chunk  # punctuation stays with the chunk before it


def test_japanese_particles_end_a_chunk() -> None:
    assert words("今日は天気がいいです。") == ["今日は", "天気が", "いい", "です。"]


def test_writer_uses_the_shared_splitter() -> None:
    assert writer.split_sentences is text.split_sentences
    assert writer.split_sentences("One. Two.") == ["One.", "Two."]


def test_documented_examples() -> None:
    assert doctest.testmod(text, raise_on_error=True).attempted > 0
