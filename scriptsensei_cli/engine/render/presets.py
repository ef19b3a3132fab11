"""Output presets: frame size per platform or aspect ratio, and encoder settings per quality."""

from __future__ import annotations

from dataclasses import dataclass

FPS = 30

# DESIGN.md §4: short-form platforms are 9:16; YouTube and Facebook feeds 16:9.
PLATFORM_ASPECT = {
    "tiktok": "9:16",
    "youtube_shorts": "9:16",
    "instagram_reels": "9:16",
    "instagram_stories": "9:16",
    "facebook_reels": "9:16",
    "youtube": "16:9",
    "facebook": "16:9",
    "linkedin": "16:9",
}
ASPECT_SIZE = {"9:16": (1080, 1920), "16:9": (1920, 1080), "1:1": (1080, 1080), "4:5": (1080, 1350)}


@dataclass(frozen=True)
class Quality:
    name: str
    scale: float  # of the platform's frame size: draft renders small, fast previews
    x264_preset: str
    crf: int
    audio_bitrate: str


# `standard` favours speed (x264 ultrafast, at least 2x realtime for 1080x1920 on two cores) and pays
# for it in file size (about 4 Mbit/s); platforms re-encode uploads anyway. `high` is the archive
# master: slower, smaller, better compressed.
QUALITIES = {
    quality.name: quality
    for quality in (
        Quality("draft", 0.25, "ultrafast", 30, "96k"),
        Quality("720p", 2 / 3, "ultrafast", 22, "128k"),  # 720x1280: a lighter upload, half the pixels
        Quality("standard", 1.0, "ultrafast", 21, "128k"),
        Quality("high", 1.0, "medium", 19, "192k"),
    )
}


@dataclass(frozen=True)
class OutputPreset:
    aspect_ratio: str
    width: int
    height: int
    quality: Quality
    fps: int = FPS

    @property
    def portrait(self) -> bool:
        return self.height > self.width


def output_preset(platform: str, aspect_ratio: str | None, quality: str) -> OutputPreset:
    """The frame and encoder settings for a render; raises ValueError naming the bad field."""
    aspect = aspect_ratio or PLATFORM_ASPECT.get(platform)
    if aspect is None:
        raise ValueError(f"platform: unknown platform {platform!r}; platforms: {', '.join(PLATFORM_ASPECT)}")
    if aspect not in ASPECT_SIZE:
        raise ValueError(
            f"aspect_ratio: unknown aspect ratio {aspect!r}; aspect ratios: {', '.join(ASPECT_SIZE)}"
        )
    if quality not in QUALITIES:
        raise ValueError(f"quality: unknown quality {quality!r}; qualities: {', '.join(QUALITIES)}")
    chosen = QUALITIES[quality]
    width, height = ASPECT_SIZE[aspect]
    # Even dimensions: yuv420p needs them.
    return OutputPreset(
        aspect, int(width * chosen.scale) // 2 * 2, int(height * chosen.scale) // 2 * 2, chosen
    )
