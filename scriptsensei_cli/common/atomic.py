"""Files that appear whole or not at all: written beside their final name, then renamed into place.

The temporary file is `.<stem>.<random>.part<suffix>` in the destination's directory: hidden, unique
to its writer (threads and processes may write the same file at once), on the same filesystem (so the
rename is atomic), and ending in the real extension, because ffmpeg and other tools pick a format by
it. The writer creates the file itself, so its mode follows the umask (unlike `tempfile.mkstemp`'s
0600). On any error the temporary file is removed; what a killed process left behind, `leftovers`
finds.

`fsync=True` flushes the data to disk before the rename, for files nothing could write again (the
user's settings and credentials, their media): without it a power cut soon after the rename can leave
an empty file on some filesystems. Caches and files the engine can render again skip the cost.
"""

from __future__ import annotations

import contextlib
import glob
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, Literal, TextIO, overload

PART = ".part"


def partial_path(dest: Path) -> Path:
    """A fresh name beside `dest` for the file that will replace it."""
    return dest.with_name(f".{dest.stem}.{os.urandom(6).hex()}{PART}{dest.suffix}")


def leftovers(directory: Path, dest_name: str | None = None) -> list[Path]:
    """Temporary files killed writers left in `directory`: those of `dest_name` alone, when given.

    Without a name this also finds `.<name>.part`, the name older versions gave their temporary files.
    """
    if dest_name is not None:
        dest = Path(dest_name)
        return sorted(directory.glob(f".{glob.escape(dest.stem)}.*{PART}{glob.escape(dest.suffix)}"))
    return sorted({*directory.glob(f".*{PART}"), *directory.glob(f".*{PART}.*")})


@contextlib.contextmanager
def atomic_path(dest: Path, *, fsync: bool = False) -> Iterator[Path]:
    """A fresh path beside `dest` to write to; it replaces `dest` if the block succeeds, else is removed."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(dest)
    try:
        yield partial
        if fsync:
            _fsync(partial)
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)


@overload
def atomic_write(
    dest: Path,
    mode: Literal["w"] = "w",
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
    fsync: bool = False,
    permissions: int | None = None,
) -> contextlib.AbstractContextManager[TextIO]: ...


@overload
def atomic_write(
    dest: Path,
    mode: Literal["wb"],
    *,
    fsync: bool = False,
    permissions: int | None = None,
) -> contextlib.AbstractContextManager[BinaryIO]: ...


@contextlib.contextmanager
def atomic_write(
    dest: Path,
    mode: str = "w",
    *,
    encoding: str | None = "utf-8",
    newline: str | None = None,
    fsync: bool = False,
    permissions: int | None = None,
) -> Iterator[Any]:  # TextIO or BinaryIO, as the overloads say
    """An open file (`mode` "w" or "wb") that replaces `dest` when the block ends without an error.

    `permissions` (0o600, say) are the file's mode from the start, whatever the umask.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    with atomic_path(dest) as partial:
        fd = os.open(partial, flags, 0o666 if permissions is None else permissions)
        if permissions is not None:
            os.chmod(partial, permissions)  # the umask may have taken bits away
        with open(fd, "wb") if mode == "wb" else open(fd, "w", encoding=encoding, newline=newline) as handle:
            yield handle
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())


def atomic_write_text(dest: Path, text: str, *, fsync: bool = False, permissions: int | None = None) -> None:
    """Write `text` (UTF-8) to `dest` through a temporary file renamed into place."""
    with atomic_write(dest, fsync=fsync, permissions=permissions) as handle:
        handle.write(text)


def atomic_write_bytes(dest: Path, data: bytes, *, fsync: bool = False) -> None:
    """Write `data` to `dest` through a temporary file renamed into place."""
    with atomic_write(dest, "wb", fsync=fsync) as handle:
        handle.write(data)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
