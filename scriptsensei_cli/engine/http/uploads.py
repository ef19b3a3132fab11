"""Streamed multipart uploads: the file goes to disk as it arrives, and stops at the size limit.

Starlette's form parser spools a whole file before the route sees it, with no size limit on files,
so a 5 GB upload would fill the disk before we could refuse it. Here the body is parsed as it is
read: a declared Content-Length over the limit is refused before a byte is read, and a body that
grows past it is refused (413) the moment it does, its partial file deleted.

The client's file name is kept for display only; the file is stored under a generated name, so a
name such as `../../x` cannot choose where it lands.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import IO, Any

from starlette.requests import Request

from ..errors import EngineError, Invalid, TooLarge, Unsupported
from ..store.uploads import Upload

MAX_FIELD_BYTES = 64 * 1024  # text fields (name, description): generous, not unbounded
MULTIPART_OVERHEAD = 64 * 1024  # boundaries, part headers and text fields around the file


def _too_large(what: str, limit: int) -> EngineError:
    return TooLarge(
        f"{what} is larger than the {_size(limit)} limit",
        field="file",
        details={"max_bytes": limit},
    )


def _size(count: int) -> str:
    megabytes = count / (1024 * 1024)
    return f"{megabytes:.3g} MB" if megabytes >= 1 else f"{count / 1024:.0f} kB"


async def receive_upload(
    request: Request, directory: Path, *, max_bytes: int, what: str = "the upload"
) -> Upload:
    """Parse a multipart/form-data request with one `file` part, writing the file into `directory`."""
    from python_multipart.multipart import MultipartParser, parse_options_header

    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise Unsupported("send the file as multipart/form-data with a `file` part", field="file")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes + MULTIPART_OVERHEAD:
        raise _too_large(what, max_bytes)

    directory.mkdir(parents=True, exist_ok=True)
    receiver = _Receiver(directory, max_bytes, what)
    parser = MultipartParser(boundary, receiver.callbacks())
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
        return receiver.result()
    except BaseException as exc:
        receiver.abort()
        if type(exc).__module__.startswith("python_multipart"):
            raise Invalid(f"malformed multipart body: {exc}", field="file") from exc
        raise


class _Receiver:
    """python-multipart's callbacks: text fields into memory, the `file` part to disk, hashed."""

    def __init__(self, directory: Path, max_bytes: int, what: str) -> None:
        self.directory, self.max_bytes, self.what = directory, max_bytes, what
        self.upload = Upload()
        self._digest = hashlib.sha256()
        self._header_name = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._name: str | None = None
        self._buffer = bytearray()
        self._file: IO[bytes] | None = None
        self._finished = False

    def callbacks(self) -> Any:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value_part,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_end": self._end,
        }

    def _part_begin(self) -> None:
        self._headers, self._name, self._buffer = {}, None, bytearray()

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_value_part(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_name.lower()] = self._header_value
        self._header_name, self._header_value = b"", b""

    def _headers_finished(self) -> None:
        from python_multipart.multipart import parse_options_header

        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        if self._name == "file" and filename is not None:
            if self.upload.path is not None:
                raise Invalid("send one `file` part per request", field="file")
            # Display only: the last path component, whether the client used / or \.
            self.upload.filename = Path(filename.decode("utf-8", "replace").replace("\\", "/")).name or None
            self.upload.content_type = self._headers.get(b"content-type", b"").decode("latin-1") or None
            self.upload.path = self.directory / f".upload-{secrets.token_hex(12)}.part"
            self._file = open(self.upload.path, "wb")  # noqa: SIM115 (closed in _part_end or abort)

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        piece = data[start:end]
        if self._file is not None:
            self.upload.size += len(piece)
            if self.upload.size > self.max_bytes:
                raise _too_large(self.what, self.max_bytes)
            self._file.write(piece)
            self._digest.update(piece)
        else:
            self._buffer += piece
            if len(self._buffer) > MAX_FIELD_BYTES:
                raise Invalid(f"form field {self._name!r} is too long", field=self._name or "form")

    def _part_end(self) -> None:
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self._file = None
        elif self._name:
            self.upload.fields[self._name] = self._buffer.decode("utf-8", "replace")

    def _end(self) -> None:
        self._finished = True

    def abort(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self.upload.discard()

    def result(self) -> Upload:
        if self.upload.path is None:
            raise Invalid("the form has no `file` part", field="file")
        if not self._finished or self._file is not None:
            raise Invalid("the upload ended before the multipart body was complete", field="file")
        if self.upload.size == 0:
            raise Invalid(f"{self.what} is empty", field="file")
        self.upload.sha256 = self._digest.hexdigest()
        return self.upload
