"""Output presets: frame size per platform or aspect ratio, and encoder settings per quality."""

from __future__ import annotations

from dataclasses import dataclass

from ...contract.vocabulary import FRAME_SIZES, PLATFORMS, names

FPS = 30


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


class PresetError(ValueError):
    """A platform, aspect ratio or quality this engine does not know; `field` names which."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def output_preset(platform: str, aspect_ratio: str | None, quality: str) -> OutputPreset:
    """The frame and encoder settings for a render (the platform's own frame unless `aspect_ratio`)."""
    spec = PLATFORMS.get(platform)
    if spec is None:
        raise PresetError("platform", f"unknown platform {platform!r}; platforms: {names(PLATFORMS)}")
    aspect = aspect_ratio or spec.aspect_ratio
    if aspect not in FRAME_SIZES:
        raise PresetError(
            "aspect_ratio", f"unknown aspect ratio {aspect!r}; aspect ratios: {names(FRAME_SIZES)}"
        )
    if quality not in QUALITIES:
        raise PresetError("quality", f"unknown quality {quality!r}; qualities: {', '.join(QUALITIES)}")
    chosen = QUALITIES[quality]
    width, height = FRAME_SIZES[aspect]
    # Even dimensions: yuv420p needs them.
    return OutputPreset(
        aspect, int(width * chosen.scale) // 2 * 2, int(height * chosen.scale) // 2 * 2, chosen
    )
