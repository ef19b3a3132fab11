"""Videos, render jobs, voices and the Socket.IO events of a job (seed: video and voice services)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, model_validator

from .common import ListEnvelope
from .limits import (
    LANGUAGE_PATTERN,
    MAX_MEDIA_FILES,
    MAX_SCRIPT_LENGTH,
    MAX_TITLE_LENGTH,
    MAX_TOPIC_LENGTH,
    MIN_DURATION,
    MIN_TOPIC_LENGTH,
)
from .scripts import GenerateScriptRequest
from .vocabulary import (
    PLATFORMS,
    AspectRatio,
    CaptionStyleName,
    QualityName,
    Tone,
    VideoPlatform,
    VisualsMode,
)

JobStatus = Literal["pending", "processing", "completed", "failed", "cancelled"]
Transition = Literal["none", "fade"]
FINAL_STATUSES = ("completed", "failed", "cancelled")
HEX_COLOUR = r"^#[0-9A-Fa-f]{6}$"


class CaptionOptions(BaseModel):
    style: CaptionStyleName = "word_highlight"
    words_per_line: int = Field(default=4, ge=1, le=12)
    font_size: int | None = Field(default=None, ge=8, le=400)
    primary_colour: str = Field(default="#FFFFFF", pattern=HEX_COLOUR)
    highlight_colour: str = Field(default="#FFD60A", pattern=HEX_COLOUR)
    outline_colour: str = Field(default="#000000", pattern=HEX_COLOUR)
    position: Literal["bottom", "middle", "top"] = "bottom"
    # A family name from GET /fonts (the server's fonts); never a path. None: the default that fits.
    font: str | None = Field(default=None, max_length=300)


class ScriptToWrite(BaseModel):
    """A script the engine writes as the first stage of the video's own job, as `POST /scripts/generate`
    would, in the video's language and for its platform; the video then has the saved script's id."""

    topic: str = Field(min_length=MIN_TOPIC_LENGTH, max_length=MAX_TOPIC_LENGTH)
    tone: Tone = "casual"
    duration: int = Field(default=30, ge=MIN_DURATION, description="Target narration length in seconds.")
    template_id: str | None = None
    variables: dict[str, str] = Field(default_factory=dict)
    provider: str | None = Field(
        default=None,
        description="An LLM provider configured on the server, or 'builtin'; none: the configured chain.",
    )


class GenerateVideoRequest(BaseModel):
    """Exactly one of `script_id` (a saved script), `script` (the text itself) or `write` (a topic:
    the engine writes the script when the video's job starts, its stage "script")."""

    script_id: str | None = None
    script: str | None = Field(default=None, min_length=1, max_length=MAX_SCRIPT_LENGTH)
    write: ScriptToWrite | None = None
    title: str | None = Field(default=None, max_length=MAX_TITLE_LENGTH)
    language: str = Field(default="en", pattern=LANGUAGE_PATTERN)
    voice: str | None = None
    platform: VideoPlatform = "tiktok"
    aspect_ratio: AspectRatio | None = None
    quality: QualityName = "standard"
    captions: CaptionOptions | None = Field(default_factory=CaptionOptions)
    media: list[str] = Field(default_factory=list, max_length=MAX_MEDIA_FILES)
    # For scenes without `media`: where their pictures come from (the seed names it `media_type`).
    visuals: VisualsMode = Field(default="auto", validation_alias=AliasChoices("visuals", "media_type"))
    music: str | None = None
    transition: Transition = "none"

    @model_validator(mode="after")
    def _one_source(self) -> GenerateVideoRequest:
        if sum(source is not None for source in (self.script_id, self.script, self.write)) != 1:
            raise ValueError("give exactly one of script_id, script or write")
        return self

    def script_request(self) -> GenerateScriptRequest | None:
        """What the writer is asked for `write` (None without one): the video's language, and the
        platform whose conventions its script follows. Raises pydantic's `ValidationError` when
        `write` does not fit the platform (a duration it does not allow)."""
        if self.write is None:
            return None
        return GenerateScriptRequest(
            topic=self.write.topic,
            platform=PLATFORMS[self.platform].script_platform,
            language=self.language,
            tone=self.write.tone,
            duration=self.write.duration,
            template_id=self.write.template_id,
            variables=self.write.variables,
            provider=self.write.provider,
        )


class VideoJob(BaseModel):
    job_id: str
    video_id: str
    status: JobStatus


class JobError(BaseModel):
    stage: str
    message: str
    details: str | None = None


VisualSource = Literal["media", "library", "stock", "generated", "none"]


class SceneVisual(BaseModel):
    """What a scene shows and why: the request's own file, a library or stock pick (with the search
    terms that found it and what its licence asks a creator to credit), or a drawn background."""

    source: VisualSource
    reason: str = Field(description="Why this source: the terms that matched, or why none did.")
    query: str | None = Field(default=None, description="The search terms taken from the scene's words.")
    provider: str | None = None
    id: str | None = None
    type: Literal["image", "video"] | None = None
    title: str | None = None
    file: str | None = Field(default=None, description="The file's name (a library or stock file).")
    author: str | None = None
    author_url: str | None = None
    licence: str | None = None
    page_url: str | None = None


class Scene(BaseModel):
    index: int
    text: str
    start: float | None = None
    duration: float | None = None
    media: str | None = None
    visual: SceneVisual | None = Field(default=None, description="Set once the scene has been rendered.")


class SceneList(BaseModel):
    scenes: list[Scene]


class SceneUpdate(BaseModel):
    text: str | None = Field(default=None, min_length=1, max_length=5000)
    media: str | None = None


class Video(BaseModel):
    id: str
    job_id: str
    title: str
    status: JobStatus
    progress: float = Field(ge=0, le=100)
    stage: str | None = None
    message: str | None = None
    error: JobError | None = None
    seq: int = Field(default=0, description="The job's event sequence number at this state.")
    platform: str
    aspect_ratio: str
    quality: str
    language: str
    voice: str
    script_id: str | None = None
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    encoder: str | None = None
    video_url: str | None = None
    thumbnail_url: str | None = None
    captions_url: str | None = None
    sha256: str | None = Field(default=None, description="Of the MP4, once completed: skip what you have.")
    bulk_id: str | None = None
    row_number: int | None = None
    output_name: str | None = None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None


class VideoList(ListEnvelope):
    videos: list[Video]


class FontList(BaseModel):
    """The caption font families a server offers (`captions.font`), its default first."""

    fonts: list[str]
    default: str | None = None


class DownloadUrl(BaseModel):
    """A presigned URL of a finished video's file in object storage: usable without a token."""

    url: str
    expires_at: datetime


def video_urls(video_id: str) -> tuple[str, str]:
    """Where a finished video and its thumbnail are downloaded, relative to the API's origin."""
    base = f"/api/v1/videos/{video_id}"
    return f"{base}/download", f"{base}/thumbnail"
