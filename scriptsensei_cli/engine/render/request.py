"""What a render needs, typed once: built when a video is created, stored as its JSON, loaded by the worker.

request = RenderRequest(title="Sleep", script="Good sleep starts in the morning.", platform="youtube")
stored = request.model_dump(mode="json")            # the video row's `spec`
RenderRequest.model_validate(stored) == request     # what the worker renders
request.preset().width                              # 1920: the frame comes from the platform table
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ...contract.videos import Transition
from ...contract.vocabulary import AspectRatio, QualityName, VideoPlatform, VisualsMode
from .captions import CaptionStyle
from .presets import OutputPreset, output_preset
from .voices import Voice


@dataclass(frozen=True)
class SceneInput:
    text: str
    media: Path | None = None
    # What the scene showed at its last render (a `SceneVisual` record with the file's `path`): a
    # library or stock pick is kept while the scene's text is unchanged and the file is still there.
    visual: Mapping[str, Any] | None = None
    # What the writer (an LLM) said to show here: searched for instead of the scene's own words.
    hint: str | None = None


class RenderRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    script: str
    language: str = "en"
    # A voice id, or a voice resolved when the video was created (a user's own voice: the render
    # needs no voice row, even if it is deleted meanwhile).
    voice: Voice | str | None = None
    platform: VideoPlatform = "tiktok"
    aspect_ratio: AspectRatio | None = None
    quality: QualityName = "standard"
    captions: CaptionStyle | None = Field(default_factory=CaptionStyle)
    media: tuple[Path, ...] = ()
    visuals: VisualsMode = "auto"  # for scenes without media
    music: Path | None = None
    transition: Transition = "none"
    # Explicit scenes (planned, or edited with `ss video update-scene`); None: planned from the script.
    scenes: tuple[SceneInput, ...] | None = None

    def preset(self) -> OutputPreset:
        """The frame and encoder settings; `PresetError` names the field that is wrong."""
        return output_preset(self.platform, self.aspect_ratio, self.quality)
