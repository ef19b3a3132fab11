"""Scripts and templates (seed: content service)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, ValidationInfo, field_validator

from .common import ListEnvelope
from .limits import (
    LANGUAGE_PATTERN,
    MAX_SCRIPT_CONTENT_LENGTH,
    MAX_TITLE_LENGTH,
    MAX_TOPIC_LENGTH,
    MIN_TOPIC_LENGTH,
)
from .vocabulary import PLATFORMS, Platform, Tone

LanguageCode = Annotated[str, Field(pattern=LANGUAGE_PATTERN, examples=["en", "es", "pt-BR"])]


def _not_blank(text: str) -> str:
    """Surrounding whitespace goes; what is left must be something (the engine reads paragraphs)."""
    stripped = text.strip()
    if not stripped:
        raise ValueError("must not be blank (only whitespace)")
    return stripped


# A script's text, as sent to be saved: stripped, then at least one character.
ScriptText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_SCRIPT_CONTENT_LENGTH,
        json_schema_extra={"pattern": r"\S"},
        description="The script's text; surrounding whitespace is dropped, and blank text is refused.",
    ),
    AfterValidator(_not_blank),
]

# The `provider` of a script the engine's built-in offline writer wrote (no LLM).
BUILTIN_PROVIDER = "builtin"


class GenerateScriptRequest(BaseModel):
    topic: str = Field(min_length=MIN_TOPIC_LENGTH, max_length=MAX_TOPIC_LENGTH)
    platform: Platform = "tiktok"
    language: LanguageCode = "en"
    tone: Tone = "casual"
    duration: int = Field(default=60, description="Target narration length in seconds.")
    template_id: str | None = None
    variables: dict[str, str] = Field(default_factory=dict)
    provider: str | None = Field(
        default=None,
        description="An LLM provider configured on the server, or 'builtin'; none: the configured chain.",
    )
    fresh: bool = Field(default=False, description="Ask the provider again even if this request is cached.")

    @field_validator("topic")
    @classmethod
    def _topic_has_words(cls, value: str) -> str:
        value = " ".join(value.split())
        if len(value) < MIN_TOPIC_LENGTH:
            raise ValueError(f"must be at least {MIN_TOPIC_LENGTH} characters")
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
    visual_hints: list[str] = Field(
        default_factory=list, description="What to show during the hook, each point and the CTA."
    )


class Generation(BaseModel):
    """How an LLM wrote a script: token counts, the cost estimate, and providers that failed first."""

    tokens_in: int | None = None
    tokens_out: int | None = None
    cost_usd: float | None = None
    cached: bool = False
    fallbacks: list[str] = Field(default_factory=list)


class QualityScores(BaseModel):
    """0-100 each; `overall` weighs the others (and how close the narration is to its target
    length). Suggestions say what would raise the lowest. `ss help scores` documents each one."""

    hook: int = Field(ge=0, le=100)
    engagement: int = Field(ge=0, le=100)
    seo: int = Field(ge=0, le=100)
    readability: int = Field(ge=0, le=100)
    specificity: int | None = Field(
        default=None,
        ge=0,
        le=100,
        description="Substance: concrete details and the topic's own words, less stock lines, "
        "repetition and off-topic text. Null only from a server that predates it.",
    )
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
    generation: Generation | None = None
    translated_from: str | None = None
    template_id: str | None = None
    created_at: datetime
    updated_at: datetime

    @property
    def builtin_draft(self) -> bool:
        """Composed by the built-in offline writer from its phrase banks: the form of a script with no
        facts about the topic. (A filled-in template is the template's text, and an LLM's is its own.)"""
        return self.provider == BUILTIN_PROVIDER and self.template_id is None


class ScriptUpdate(BaseModel):
    """Fields a user may edit; derived fields (word count, timing, scores) are recomputed."""

    title: str | None = Field(default=None, min_length=1, max_length=MAX_TITLE_LENGTH)
    content: ScriptText | None = None
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

    `delta` events carry text as it is written; `restart` says to discard the text shown so far (a
    provider failed mid-answer and the next one, or a repair, starts over); the stream ends with
    exactly one `done` (the saved script) or one `error` (nothing saved).
    """

    type: Literal["delta", "restart", "done", "error"]
    text: str | None = None
    script: Script | None = None
    error: str | None = None
    message: str | None = None


class ScriptCreate(BaseModel):
    """A script written elsewhere, saved as it is (then scored, and translatable)."""

    content: ScriptText
    title: str | None = Field(default=None, max_length=MAX_TITLE_LENGTH)
    topic: str | None = Field(default=None, max_length=MAX_TITLE_LENGTH)
    platform: Platform = "tiktok"
    language: LanguageCode = "en"
    tone: Tone = "casual"
    hashtags: list[str] = Field(default_factory=list)


class TranslateRequest(BaseModel):
    language: LanguageCode
    provider: str | None = None
    fresh: bool = False


class ProviderStatus(BaseModel):
    """An LLM provider as the engine sees it; the key itself is never shown, only whether it is set."""

    name: str
    kind: str
    model: str | None
    base_url: str
    key_set: bool
    usable: bool
    problem: str | None = None  # why it cannot be used, or what the reachability check found
    reachable: bool | None = None  # None: not checked


class ProviderList(BaseModel):
    providers: list[ProviderStatus]
    chain: list[str]  # the fallback order used when a request names no provider
