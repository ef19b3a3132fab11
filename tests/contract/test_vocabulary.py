"""One vocabulary: each Literal the models use equals the table the help texts and checks read."""

from __future__ import annotations

import subprocess
import sys
from typing import get_args

import pytest

from scriptsensei_cli.contract import vocabulary as v
from scriptsensei_cli.engine.render.presets import QUALITIES


@pytest.mark.parametrize(
    ("literal", "table"),
    [
        (v.VideoPlatform, tuple(v.PLATFORMS)),
        (v.Platform, tuple(v.SCRIPT_PLATFORMS)),
        (v.AspectRatio, tuple(v.FRAME_SIZES)),
        (v.DateRange, v.DATE_RANGES),
        (v.TimeRange, v.TIME_RANGES),
        (v.ImportSource, v.IMPORT_SOURCES),
        (v.ExportFormat, v.EXPORT_FORMATS),
        (v.QualityName, v.QUALITY_NAMES),
        (v.QualityName, tuple(QUALITIES)),
        (v.CaptionStyleName, v.CAPTION_STYLES),
        (v.Tone, v.TONES),
        (v.VisualsMode, v.VISUALS_MODES),
    ],
)
def test_each_literal_is_its_table(literal: object, table: tuple[str, ...]) -> None:
    assert get_args(literal) == table


def test_every_platform_is_written_for_and_published_somewhere() -> None:
    for spec in v.PLATFORMS.values():
        assert v.SCRIPT_PLATFORMS[spec.script_platform].writes_scripts
        assert spec.aspect_ratio in v.FRAME_SIZES and spec.network in v.NETWORKS
        script = v.SCRIPT_PLATFORMS[spec.script_platform]
        # A video's narration limit never asks for a script its script platform refuses to write.
        assert script.min_duration <= spec.max_video_seconds


def test_the_vocabulary_loads_without_the_models() -> None:
    code = "import sys, scriptsensei_cli.contract.vocabulary; print('pydantic' in sys.modules)"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
    )
