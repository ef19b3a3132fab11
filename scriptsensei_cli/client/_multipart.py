"""multipart/form-data bodies streamed from disk, with a progress callback per chunk sent.

httpx can build multipart bodies, but it reads files in its own time and reports nothing; an
upload of a 400 MB clip deserves a progress bar (bytes, rate), and a Content-Length up front lets
the server refuse an oversized file before a byte of it is sent.
"""

from __future__ import annotations

import mimetypes
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

CHUNK = 256 * 1024
Progress = Callable[[int, int], None]  # (bytes sent, total bytes)


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


@dataclass
class MultipartFile:
    """`fields` as text parts, then `path` as the `file` part."""

    path: Path
    fields: Mapping[str, str] = field(default_factory=dict)
    on_progress: Progress | None = None
    boundary: str = field(default_factory=lambda: f"ss-{secrets.token_hex(16)}")

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def _head(self) -> bytes:
        parts = []
        for name, value in self.fields.items():
            disposition = f'Content-Disposition: form-data; name="{_quote(name)}"'
            parts.append(f"--{self.boundary}\r\n{disposition}\r\n\r\n{value}\r\n")
        file_type = mimetypes.guess_type(self.path.name)[0] or "application/octet-stream"
        parts.append(
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{_quote(self.path.name)}"\r\nContent-Type: {file_type}\r\n\r\n'
        )
        return "".join(parts).encode("utf-8")

    def _tail(self) -> bytes:
        return f"\r\n--{self.boundary}--\r\n".encode()

    @property
    def length(self) -> int:
        return len(self._head()) + self.path.stat().st_size + len(self._tail())

    def chunks(self) -> Iterator[bytes]:
        total = self.length
        sent = 0
        head = self._head()
        yield head
        sent += len(head)
        with open(self.path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk
                sent += len(chunk)
                if self.on_progress is not None:
                    self.on_progress(sent, total)
        tail = self._tail()
        yield tail
        if self.on_progress is not None:
            self.on_progress(total, total)
