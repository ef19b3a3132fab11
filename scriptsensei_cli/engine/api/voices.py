"""/api/v1/voices: the voices this engine can render, offline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ...contract import MAX_PAGE_LIMIT
from ...contract.videos import Voice, VoiceList
from ..context import CurrentUser
from ..errors import not_found

router = APIRouter(prefix="/voices", tags=["voices"])


def _out(voice: object) -> Voice:
    return Voice.model_validate(voice, from_attributes=True)


@router.get("", response_model=VoiceList)
def list_voices(
    user: CurrentUser,
    language: str | None = None,
    gender: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_LIMIT)] = 50,
) -> VoiceList:
    from ..render.voices import VOICES

    voices = [
        v
        for v in VOICES.values()
        if (language is None or v.language.lower().startswith(language.lower()))
        and (gender is None or v.gender == gender)
    ]
    window = voices[(page - 1) * limit : page * limit]
    return VoiceList(voices=[_out(v) for v in window], total=len(voices), page=page, limit=limit)


@router.get("/{voice_id}", response_model=Voice)
def get_voice(voice_id: str, user: CurrentUser) -> Voice:
    from ..render.voices import VOICES

    if voice_id not in VOICES:
        raise not_found("voice", voice_id)
    return _out(VOICES[voice_id])
