"""common.atomic: a file appears whole at its final name, or not at all."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from scriptsensei_cli.common.atomic import (
    atomic_path,
    atomic_write,
    atomic_write_bytes,
    atomic_write_text,
    leftovers,
    partial_path,
)


def test_writes_text_and_bytes_creating_the_directory(tmp_path: Path) -> None:
    atomic_write_text(tmp_path / "a" / "notes.json", "{}")
    atomic_write_bytes(tmp_path / "b.bin", b"\x00\x01")
    with atomic_write(tmp_path / "c.csv", newline="") as handle:
        handle.write("x\r\n")
    assert (tmp_path / "a" / "notes.json").read_text() == "{}"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert (tmp_path / "c.csv").read_bytes() == b"x\r\n"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["b.bin", "c.csv", "notes.json"]


def test_an_error_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    dest = tmp_path / "settings.toml"
    dest.write_text("old")
    with pytest.raises(RuntimeError), atomic_write(dest) as handle:
        handle.write("half of the new")
        raise RuntimeError
    assert dest.read_text() == "old"
    assert list(tmp_path.iterdir()) == [dest]


def test_the_temporary_name_is_hidden_unique_and_keeps_the_extension(tmp_path: Path) -> None:
    dest = tmp_path / "clip.mp4"
    first, second = partial_path(dest), partial_path(dest)
    assert first != second and first.parent == tmp_path
    assert first.name.startswith(".clip.") and first.name.endswith(".part.mp4")
    with atomic_path(dest) as partial:
        assert partial.suffix == ".mp4"  # ffmpeg picks the container by it
        partial.write_bytes(b"video")
    assert dest.read_bytes() == b"video"


def test_permissions_hold_whatever_the_umask(tmp_path: Path) -> None:
    atomic_write_text(tmp_path / "credentials.json", "{}", permissions=0o600, fsync=True)
    assert stat.S_IMODE((tmp_path / "credentials.json").stat().st_mode) == 0o600


def test_leftovers_finds_killed_writers_files_old_and_new(tmp_path: Path) -> None:
    names = [".clip.0a1b2c3d4e5f.part.mp4", ".clip.0a1b2c3d4e5f.part.jpg", ".results.csv.part", "clip.mp4"]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in leftovers(tmp_path, "clip.mp4")] == [".clip.0a1b2c3d4e5f.part.mp4"]
    assert [p.name for p in leftovers(tmp_path)] == sorted(names[:3])
