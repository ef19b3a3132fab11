"""Word timings: the one shape the TTS step hands to captions, scenes and QC."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WordTiming:
    """One spoken word and when it is heard.

    The TTS step produces these in order: words never overlap and sentences never overlap, so consumers
    may rely on ``words[i].end <= words[i + 1].start``.
    """

    text: str
    start: float  # seconds from the start of the video
    end: float
