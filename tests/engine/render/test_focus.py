"""Crops keep the subject: the focus point of real pictures (made with ffmpeg), and a draft render whose
frames are read back (real piper, real ffmpeg)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scriptsensei_cli.engine.render.focus import focus_point
from scriptsensei_cli.engine.render.pipeline import RenderRequest, render_video
from scriptsensei_cli.engine.render.request import SceneInput
from scriptsensei_cli.engine.render.tts import Narrator
from tests.media_files import ffmpeg


def picture_with_subject(path: Path, x: int, y: int, width: int = 1600, height: int = 900) -> Path:
    """A flat grey-blue landscape with one small, colourful, detailed subject at (x, y)."""
    ffmpeg(
        "-f", "lavfi", "-i", f"color=c=0x405060:s={width}x{height}",
        "-f", "lavfi", "-i", "testsrc2=s=160x160",
        "-filter_complex", f"[0][1]overlay=x={x - 80}:y={y - 80}", "-frames:v", "1", str(path),
    )  # fmt: skip
    return path


@pytest.mark.parametrize(("x", "y"), [(1350, 450), (250, 300), (800, 700)])
def test_the_focus_is_where_the_subject_is(tmp_path: Path, x: int, y: int) -> None:
    fx, fy = focus_point(picture_with_subject(tmp_path / "p.jpg", x, y))
    assert abs(fx - x / 1600) < 0.1 and abs(fy - y / 900) < 0.12


def test_a_flat_picture_keeps_the_centre_and_answers_are_kept(tmp_path: Path) -> None:
    flat = tmp_path / "flat.png"
    ffmpeg("-f", "lavfi", "-i", "color=c=gray:s=400x300", "-frames:v", "1", str(flat))
    assert focus_point(flat, tmp_path / "cache") == (0.5, 0.5)
    assert focus_point(tmp_path / "missing.jpg") == (0.5, 0.5)
    assert focus_point(tmp_path / "notes.txt") == (0.5, 0.5)  # unreadable: the centre, never an error
    subject = picture_with_subject(tmp_path / "s.jpg", 1400, 450)
    first = focus_point(subject, tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("*.json"))) == 2
    assert focus_point(subject, tmp_path / "cache") == pytest.approx(first, abs=1e-3)


def test_a_portrait_render_of_a_landscape_photo_shows_its_subject(tmp_path: Path) -> None:
    """The subject sits in the right sixth of the photo: a centre crop to 9:16 would lose it."""
    photo = picture_with_subject(tmp_path / "photo.jpg", 1450, 450)
    request = RenderRequest(
        title="Focus",
        script="One picture, one subject.",
        quality="draft",
        captions=None,
        scenes=(SceneInput("One picture, one subject, kept in the frame.", media=photo),),
    )
    result = render_video(
        request, narrator=Narrator(tmp_path / "tts"), work_dir=tmp_path / "work", output=tmp_path / "v.mp4"
    )
    frame = ffmpeg(
        "-ss", "0.5", "-i", str(result.video), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"
    )
    pixels = np.frombuffer(frame, dtype=np.uint8).reshape(result.height, result.width, 3).astype(int)
    background = np.array([0x40, 0x50, 0x60])
    differs = np.abs(pixels - background).sum(axis=2) > 60
    assert differs.mean() > 0.05, "the subject is in the frame"
