"""The render request is typed once: built when a video is created, stored as JSON, loaded by the worker."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from scriptsensei_cli.contract.vocabulary import FRAME_SIZES, PLATFORMS
from scriptsensei_cli.engine.render.captions import CaptionStyle
from scriptsensei_cli.engine.render.presets import PresetError, output_preset
from scriptsensei_cli.engine.render.request import RenderRequest, SceneInput
from scriptsensei_cli.engine.render.voices import Voice
from tests.conftest import REPO

MIGRATIONS = REPO / "scriptsensei_cli/engine/store/migrations/versions"
CUSTOM = Voice(
    id="vc_0123",
    name="My voice",
    language="en-US",
    gender="female",
    provider="piper",
    style="custom",
    quality="",
    model="joe",
    length_scale=1.1,
    pitch_semitones=-2.0,
)


def test_a_request_survives_its_json_unchanged() -> None:
    request = RenderRequest(
        title="Sleep",
        script="Good sleep starts in the morning. Ten minutes of daylight sets your clock.",
        voice=CUSTOM,
        platform="youtube",
        captions=CaptionStyle(name="karaoke", words_per_line=3),
        media=(Path("/media/a.jpg"), Path("/media/b.mp4")),
        music=Path("/media/bed.mp3"),
        transition="fade",
        scenes=(SceneInput("Good sleep starts in the morning.", Path("/media/a.jpg")),),
    )
    loaded = RenderRequest.model_validate_json(request.model_dump_json())
    assert loaded == request
    assert isinstance(loaded.voice, Voice) and isinstance(loaded.captions, CaptionStyle)
    assert isinstance(loaded.scenes[0], SceneInput) if loaded.scenes else False


def test_a_stored_request_is_checked_again_when_loaded() -> None:
    stored = RenderRequest(title="t", script="s").model_dump(mode="json")
    stored["captions"]["words_per_line"] = 40
    with pytest.raises(ValueError, match="words_per_line"):
        RenderRequest.model_validate(stored)


@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_the_frame_comes_from_the_platform_table(platform: str) -> None:
    preset = RenderRequest(title="t", script="s", platform=platform).preset()  # type: ignore[arg-type]
    assert (preset.width, preset.height) == FRAME_SIZES[PLATFORMS[platform].aspect_ratio]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("myspace", None, "standard"), "platform"),
        (("tiktok", "3:2", "standard"), "aspect_ratio"),
        (("tiktok", None, "ultra"), "quality"),
    ],
)
def test_preset_errors_name_their_field(args: tuple[str, str | None, str], field: str) -> None:
    with pytest.raises(PresetError) as caught:
        output_preset(*args)
    assert caught.value.field == field and str(caught.value).startswith(f"{field}: ")


def test_specs_stored_before_the_typed_request_migrate_to_it() -> None:
    spec = importlib.util.spec_from_file_location("m0007", MIGRATIONS / "0007_typed_render_request.py")
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    legacy = {
        "script": "Good sleep starts in the morning.",
        "title": "Sleep",
        "language": "en",
        "voice": "vc_0123",
        "voice_spec": {
            "id": "vc_0123",
            "base": "joe",
            "provider": "piper",
            "language": "en-US",
            "variant": None,
            "length_scale": 1.1,
            "pitch_semitones": -2.0,
            "name": "My voice",
            "gender": "female",
        },
        "platform": "tiktok",
        "aspect_ratio": "9:16",
        "quality": "draft",
        "captions": {
            "style": "karaoke",
            "words_per_line": 3,
            "font_size": None,
            "primary_colour": "#FFFFFF",
            "highlight_colour": "#FFD60A",
            "outline_colour": "#000000",
            "position": "bottom",
            "font": None,
        },
        "media": ["/media/a.jpg"],
        "music": None,
        "transition": "none",
    }
    loaded = RenderRequest.model_validate(migration.typed_spec(legacy))
    assert loaded.voice == CUSTOM
    assert loaded.captions == CaptionStyle(name="karaoke", words_per_line=3)
    assert loaded.media == (Path("/media/a.jpg"),) and loaded.quality == "draft"
    # A spec already in the new shape is left as it is.
    current = loaded.model_dump(mode="json")
    assert migration.typed_spec(current) == current
