"""common.magic: one signature table, read differently by the media library and document import."""

from __future__ import annotations

import pytest

from scriptsensei_cli.common.magic import OLE, ZIP, identify
from scriptsensei_cli.engine.content.kinds import sniff as document_kind
from scriptsensei_cli.engine.errors import EngineError
from scriptsensei_cli.engine.media.sniff import magic_type


@pytest.mark.parametrize(
    ("head", "mime"),
    [
        (b"\x89PNG\r\n\x1a\n\0\0", "image/png"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x10\0\0\0WAVEfmt ", "audio/wav"),
        (b"\0\0\0\x18ftypM4A \0\0", "audio/mp4"),
        (b"\0\0\0\x14ftypqt  \0\0", "video/quicktime"),
        (b"\0\0\0\x18ftypisom\0\0", "video/mp4"),
        (b"PK\x03\x04\x14\0", ZIP),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0", OLE),
        (b"plain text", None),
    ],
)
def test_identify(head: bytes, mime: str | None) -> None:
    found = identify(head)
    assert (found.mime if found else None) == mime


def test_the_media_library_ignores_formats_it_does_not_name() -> None:
    assert magic_type(b"MZ\x90\0\x03\0") is None  # a Windows executable: "binary data of an unknown format"
    assert magic_type(b"%PDF-1.7\n") == "application/pdf"
    assert magic_type(b"\xff\xfb\x90\x00") == "audio/mpeg"  # an MPEG frame without an ID3 tag


def test_document_import_reads_text_that_starts_like_a_weak_signature() -> None:
    assert document_kind(b"BMW and Audi: a comparison\n") == "text"
    assert document_kind("\ufeffHello".encode("utf-16-le")) == "text"  # \xff\xfe: not an MPEG frame
    with pytest.raises(EngineError, match="the file is a Windows executable"):
        document_kind(b"MZ\x90\0\x03\0")
