"""Generated ("AI") images: procedural backgrounds built in, an image generation service when keyed.

The built-in styles need no network and no model: they are drawn with numpy from seeds hashed from
the prompt, so the same prompt, style and size always give the same PNG, byte for byte, and different
prompts give visibly different pictures. Colour words in the prompt ("sunset", "ocean", "forest",
"red", "night", "pastel") choose the hues and mood; the hash chooses the rest.

    generate_image("calm ocean at sunset", "bokeh", 1080, 1920, out_dir / "bg.png")

Drawing happens at a reduced size (the styles are soft by design) and ffmpeg scales the picture to
the requested size while it encodes the PNG, which keeps a 1080x1920 image well under a second.

An `ImageProvider` is a remote service for the same job; `OpenAIImageProvider` speaks the
OpenAI-compatible `POST /v1/images/generations` API and crops its fixed sizes to the requested one.
"""

from __future__ import annotations

import base64
import colorsys
import hashlib
import math
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable
from urllib.parse import urlsplit

import httpx

from scriptsensei_cli.common.atomic import atomic_path
from scriptsensei_cli.engine.config import ENV_PREFIX, EngineConfig
from scriptsensei_cli.engine.outbound import USER_AGENT, ProviderError, RemoteService, json_object
from scriptsensei_cli.engine.render import ffmpeg, load_numeric

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Image = NDArray[np.float32]  # (height, width, 3), channels in 0..1
    Generator = np.random.Generator

STYLES = ("gradient", "bokeh", "geometric", "paper")
MIN_SIDE = 64
MAX_SIDE = 4096
# The long side the numpy drawing is done at; ffmpeg scales the result to the requested size.
WORK_SIDE = 960

RGB = tuple[float, float, float]

# fmt: off
# Hues (0..1 around the colour wheel) named by words people put in prompts.
COLOUR_WORDS: dict[str, float] = {
    "red": 0.0, "crimson": 0.97, "scarlet": 0.99, "cherry": 0.97, "wine": 0.95, "rose": 0.94,
    "pink": 0.92, "berry": 0.9, "magenta": 0.85, "purple": 0.78, "violet": 0.76, "galaxy": 0.75,
    "lavender": 0.72, "indigo": 0.68, "space": 0.67, "navy": 0.63, "blue": 0.61, "sky": 0.57,
    "ocean": 0.55, "water": 0.55, "ice": 0.53, "sea": 0.52, "cyan": 0.5, "aqua": 0.49, "teal": 0.48,
    "turquoise": 0.47, "mint": 0.42, "green": 0.33, "jungle": 0.31, "forest": 0.3, "leaf": 0.28,
    "grass": 0.27, "spring": 0.25, "lime": 0.22, "olive": 0.18, "yellow": 0.15, "lemon": 0.15,
    "gold": 0.13, "golden": 0.13, "sun": 0.12, "sunny": 0.12, "sand": 0.1, "amber": 0.1,
    "desert": 0.09, "orange": 0.07, "autumn": 0.07, "brown": 0.07, "coffee": 0.07, "sunrise": 0.06,
    "sunset": 0.04, "fire": 0.03, "flame": 0.03, "coral": 0.02,
}
# Words that set the mood: (saturation factor, brightness factor).
MOOD_WORDS: dict[str, tuple[float, float]] = {
    "night": (0.9, 0.45), "dark": (1.0, 0.5), "black": (0.8, 0.35), "midnight": (0.9, 0.4),
    "moody": (0.8, 0.6), "brown": (0.9, 0.6), "coffee": (0.8, 0.5), "pastel": (0.45, 1.15),
    "soft": (0.6, 1.05), "calm": (0.7, 1.0), "muted": (0.5, 0.9), "white": (0.2, 1.25),
    "snow": (0.25, 1.25), "grey": (0.12, 1.0), "gray": (0.12, 1.0), "monochrome": (0.05, 1.0),
    "neon": (1.3, 1.1), "vivid": (1.25, 1.05), "bright": (1.0, 1.2), "light": (0.8, 1.2),
}
# fmt: on

STYLE_HINTS = {
    "gradient": "a smooth abstract colour gradient",
    "bokeh": "soft out-of-focus bokeh lights",
    "geometric": "flat layered geometric shapes, minimal",
    "paper": "textured paper with subtle fibres",
}


# ----------------------------------------------------------------------------------------- palette


@dataclass(frozen=True)
class Palette:
    """Four colours to draw with (darkest first) and an accent from the other side of the wheel."""

    colours: tuple[RGB, ...]
    accent: RGB
    hue: float


def normalise_prompt(prompt: str) -> str:
    """Case and spacing do not change the picture: "Ocean  Sunset" draws like "ocean sunset"."""
    return " ".join(prompt.casefold().split())


def seed_of(*parts: str) -> int:
    """A 64-bit seed from text, stable across runs and machines (unlike `hash()`)."""
    digest = hashlib.sha256("\0".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def palette_for(prompt: str) -> Palette:
    """Colours for `prompt`: hues from its colour words (else from its hash), mood from its mood words."""
    import numpy as np

    rng = np.random.default_rng(seed_of("palette", normalise_prompt(prompt)))
    words = re.findall(r"\w+", normalise_prompt(prompt))
    hues = list(dict.fromkeys(COLOUR_WORDS[word] for word in words if word in COLOUR_WORDS))
    if not hues:
        hues = [float(rng.random())]
    if len(hues) == 1:  # an analogous second hue keeps one-colour prompts from looking flat
        hues.append((hues[0] + rng.choice([-1, 1]) * rng.uniform(0.05, 0.14)) % 1.0)
    saturation, brightness = 1.0, 1.0
    for word in words:
        if word in MOOD_WORDS:
            saturation *= MOOD_WORDS[word][0]
            brightness *= MOOD_WORDS[word][1]
    # Clamped, so "dark night" stays a picture and "neon bright" does not clip to white.
    saturation, brightness = min(max(saturation, 0.05), 1.4), min(max(brightness, 0.4), 1.3)
    colours = []
    for i, value in enumerate(np.linspace(0.3, 0.95, 4)):
        hue = (hues[i % len(hues)] + rng.uniform(-0.02, 0.02)) % 1.0
        sat = float(np.clip(rng.uniform(0.5, 0.85) * saturation, 0.0, 1.0))
        colours.append(_hsv(hue, sat, float(np.clip(value * brightness, 0.03, 1.0))))
    accent_hue = (hues[0] + 0.5 + rng.uniform(-0.08, 0.08)) % 1.0
    accent = _hsv(accent_hue, float(np.clip(0.55 * saturation, 0, 1)), float(np.clip(brightness, 0.2, 1.0)))
    return Palette(tuple(colours), accent, hues[0])


def _hsv(hue: float, saturation: float, value: float) -> RGB:
    return colorsys.hsv_to_rgb(hue, saturation, value)


# --------------------------------------------------------------------------------- drawing helpers


def pixel_grid(width: int, height: int) -> tuple[Image, Image]:
    """(xs, ys): each pixel's column and row, as float32 arrays of the image's shape."""
    import numpy as np

    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    return xs, ys


def linear_gradient(colours: list[RGB], angle: float, width: int, height: int, rng: Generator) -> Image:
    """`colours` spread along `angle` (radians) at random stops from one edge to the other."""
    import numpy as np

    xs, ys = pixel_grid(width, height)
    direction = np.cos(angle) * xs / width + np.sin(angle) * ys / height
    t = (direction - direction.min()) / max(float(np.ptp(direction)), 1e-6)
    # Evenly spread stops, jittered: random ones bunch up and make hard edges.
    stops = np.linspace(0.0, 1.0, len(colours))
    stops[1:-1] += rng.uniform(-0.3, 0.3, len(colours) - 2) / len(colours)
    table = np.array(colours, dtype=np.float32)
    channels = [np.interp(t, stops, table[:, c]).astype(np.float32) for c in range(3)]
    return np.stack(channels, axis=-1)


def smooth_noise(rng: Generator, width: int, height: int, cells_x: int, cells_y: int) -> Image:
    """Value noise in -1..1: a random grid of `cells_x` by `cells_y` smoothly interpolated (2-D)."""
    import numpy as np

    grid = rng.uniform(-1.0, 1.0, (cells_y + 1, cells_x + 1)).astype(np.float32)
    rows = _interpolate_axis(grid, width, axis=1)
    return _interpolate_axis(rows, height, axis=0)


def _interpolate_axis(values: Image, size: int, *, axis: int) -> Image:
    """`values` resampled to `size` along `axis` with smoothstep weights (no grid-line creases)."""
    import numpy as np

    cells = values.shape[axis] - 1
    position = np.linspace(0, cells, size, dtype=np.float32)
    low = np.minimum(position.astype(np.int64), cells - 1)
    weight = position - low
    weight = weight * weight * (3 - 2 * weight)
    if axis == 1:
        blended = values[:, low] * (1 - weight) + values[:, low + 1] * weight
    else:
        blended = values[low, :] * (1 - weight)[:, None] + values[low + 1, :] * weight[:, None]
    return np.asarray(blended, dtype=np.float32)


def vignette(width: int, height: int, strength: float) -> Image:
    """A (height, width, 1) factor that darkens the corners by up to `strength`."""
    import numpy as np

    xs, ys = pixel_grid(width, height)
    radius = np.hypot((xs / width - 0.5) * 2, (ys / height - 0.5) * 2) / np.sqrt(2)
    return np.asarray((1 - strength * radius**2.2)[..., None], dtype=np.float32)


def screen(image: Image, colour: RGB, coverage: Image, box: tuple[slice, slice]) -> None:
    """Lighten `image` in place with `colour` where `coverage` (0..1, the box's shape) says, like light."""
    import numpy as np

    layer = coverage[..., None] * np.array(colour, dtype=np.float32)
    image[box] = 1 - (1 - image[box]) * (1 - layer)


def paint(image: Image, colour: RGB, coverage: Image, box: tuple[slice, slice]) -> None:
    """Cover `image` in place with flat `colour` where `coverage` (0..1, the box's shape) says."""
    import numpy as np

    alpha = coverage[..., None]
    image[box] = image[box] * (1 - alpha) + np.array(colour, dtype=np.float32) * alpha


def bounding_box(
    x0: float, y0: float, x1: float, y1: float, width: int, height: int
) -> tuple[slice, slice] | None:
    """The pixel rows and columns that can be touched by a shape inside (x0, y0)-(x1, y1)."""
    left, right = max(int(x0) - 1, 0), min(int(x1) + 2, width)
    top, bottom = max(int(y0) - 1, 0), min(int(y1) + 2, height)
    if left >= right or top >= bottom:
        return None
    return slice(top, bottom), slice(left, right)


def glow(cx: float, cy: float, radius: float, box: tuple[slice, slice]) -> Image:
    """A soft Gaussian light centred at (cx, cy), 1 at the centre and about 0.6 at `radius`."""
    import numpy as np

    ys, xs = np.mgrid[box].astype(np.float32)
    return np.asarray(np.exp(-((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * radius**2)), dtype=np.float32)


def scaled(colour: RGB, factor: float, lift: float = 0.0) -> RGB:
    """`colour` times `factor`, plus `lift` (towards white when the two add up to 1)."""
    return (colour[0] * factor + lift, colour[1] * factor + lift, colour[2] * factor + lift)


def disc_coverage(cx: float, cy: float, radius: float, softness: float, box: tuple[slice, slice]) -> Image:
    """How much of each pixel in `box` a disc covers, its edge blurred over `softness` pixels."""
    import numpy as np

    ys, xs = np.mgrid[box].astype(np.float32)
    distance = np.hypot(xs - cx, ys - cy)
    return np.asarray(np.clip((radius - distance) / max(softness, 1.0) + 0.5, 0.0, 1.0), dtype=np.float32)


# -------------------------------------------------------------------------------------------- styles


def draw_gradient(palette: Palette, rng: Generator, width: int, height: int) -> Image:
    """A smooth multi-stop gradient with one broad, soft light over it."""
    colours = [palette.colours[i] for i in rng.permutation(len(palette.colours))]
    image = linear_gradient(colours, rng.uniform(0, 2 * math.pi), width, height, rng)
    radius = rng.uniform(0.3, 0.5) * max(width, height)
    box = (slice(0, height), slice(0, width))
    light = glow(rng.uniform(0, width), rng.uniform(0, height), radius, box)
    screen(image, palette.colours[-1], light * rng.uniform(0.25, 0.45), box)
    return image


def draw_bokeh(palette: Palette, rng: Generator, width: int, height: int) -> Image:
    """A dim gradient with soft out-of-focus discs of light in front of it, as through a wide lens."""
    colours = [scaled(colour, 0.55) for colour in palette.colours[:3]]
    image = linear_gradient(colours, rng.uniform(0, 2 * math.pi), width, height, rng)
    short = min(width, height)
    lights = [*palette.colours[1:], palette.accent]
    for _ in range(int(rng.integers(18, 34))):
        radius = short * (rng.uniform(0.1, 0.2) if rng.random() < 0.2 else rng.uniform(0.025, 0.09))
        cx, cy = rng.uniform(-0.05, 1.05) * width, rng.uniform(-0.05, 1.05) * height
        box = bounding_box(cx - radius, cy - radius, cx + radius, cy + radius, width, height)
        if box is None:
            continue
        softness = radius * rng.uniform(0.08, 0.4)
        colour = scaled(lights[int(rng.integers(len(lights)))], 0.7, 0.3)
        screen(image, colour, disc_coverage(cx, cy, radius, softness, box) * rng.uniform(0.12, 0.45), box)
    image *= vignette(width, height, 0.35)
    return image


def draw_geometric(palette: Palette, rng: Generator, width: int, height: int) -> Image:
    """Flat, layered shapes (triangles, circles, bands of stripes) on a flat ground, edges anti-aliased."""
    import numpy as np

    image = np.empty((height, width, 3), dtype=np.float32)
    image[:] = palette.colours[int(rng.integers(2))]
    shapes: list[Callable[[Image, RGB, Generator], None]] = [_triangle, _circle, _stripes]
    inks = [*palette.colours, palette.accent]
    for _ in range(int(rng.integers(6, 11))):
        shape = shapes[int(rng.integers(len(shapes)))]
        colour = inks[int(rng.integers(len(inks)))]
        shape(image, colour, rng)
    return image


def _circle(image: Image, colour: RGB, rng: Generator) -> None:
    height, width = image.shape[:2]
    radius = min(width, height) * rng.uniform(0.08, 0.4)
    cx, cy = rng.uniform(0, width), rng.uniform(0, height)
    box = bounding_box(cx - radius, cy - radius, cx + radius, cy + radius, width, height)
    if box is not None:
        paint(image, colour, disc_coverage(cx, cy, radius, 1.0, box) * rng.choice([1.0, 0.85, 0.7]), box)


def _triangle(image: Image, colour: RGB, rng: Generator) -> None:
    import numpy as np

    height, width = image.shape[:2]
    size = min(width, height) * rng.uniform(0.25, 0.8)
    centre = np.array([rng.uniform(0, width), rng.uniform(0, height)])
    angles = rng.uniform(0, 2 * np.pi) + np.array([0, 2.1, 4.2]) + rng.uniform(-0.4, 0.4, 3)
    points = centre + size / 2 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    (left, top), (right, bottom) = points.min(axis=0), points.max(axis=0)
    box = bounding_box(left, top, right, bottom, width, height)
    if box is None:
        return
    ys, xs = np.mgrid[box].astype(np.float32)
    # Signed distance to each edge, positive inside (points run counter-clockwise by construction).
    inside = np.full(xs.shape, np.inf, dtype=np.float32)
    for (ax, ay), (bx, by) in zip(points, np.roll(points, -1, axis=0), strict=True):
        length = max(float(np.hypot(bx - ax, by - ay)), 1e-6)
        inside = np.minimum(inside, ((bx - ax) * (ys - ay) - (by - ay) * (xs - ax)) / length)
    paint(image, colour, np.clip(inside + 0.5, 0, 1) * rng.choice([1.0, 0.85, 0.7]), box)


def _stripes(image: Image, colour: RGB, rng: Generator) -> None:
    import numpy as np

    height, width = image.shape[:2]
    short = min(width, height)
    angle = rng.uniform(0, np.pi)
    period, duty = short * rng.uniform(0.05, 0.14), rng.uniform(0.3, 0.6)
    xs, ys = pixel_grid(width, height)
    along = (xs * np.cos(angle) + ys * np.sin(angle)) / period
    across = -xs * np.sin(angle) + ys * np.cos(angle)
    phase = along - np.floor(along)
    # Distance to the nearest stripe edge in pixels: positive inside a stripe, negative between.
    edge = np.where(phase < duty, np.minimum(phase, duty - phase), -np.minimum(phase - duty, 1 - phase))
    band = short * rng.uniform(0.08, 0.25) - np.abs(across - rng.uniform(-0.5, 1.0) * short)
    coverage = np.clip(np.minimum(edge * period, band) + 0.5, 0, 1)
    paint(image, colour, coverage, (slice(0, height), slice(0, width)))


def draw_paper(palette: Palette, rng: Generator, width: int, height: int) -> Image:
    """Paper: a pale tint of the prompt's hue, mottled, with fibres, grain and a subtle vignette."""
    import numpy as np

    base = np.array(_hsv(palette.hue, rng.uniform(0.06, 0.16), rng.uniform(0.86, 0.94)), dtype=np.float32)
    mottle = 0.035 * smooth_noise(rng, width, height, 5, 5) + 0.02 * smooth_noise(rng, width, height, 24, 24)
    fibres = 0.018 * smooth_noise(rng, width, height, 6, max(height // 2, 1))
    fibres += 0.012 * smooth_noise(rng, width, height, max(width // 2, 1), 6)
    grain = rng.normal(0.0, 0.012, (height, width)).astype(np.float32)
    image = np.asarray(base * (1 + mottle + fibres + grain)[..., None], dtype=np.float32)
    # A faint wash of the prompt's colour, so two prompts on the same paper still differ.
    box = (slice(0, height), slice(0, width))
    wash = glow(rng.uniform(0, width), rng.uniform(0, height), max(width, height) * 0.3, box)
    paint(image, palette.colours[2], wash * 0.3, box)
    image *= vignette(width, height, 0.22)
    return image


DRAW: dict[str, Callable[[Palette, Any, int, int], Image]] = {
    "gradient": draw_gradient,
    "bokeh": draw_bokeh,
    "geometric": draw_geometric,
    "paper": draw_paper,
}


# ---------------------------------------------------------------------------------------- the image


def check_request(style: str, width: int, height: int) -> None:
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}: choose one of {', '.join(STYLES)}")
    check_size(width, height)


def check_size(width: int, height: int) -> None:
    for name, value in (("width", width), ("height", height)):
        if not MIN_SIDE <= value <= MAX_SIDE:
            raise ValueError(f"{name} must be between {MIN_SIDE} and {MAX_SIDE} pixels, not {value}")


def work_size(width: int, height: int) -> tuple[int, int]:
    """The size to draw at: the requested one, shrunk so its long side is at most `WORK_SIDE`."""
    factor = min(1.0, WORK_SIDE / max(width, height))
    return max(round(width * factor), 16), max(round(height * factor), 16)


def render_pixels(prompt: str, style: str, width: int, height: int) -> NDArray[np.uint8]:
    load_numeric()
    """The picture as uint8 RGB (height, width, 3) at `work_size`, before ffmpeg scales it.

    The palette depends on the prompt only (a prompt keeps its colours across styles); the layout
    on prompt and style.
    """
    import numpy as np

    check_request(style, width, height)
    w, h = work_size(width, height)
    rng = np.random.default_rng(seed_of(style, normalise_prompt(prompt)))
    image = DRAW[style](palette_for(prompt), rng, w, h)
    # Dither before rounding to 8 bits, so slow gradients do not band once scaled up.
    noise = rng.uniform(-0.5, 0.5, image.shape[:2]).astype(np.float32)[..., None]
    return np.asarray(np.clip(image * 255 + 0.5 + noise, 0, 255), dtype=np.uint8)


def generate_image(prompt: str, style: str, width: int, height: int, dest: Path) -> Path:
    """Draw `prompt` in `style` as a `width` x `height` PNG at `dest` (atomically); returns `dest`."""
    pixels = render_pixels(prompt, style, width, height)
    encode_png(pixels, width, height, dest)
    return dest


def encode_png(pixels: NDArray[np.uint8], width: int, height: int, dest: Path) -> None:
    """Encode uint8 RGB `pixels` as a `width` x `height` PNG at `dest`, scaling with ffmpeg if needed."""
    source_height, source_width = pixels.shape[:2]
    scale = []
    if (source_width, source_height) != (width, height):
        scale = ["-vf", f"scale={width}:{height}:flags=bicubic+accurate_rnd+full_chroma_int"]
    command = [
        ffmpeg.ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{source_width}x{source_height}", "-i", "pipe:0",
        *scale, "-frames:v", "1", "-pix_fmt", "rgb24", "-flags", "+bitexact",
        "-c:v", "png", "-f", "image2", "-update", "1",
    ]  # fmt: skip
    with atomic_path(dest) as partial:
        result = subprocess.run(
            [*command, str(partial)], input=pixels.tobytes(), capture_output=True, timeout=120, check=False
        )
        if result.returncode != 0:
            stderr = result.stderr.decode(errors="replace").strip()
            raise ffmpeg.FFmpegError(f"PNG encoding failed: {stderr[-300:] or result.returncode}", stderr)


# --------------------------------------------------------------------------------- remote providers


class ImageProviderError(ProviderError):
    """An image service failed."""


@runtime_checkable
class ImageProvider(Protocol):
    """An image generation service: writes a `width` x `height` PNG for `prompt` at `dest`.

    ```python
    provider = image_provider_from_config(config)
    if provider is not None:
        provider.generate("a calm ocean at dawn", "gradient", 1080, 1920, out / "scene.png")
    ```
    """

    name: str

    def generate(self, prompt: str, style: str | None, width: int, height: int, dest: Path) -> Path: ...


# Error codes of the OpenAI API (and compatible ones) that mean "no money" or "not this prompt".
BILLING_CODES = frozenset({"insufficient_quota", "billing_hard_limit_reached", "billing_not_active"})
POLICY_CODES = frozenset({"content_policy_violation", "moderation_blocked"})
IMAGE_TIMEOUT = httpx.Timeout(180.0, connect=10.0)
# What the models accept; other OpenAI-compatible servers get the GPT image sizes.
MODEL_SIZES = {
    "dall-e-2": ((1024, 1024),),
    "dall-e-3": ((1024, 1024), (1792, 1024), (1024, 1792)),
}
DEFAULT_SIZES = ((1024, 1024), (1536, 1024), (1024, 1536))


def request_size(model: str, width: int, height: int) -> str:
    """The size the model can make whose shape is nearest `width` x `height` (then cropped to it)."""
    sizes = next((s for prefix, s in MODEL_SIZES.items() if model.startswith(prefix)), DEFAULT_SIZES)
    best = min(sizes, key=lambda size: abs(math.log(size[0] / size[1]) - math.log(width / height)))
    return f"{best[0]}x{best[1]}"


class OpenAIImageProvider(RemoteService[ImageProviderError]):
    """An OpenAI-compatible image service: `POST {base_url}/images/generations` (base URL with /v1).

    The service's image (base64 or a link) is cover-cropped to exactly the requested size.
    """

    name = "openai"
    error_type = ImageProviderError
    DEFAULT_URL = "https://api.openai.com/v1"
    DEFAULT_MODEL = "gpt-image-1"
    KEY_ENV = ENV_PREFIX + "IMAGE_API_KEY"

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        api_key: str | None = None,
        model: str = DEFAULT_MODEL,
        *,
        client: httpx.Client | None = None,
    ) -> None:
        super().__init__(api_key, client=client, timeout=IMAGE_TIMEOUT)
        self.base_url = base_url.rstrip("/")
        self.model = model
        # The host only: a URL may carry credentials ("https://user:secret@host/v1").
        self.label = f"The image service at {urlsplit(self.base_url).hostname or 'the configured URL'}"

    def __repr__(self) -> str:
        return f"OpenAIImageProvider(base_url={self.base_url!r}, model={self.model!r}, api_key=***)"

    @property
    def endpoint(self) -> str:
        if self.base_url.endswith("/v1"):
            return self.base_url + "/images/generations"
        return self.base_url + "/v1/images/generations"

    def generate(self, prompt: str, style: str | None, width: int, height: int, dest: Path) -> Path:
        check_size(width, height)
        body: dict[str, Any] = {
            "model": self.model,
            "prompt": styled_prompt(prompt, style),
            "n": 1,
            "size": request_size(self.model, width, height),
        }
        if self.model.startswith("dall-e"):  # they default to a link; GPT image models reject the field
            body["response_format"] = "b64_json"
        image = self._image_bytes(self._post(body))
        self._fit(image, width, height, dest)
        return dest

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        response = self._call("POST", self.endpoint, json=body, headers=headers)
        if not response.is_success:
            raise self._status_error(response)
        data = json_object(response)
        if data is None:
            raise ImageProviderError(self.name, f"{self.label} answered with something other than JSON")
        return data

    def _image_bytes(self, data: dict[str, Any]) -> bytes:
        images = data.get("data")
        first = images[0] if isinstance(images, list) and images and isinstance(images[0], dict) else {}
        if first.get("b64_json"):
            try:
                return base64.b64decode(first["b64_json"], validate=True)
            except ValueError:
                raise ImageProviderError(
                    self.name, f"{self.label} sent an image that is not base64"
                ) from None
        if first.get("url"):
            return self._download(str(first["url"]))
        raise ImageProviderError(self.name, f"{self.label} answered without an image")

    def _download(self, url: str) -> bytes:
        # The link points at the service's storage, which must not receive the API key.
        try:
            response = self._client.get(url, headers={"User-Agent": USER_AGENT}, follow_redirects=True)
        except httpx.HTTPError as exc:
            raise self._unreachable(f"image download failed: {type(exc).__name__}") from None
        if not response.is_success:
            raise self._unreachable(
                f"image download failed: HTTP {response.status_code}", response.status_code
            )
        return response.content

    def _fit(self, image: bytes, width: int, height: int, dest: Path) -> None:
        """Cover-scale and crop the service's image to `width` x `height` as a PNG at `dest`."""
        graph = (
            f"scale={width}:{height}:force_original_aspect_ratio=increase:flags=lanczos,"
            f"crop={width}:{height},setsar=1"
        )
        with tempfile.TemporaryDirectory(prefix="scriptsensei-image-") as work, atomic_path(dest) as partial:
            source = Path(work, "source")
            source.write_bytes(image)
            try:
                ffmpeg.run(
                    ["-i", str(source), "-frames:v", "1", "-vf", graph, "-pix_fmt", "rgb24", "-c:v", "png",
                     "-f", "image2", "-update", "1", str(partial)]
                )  # fmt: skip
            except ffmpeg.FFmpegError:
                raise ImageProviderError(self.name, f"{self.label} sent data that is not an image") from None

    def _status_error(self, response: httpx.Response) -> ImageProviderError:
        status = response.status_code
        code, message = _api_error(response)
        if status == 402 or code in BILLING_CODES:
            return ImageProviderError(
                self.name,
                f"{self.label} says the account is out of credit or has no billing set up "
                f"({code or status}): add credit, or unset {self.KEY_ENV} to use the built-in styles",
                status,
            )
        if code in POLICY_CODES:
            return ImageProviderError(
                self.name,
                f"{self.label} refused the prompt under its content policy: rephrase the prompt",
                status,
            )
        if status in (401, 403):
            return ImageProviderError(
                self.name,
                f"{self.label} rejected the API key (HTTP {status}): check {self.KEY_ENV}"
                + (f" and that it may use model {self.model}" if status == 403 else ""),
                status,
            )
        if status == 404:
            return ImageProviderError(
                self.name,
                f"{self.label} has no model {self.model!r} or no image API at this URL (HTTP 404): "
                f"check {ENV_PREFIX}IMAGE_MODEL and {ENV_PREFIX}IMAGE_API_URL",
                status,
            )
        if status == 429:
            return self._rate_limited(response)
        if status >= 500:
            return self._unreachable(f"HTTP {status}", status)
        return self._refused(response, message)


def _api_error(response: httpx.Response) -> tuple[str, str]:
    """(code, message) from an OpenAI-style error body `{"error": {"code", "type", "message"}}`."""
    try:
        body = response.json()
    except ValueError:
        return "", response.text.strip()
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, str):
        return "", error
    if not isinstance(error, dict):
        return "", ""
    code = error.get("code") or error.get("type") or ""
    if error.get("type") in BILLING_CODES | POLICY_CODES:
        code = error["type"]
    return str(code), str(error.get("message") or "")


def styled_prompt(prompt: str, style: str | None) -> str:
    """The prompt sent to a service: the user's words, the style as a hint, and no lettering."""
    text = prompt.strip()
    if style:
        text += f". Style: {STYLE_HINTS.get(style, style)}"
    return text + ". No text or lettering."


def image_provider_from_config(config: EngineConfig) -> ImageProvider | None:
    """The configured image service, or None: the built-in styles then do the job alone."""
    if not (config.image_api_key or config.image_api_url):
        return None
    return OpenAIImageProvider(
        config.image_api_url or OpenAIImageProvider.DEFAULT_URL,
        config.image_api_key,
        config.image_model or OpenAIImageProvider.DEFAULT_MODEL,
    )
