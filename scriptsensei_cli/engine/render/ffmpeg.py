"""Running ffmpeg: the binary from imageio-ffmpeg, progress from `-progress`, cancellation that
kills the whole process group, and a probe built on ffmpeg itself (imageio-ffmpeg ships no ffprobe).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

STDERR_TAIL_LINES = 15
PR_SET_PDEATHSIG = 1


class FFmpegError(RuntimeError):
    def __init__(self, message: str, stderr_tail: str = "") -> None:
        super().__init__(message)
        self.stderr_tail = stderr_tail


class Cancelled(RuntimeError):
    pass


@cache
def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


@cache
def filters() -> frozenset[str]:
    """The names of the filters this ffmpeg build has (`ffmpeg -filters`): builds differ (zscale, for
    one, comes with libzimg, which not every static build links)."""
    listing = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-filters"], capture_output=True, text=True, timeout=30, check=False
    )
    names = set()
    for line in listing.stdout.splitlines():
        parts = line.split()
        # " TS colorspace        V->V       Convert between colorspaces."
        if len(parts) >= 3 and "->" in parts[2]:
            names.add(parts[1])
    return frozenset(names)


@cache
def available_encoder(preferred: tuple[str, ...] = ("h264_nvenc", "h264_qsv", "h264_vaapi")) -> str:
    """The first hardware H.264 encoder that actually encodes a frame here, else libx264."""
    for encoder in preferred:
        probe = subprocess.run(
            [
                ffmpeg_exe(),
                "-hide_banner",
                "-loglevel",
                "error",
                "-f",
                "lavfi",
                "-i",
                "color=s=256x256:d=0.1",
                "-frames:v",
                "1",
                "-c:v",
                encoder,
                "-f",
                "null",
                "-",
            ],
            capture_output=True,
            timeout=20,
            check=False,
        )
        if probe.returncode == 0:
            return encoder
    return "libx264"


def run(
    args: Sequence[str],
    *,
    duration: float | None = None,
    on_progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    alerts: Sequence[str] = (),
) -> list[str]:
    """Run ffmpeg with `args`; report 0..1 progress from `-progress`; stop it if `cancelled()`.

    Returns the stderr lines containing any of `alerts` (warnings ffmpeg does not fail on, such as
    libass reporting a missing glyph), so the caller can refuse an output that looks fine but is not.

    ffmpeg runs in its own session (process group), so cancelling kills it and anything it spawned.
    """
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-progress", "pipe:1", "-nostats", *args]
    tail: deque[str] = deque(maxlen=STDERR_TAIL_LINES)
    flagged: list[str] = []

    def read_stderr(stream: Any) -> None:
        for raw in stream or ():
            line = raw.rstrip()
            tail.append(line)
            if any(alert in line for alert in alerts):
                flagged.append(line)

    killed = False
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        start_new_session=True,
        preexec_fn=_die_with_parent,
    ) as process:
        reader = threading.Thread(target=read_stderr, args=(process.stderr,), daemon=True)
        reader.start()
        try:
            for line in process.stdout or ():
                if cancelled is not None and cancelled():
                    _kill_group(process)
                    killed = True
                    break
                key, _, value = line.strip().partition("=")
                if key == "out_time_us" and duration and on_progress is not None and value.isdigit():
                    on_progress(min(int(value) / 1e6 / duration, 1.0))
        finally:
            returncode = process.wait()
            reader.join(timeout=5)
    if killed:
        raise Cancelled("ffmpeg was stopped")
    if returncode != 0:
        text = "\n".join(tail)
        raise FFmpegError(f"ffmpeg exited with status {returncode}: {_last_error(text)}", text)
    return flagged


def _libc_prctl() -> Any:
    """prctl, looked up now: the child of a fork must not load libraries (another thread may hold
    the loader's lock at the moment of the fork)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL("libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _libc_prctl()


def _die_with_parent() -> None:
    """In the child, before exec: get SIGKILL when the worker that started us dies (Linux), so a
    worker killed with -9 leaves no ffmpeg running on without it."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)


def _kill_group(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def _last_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


@dataclass(frozen=True)
class MediaInfo:
    duration: float | None
    video_codec: str | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    pixel_format: str | None = None
    # The first video stream's colour, in ffmpeg's names (None where the file does not say):
    # range "tv" (limited) or "pc" (full); matrix ("colorspace"), transfer and primaries such as
    # "bt709", "bt470bg", "smpte2084", "bt2020".
    color_range: str | None = None
    color_space: str | None = None
    color_transfer: str | None = None
    color_primaries: str | None = None
    audio_codec: str | None = None
    video_streams: int = 0
    audio_streams: int = 0
    mean_volume_db: float | None = None
    # Set by `probe(..., decode_first_frame=True)`: why the first video frame did not decode.
    decode_error: str | None = None


_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_VIDEO = re.compile(
    r"Stream #\S+.*?: Video: (?P<codec>\w+).*?, (?P<pix>\w+)(?:\((?P<details>[^)]*)\))?, "
    r"(?P<width>\d+)x(?P<height>\d+)(?:.*?, (?P<fps>[\d.]+) fps)?"
)
# What ffmpeg writes in the parentheses after a pixel format besides the colour: the field order.
_FIELD_ORDERS = ("progressive", "top first", "bottom first", "top coded first", "bottom coded first")
_AUDIO = re.compile(r"Stream #\S+.*?: Audio: (\w+)")
_MEAN_VOLUME = re.compile(r"mean_volume: (-?[\d.]+|-inf) dB")


def probe(path: Path, *, measure_volume: bool = False, decode_first_frame: bool = False) -> MediaInfo:
    """Streams, size, frame rate and duration of a media file (and its mean volume if asked).

    A header can be whole while the pictures behind it are not (a JPEG header then garbage, a PNG
    cut short): with `decode_first_frame`, the same ffmpeg run decodes the first video frame, and
    `decode_error` says why it could not, as the render would find out.
    """
    assert not (measure_volume and decode_first_frame)
    args = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)]
    if measure_volume:
        args += ["-map", "0:a:0?", "-af", "volumedetect", "-f", "null", "-"]
    if decode_first_frame:
        args += ["-map", "0:v:0?", "-frames:v", "1", "-f", "null", "-"]
    result = subprocess.run(args, capture_output=True, text=True, errors="replace", timeout=300, check=False)
    # Only the input's description: with volumedetect, ffmpeg also describes its null output.
    text = result.stderr.split("Stream mapping:")[0].split("\nOutput #0")[0]
    if "Invalid data found" in text or "No such file" in text or "Stream #" not in text:
        raise FFmpegError(f"not a readable media file: {path}", text[-2000:])
    duration = None
    if match := _DURATION.search(text):
        hours, minutes, seconds = match.groups()
        duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    video = _VIDEO.search(text)
    mean = _MEAN_VOLUME.search(result.stderr)
    colour = _colour(video.group("details") if video else None)
    streams = len(re.findall(r"Stream #\S+.*?: Video:", text))
    return MediaInfo(
        duration=duration,
        video_codec=video.group("codec") if video else None,
        pixel_format=video.group("pix") if video else None,
        width=int(video.group("width")) if video else None,
        height=int(video.group("height")) if video else None,
        fps=float(video.group("fps")) if video and video.group("fps") else None,
        color_range=colour[0],
        color_space=colour[1],
        color_transfer=colour[2],
        color_primaries=colour[3],
        audio_codec=(m.group(1) if (m := _AUDIO.search(text)) else None),
        video_streams=streams,
        audio_streams=len(_AUDIO.findall(text)),
        mean_volume_db=(float("-inf") if mean.group(1) == "-inf" else float(mean.group(1))) if mean else None,
        decode_error=_decode_error(result.returncode, result.stderr)
        if decode_first_frame and streams
        else None,
    )


_ADDRESS = re.compile(r"\[[^\]]*@ 0x[0-9a-f]+\]\s*")


def _decode_error(returncode: int, stderr: str) -> str | None:
    """Why a `-frames:v 1 -f null` run decoded no frame; None when it decoded one.

    ffmpeg exits 0 on a frame decoded with a warning (a JPEG a few bytes short still shows), and
    non-zero, or with "received no packets", when no frame came out: the render would fail on it.
    """
    if returncode == 0 and "received no packets" not in stderr and "frame=    0" not in stderr:
        return None
    output = stderr.split("Stream mapping:")[-1]
    for line in output.splitlines():
        line = _ADDRESS.sub("", line).strip()
        if (
            line
            and not line.startswith(("Press [q]", "Output #", "Metadata", "encoder", "Stream #", "frame="))
            and not line.startswith(("Task finished", "Terminating thread", "Conversion failed"))
        ):
            return line[:160]
    return "no frame could be decoded"


def _colour(details: str | None) -> tuple[str | None, str | None, str | None, str | None]:
    """(range, matrix, transfer, primaries) from what ffmpeg writes after a pixel format:
    "tv, bt2020nc/bt2020/smpte2084, progressive" (matrix/primaries/transfer), or "tv, bt709" where
    all three are the same, or only "pc"; "unknown" is None."""
    found: dict[str, str | None] = {"range": None, "matrix": None, "transfer": None, "primaries": None}
    for item in (details or "").split(","):
        item = item.strip()
        if item in ("tv", "pc"):
            found["range"] = item
        elif "/" in item:
            matrix, primaries, transfer = ([*item.split("/"), None, None])[:3]
            found.update(matrix=matrix, primaries=primaries, transfer=transfer)
        elif item and not item.startswith(_FIELD_ORDERS) and " " not in item:
            found.update(matrix=item, primaries=item, transfer=item)
    known = {key: None if value in (None, "unknown", "reserved") else value for key, value in found.items()}
    return known["range"], known["matrix"], known["transfer"], known["primaries"]
