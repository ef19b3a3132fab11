"""Small real pictures and clips made with the engine's own ffmpeg, for tests that need media files."""

from __future__ import annotations

import subprocess
from pathlib import Path

from scriptsensei_cli.engine.render.ffmpeg import ffmpeg_exe


def ffmpeg(*args: str) -> bytes:
    """Run the engine's ffmpeg quietly, overwriting outputs; its standard output (raw frames, say)."""
    command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args]
    return subprocess.run(command, check=True, capture_output=True).stdout


def make_image(path: Path, width: int = 320, height: int = 180, colour: str = "red") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    ffmpeg("-f", "lavfi", "-i", f"color=c={colour}:s={width}x{height}", "-frames:v", "1", str(path))
    return path


def make_video(
    path: Path, width: int = 320, height: int = 180, seconds: float = 0.5, **metadata: str
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tags = [arg for key, value in metadata.items() for arg in ("-metadata", f"{key}={value}")]
    ffmpeg(
        *("-f", "lavfi", "-i", f"color=c=blue:s={width}x{height}:d={seconds}", "-c:v", "libx264"),
        *("-preset", "ultrafast", "-pix_fmt", "yuv420p", *tags, str(path)),
    )
    return path
