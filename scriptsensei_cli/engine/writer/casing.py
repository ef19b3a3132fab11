"""Capitalisation for the built-in writer: sentence starts, titles, and mixed-case words left alone."""

from __future__ import annotations

import re

_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([¿¡«\"']*)(\w+)")
_FIRST_WORD = re.compile(r"([¿¡«\"']*)(\w+)")

_SMALL_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "or",
        "the",
        "to",
        "vs",
        "via",
        "with",
    }
)


def cap_word(text: str) -> str:
    """Capitalise the first letter, unless the first word is already mixed case (iPhone, eBay)."""
    match = _FIRST_WORD.match(text)
    if not match or any(ch.isupper() for ch in match[2][1:]):
        return text
    start = match.start(2)
    return text[:start] + text[start].upper() + text[start + 1 :]


def sentence_case(text: str) -> str:
    """Capitalise the first word of every sentence."""
    return _SENTENCE_START.sub(lambda m: m[1] + m[2] + cap_word(m[3]), text)


def title_case(text: str) -> str:
    """Capitalise every word but small ones after the first; words with a capital already stay as written."""
    words = text.split()
    return " ".join(
        word if any(ch.isupper() for ch in word) or (k and word.lower() in _SMALL_WORDS) else cap_word(word)
        for k, word in enumerate(words)
    )
