"""The voices service: built-in voices for everyone, custom voices per owner, previews, voice matching."""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ...common.atomic import atomic_path
from ...contract.voices import (
    CLONE_MAX_SECONDS,
    CLONE_MIN_SECONDS,
    DEFAULT_PREVIEW_TEXT,
    Voice,
    VoiceList,
    VoiceMeasurement,
)
from ..errors import Invalid, Unsupported, UpstreamFailed, not_found
from ..media.cloning import CloningProvider, CloningProviderError
from ..render import load_numeric
from ..render.voices import Voice as RenderVoice
from ..render.voices import VoiceError, all_voices, get_voice, speaks, voice_for
from ..store.db import Database
from ..store.models import CustomVoice
from ..store.uploads import Upload

CUSTOM_PREFIX = "vc_"


def preview_url(voice_id: str) -> str:
    return f"/api/v1/voices/{voice_id}/preview"


def builtin_out(voice: RenderVoice) -> Voice:
    return Voice(
        id=voice.id,
        name=voice.name,
        language=voice.language,
        gender=voice.gender,
        provider=voice.provider,
        style=voice.style,
        quality=voice.quality,
        preview=voice.preview,
        preview_url=preview_url(voice.id),
    )


def custom_out(row: CustomVoice) -> Voice:
    base = all_voices().get(row.base_voice)
    return Voice(
        id=row.id,
        name=row.name,
        language=row.language,
        gender=row.gender,
        provider=base.provider if base else row.method,
        style="custom",
        quality=base.quality if base else "neural",
        preview=True,
        preview_url=preview_url(row.id),
        custom=True,
        method=row.method,
        base_voice=row.base_voice,
        pitch_semitones=row.pitch_semitones,
        rate=row.rate,
        description=row.description,
        measured=VoiceMeasurement.model_validate(row.measured) if row.measured else None,
        created_at=row.created_at,
    )


def list_voices(
    db: Database,
    user_id: str,
    *,
    language: str | None,
    gender: str | None,
    style: str | None,
    quality: str | None,
    page: int,
    limit: int,
) -> VoiceList:
    """The user's own voices first, then the built-in ones (neural before formant)."""
    with db.session() as session:
        own = [
            custom_out(row)
            for row in session.scalars(
                select(CustomVoice).where(CustomVoice.user_id == user_id).order_by(CustomVoice.created_at)
            )
        ]
    builtin = [builtin_out(v) for v in all_voices().values()]
    builtin.sort(key=lambda v: v.quality != "neural")
    voices = [
        v
        for v in (*own, *builtin)
        if (language is None or _speaks_language(v.language, language))
        and (gender is None or v.gender == gender.lower())
        and (style is None or v.style == style.lower())
        and (quality is None or v.quality == quality.lower())
    ]
    window = voices[(page - 1) * limit : page * limit]
    return VoiceList(voices=window, total=len(voices), page=page, limit=limit)


def _speaks_language(voice_language: str, wanted: str) -> bool:
    """`en` matches en-US and en-GB; `en-gb` matches only en-GB; `zh` matches espeak's cmn."""
    wanted = wanted.lower().replace("_", "-")
    tag = voice_language.lower()
    if "-" in wanted:
        return tag == wanted or tag.startswith(wanted + "-")
    return speaks(RenderVoice("", "", voice_language, "", "", "", "", ""), wanted)


def get(db: Database, user_id: str, voice_id: str) -> Voice:
    if voice_id.startswith(CUSTOM_PREFIX):
        return custom_out(_owned(db, user_id, voice_id))
    voice = all_voices().get(voice_id)
    if voice is None:
        raise not_found("voice", voice_id)
    return builtin_out(voice)


def _owned(db: Database, user_id: str, voice_id: str) -> CustomVoice:
    with db.session() as session:
        row = session.get(CustomVoice, voice_id)
        if row is None or row.user_id != user_id:
            raise not_found("voice", voice_id)
        return row


def render_voice(db: Database, user_id: str, voice_id: str) -> RenderVoice:
    """What the renderer speaks with for `voice_id`: a built-in voice, or a custom one resolved
    onto its base voice (pitch added, pace applied)."""
    if not voice_id.startswith(CUSTOM_PREFIX):
        return get_voice(voice_id)
    with db.session() as session:
        row = session.get(CustomVoice, voice_id)
        if row is None or row.user_id != user_id:
            raise VoiceError(f"unknown voice {voice_id!r}; see `ss voice list`", field="voice")
    if row.method != "voice_match":
        raise VoiceError(
            f"voice {voice_id!r} is a {row.method} clone; this engine renders its own offline voices "
            "only (rendering through the provider's text-to-speech is not built yet), so use a "
            "voice_match voice",
            field="voice",
        )
    base = get_voice(row.base_voice)
    return replace(
        base,
        id=row.id,
        name=row.name,
        gender=row.gender,
        style="custom",
        pitch_semitones=base.pitch_semitones + row.pitch_semitones,
        length_scale=base.length_scale / row.rate,
    )


def voice_for_render(db: Database, user_id: str, language: str, voice_id: str | None) -> RenderVoice:
    """The voice a render request asks for, checked against its language (VoiceError if wrong)."""
    if voice_id is None or not voice_id.startswith(CUSTOM_PREFIX):
        return voice_for(language, voice_id)
    voice = render_voice(db, user_id, voice_id)
    if not speaks(voice, language):
        raise VoiceError(f"voice {voice_id!r} speaks {voice.language}, not {language!r}", field="voice")
    return voice


def preview(db: Database, user_id: str, voice_id: str, text: str | None, narrator: Any, cache: Path) -> Path:
    """A WAV of `voice_id` saying `text` (or a greeting in its language), synthesized once and cached."""
    load_numeric()
    voice = None
    if voice_id.startswith(CUSTOM_PREFIX):
        _owned(db, user_id, voice_id)  # someone else's voice, or none: 404, like an unknown built-in
        try:
            voice = render_voice(db, user_id, voice_id)
        except VoiceError as exc:
            raise Invalid(str(exc), field="voice_id") from exc
    if voice is None:
        voice = all_voices().get(voice_id)
        if voice is None:
            raise not_found("voice", voice_id)
    from ...common.text import split_sentences

    spoken = text or DEFAULT_PREVIEW_TEXT.get(voice.base_language) or _greeting(voice)
    key = hashlib.sha256(
        f"{voice.model}|{voice.variant}|{voice.length_scale:.3f}|{voice.pitch_semitones:.2f}|{spoken}".encode()
    ).hexdigest()
    path = cache / f"{key}.wav"
    if path.exists():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    sentences = split_sentences(spoken, voice.language) or [spoken]
    narration = narrator.narrate(sentences, voice)
    raw = path.with_suffix(".raw.wav")
    narration.write_wav(raw)
    try:
        _finish_preview(raw, path, narration.sample_rate, voice.pitch_semitones)
    finally:
        raw.unlink(missing_ok=True)
    return path


def _greeting(voice: RenderVoice) -> str:
    """Voices with no greeting in their language count to five: digits every espeak voice reads."""
    return "1, 2, 3, 4, 5."


def _finish_preview(raw: Path, path: Path, sample_rate: int, pitch: float) -> None:
    """Apply the voice's pitch (as the renderer does) and move the file into place atomically."""
    from ..render.compose import pitch_shift
    from ..render.ffmpeg import ffmpeg_exe

    filters = ["-af", pitch_shift(sample_rate, pitch)] if pitch else []
    with atomic_path(path) as partial:
        subprocess.run(
            [ffmpeg_exe(), "-nostdin", "-v", "error", "-y", "-i", str(raw), *filters,
             "-c:a", "pcm_s16le", str(partial)],
            check=True,
            capture_output=True,
            timeout=120,
        )  # fmt: skip


def clone(
    db: Database,
    user_id: str,
    *,
    upload: Upload,
    name: str,
    description: str | None,
    language: str,
    narrator: Any,
    method: str = "voice_match",
    provider: CloningProvider | None = None,
) -> Voice:
    """A custom voice by voice matching (measure the sample, pick the nearest built-in voice), or,
    with `provider`, a clone made by that service (the match is recorded alongside it)."""
    from ..media.sniff import sniff
    from ..render.voicematch import NoSpeech, decode_mono, match, profile

    load_numeric()

    assert upload.path is not None
    found = sniff(upload.path)
    info = found.info
    if info is None or not info.audio_streams:
        raise Unsupported(
            f"sample: expected audio, found {found.description}",
            field="file",
            details={"found": found.description},
        )
    duration = info.duration or 0.0
    if duration < CLONE_MIN_SECONDS:
        raise Invalid(
            f"sample: {duration:.1f} s of audio; voice matching needs at least {CLONE_MIN_SECONDS:g} s",
            field="file",
            details={"duration": duration, "min_seconds": CLONE_MIN_SECONDS},
        )
    if duration > CLONE_MAX_SECONDS:
        raise Invalid(
            f"sample: {duration:.0f} s of audio; the limit is {CLONE_MAX_SECONDS / 60:g} minutes",
            field="file",
            details={"duration": duration, "max_seconds": CLONE_MAX_SECONDS},
        )
    try:
        measured = profile(decode_mono(upload.path))
    except (NoSpeech, ValueError) as exc:
        raise Invalid(f"sample: {exc}", field="file") from exc
    try:
        default = voice_for(language)
    except VoiceError as exc:
        raise Invalid(str(exc), field="language") from exc
    candidates = [v for v in all_voices().values() if speaks(v, default.language) and _plain(v)]
    found_match = match(measured, candidates, narrator)
    provider_voice_id = None
    if provider is not None:
        try:
            provider_voice_id = provider.clone(name, upload.path, description)
        except CloningProviderError as exc:
            raise UpstreamFailed(exc.message, details={"provider": exc.provider}) from exc
    row = CustomVoice(
        user_id=user_id,
        name=name,
        description=description,
        method=provider.name if provider is not None else method,
        provider_voice_id=provider_voice_id,
        base_voice=found_match.base.id,
        language=found_match.base.language,
        gender=found_match.base.gender,
        pitch_semitones=found_match.pitch_semitones,
        rate=found_match.rate,
        measured=VoiceMeasurement(
            pitch_hz=round(measured.pitch_hz, 1),
            syllables_per_second=round(measured.syllables_per_second, 2),
            speech_seconds=round(measured.speech_seconds, 1),
            base_pitch_hz=round(found_match.reference.pitch_hz, 1),
            base_syllables_per_second=round(found_match.reference.syllables_per_second, 2),
        ).model_dump(),
    )
    with db.session() as session:
        session.add(row)
    return custom_out(row)


def _plain(voice: RenderVoice) -> bool:
    """Candidates for matching: each model once, at its natural rate and pitch."""
    return voice.length_scale == 1.0 and voice.pitch_semitones == 0.0


def delete(db: Database, user_id: str, voice_id: str) -> None:
    if not voice_id.startswith(CUSTOM_PREFIX):
        if voice_id in all_voices():
            raise Invalid(f"voice {voice_id!r} is built in; only your own voices can be deleted")
        raise not_found("voice", voice_id)
    with db.session() as session:
        row = session.get(CustomVoice, voice_id)
        if row is None or row.user_id != user_id:
            raise not_found("voice", voice_id)
        session.delete(row)


def check_name(name: str) -> str:
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise Invalid("name: 1 to 100 characters", field="name")
    return name
