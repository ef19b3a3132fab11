"""The segment encoder: encodes at once, each segment once, and a failure that stops the rest and
reaches the caller naming its stage."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest

from scriptsensei_cli.engine.render.encoding import SegmentEncoder, encode_slots
from scriptsensei_cli.engine.render.errors import RenderError
from scriptsensei_cli.engine.render.ffmpeg import ffmpeg_exe
from scriptsensei_cli.engine.render.framing import SceneSpan
from scriptsensei_cli.engine.render.presets import output_preset
from scriptsensei_cli.engine.render.segments import plan_segment
from scriptsensei_cli.engine.render.visuals import media_visual


def still(path: Path) -> Path:
    source = ["-f", "lavfi", "-i", "testsrc2=s=320x240", "-frames:v", "1"]
    subprocess.run([ffmpeg_exe(), "-loglevel", "error", "-y", *source, str(path)], check=True)
    return path


def test_encode_slots_share_the_cores() -> None:
    assert encode_slots(1) == (1, 1)
    assert encode_slots(2) == (2, 1)
    assert encode_slots(16) == (4, 4)


def test_segments_encode_once_and_a_failure_stops_the_rest(tmp_path: Path) -> None:
    preset = output_preset("tiktok", None, "draft")
    visual = media_visual(still(tmp_path / "still.png"))
    segments = [
        plan_segment(number, visual, SceneSpan(0, frames, 30), preset=preset, style=None, font=None)
        for number, frames in enumerate([20, 25])
    ]
    cache = tmp_path / "cache"
    with SegmentEncoder(
        preset, "libx264", cache=cache, scratch=tmp_path, weights=[1, 1], jobs=2, threads=1
    ) as encodes:
        placed = [encodes.submit(segment) for segment in [*segments, segments[0]]]
        encodes.finish()
    assert placed[0] is placed[2] and all(cached.ready for cached in placed)
    assert len(encodes.encoded) == 2 and not encodes.reused

    garbled = tmp_path / "garbled.png"
    garbled.write_bytes(b"not a picture at all" * 10)
    broken = dataclasses.replace(visual, path=garbled)
    long = plan_segment(3, visual, SceneSpan(0, 3000, 30), preset=preset, style=None, font=None)
    with (
        pytest.raises(RenderError) as failed,
        SegmentEncoder(preset, "libx264", cache=cache, scratch=tmp_path, weights=[1] * 4, jobs=2) as encodes,
    ):
        encodes.submit(long)
        encodes.submit(plan_segment(2, broken, SceneSpan(0, 20, 30), preset=preset, style=None, font=None))
        encodes.finish()
    assert failed.value.stage == "render"
    assert not list(cache.rglob(".*part*"))  # the stopped encode left nothing half-written
