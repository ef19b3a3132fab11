"""File names from titles: one policy for the engine (Content-Disposition), `ss video` downloads and
the files `ss bulk` writes, so a video is called the same wherever it lands."""

from __future__ import annotations

import re
import unicodedata

DEFAULT_OUTPUT_NAME = "video"
MAX_OUTPUT_NAME_LENGTH = 80
# Filesystems count bytes (ext4: 255) or UTF-16 units (NTFS: 255); leave room for ".mp4", ".srt".
MAX_NAME_BYTES = 200
# Characters Windows, macOS or Linux refuse in names, control characters, and the bidi overrides
# that make a name display as something it is not.
_UNSAFE_CHARS = re.compile('[<>:"/\\\\|?*\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]')
_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{device}{suffix}" for device in ("COM", "LPT") for suffix in [*"0123456789", "¹", "²", "³"]]
)


def safe_name(name: str, max_length: int = MAX_OUTPUT_NAME_LENGTH) -> str:
    """A file stem every desktop OS accepts: no reserved characters or device names, never empty.

    >>> safe_name('Q3 results: "final" / v2...')
    'Q3-results-final-v2'
    >>> safe_name("con")
    '_con'
    """
    if max_length < 1:
        raise ValueError("max_length must be at least 1")
    text = unicodedata.normalize("NFC", name)
    text = _UNSAFE_CHARS.sub("-", text)
    text = re.sub(r"\s+", "-", text)
    text = re.sub(r"-{2,}", "-", text)
    text = _truncate(_trim(text), max_length)
    if text.split(".", 1)[0].upper() in _WINDOWS_RESERVED:
        text = _truncate("_" + text, max_length)
    return text or DEFAULT_OUTPUT_NAME[:max_length]


def _trim(text: str) -> str:
    # Leading dots hide a file on macOS and Linux and a leading hyphen reads as an option in a shell;
    # Windows drops trailing dots and spaces; a cut can leave a dangling zero-width joiner.
    return text.lstrip(".- ").rstrip(".- \u200d")


def _truncate(text: str, max_length: int) -> str:
    text = text[:max_length]
    while len(text.encode("utf-8")) > MAX_NAME_BYTES:
        text = text[:-1]
    return _trim(text)
