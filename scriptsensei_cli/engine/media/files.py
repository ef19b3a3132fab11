"""Writing media files so that a reader never sees half of one."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """A fresh path beside `dest` to write to; it replaces `dest` if the block succeeds, else is removed.

    Readers never see a half-written file, and the writer creates the file, so its mode follows the
    umask (unlike `tempfile.mkstemp`'s 0600).
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        yield partial
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
