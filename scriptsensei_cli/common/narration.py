"""How long a text takes to narrate: one estimate for the writer, the engine and the bulk validator.

It lives outside the engine so the thin client (which validates sheets before sending them) uses
the very same numbers as the engine that will refuse an over-long script.
"""

from __future__ import annotations

import re

# Natural narration pace (about 150 words a minute in English); TTS voices land close to it.
WORDS_PER_SECOND: dict[str, float] = {"en": 2.5, "es": 2.7, "pt": 2.6, "fr": 2.6, "it": 2.6, "de": 2.2}
DEFAULT_WORDS_PER_SECOND = 2.5
# Chinese and Japanese are read per character (Korean per syllable block), not per word.
CJK_CHARS_PER_SECOND = 4.5

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def base_language(language: str) -> str:
    """`en-US`, `en_gb` and `EN` are all `en`."""
    return re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]


def count_words(text: str) -> int:
    """Spoken words: space-delimited words, plus one per CJK character (those scripts have no spaces)."""
    cjk = len(CJK.findall(text))
    return len(WORD.findall(CJK.sub(" ", text))) + cjk


def estimate_narration_seconds(text: str, language: str) -> float:
    """Seconds a narrator needs for `text` at a natural pace: words / rate, CJK characters / 4.5."""
    cjk = len(CJK.findall(text))
    words = len(WORD.findall(CJK.sub(" ", text)))
    rate = WORDS_PER_SECOND.get(base_language(language), DEFAULT_WORDS_PER_SECOND)
    return words / rate + cjk / CJK_CHARS_PER_SECOND
