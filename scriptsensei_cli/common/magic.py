"""What a file is by its first bytes: one table of signatures for everything that looks, and the
encoding a text's byte-order mark names.

The media library (engine/media/sniff.py) trusts no extension and probes what this names as media;
document import (engine/content/kinds.py) refuses, by name, the formats it does not read; `ss bulk`
tells a workbook renamed to .csv from CSV text. Each caller decides which matches concern it.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

ZIP = "application/zip"
OLE = "application/x-ole-storage"  # a compound file: .doc, .xls, .ppt before Office 2007


@dataclass(frozen=True)
class Format:
    mime: str
    label: str  # for messages: "a PNG image"


# Prefixes at offset 0. None of them is a prefix of another, so their order does not matter.
_SIGNATURES: tuple[tuple[bytes, Format], ...] = (
    (b"\xff\xd8\xff", Format("image/jpeg", "a JPEG image")),
    (b"\x89PNG\r\n\x1a\n", Format("image/png", "a PNG image")),
    (b"GIF87a", Format("image/gif", "a GIF image")),
    (b"GIF89a", Format("image/gif", "a GIF image")),
    (b"BM", Format("image/bmp", "a BMP image")),
    (b"II*\x00", Format("image/tiff", "a TIFF image")),
    (b"MM\x00*", Format("image/tiff", "a TIFF image")),
    # Matroska and WebM; the media library tells an audio-only one by its streams.
    (b"\x1a\x45\xdf\xa3", Format("video/webm", "a Matroska/WebM video")),
    (b"OggS", Format("audio/ogg", "an Ogg media file")),
    (b"fLaC", Format("audio/flac", "a FLAC audio file")),
    (b"ID3", Format("audio/mpeg", "an MP3 audio file")),
    (b"%PDF", Format("application/pdf", "a PDF document")),
    (b"PK\x03\x04", Format(ZIP, "a ZIP archive")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", Format(OLE, "a legacy Office file (.doc, .xls or .ppt)")),
    (b"{\\rtf", Format("application/rtf", "an RTF document")),
    (b"\x1f\x8b", Format("application/gzip", "a gzip archive")),
    (b"7z\xbc\xaf\x27\x1c", Format("application/x-7z-compressed", "a 7-Zip archive")),
    (b"Rar!\x1a\x07", Format("application/vnd.rar", "a RAR archive")),
    (b"\x7fELF", Format("application/x-executable", "an executable program")),
    (b"MZ", Format("application/vnd.microsoft.portable-executable", "a Windows executable")),
    (b"%!PS", Format("application/postscript", "a PostScript file")),
)
# RIFF containers name their format at offset 8.
_RIFF = {
    b"WEBP": Format("image/webp", "a WebP image"),
    b"WAVE": Format("audio/wav", "a WAV audio file"),
    b"AVI ": Format("video/x-msvideo", "an AVI video"),
}
# ISO base media files (MP4, MOV, M4A) have an `ftyp` box first, its major brand at offset 8.
_FTYP = "an MP4/MOV video or audio file"
_FTYP_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P "}


def identify(head: bytes) -> Format | None:
    """The format `head` (a file's first 16 bytes or more) starts like, or None if none is known."""
    for magic, found in _SIGNATURES:
        if head.startswith(magic):
            return found
    if head[:4] == b"RIFF" and head[8:12] in _RIFF:
        return _RIFF[head[8:12]]
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _FTYP_AUDIO_BRANDS:
            return Format("audio/mp4", _FTYP)
        return Format("video/quicktime" if brand == b"qt  " else "video/mp4", _FTYP)
    return None


MEDIA_HEAD_BYTES = 64  # what `scene_media_problem` needs of a file


def scene_media_problem(head: bytes) -> str | None:
    """Why a file starting with `head` cannot be a scene's media (an image or a video), or None.

    The one check both sides make: `ss bulk` (and its --dry-run) on the sheet's files, the engine on
    the local paths a request names (engine/services/videos.py), before it probes them with ffmpeg.
    """
    found = identify(head)
    if found is not None and found.mime.partition("/")[0] in ("image", "video"):
        return None
    if found is not None:
        return f"expected an image or a video, found {found.label}"
    if not head:
        return "expected an image or a video, found an empty file"
    return "expected an image or a video, found no image or video format"


# UTF-32's little-endian mark starts like UTF-16's: look for it first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def bom_encoding(head: bytes) -> str | None:
    """The codec a text's byte-order mark names ("utf-32", "utf-8-sig" or "utf-16"), or None."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None
