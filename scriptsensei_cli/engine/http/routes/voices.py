"""/api/v1/voices: built-in voices (neural and formant), the user's own, previews, voice matching."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from ....contract.voices import Voice, VoiceList, VoicePreviewRequest
from ...errors import Internal, Invalid
from ...media.cloning import CloningProviderError, cloning_provider
from ...services import voices as service
from ..context import Context, CurrentUser
from ..paging import Limit, Page
from ..uploads import receive_upload

router = APIRouter(prefix="/voices", tags=["voices"])


@router.get("", response_model=VoiceList)
def list_voices(
    user: CurrentUser,
    context: Context,
    language: str | None = None,
    gender: str | None = None,
    style: str | None = None,
    quality: str | None = None,
    page: Page = 1,
    limit: Limit = 50,
) -> VoiceList:
    return service.list_voices(
        context.db,
        user.id,
        language=language,
        gender=gender,
        style=style,
        quality=quality,
        page=page,
        limit=limit,
    )


@router.post("/clone", status_code=201, response_model=Voice)
async def clone(request: Request, user: CurrentUser, context: Context) -> Voice:
    """Multipart: `name`, `file` (10 s to 5 min of speech, at most 50 MB), optional `description`,
    `language` (default en) and `method`: `voice_match` (built in: the nearest voice at the sample's
    pitch and pace) or a configured cloning provider (`elevenlabs`)."""
    config = context.config
    upload = await receive_upload(
        request,
        config.data_dir / "tmp",
        max_bytes=config.max_voice_sample_bytes,
        what="the voice sample",
    )
    try:
        name = service.check_name(upload.fields.get("name", ""))
        method = upload.fields.get("method") or "voice_match"
        provider = None
        if method != "voice_match":
            try:
                provider = cloning_provider(config, method)
            except CloningProviderError as exc:
                raise Invalid(exc.message, field="method") from exc
        return await run_in_threadpool(
            service.clone,
            context.db,
            user.id,
            upload=upload,
            name=name,
            description=(upload.fields.get("description") or "").strip()[:500] or None,
            language=upload.fields.get("language") or "en",
            narrator=context.jobs.narrator(),
            provider=provider,
        )
    finally:
        upload.discard()  # the sample is measured, never kept


@router.get("/{voice_id}", response_model=Voice)
def get_voice(voice_id: str, user: CurrentUser, context: Context) -> Voice:
    return service.get(context.db, user.id, voice_id)


@router.delete("/{voice_id}", status_code=204)
def delete_voice(voice_id: str, user: CurrentUser, context: Context) -> None:
    service.delete(context.db, user.id, voice_id)


@router.post("/{voice_id}/preview", response_class=Response, responses={200: {"content": {"audio/wav": {}}}})
def preview(
    voice_id: str, user: CurrentUser, context: Context, body: VoicePreviewRequest | None = None
) -> Response:
    """A WAV of the voice saying `text` (default: a short greeting), synthesized now and cached."""
    from ...render.espeak import EspeakError

    try:
        path = service.preview(
            context.db,
            user.id,
            voice_id,
            body.text if body else None,
            context.jobs.narrator(),
            context.config.data_dir / "cache" / "previews",
        )
    except EspeakError as exc:
        raise Internal(f"preview failed: {exc}") from exc
    # A few hundred kilobytes: sent from memory, so no file handle outlives the request.
    return Response(
        path.read_bytes(),
        media_type="audio/wav",
        headers={"Content-Disposition": f'attachment; filename="{voice_id}-preview.wav"'},
    )
