"""The videos service: accept a render, plan its scenes, and serve its state and files, per owner."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...contract.videos import (
    FINAL_STATUSES,
    VIDEO_MAX_SECONDS,
    GenerateVideoRequest,
    JobError,
    Scene,
    SceneUpdate,
    VideoList,
    video_urls,
)
from ...contract.videos import Video as VideoOut
from ..config import EngineConfig
from ..errors import Conflict, Invalid, NotFound, not_found
from ..store.db import Database, page_of
from ..store.models import Job, Script, Video
from ..store.models import new_id as new_row_id
from ..store.objects import Storage


def video_out(video: Video, job: Job) -> VideoOut:
    completed = job.status == "completed"
    video_url, thumbnail_url = video_urls(video.id)
    return VideoOut(
        id=video.id,
        job_id=job.id,
        title=video.title,
        status=job.status,
        progress=job.progress,
        stage=job.stage,
        message=job.message,
        error=JobError.model_validate(job.error) if job.error else None,
        seq=job.seq,
        platform=video.platform,
        aspect_ratio=video.aspect_ratio,
        quality=video.quality,
        language=video.language,
        voice=video.voice,
        script_id=video.script_id,
        width=video.width,
        height=video.height,
        duration=video.duration,
        encoder=video.encoder,
        video_url=video_url if completed else None,
        thumbnail_url=thumbnail_url if completed else None,
        captions_url=f"/api/v1/videos/{video.id}/captions"
        if completed and video.spec.get("captions")
        else None,
        sha256=video.sha256 if completed else None,
        bulk_id=video.bulk_id,
        row_number=video.row_number,
        output_name=video.output_name,
        created_at=video.created_at,
        updated_at=max(video.updated_at, job.updated_at),
        completed_at=video.completed_at,
    )


def owned_video(session: Session, user_id: str, video_id: str) -> tuple[Video, Job]:
    video = session.get(Video, video_id)
    if video is None or video.user_id != user_id:
        raise not_found("video", video_id)
    job = session.get(Job, video.job_id)
    if job is None:
        raise not_found("video", video_id)
    return video, job


def media_path(db: Database, config: EngineConfig, user_id: str, value: str, field: str) -> str:
    """A scene's media: an id from the user's media library, or a local path the engine may read."""
    from ..media.library import resolve

    return resolve(db, user_id, value, field) or check_local_file(value, field, config)


def check_local_file(value: str, field: str, config: EngineConfig) -> str:
    """A media or music path the engine may read: only where the engine shares the user's disk."""
    if not config.allow_local_paths:
        raise Invalid(
            f"{field}: this server does not read local paths ({value!r}); upload the file as media first",
            field=field,
        )
    path = Path(value).expanduser()
    if not path.is_absolute():
        raise Invalid(f"{field}: {value!r} must be an absolute path", field=field)
    if not path.is_file():
        raise Invalid(f"{field}: no such file: {value}", field=field)
    from ..render.ffmpeg import FFmpegError, probe

    try:
        info = probe(path)
    except FFmpegError as exc:
        raise Invalid(
            f"{field}: {value} is not an image, video or audio file ffmpeg can read", field=field
        ) from exc
    if field == "music" and not info.audio_streams:
        raise Invalid(f"music: {value} has no audio stream", field=field)
    if field.startswith("media") and not info.video_streams:
        raise Invalid(f"{field}: {value} is not an image or video", field=field)
    return str(path)


@dataclass(frozen=True)
class PreparedVideo:
    """A validated render request, ready to be stored: everything but the ids."""

    title: str
    script_id: str | None
    spec: dict[str, Any]
    scenes: list[dict[str, Any]]


def create_video(
    db: Database, config: EngineConfig, user_id: str, body: GenerateVideoRequest
) -> tuple[Video, Job]:
    return insert_video(db, config, user_id, prepare_video(db, config, user_id, body))


def prepare_video(
    db: Database, config: EngineConfig, user_id: str, body: GenerateVideoRequest
) -> PreparedVideo:
    """Validate a render request completely (voice, preset, captions, length, files) without storing it."""
    from ..render.captions import CaptionStyle
    from ..render.pipeline import plan_scenes
    from ..render.presets import PLATFORM_ASPECT, output_preset
    from ..render.voices import VoiceError
    from ..writer import estimate_narration_seconds
    from .voices import voice_for_render, voice_spec

    title, text, script_id = body.title, body.script, body.script_id
    if script_id is not None:
        with db.session() as session:
            script = session.get(Script, script_id)
            if script is None or script.user_id != user_id:
                raise Invalid(f"script_id: no script {script_id!r}", field="script_id")
            text, title = script.content, title or script.title
    assert text is not None
    title = title or _title_from(text)
    try:
        voice = voice_for_render(db, user_id, body.language, body.voice)
    except VoiceError as exc:
        raise Invalid(str(exc), field=exc.field) from exc
    try:
        preset = output_preset(body.platform, body.aspect_ratio, body.quality)
    except ValueError as exc:
        field = str(exc).split(":", 1)[0]
        raise Invalid(str(exc), field=field) from exc
    captions = body.captions.model_dump() if body.captions else None
    if captions is not None:
        try:
            CaptionStyle(**{("name" if k == "style" else k): v for k, v in captions.items()})
        except (TypeError, ValueError) as exc:
            raise Invalid(f"captions: {exc}", field="captions") from exc
    limit = max_seconds(body.platform)
    estimate = estimate_narration_seconds(text, body.language)
    if estimate > limit:
        raise Invalid(
            f"script: about {estimate:.0f} s of narration, over the {limit} s maximum for {body.platform}",
            field="script",
            details={"estimated_seconds": round(estimate, 1), "max_seconds": limit},
        )
    media = [media_path(db, config, user_id, item, f"media[{i}]") for i, item in enumerate(body.media)]
    music = check_local_file(body.music, "music", config) if body.music else None
    scenes = plan_scenes(text, body.language, [Path(m) for m in media])
    if not scenes:
        raise Invalid("script: nothing to narrate (only headings, hashtags or blank lines)", field="script")
    spec: dict[str, Any] = {
        "script": text,
        "title": title,
        "language": body.language,
        "voice": voice.id,
        # A custom voice is resolved now: the render needs no voice row, even if it is deleted meanwhile.
        "voice_spec": voice_spec(voice) if voice.style == "custom" else None,
        "platform": body.platform,
        "aspect_ratio": body.aspect_ratio or preset.aspect_ratio or PLATFORM_ASPECT[body.platform],
        "quality": body.quality,
        "captions": captions,
        "media": media,
        "music": music,
        "transition": body.transition,
    }
    return PreparedVideo(
        title=title,
        script_id=script_id,
        spec=spec,
        scenes=[{"text": s.text, "media": str(s.media) if s.media else None} for s in scenes],
    )


def max_seconds(platform: str) -> int:
    return VIDEO_MAX_SECONDS[platform]


def insert_video(
    db: Database,
    config: EngineConfig,
    user_id: str,
    prepared: PreparedVideo,
    *,
    bulk_id: str | None = None,
    row_key: str | None = None,
    row_number: int | None = None,
    output_name: str | None = None,
) -> tuple[Video, Job]:
    video_id, job_id = new_row_id("vid"), new_row_id("job")
    spec = prepared.spec
    with db.session() as session:
        video = Video(
            id=video_id,
            user_id=user_id,
            job_id=job_id,
            title=prepared.title,
            script_id=prepared.script_id,
            platform=spec["platform"],
            aspect_ratio=spec["aspect_ratio"],
            quality=spec["quality"],
            language=spec["language"],
            voice=spec["voice"],
            spec=spec,
            scenes=prepared.scenes,
            output_dir=str(config.data_dir / "videos" / user_id / video_id),
            bulk_id=bulk_id,
            row_key=row_key,
            row_number=row_number,
            output_name=output_name,
        )
        job = Job(id=job_id, user_id=user_id, video_id=video_id, status="pending", message="queued")
        session.add_all([video, job])
    return video, job


def render_request(video: Video) -> Any:
    """The renderer's input for a stored video (its edited scenes included)."""
    from ..render.captions import CaptionStyle
    from ..render.pipeline import RenderRequest, SceneInput
    from .voices import voice_from_spec

    spec = video.spec
    captions = spec.get("captions")
    style = (
        CaptionStyle(**{("name" if k == "style" else k): v for k, v in captions.items()})
        if captions
        else None
    )
    return RenderRequest(
        title=spec["title"],
        script=spec["script"],
        language=spec["language"],
        voice=voice_from_spec(spec["voice_spec"]) if spec.get("voice_spec") else spec["voice"],
        platform=spec["platform"],
        aspect_ratio=spec["aspect_ratio"],
        quality=spec["quality"],
        captions=style,
        media=[Path(m) for m in spec.get("media", [])],
        music=Path(spec["music"]) if spec.get("music") else None,
        transition=spec.get("transition", "none"),
        scenes=[SceneInput(s["text"], Path(s["media"]) if s.get("media") else None) for s in video.scenes]
        or None,
    )


def rerender(db: Database, user_id: str, video_id: str) -> Job:
    with db.session() as session:
        video, job = owned_video(session, user_id, video_id)
        if job.status not in FINAL_STATUSES:
            raise Conflict(f"video {video_id} is still {job.status}; cancel it or wait", field="video_id")
        new_job = Job(
            id=new_row_id("job"), user_id=user_id, video_id=video_id, status="pending", message="queued"
        )
        session.add(new_job)
        video.job_id = new_job.id
        return new_job


def list_videos(
    db: Database, user_id: str, *, page: int, limit: int, status: str | None, platform: str | None
) -> VideoList:
    filters: list[Any] = [Video.user_id == user_id]
    if platform:
        filters.append(Video.platform == platform)
    if status:
        filters.append(Job.status == status)
    query = (
        select(Video, Job)
        .join(Job, Job.id == Video.job_id)
        .where(*filters)
        .order_by(Video.created_at.desc(), Video.id)
    )
    with db.session() as session:
        rows, total = page_of(session, query, page=page, limit=limit)
        return VideoList(videos=[video_out(v, j) for v, j in rows], total=total, page=page, limit=limit)


def scenes_of(video: Video) -> list[Scene]:
    return [
        Scene(index=i, text=s["text"], start=s.get("start"), duration=s.get("duration"), media=s.get("media"))
        for i, s in enumerate(video.scenes)
    ]


def update_scene(
    db: Database, config: EngineConfig, user_id: str, video_id: str, index: int, body: SceneUpdate
) -> Scene:
    with db.session() as session:
        video, job = owned_video(session, user_id, video_id)
        if job.status in ("pending", "processing"):
            raise Conflict(f"video {video_id} is {job.status}; edit its scenes when it is not rendering")
        if not 0 <= index < len(video.scenes):
            raise NotFound(f"video {video_id} has no scene {index} (it has {len(video.scenes)})")
        scenes = [dict(s) for s in video.scenes]
        if body.text is not None:
            scenes[index]["text"] = body.text
            scenes[index].pop("duration", None)  # it follows the new voiceover at the next render
        if body.media is not None:
            scenes[index]["media"] = (
                media_path(db, config, user_id, body.media, "media") if body.media else None
            )
        video.scenes = scenes
        return scenes_of(video)[index]


def delete_video(db: Database, user_id: str, video_id: str, storage: Storage | None = None) -> str:
    """Delete the row and its files (objects too, first: the row stays if the store fails);
    refuses while it renders (cancel first)."""
    with db.session() as session:
        video, job = owned_video(session, user_id, video_id)
        if job.status == "processing":
            raise Conflict(f"video {video_id} is rendering; cancel it first (ss video cancel {video_id})")
        output_dir = video.output_dir
        if storage is not None:
            from ..store.objects import output_key

            storage.delete_prefix(output_key(user_id, video_id, ""))
        session.delete(video)
        for old in session.scalars(select(Job).where(Job.video_id == video_id)).all():
            session.delete(old)
    shutil.rmtree(output_dir, ignore_errors=True)
    return output_dir


def _title_from(text: str) -> str:
    from ...common.text import narration_lines

    lines = narration_lines(text)
    first = lines[0] if lines else text.strip()
    words = first.split()
    return " ".join(words[:8]) + ("…" if len(words) > 8 else "")
