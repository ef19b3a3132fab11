"""The API's vocabulary: the platforms a video is made for and every fact about them (one table that
help texts, request validation, the bulk checker, the writer and the render presets all read), the
networks analytics and trends come from, and the date ranges they are asked for.

    >>> PLATFORMS["instagram_stories"].aspect_ratio, PLATFORMS["instagram_stories"].script_platform
    ('9:16', 'instagram_reels')
    >>> FRAME_SIZES[PLATFORMS["youtube"].aspect_ratio]
    (1920, 1080)

Pure data, no pydantic: the CLI reads it for `--help` without loading the models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from .limits import MIN_DURATION

# The typing view of the table below; tests/contract keeps each Literal equal to its table.
VideoPlatform = Literal[
    "tiktok",
    "youtube_shorts",
    "instagram_reels",
    "instagram_stories",
    "facebook_reels",
    "youtube",
    "facebook",
    "linkedin",
]
Platform = Literal["tiktok", "youtube_shorts", "instagram_reels", "facebook_reels", "youtube", "linkedin"]
AspectRatio = Literal["9:16", "16:9", "1:1", "4:5"]

# Full-size frames per aspect ratio; a quality scales them (draft: a quarter).
FRAME_SIZES: dict[str, tuple[int, int]] = {
    "9:16": (1080, 1920),
    "16:9": (1920, 1080),
    "1:1": (1080, 1080),
    "4:5": (1080, 1350),
}


@dataclass(frozen=True)
class PlatformSpec:
    name: str
    label: str
    aspect_ratio: str  # the frame a video for it gets unless the request names another
    short_form: bool
    min_duration: int  # a script's length, in seconds of narration
    max_duration: int
    max_video_seconds: int  # the longest narration a video for it may have
    hashtag_count: int
    script_platform: Platform  # whose writing conventions a script for it follows: itself, or a sibling
    network: str  # where it is published, as analytics and trends name it

    @property
    def writes_scripts(self) -> bool:
        return self.script_platform == self.name


def _spec(
    name: str,
    label: str,
    aspect_ratio: str,
    max_duration: int,
    hashtag_count: int,
    *,
    max_video_seconds: int | None = None,
    script_platform: str | None = None,
) -> PlatformSpec:
    network = name.split("_")[0]
    # Short-form platforms take 15-180 s scripts (the seed's validation rule); long-form ones allow more.
    return PlatformSpec(
        name=name,
        label=label,
        aspect_ratio=aspect_ratio,
        short_form=aspect_ratio == "9:16",
        min_duration=MIN_DURATION,
        max_duration=max_duration,
        max_video_seconds=max_video_seconds or max_duration,
        hashtag_count=hashtag_count,
        script_platform=cast(Platform, script_platform or name),
        network=network,
    )


PLATFORMS: dict[str, PlatformSpec] = {
    spec.name: spec
    for spec in (
        _spec("tiktok", "TikTok", "9:16", 180, 5),
        _spec("youtube_shorts", "YouTube Shorts", "9:16", 180, 3),
        _spec("instagram_reels", "Instagram Reels", "9:16", 180, 8),
        # Stories are Reels-style writing in at most a minute.
        _spec(
            "instagram_stories",
            "Instagram Stories",
            "9:16",
            60,
            8,
            script_platform="instagram_reels",
        ),
        _spec("facebook_reels", "Facebook Reels", "9:16", 180, 3),
        _spec("youtube", "YouTube", "16:9", 1800, 3),
        # A Facebook feed video is long-form landscape writing, as on YouTube.
        _spec("facebook", "Facebook", "16:9", 1800, 3, script_platform="youtube"),
        _spec("linkedin", "LinkedIn", "16:9", 600, 3),
    )
}
SCRIPT_PLATFORMS: dict[str, PlatformSpec] = {n: s for n, s in PLATFORMS.items() if s.writes_scripts}
VIDEO_MAX_SECONDS: dict[str, int] = {name: spec.max_video_seconds for name, spec in PLATFORMS.items()}


# Render settings: `draft` is a quarter-size preview; caption styles as libass draws them.
QualityName = Literal["draft", "720p", "standard", "high"]
QUALITY_NAMES: tuple[str, ...] = ("draft", "720p", "standard", "high")
CaptionStyleName = Literal["standard", "karaoke", "word_highlight"]
CAPTION_STYLES: tuple[CaptionStyleName, ...] = ("standard", "karaoke", "word_highlight")
# Where a scene's picture comes from when the request names no media (the seed's `media_type`): `auto`
# tries the user's media library, then the stock sources, then draws a background; the others insist.
VisualsMode = Literal["auto", "library", "stock", "generated", "none"]
VISUALS_MODES: tuple[str, ...] = ("auto", "library", "stock", "generated", "none")

# How a script sounds; the writer has phrasing for each.
Tone = Literal["casual", "professional", "educational", "entertaining", "inspirational", "humorous"]
TONES: tuple[str, ...] = (
    "casual",
    "professional",
    "educational",
    "entertaining",
    "inspirational",
    "humorous",
)

# Where analytics and trends come from: a network as a whole, not a format on it (youtube_shorts → youtube).
NETWORKS: tuple[str, ...] = ("youtube", "tiktok", "instagram", "facebook", "linkedin", "x")
# The script platform a network suggests (its first, short-form format): trends → `ss script generate`.
NETWORK_SCRIPT_PLATFORM: dict[str, str] = {}
for _spec_ in SCRIPT_PLATFORMS.values():
    NETWORK_SCRIPT_PLATFORM.setdefault(_spec_.network, _spec_.name)
del _spec_

# `ss analytics`: the periods an overview or export covers; `ss trends`: how far back a trend looks.
DateRange = Literal["24h", "7d", "30d", "90d", "1y", "all"]
DATE_RANGES: tuple[str, ...] = ("24h", "7d", "30d", "90d", "1y", "all")
TimeRange = Literal["24h", "7d", "30d"]
TIME_RANGES: tuple[str, ...] = ("24h", "7d", "30d")
# `ss analytics import`: whose export a file is; `ss analytics export`: the file it writes.
ImportSource = Literal["youtube", "tiktok", "instagram", "generic"]
IMPORT_SOURCES: tuple[str, ...] = ("youtube", "tiktok", "instagram", "generic")
ExportFormat = Literal["csv", "json", "ndjson"]
EXPORT_FORMATS: tuple[str, ...] = ("csv", "json", "ndjson")


def names(table: dict[str, PlatformSpec] | dict[str, tuple[int, int]]) -> str:
    """`tiktok, youtube_shorts, …`: for help texts and error messages."""
    return ", ".join(table)
