"""Where a picture's subject is, so a crop to the frame keeps it instead of cutting the centre blindly.

A landscape photo in a 9:16 frame loses two thirds of its width: which third stays matters. The point is
found on a small copy of the picture (a clip's first frame) by spectral-residual saliency (Hou and Zhang,
2007: what the picture's spectrum does not predict stands out), weighted by edges and colourfulness,
and taken as the centre of that mass. About 10 ms of numpy; the decode is one short ffmpeg run through
the render's own colour conversion (an HDR clip is looked at tone-mapped, as it will be shown), and the
answer is kept per file (path, size and mtime), so a library file is looked at once. The point moves in
steps of 5 % and stays at the centre unless the subject is clearly off it, so two versions of one
picture (SDR and HDR, say) are cropped alike.

    focus_point(Path("beach.jpg"), cache_dir)   # (0.71, 0.45): right of centre, a little high
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

from ...common.atomic import atomic_write_text
from .colour import VIDEO, SourceColour, after_crop, before_scale, scale_options
from .ffmpeg import ffmpeg_exe

SIDE = 96  # the small copy is SIDE x SIDE: the point is a fraction of each axis, so squashing is fine
CENTRE = (0.5, 0.5)
STEP = 0.05  # the point's resolution
DEAD_ZONE = 0.1  # a subject this close to the centre is cropped as centred


def focus_point(
    path: Path, cache_dir: Path | None = None, colour: SourceColour | None = None
) -> tuple[float, float]:
    """The subject's centre as fractions of width and height; the centre when it cannot be told.
    `colour` is the file's (as probed), for the conversion the render applies."""
    try:
        stat = path.stat()
    except OSError:
        return CENTRE
    key = hashlib.sha256(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:32]
    cached = cache_dir / f"{key}.json" if cache_dir is not None else None
    if cached is not None and cached.exists():
        try:
            x, y = json.loads(cached.read_text(encoding="utf-8"))
            return float(x), float(y)
        except (OSError, ValueError, TypeError):
            pass
    pixels = _small_copy(path, colour)
    point = _settled(_salient_centre(pixels)) if pixels is not None else CENTRE
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(cached, json.dumps([round(point[0], 4), round(point[1], 4)]))
    return point


def _settled(point: tuple[float, float]) -> tuple[float, float]:
    def axis(value: float) -> float:
        return 0.5 if abs(value - 0.5) < DEAD_ZONE else round(round(value / STEP) * STEP, 4)

    return axis(point[0]), axis(point[1])


def _small_copy(path: Path, colour: SourceColour | None) -> bytes | None:
    """The first frame as SIDE x SIDE RGB bytes, as the render converts it; None when unreadable."""
    size = f"scale={SIDE}:{SIDE}:flags=area"
    chain = (
        f"{before_scale(colour)}{size}{scale_options(colour, VIDEO)},{after_crop(colour, VIDEO)}"
        if colour
        else size
    )
    command = [
        ffmpeg_exe(), "-v", "error", "-nostdin", "-i", str(path), "-frames:v", "1",
        "-vf", chain, "-f", "rawvideo", "-pix_fmt", "rgb24", "-",
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    expected = SIDE * SIDE * 3
    return done.stdout[:expected] if done.returncode == 0 and len(done.stdout) >= expected else None


def _salient_centre(pixels: bytes) -> tuple[float, float]:
    import numpy as np

    rgb = np.frombuffer(pixels, dtype=np.uint8).reshape(SIDE, SIDE, 3).astype(np.float32) / 255
    grey = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    if float(grey.std()) < 0.01 and float(rgb.std(axis=(0, 1)).max()) < 0.01:
        return CENTRE  # a flat picture: nothing stands out
    # Spectral residual: the log amplitude minus its local average, back with the original phase.
    spectrum = np.fft.fft2(grey)
    log_amplitude = np.log(np.abs(spectrum) + 1e-6)
    residual = log_amplitude - _box(log_amplitude, 3)
    saliency = np.abs(np.fft.ifft2(np.exp(residual + 1j * np.angle(spectrum)))) ** 2
    saliency = _box(_box(saliency, 5), 5)
    # Edges and colour: a subject is usually sharper and more colourful than its background.
    edges = np.hypot(*np.gradient(grey))
    red_green, yellow_blue = rgb[..., 0] - rgb[..., 1], (rgb[..., 0] + rgb[..., 1]) / 2 - rgb[..., 2]
    colourful = np.hypot(red_green, yellow_blue)
    weight = _unit(saliency) + 0.5 * _unit(_box(edges, 5)) + 0.5 * _unit(_box(colourful, 5))
    # Only what stands out counts: below the mean is background.
    weight = np.clip(weight - weight.mean(), 0, None)
    total = float(weight.sum())
    if total <= 1e-9:
        return CENTRE
    ys, xs = np.mgrid[0:SIDE, 0:SIDE].astype(np.float32)
    x = float((weight * xs).sum() / total + 0.5) / SIDE
    y = float((weight * ys).sum() / total + 0.5) / SIDE
    return min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0)


def _box(values: Any, size: int) -> Any:
    """A size x size mean filter with wrap-around edges (the spectrum is periodic anyway)."""
    import numpy as np

    array = np.asarray(values)
    out = np.zeros_like(array)
    half = size // 2
    for dy in range(-half, half + 1):
        for dx in range(-half, half + 1):
            out += np.roll(np.roll(array, dy, axis=0), dx, axis=1)
    return out / (size * size)


def _unit(values: Any) -> Any:
    import numpy as np

    array = np.asarray(values, dtype=np.float32)
    low, high = float(array.min()), float(array.max())
    return (array - low) / (high - low) if high > low else np.zeros_like(array)
