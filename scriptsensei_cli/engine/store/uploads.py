"""A file a user sent: on local disk, in a temporary path, until a service keeps or discards it.

`engine.http.uploads` receives it (streamed, size-limited); media and voice services take it from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Upload:
    """A received multipart body: its text fields and the one file, in a temporary path."""

    fields: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    filename: str | None = None
    content_type: str | None = None
    size: int = 0
    sha256: str = ""

    def discard(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None
