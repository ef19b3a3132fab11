"""What an uploaded file is, by its content: its first bytes, then ffmpeg's reading of its streams
and of its first picture.

The extension and the client's Content-Type are never trusted: a text file named `.wav` is text, and
a JPEG header followed by garbage is a damaged file, not an image.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...common.magic import MEDIA_HEAD_BYTES, ZIP, identify
from ...common.magic import scene_media_problem as head_problem
from ..render.ffmpeg import FFmpegError, MediaInfo, probe

_IMAGE_CODECS = {"mjpeg", "png", "gif", "bmp", "webp", "tiff", "ppm", "pgm", "jpegls", "jpeg2000"}
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/bmp": ".bmp",
    "image/tiff": ".tif",
    "image/webp": ".webp",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "video/webm": ".webm",
    "video/x-msvideo": ".avi",
    "audio/wav": ".wav",
    "audio/mpeg": ".mp3",
    "audio/mp4": ".m4a",
    "audio/ogg": ".ogg",
    "audio/flac": ".flac",
}
# Not media, but what people upload by mistake: named without asking ffmpeg.
_NAMED = {"application/pdf": "a PDF document", ZIP: "a ZIP archive (or an Office document)"}


@dataclass(frozen=True)
class Sniffed:
    kind: str  # image | video | audio | other
    mime_type: str
    description: str  # what was found, for error messages: "text (UTF-8)", "a PDF document"
    info: MediaInfo | None = None
    damaged: bool = False  # of a media format, but ffmpeg cannot read it or decode its first picture


def magic_type(head: bytes) -> str | None:
    """The MIME type of a format ffmpeg reads (one of EXTENSIONS), or of one in _NAMED; else None."""
    found = identify(head)
    if found is not None:
        return found.mime if found.mime in EXTENSIONS or found.mime in _NAMED else None
    if len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return "audio/mpeg"  # an MPEG audio frame sync without an ID3 tag
    return None


def describe_unknown(head: bytes) -> str:
    if not head:
        return "an empty file"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return "binary data of an unknown format"
    if all(ch.isprintable() or ch in "\r\n\t" for ch in text.rstrip("\x00")):
        return "text (UTF-8), not media"
    return "binary data of an unknown format"


def sniff(path: Path) -> Sniffed:
    """Classify `path`; `kind` "other" means neither image, video nor audio."""
    with open(path, "rb") as handle:
        head = handle.read(64)
    mime = magic_type(head)
    if mime is None:
        return Sniffed("other", "application/octet-stream", describe_unknown(head))
    if mime in _NAMED:
        return Sniffed("other", mime, _NAMED[mime])
    found = identify(head)
    named = _damaged(found.label if found is not None else mime)
    try:
        info = probe(path, decode_first_frame=not mime.startswith("audio/"))
    except FFmpegError:
        return Sniffed("other", mime, f"{named}: ffmpeg cannot read it", damaged=True)
    if info.decode_error is not None:
        return Sniffed("other", mime, f"{named}: ffmpeg cannot decode it ({info.decode_error})", info, True)
    return Sniffed(_kind(mime, info), mime, _label(mime, info), info)


def scene_media_problem(path: Path) -> str | None:
    """Why `path` cannot be a scene's media (an image or a video), or None: the engine's one check of
    a scene's file, wherever it comes from (a path in a video request or a bulk row, `POST
    /media/check`, which `ss bulk --dry-run` asks). Uploads get the same reading (`sniff`)."""
    with open(path, "rb") as handle:
        head = handle.read(MEDIA_HEAD_BYTES)
    # By the first bytes first, in the words `ss bulk` uses when it looks at the file itself.
    if (problem := head_problem(head)) is not None:
        return problem
    found = sniff(path)
    if found.damaged:
        return found.description
    if found.kind not in ("image", "video"):
        return f"expected an image or a video, found {found.description}"
    return None


def _damaged(label: str) -> str:
    """ "a JPEG image" → "a damaged or truncated JPEG image"."""
    for article in ("a ", "an "):
        if label.startswith(article):
            return f"a damaged or truncated {label[len(article) :]}"
    return f"a damaged or truncated {label} file"


def _kind(mime: str, info: MediaInfo) -> str:
    if info.video_streams and (info.video_codec or "") in _IMAGE_CODECS and not info.audio_streams:
        # A still, or an animated GIF: both are images to the renderer.
        return "image"
    if info.video_streams and not mime.startswith("audio/"):
        return "video"
    if info.audio_streams:
        return "audio"
    return "other"


def _label(mime: str, info: MediaInfo) -> str:
    kind = _kind(mime, info)
    if kind == "audio":
        return f"audio ({info.audio_codec}, {info.duration or 0:.1f} s)"
    if kind == "video":
        return f"video ({info.video_codec}, {info.width}x{info.height}, {info.duration or 0:.1f} s)"
    if kind == "image":
        return f"an image ({info.video_codec}, {info.width}x{info.height})"
    return f"{mime} with no audio or video stream"
