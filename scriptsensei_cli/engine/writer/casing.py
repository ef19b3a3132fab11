"""Capitalisation for the built-in writer: sentence starts, titles, and mixed-case words left alone."""

from __future__ import annotations

import re

from .lexicon import is_general


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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


# Words English always capitalises, even when they are common: days, months, languages, holidays.
_ALWAYS_CAPITAL = _words(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december english spanish french german italian portuguese
    chinese japanese korean arabic russian hindi american british european african asian latin
    christmas easter halloween thanksgiving ramadan
    """
)
# Common words that open a name with the capitalised word after them ("New York", "Black Friday").
_NAME_STARTERS = _words(
    """
    new san santa los las el la le de del van von saint st north south east west united great good
    black cyber hong sri costa puerto buenos rio mount lake cape fort port silicon wall white red
    """
)
_MIN_TITLE_WORDS = 2


def word_kind(word: str) -> str:
    """'upper' (AI, NASA, LLMs), 'mixed' (iPhone, McDonald's), 'capital' (Coffee), 'lower' or 'other'."""
    letters = [ch for ch in word if ch.isalpha()]
    if not letters:
        return "other"
    core = letters[:-1] if len(letters) > 2 and letters[-1] == "s" else letters  # LLMs, APIs
    if len(core) >= 2 and all(ch.isupper() for ch in core):
        return "upper"
    if any(ch.isupper() for ch in letters[1:]):
        return "mixed"
    return "capital" if letters[0].isupper() else "lower"


def mid_sentence(topic: str, language: str) -> str:
    """The topic as it reads inside a sentence: common words lower-cased, names and acronyms kept.

    "How compound interest builds wealth" → "how compound interest builds wealth"; "AI in healthcare",
    "iPhone photography" and "New York pizza" stay as they are. A capital the user typed after the
    first word marks a name, and so does a capital first word followed by one ("Star Wars trivia").
    When every word has a capital (a title-cased topic, "Cold Brew Coffee") capitals say nothing:
    only days, months, languages, acronyms, mixed case ("iPhone") and runs of two or more capitalised
    words outside general language ("Harry Potter", "New York") stay; a lone name is lower-cased too
    ("Tokyo Travel Tips" → "tokyo travel tips"), the price of reading "Brew" as a common word.
    """
    words = topic.split()
    kinds = [word_kind(w) for w in words]

    def common(word: str) -> bool:
        bare = word.strip("¿¡?!.,:;\"'()«»").lower()
        return bare not in _ALWAYS_CAPITAL and (is_general(bare, language) or bare in _SMALL_WORDS)

    significant = [i for i, w in enumerate(words) if len(w) > 3 and w.lower() not in _SMALL_WORDS]
    # Title case: every significant word capitalised, a common one among them after the first
    # ("Cold Brew Coffee"); "Learn Python" is a sentence whose second word is a name.
    # A small word with a capital inside the topic ("AI In Healthcare") is title case for sure.
    small_capital = [
        i for i in range(1, len(words)) if kinds[i] == "capital" and words[i].lower() in _SMALL_WORDS
    ]
    title_cased = (
        language == "en"
        and (  # Spanish capitalises names only
            bool(small_capital)
            or (
                len(significant) >= _MIN_TITLE_WORDS
                and all(kinds[i] != "lower" for i in significant)
                and any(kinds[i] == "capital" and common(words[i]) for i in significant[1:])
            )
        )
    )

    keep = [k != "capital" for k in kinds]
    for i in reversed(range(len(words))):
        if kinds[i] != "capital":
            continue
        if i in small_capital:  # "Bank Of America" is "Bank of America"
            keep[i] = False
            continue
        follows_name = (
            i + 1 < len(words) and kinds[i + 1] != "lower" and keep[i + 1] and len(words[i + 1]) > 1
        )
        starts_name = words[i].lower().strip("¿¡") in _NAME_STARTERS
        if title_cased:
            before = words[i - 1] if i > 0 and kinds[i - 1] == "capital" else ""
            after_name = bool(before) and (not common(before) or before.lower() in _NAME_STARTERS)
            keep[i] = (not common(words[i]) and (follows_name or after_name)) or (
                follows_name and starts_name
            )
            if not common(words[i]) and words[i].strip("¿¡?!.,:;\"'()«»").lower() in _ALWAYS_CAPITAL:
                keep[i] = True
        elif i > 0:
            keep[i] = True
        else:  # "New York pizza", "Star Wars trivia"; but "Learning Spanish"
            joins = follows_name and words[i + 1].lower() not in _ALWAYS_CAPITAL
            keep[i] = joins or not common(words[i])
    return " ".join(w if k else w.lower() for w, k in zip(words, keep, strict=True))
