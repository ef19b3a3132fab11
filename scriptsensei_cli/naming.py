"""File names from titles, shared by the engine (Content-Disposition) and the CLI (downloads)."""

from __future__ import annotations

import unicodedata


def slugify(title: str, max_length: int = 60) -> str:
    """Lower-case letters, digits, `-` and `_`; everything else becomes `-`. Combining marks stay,
    so Devanagari or Thai words keep their vowel signs: "नई चीज़" → "नई-चीज़", not "नई-च-ज"."""
    text = unicodedata.normalize("NFC", title.lower())
    kept = "".join(
        c if c.isalnum() or c in "-_" or unicodedata.category(c).startswith("M") else "-" for c in text
    )
    return kept.strip("-")[:max_length].strip("-")
