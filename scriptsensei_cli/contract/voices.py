"""Voices: the built-in ones (neural and formant) and a user's own (voice matches, provider clones)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from .common import ListEnvelope

VoiceQuality = Literal["neural", "basic"]
CLONE_MIN_SECONDS = 10.0
CLONE_MAX_SECONDS = 300.0
CLONE_MAX_BYTES = 50 * 1024 * 1024  # the seed's limit
PREVIEW_MAX_CHARS = 500
DEFAULT_PREVIEW_TEXT = {
    "en": "Hi! This is how I sound when I narrate your videos.",
    "es": "¡Hola! Así sueno cuando narro tus videos.",
    "ja": "こんにちは。動画のナレーションはこんな声になります。",
    "hi": "नमस्ते! आपके वीडियो में मेरी आवाज़ ऐसी सुनाई देगी।",
}


class VoiceMeasurement(BaseModel):
    """What voice matching measured in a sample, and in the voice it chose."""

    pitch_hz: float  # median fundamental frequency of the voiced frames
    syllables_per_second: float
    speech_seconds: float
    base_pitch_hz: float
    base_syllables_per_second: float


class Voice(BaseModel):
    id: str
    name: str
    language: str
    gender: str
    provider: str
    style: str
    quality: VoiceQuality | str
    preview: bool
    preview_url: str | None = None
    custom: bool = False
    # A user's own voice: how it was made, and what it renders as.
    method: str | None = None  # "voice_match", or the cloning provider's name
    base_voice: str | None = None
    pitch_semitones: float | None = None
    rate: float | None = None  # speaking rate relative to the base voice
    description: str | None = None
    measured: VoiceMeasurement | None = None
    created_at: datetime | None = None


class VoiceList(ListEnvelope):
    voices: list[Voice]


class VoicePreviewRequest(BaseModel):
    text: str | None = Field(default=None, min_length=1, max_length=PREVIEW_MAX_CHARS)
