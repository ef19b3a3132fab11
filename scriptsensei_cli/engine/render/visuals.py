"""Scene visuals: user media, a file picked for the scene, or a background generated from its text.

Which file a scene without media shows is the picker's business (`VisualPicker`, given to the render
by the job: the media layer searches the user's library and stock sources); the render only draws
what it is handed, and a scene the picker leaves empty gets a generated background.

Generated backgrounds are soft gradients with out-of-focus light blobs, their palette and layout
seeded from the text, so every scene differs and the same script always looks the same. They are
drawn once (numpy, at half size) and moved by the encoder, never redrawn per frame.

A visual carries its colour as its file states it (`colour.SourceColour`), which the render and the
thumbnail convert to their own (`colour.py`).
"""

from __future__ import annotations

import colorsys
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ...common.atomic import atomic_write
from .colour import SRGB, SourceColour

if TYPE_CHECKING:
    from .request import SceneInput

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff", ".ppm"}
VIDEO_SUFFIXES = {".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi"}


@dataclass(frozen=True)
class Visual:
    path: Path
    kind: str  # "image" (a still, moved with a pan) or "video" (trimmed, slowed or looped to the scene)
    colour: SourceColour
    focus: tuple[float, float] = (0.5, 0.5)  # the subject, as fractions of width and height: crops keep it
    duration: float | None = None  # a clip's length


@dataclass(frozen=True)
class ScenePick:
    """What the picker chose for one scene: a file (None: draw a background) and the scene's `visual`
    record (the contract's `SceneVisual`, plus the file's `path` for the next render)."""

    path: Path | None
    record: dict[str, Any]


class VisualPicker(Protocol):
    """Chooses a picture for each scene without media; None where the render decides (media, drawn)."""

    def __call__(self, scenes: Sequence[SceneInput], orientation: str) -> list[ScenePick | None]: ...


def media_visual(path: Path, focus_cache: Path | None = None) -> Visual:
    """A user's picture or clip, probed once: its colour, "image" or "video" by its name or, for a name
    that does not say, by its content (an animated GIF is an image here), and where its subject is."""
    from .ffmpeg import probe
    from .focus import focus_point

    info = probe(path)
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        kind = "image"
    elif suffix in VIDEO_SUFFIXES:
        kind = "video"
    else:
        kind = "video" if info.duration and info.duration > 0.2 and info.video_streams else "image"
    duration = info.duration if kind == "video" else None
    colour = SourceColour.of(info)
    return Visual(path, kind, colour, focus_point(path, focus_cache, colour), duration)


def plain_background(width: int, height: int, directory: Path) -> Visual:
    """A near-black still (`visuals: none`): the captions and voice carry the video."""
    path = directory / f"plain-{width}x{height}.ppm"
    if not path.exists():
        w, h = max(width // 8, 2), max(height // 8, 2)
        with atomic_write(path, "wb") as out:
            out.write(f"P6\n{w} {h}\n255\n".encode())
            out.write(bytes((17, 17, 20)) * (w * h))
    return Visual(path, "image", SRGB)


def generated_background(text: str, width: int, height: int, directory: Path) -> Visual:
    """A still for `text` at the frame's aspect ratio (half resolution: it is soft by design), in sRGB."""
    import numpy as np

    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
    path = directory / f"bg-{seed:016x}-{width}x{height}.ppm"
    if path.exists():
        return Visual(path, "image", SRGB)
    rng = np.random.default_rng(seed)
    w, h = max(width // 2, 16), max(height // 2, 16)
    hue = rng.random()
    top = np.array(colorsys.hsv_to_rgb(hue, 0.65, 0.55))
    bottom = np.array(colorsys.hsv_to_rgb((hue + 0.12 + 0.2 * rng.random()) % 1, 0.75, 0.22))
    angle = rng.uniform(0, np.pi)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    ramp = (np.cos(angle) * xs / w + np.sin(angle) * ys / h + 1) / 2
    image = top * (1 - ramp[..., None]) + bottom * ramp[..., None]
    for _ in range(int(rng.integers(5, 9))):
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        radius = rng.uniform(0.12, 0.35) * min(w, h)
        glow = np.exp(-(((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * radius**2)))
        colour = np.array(colorsys.hsv_to_rgb((hue + rng.uniform(-0.15, 0.25)) % 1, 0.5, 1.0))
        image += glow[..., None] * colour * rng.uniform(0.12, 0.3)
    pixels = (np.clip(image, 0, 1) * 255).astype(np.uint8)
    # Two renders of the same scene text may draw this background at once: each writes its own file.
    with atomic_write(path, "wb") as out:
        out.write(f"P6\n{w} {h}\n255\n".encode())
        out.write(pixels.tobytes())
    return Visual(path, "image", SRGB)
