"""The media library: a user's images and video clips, stock search results, generated images."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from .common import ListEnvelope

MediaType = Literal["image", "video"]
MediaSource = Literal["upload", "generated", "stock"]
Orientation = Literal["portrait", "landscape", "square"]
MEDIA_ID_PREFIX = "med_"
GENERATED_STYLES = ("gradient", "bokeh", "geometric", "paper")


def is_media_id(value: str) -> bool:
    """Media ids are accepted wherever a media path is; this tells them apart."""
    return value.startswith(MEDIA_ID_PREFIX) and "/" not in value and "\\" not in value


class MediaItem(BaseModel):
    id: str
    type: MediaType
    source: MediaSource
    name: str
    mime_type: str
    size_bytes: int
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    sha256: str
    url: str
    thumbnail_url: str | None = None
    tags: list[str] = Field(default_factory=list)
    author: str | None = None
    licence: str | None = None
    prompt: str | None = None
    style: str | None = None
    created_at: datetime


class MediaList(ListEnvelope):
    media: list[MediaItem]


class StockItem(BaseModel):
    """A search result from a stock provider or the local library; import it to use it in a video."""

    id: str  # "pexels:123", "pixabay:456", "local:<hash>"
    provider: str
    type: MediaType
    title: str
    tags: list[str] = Field(default_factory=list)
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    author: str | None = None
    author_url: str | None = None
    licence: str | None = None
    page_url: str | None = None
    preview_url: str | None = None


class StockResults(ListEnvelope):
    items: list[StockItem]
    warnings: list[str] = Field(default_factory=list)  # a provider that failed, and why


class StockImportRequest(BaseModel):
    id: str = Field(min_length=3, max_length=300)


class GenerateMediaRequest(BaseModel):
    prompt: str = Field(min_length=1, max_length=1000)
    style: str = "gradient"
    width: int = Field(default=1080, ge=64, le=4096)
    height: int = Field(default=1920, ge=64, le=4096)
    provider: str | None = None  # None: the built-in procedural generator


FileUse = Literal["media", "music"]
MAX_MEDIA_CHECK_FILES = 200  # per request: a client checks a large sheet's files in a few requests


class MediaCheckItem(BaseModel):
    value: str = Field(min_length=1, max_length=4096)  # as a video request names it: a path or a media id
    use: FileUse = "media"


class MediaCheckRequest(BaseModel):
    """Files a video request would name, to be checked as its creation would check them."""

    files: list[MediaCheckItem] = Field(min_length=1, max_length=MAX_MEDIA_CHECK_FILES)


class MediaCheckResult(BaseModel):
    value: str
    use: FileUse
    problem: str | None = None  # why a video request naming it would be refused; None: it would not


class MediaCheck(BaseModel):
    results: list[MediaCheckResult]  # one per file asked about, in order
