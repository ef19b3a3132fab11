"""The videos service: accept a render, plan its scenes, and serve its state and files, per owner."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...contract.media import FileUse, MediaCheck, MediaCheckItem, MediaCheckRequest, MediaCheckResult
from ...contract.videos import (
    FINAL_STATUSES,
    FontList,
    GenerateVideoRequest,
    JobError,
    Scene,
    SceneUpdate,
    SceneVisual,
    VideoList,
    video_urls,
)
from ...contract.videos import Video as VideoOut
from ...contract.vocabulary import VIDEO_MAX_SECONDS, VideoPlatform
from ..config import EngineConfig
from ..errors import Conflict, EngineError, Invalid, NotFound, not_found
from ..jobs.tasks import PENDING_SCRIPT
from ..store.db import Database, page_of
from ..store.models import Job, Script, Video
from ..store.models import new_id as new_row_id
from ..store.objects import Storage

if TYPE_CHECKING:
    from ...contract.scripts import GenerateScriptRequest
    from ...contract.videos import CaptionOptions
    from ..render.captions import CaptionStyle
    from ..render.request import RenderRequest, SceneInput


MEDIA_CHECK_WORKERS = 4


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
    """A media or music path the engine may read (`Invalid` naming `field` when it may not)."""
    problem = local_file_problem(value, "music" if field == "music" else "media", config)
    if problem is not None:
        raise Invalid(f"{field}: {problem}", field=field)
    return str(Path(value).expanduser())


def local_file_problem(value: str, use: FileUse, config: EngineConfig) -> str | None:
    """Why the engine cannot use the local file `value` as a scene's media or as music, or None.

    Only where the engine shares the user's disk. The one check of a request's files, made when a
    video or a bulk row is created and when a client asks first (`POST /media/check`, which
    `ss bulk --dry-run` does): media must be an image or a video whose first picture decodes.
    """
    if not config.allow_local_paths:
        return f"this server does not read local paths ({value!r}); upload the file as media first"
    path = Path(value).expanduser()
    if not path.is_absolute():
        return f"{value!r} must be an absolute path"
    if not path.is_file():
        return f"no such file: {value}"
    from ..media.sniff import scene_media_problem
    from ..render.ffmpeg import FFmpegError, probe

    try:
        if use == "media":
            problem = scene_media_problem(path)
            return None if problem is None else f"{value}: {problem}"
        info = probe(path)
    except OSError as exc:
        return f"{value} cannot be read: {exc.strerror or exc}"
    except FFmpegError:
        return f"{value} is not an audio file ffmpeg can read"
    if not info.audio_streams:
        return f"{value} has no audio stream"
    return None


def check_files(db: Database, config: EngineConfig, user_id: str, body: MediaCheckRequest) -> MediaCheck:
    """Every file of `body` checked as a video request's would be, with the same words; nothing kept."""
    from concurrent.futures import ThreadPoolExecutor

    from ..media.library import resolve

    def check(item: MediaCheckItem) -> MediaCheckResult:
        try:
            if item.use == "media" and resolve(db, user_id, item.value, "media") is not None:
                return MediaCheckResult(value=item.value, use=item.use)
        except EngineError as exc:
            return MediaCheckResult(value=item.value, use=item.use, problem=exc.message.partition(": ")[2])
        problem = local_file_problem(item.value, item.use, config)
        return MediaCheckResult(value=item.value, use=item.use, problem=problem)

    # Each check is an ffmpeg process or two: a few at once, not one per file.
    with ThreadPoolExecutor(max_workers=MEDIA_CHECK_WORKERS) as pool:
        return MediaCheck(results=list(pool.map(check, body.files)))


def checked_script_request(data_dir: Path, body: GenerateVideoRequest) -> GenerateScriptRequest:
    """The writer's request for `body.write`, refused now (`Invalid` naming `write.<field>`) for
    anything the writer would refuse later."""
    from pydantic import ValidationError

    from ..writer import BuiltinWriter, WriterError
    from .scripts import choose_writer, writer_request

    try:
        request = body.script_request()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = ".".join(str(part) for part in error["loc"])
        name = name if name in ("language", "platform") else f"write.{name}" if name else "write"
        raise Invalid(f"{name}: {str(error['msg']).removeprefix('Value error, ')}", field=name) from exc
    assert request is not None
    try:
        wanted = writer_request(request)
        writer = choose_writer(
            BuiltinWriter(), data_dir, request.provider, template=request.template_id is not None
        )
    except Invalid as exc:
        name = f"write.{exc.field}" if exc.field else "write"
        raise Invalid(f"{name}: {exc.message}", field=name, details=exc.details) from exc
    if isinstance(writer, BuiltinWriter):
        try:
            writer.check(wanted)
        except WriterError as exc:
            name = "language" if exc.field == "language" else f"write.{exc.field or 'topic'}"
            raise Invalid(f"{name}: {exc}", field=name) from exc
    return request


def pending_script(request: GenerateScriptRequest, title: str | None) -> dict[str, Any]:
    """What a video's spec keeps (under `PENDING_SCRIPT`) until its job writes the script."""
    return {"script": request.model_dump(mode="json"), "title": title}


@dataclass(frozen=True)
class PreparedVideo:
    """A validated render request, ready to be stored: everything but the ids."""

    title: str
    script_id: str | None
    request: RenderRequest  # without scenes: those are stored on their own, to be edited
    scenes: list[SceneInput]
    pending_script: dict[str, Any] | None = None  # a topic: the job writes the script first


def create_video(
    db: Database, config: EngineConfig, user_id: str, body: GenerateVideoRequest
) -> tuple[Video, Job]:
    return insert_video(db, config, user_id, prepare_video(db, config, user_id, body))


def prepare_video(
    db: Database, config: EngineConfig, user_id: str, body: GenerateVideoRequest
) -> PreparedVideo:
    """Validate a render request completely (voice, preset, captions, length, files) without storing it."""
    from ..render.presets import PresetError
    from ..render.request import RenderRequest
    from ..render.voices import VoiceError
    from .voices import voice_for_render

    title, text, script_id = body.title, body.script, body.script_id
    sections: dict[str, Any] | None = None
    pending: dict[str, Any] | None = None
    if script_id is not None:
        with db.session() as session:
            script = session.get(Script, script_id)
            if script is None or script.user_id != user_id:
                raise Invalid(f"script_id: no script {script_id!r}", field="script_id")
            text, title = script.content, title or script.title
            sections = script.sections
    elif body.write is not None:  # written by the video's job, its first stage: checked now
        script_request = checked_script_request(config.data_dir, body)
        pending = pending_script(script_request, title)
        text, title = "", title or script_request.topic
    assert text is not None
    title = title or _title_from(text)
    try:
        voice = voice_for_render(db, user_id, body.language, body.voice)
    except VoiceError as exc:
        raise Invalid(str(exc), field=exc.field) from exc
    if pending is None:
        check_length(text, body.language, body.platform)
    media = [media_path(db, config, user_id, item, f"media[{i}]") for i, item in enumerate(body.media)]
    music = check_local_file(body.music, "music", config) if body.music else None
    try:
        request = RenderRequest(
            title=title,
            script=text,
            language=body.language,
            # A custom voice is resolved now: the render needs no voice row, even if it is deleted.
            voice=voice if voice.style == "custom" else voice.id,
            platform=body.platform,
            aspect_ratio=body.aspect_ratio,
            quality=body.quality,
            captions=_caption_style(body.captions),
            media=tuple(Path(m) for m in media),
            visuals=body.visuals,
            music=Path(music) if music else None,
            transition=body.transition,
        )
        preset = request.preset()
    except PresetError as exc:
        raise Invalid(str(exc), field=exc.field) from exc
    request = request.model_copy(update={"aspect_ratio": preset.aspect_ratio})
    if pending is not None:  # scenes are planned when the script is written
        return PreparedVideo(title=title, script_id=None, request=request, scenes=[], pending_script=pending)
    scenes = script_scenes(text, body.language, request.media, sections)
    return PreparedVideo(title=title, script_id=script_id, request=request, scenes=scenes)


def check_length(text: str, language: str, platform: VideoPlatform) -> None:
    """`Invalid` for a script whose narration is longer than the platform allows."""
    from ..writer import estimate_narration_seconds

    limit = VIDEO_MAX_SECONDS[platform]
    estimate = estimate_narration_seconds(text, language)
    if estimate > limit:
        raise Invalid(
            f"script: about {estimate:.0f} s of narration, over the {limit} s maximum for {platform}",
            field="script",
            details={"estimated_seconds": round(estimate, 1), "max_seconds": limit},
        )


def script_scenes(
    text: str, language: str, media: Sequence[Path], sections: dict[str, Any] | None
) -> list[SceneInput]:
    """A script's scenes, with the writer's visual hints; `Invalid` when there is nothing to narrate."""
    from ..render.pipeline import plan_scenes

    scenes = with_visual_hints(plan_scenes(text, language, media), sections)
    if not scenes:
        raise Invalid("script: nothing to narrate (only headings, hashtags or blank lines)", field="script")
    return scenes


def with_visual_hints(scenes: list[SceneInput], sections: dict[str, Any] | None) -> list[SceneInput]:
    """Scenes given what the writer said to show in the section each one narrates (an LLM's script
    has a visual description per hook, point and call to action); unchanged without them."""
    hints = (sections or {}).get("visual_hints") or []
    if not sections or not any(hints):
        return scenes
    parts = [sections.get("hook", ""), *sections.get("points", []), sections.get("call_to_action", "")]
    flat = [" ".join(str(part).split()) for part in parts]
    hinted = []
    for scene in scenes:
        opening = " ".join(scene.text.split())[:60]
        hint = next((h for part, h in zip(flat, hints, strict=False) if h and opening in part), None)
        hinted.append(dataclasses.replace(scene, hint=hint) if hint else scene)
    return hinted


def offered_fonts() -> FontList:
    """The caption font families this server offers, the default first."""
    from ..render.fonts import offered_families

    families = list(offered_families())
    return FontList(fonts=families, default=families[0] if families else None)


def caption_font_family(font: str) -> str:
    """The offered family `font` names; `Invalid` on captions.font for a path or an unknown name.

    The error lists a few families, never the server's folders or files.
    """
    from ..render.fonts import FontNotFoundError, offered_family

    try:
        return offered_family(font)
    except FontNotFoundError as exc:
        raise Invalid(
            f"captions.font: {exc}", field="captions.font", details={"fonts": list(exc.examples)}
        ) from exc


def _caption_style(options: CaptionOptions | None) -> CaptionStyle | None:
    from ..render.captions import CaptionStyle

    if options is None:
        return None
    font = caption_font_family(options.font) if options.font is not None and options.font.strip() else None
    try:
        return CaptionStyle(
            name=options.style,
            words_per_line=options.words_per_line,
            font_size=options.font_size,
            primary_colour=options.primary_colour,
            highlight_colour=options.highlight_colour,
            outline_colour=options.outline_colour,
            position=options.position,
            font=font,
        )
    except (TypeError, ValueError) as exc:
        raise Invalid(f"captions: {exc}", field="captions") from exc


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
    request = prepared.request
    voice = request.voice
    with db.session() as session:
        video = Video(
            id=video_id,
            user_id=user_id,
            job_id=job_id,
            title=prepared.title,
            script_id=prepared.script_id,
            platform=request.platform,
            aspect_ratio=request.aspect_ratio,
            quality=request.quality,
            language=request.language,
            voice=voice if isinstance(voice, str) else voice.id if voice else "",
            spec={
                **request.model_dump(mode="json", exclude={"scenes"}),
                **({PENDING_SCRIPT: prepared.pending_script} if prepared.pending_script else {}),
            },
            scenes=[
                {"text": s.text, "media": str(s.media) if s.media else None, "hint": s.hint}
                for s in prepared.scenes
            ],
            output_dir=str(config.data_dir / "videos" / user_id / video_id),
            bulk_id=bulk_id,
            row_key=row_key,
            row_number=row_number,
            output_name=output_name,
        )
        job = Job(id=job_id, user_id=user_id, video_id=video_id, status="pending", message="queued")
        session.add_all([video, job])
    return video, job


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
    """The scenes as the API shows them (a picked file's `path` on the server stays out: `file` names it)."""
    return [
        Scene(
            index=i,
            text=s["text"],
            start=s.get("start"),
            duration=s.get("duration"),
            media=s.get("media"),
            visual=SceneVisual.model_validate(s["visual"]) if s.get("visual") else None,
        )
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
            scenes[index].pop("visual", None)  # new words: the next render picks for them
        if body.media is not None:
            scenes[index]["media"] = (
                media_path(db, config, user_id, body.media, "media") if body.media else None
            )
            scenes[index].pop("visual", None)
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
