"""What a sheet's `media` and `music` cells name: media ids, files, globs, relative to the sheet's folder."""

from __future__ import annotations

import glob
import os
import re
from pathlib import Path

from ..common.magic import MEDIA_HEAD_BYTES, scene_media_problem
from .reader import LIST_SEPARATOR

MEDIA_ID = re.compile(r"^med_\w+$")  # an item of the user's media library on the server
MUSIC_ID = re.compile(r"^(?:med|mus)_\w+$")
GLOB_MAGIC = re.compile(r"[*?[]")
MediaRef = Path | str  # a local file, or (str) the id of an item in the user's media library


def absolute(path: Path) -> Path:
    try:
        return Path(os.path.abspath(path))
    except (OSError, ValueError):  # the working directory was deleted under us
        return path


def _resolve(item: str, folder: Path) -> tuple[Path, bool]:
    """The path an entry names, and whether it was relative (to the sheet's folder, or the cwd)."""
    path = Path(item)
    if item.startswith("~"):
        path = path.expanduser()
    return (path, False) if path.is_absolute() else (folder / path, True)


def media_problem(file: MediaRef) -> str | None:
    """Why a local file cannot be a scene's media by its first bytes (the check the engine starts
    with, common/magic.py); None for a media id, or a file that the server is then asked about."""
    if isinstance(file, str):
        return None  # a media id: the server checks it
    try:
        with file.open("rb") as handle:
            head = handle.read(MEDIA_HEAD_BYTES)
    except OSError as exc:
        return f"{str(file)!r} cannot be read: {exc.strerror or exc}"
    if (problem := scene_media_problem(head)) is not None:
        return f"{str(file)!r}: {problem}"
    return None


def media_paths(item: str, folder: Path) -> tuple[list[MediaRef], str | None]:
    """The files one `media` entry names (a media id, a path or a glob), or why it names none."""
    if MEDIA_ID.match(item):
        return [item], None  # the server checks that the id is the user's
    try:
        path, relative = _resolve(item, folder)
        # A file whose name has [brackets] or a ? in it is that file, not a pattern.
        if GLOB_MAGIC.search(item) and not path.is_file():
            # Relative patterns are matched inside the folder, so that its own name is never a pattern.
            if relative:
                matches = [folder / match for match in glob.glob(item, root_dir=folder, recursive=True)]
            else:
                matches = [Path(match) for match in glob.glob(str(path), recursive=True)]
            files: list[MediaRef] = sorted({match.resolve() for match in matches if match.is_file()})
            if not files:
                return [], f"{item!r} matches no files (looked in {folder if relative else path.parent})"
            return files, None
        if path.is_dir():
            return [], f"{item!r} is a folder; name the files, or use a glob like '{item.rstrip('/')}/*.jpg'"
        if not path.is_file():
            return [], f"{item!r} does not exist (looked for {path})"
        return [path.resolve()], None
    except (OSError, ValueError, RuntimeError) as exc:
        return [], f"{item!r} cannot be read: {exc}"


def music_id_message(item: str) -> str:
    return f"{item!r}: music takes a file path (the media library holds images and video clips)"


def music_path(item: str, folder: Path) -> tuple[Path | None, str | None]:
    if LIST_SEPARATOR in item:
        return None, "give one music file, not a list"
    if MUSIC_ID.match(item):
        return None, music_id_message(item)
    try:
        path, _ = _resolve(item, folder)
        if not path.is_file():
            return None, f"{item!r} does not exist (looked for {path})"
        return path.resolve(), None
    except (OSError, ValueError, RuntimeError) as exc:
        return None, f"{item!r} cannot be read: {exc}"
