"""Content analysis and import (seed: content service).

`POST /content/analyze` scores any text with the writer's own scorer. `POST /content/import/file`
(multipart) and `POST /content/import/url` turn a document into a saved script and answer with the
same `Script` the scripts API returns; when the document had to be condensed to fit the platform,
the `X-Import-Note` header says so in a sentence.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from .scripts import LanguageCode, QualityScores
from .vocabulary import PLATFORMS, Platform

IMPORT_NOTE_HEADER = "X-Import-Note"
MAX_CONTENT_CHARS = 100_000
# Kinds of documents an import reads, judged by their content (never by a file name or extension).
DOCUMENT_KINDS = ("text", "markdown", "html", "pdf", "docx")


class AnalyzeRequest(BaseModel):
    """Text to score. Markdown headings, a `Title:` line and hashtag lines are recognised as such."""

    content: str = Field(min_length=1, max_length=MAX_CONTENT_CHARS)
    title: str | None = Field(default=None, max_length=300, description="Default: the text's own title.")
    hashtags: list[str] | None = Field(default=None, description="Default: the hashtags in the text.")
    topic: str | None = Field(
        default=None, max_length=300, description="What the script is about; default: its title."
    )
    platform: Platform = "tiktok"
    language: LanguageCode = "en"
    duration: int | None = Field(
        default=None,
        ge=1,
        le=3600,
        description="Target seconds; default: the narration's own length within the platform's limits.",
    )


class ContentAnalysis(BaseModel):
    """The scores of a text, and what they were measured against."""

    scores: QualityScores
    title: str
    topic: str
    hashtags: list[str]
    platform: Platform
    language: str
    word_count: int
    sentence_count: int
    estimated_seconds: float
    target_seconds: int
    max_seconds: int = Field(description="The longest narration the platform takes.")
    fits_platform: bool


class ImportOptions(BaseModel):
    """How an imported document becomes a script (multipart text fields, or the URL request's body)."""

    platform: Platform = "tiktok"
    language: LanguageCode | None = Field(
        default=None, description="Default: the document's declared language, else en."
    )
    title: str | None = Field(default=None, min_length=1, max_length=300)
    max_seconds: int | None = Field(
        default=None,
        description="Longest narration to keep; default: the platform's maximum. Longer documents are "
        "condensed at sentence boundaries.",
    )

    @field_validator("max_seconds")
    @classmethod
    def _fits_platform(cls, value: int | None, info: ValidationInfo) -> int | None:
        spec = PLATFORMS.get(info.data.get("platform", "tiktok"))
        if value is not None and spec is not None and not spec.min_duration <= value <= spec.max_duration:
            raise ValueError(
                f"must be between {spec.min_duration} and {spec.max_duration} seconds for {spec.label}"
            )
        return value


class ImportUrlRequest(ImportOptions):
    url: str = Field(min_length=1, max_length=2048, examples=["https://example.com/blog/post"])
