"""Scripts and templates (seed: content service)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from .common import ListEnvelope
from .platforms import PLATFORMS, Platform

Tone = Literal["casual", "professional", "educational", "entertaining", "inspirational", "humorous"]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$", examples=["en", "es", "pt-BR"])]

TOPIC_MIN_LENGTH = 3


class GenerateScriptRequest(BaseModel):
    topic: str = Field(min_length=TOPIC_MIN_LENGTH, max_length=300)
    platform: Platform = "tiktok"
    language: LanguageCode = "en"
    tone: Tone = "casual"
    duration: int = Field(default=60, description="Target narration length in seconds.")
    template_id: str | None = None
    variables: dict[str, str] = Field(default_factory=dict)

    @field_validator("topic")
    @classmethod
    def _topic_has_words(cls, value: str) -> str:
        value = " ".join(value.split())
        if len(value) < TOPIC_MIN_LENGTH:
            raise ValueError(f"must be at least {TOPIC_MIN_LENGTH} characters")
        return value

    @field_validator("duration")
    @classmethod
    def _duration_fits_platform(cls, value: int, info: ValidationInfo) -> int:
        spec = PLATFORMS.get(info.data.get("platform", "tiktok"))
        if spec is not None and not spec.min_duration <= value <= spec.max_duration:
            raise ValueError(
                f"must be between {spec.min_duration} and {spec.max_duration} seconds for {spec.label}"
            )
        return value


class ScriptSections(BaseModel):
    hook: str
    points: list[str]
    call_to_action: str


class QualityScores(BaseModel):
    """0-100 each; `overall` weighs the others. Suggestions say what would raise the lowest."""

    hook: int = Field(ge=0, le=100)
    engagement: int = Field(ge=0, le=100)
    seo: int = Field(ge=0, le=100)
    readability: int = Field(ge=0, le=100)
    overall: int = Field(ge=0, le=100)
    suggestions: list[str] = Field(default_factory=list)


class Script(BaseModel):
    id: str
    title: str
    topic: str
    content: str
    sections: ScriptSections
    hashtags: list[str]
    platform: Platform
    language: str
    tone: Tone
    duration: int
    word_count: int
    estimated_seconds: float
    scores: QualityScores
    provider: str
    model: str | None = None
    template_id: str | None = None
    created_at: datetime
    updated_at: datetime


class ScriptUpdate(BaseModel):
    """Fields a user may edit; derived fields (word count, timing, scores) are recomputed."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    content: str | None = Field(default=None, min_length=1, max_length=100_000)
    hashtags: list[str] | None = None
    tone: Tone | None = None


class ScriptList(ListEnvelope):
    scripts: list[Script]


class Template(BaseModel):
    id: str
    name: str
    description: str
    category: str
    content: str = Field(description="Script text with {{variable}} placeholders; {{topic}} is always known.")
    variables: list[str]
    builtin: bool = True


class TemplateList(ListEnvelope):
    templates: list[Template]


class ScriptStreamEvent(BaseModel):
    """One line of the NDJSON stream of `POST /scripts/generate/stream`.

    `delta` events carry text as it is written; the stream ends with exactly one `done` (the saved
    script) or one `error` (nothing saved).
    """

    type: Literal["delta", "done", "error"]
    text: str | None = None
    script: Script | None = None
    error: str | None = None
    message: str | None = None
