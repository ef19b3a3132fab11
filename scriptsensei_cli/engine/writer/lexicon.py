"""General language: the words any script may use whatever its subject.

Two sources: a hand-written list per language in `lexicon/` (everyday words, the vocabulary of
creator talk and its buzzwords), and every word of that language's phrase bank, which is topic-free
by construction. A word is general when it, or one of its base forms (a light stemmer, no
dictionary), is in either. The specificity score counts the words that are not; topic casing uses
the list to tell a common word typed with a capital from a name.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from importlib import resources

from .phrasebank import SUPPORTED_LANGUAGES, phrase_bank

_PACKAGE = __name__.rpartition(".")[0]
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_PLACEHOLDER = re.compile(r"\{\w+\}")


def words_of(text: str) -> list[str]:
    """Lower-cased words: letters, with inner apostrophes and hyphens ("don't", "self-care")."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def base_forms(word: str, language: str) -> Iterator[str]:
    """The word, then candidate base forms: plural, past, gerund, adverb and comparative endings
    stripped (English), or plural, gender and -mente (Spanish). Candidates, not a lemmatizer: a
    wrong one only matters if it happens to be another general word."""
    word = word.lower()
    yield word
    if "-" in word:
        yield from word.split("-")
    if language == "es":
        yield from _base_es(word)
    else:
        yield from _base_en(word)


def _base_en(word: str) -> Iterator[str]:
    if word.endswith("'s"):
        word = word[:-2]
        yield word
    for suffix in ("ies", "ied"):
        if word.endswith(suffix) and len(word) > 4:
            yield word[:-3] + "y"
    if word.endswith("d"):
        yield word[:-1]  # used → use
    if word.endswith("ying"):
        yield word[:-4] + "ie"  # dying → die
    if word.endswith(("ibly", "ably")):
        yield word[:-1] + "e"  # responsibly → responsible
    for suffix in ("es", "s", "ed", "ing", "ly", "er", "est", "ers", "ness", "ful", "ment"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            yield stem
            yield stem + "e"  # making → make, used → use
            if len(stem) > 3 and stem[-1] == stem[-2]:
                yield stem[:-1]  # running → run, stopped → stop
            if stem.endswith("i"):
                yield stem[:-1] + "y"  # easily → easy, happier → happy


def _base_es(word: str) -> Iterator[str]:
    if word.endswith("mente") and len(word) > 7:
        stem = word[:-5]
        yield stem
        yield from _base_es(stem)
    for suffix in ("es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            yield stem
            if stem.endswith("a"):
                yield stem[:-1] + "o"
            if stem.endswith("c"):
                yield stem[:-1] + "z"  # luces → luz
    if word.endswith("a") and len(word) > 3:
        yield word[:-1] + "o"


@functools.cache
def general_words(language: str) -> frozenset[str]:
    """The general vocabulary of a base language code (`en`, `es`); English for others."""
    lang = language if language in SUPPORTED_LANGUAGES else "en"
    text = (resources.files(_PACKAGE) / "lexicon" / f"{lang}.txt").read_text(encoding="utf-8")
    listed = {w for line in text.splitlines() if not line.startswith("#") for w in words_of(line)}
    return frozenset(listed | _bank_words(lang))


def _bank_words(language: str) -> set[str]:
    return {w for phrase in bank_phrases(language) for w in words_of(_PLACEHOLDER.sub(" ", phrase))}


@functools.cache
def bank_phrases(language: str) -> tuple[str, ...]:
    """Every phrase of a language's bank, placeholders kept (`{topic}`, `{body}`…): the writer's own
    stock text, which the specificity score recognises in any script."""
    bank = phrase_bank(language if language in SUPPORTED_LANGUAGES else "en")
    phrases: list[str] = []

    def add(value: object) -> None:
        if isinstance(value, str):
            phrases.append(value.removeprefix("l|"))
        elif isinstance(value, tuple | list):
            for item in value:
                add(item)
        elif isinstance(value, dict):
            for item in value.values():
                add(item)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                add(getattr(value, name))

    for name in bank.__dataclass_fields__:
        if name not in ("platform_tags", "tone_tags", "fallback_tags", "conjunction", "topic_ref"):
            add(getattr(bank, name))
    return tuple(phrases)


def is_general(word: str, language: str) -> bool:
    """True for a word of general language, in any of its base forms."""
    vocabulary = general_words(language)
    return any(form in vocabulary for form in base_forms(word, language))
