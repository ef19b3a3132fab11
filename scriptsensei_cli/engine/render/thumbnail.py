"""The thumbnail: the first scene's picture at the video's own aspect ratio, with the title set large.

It is drawn from the scene's source (not from the rendered video) so no caption is caught in it, and
converted from the source's colour straight to a JPEG's (full range, BT.601 matrix, BT.709 primaries
and transfer; HDR tone-mapped as the video is: `colour.py`), so it looks like the video's frames.
"""

from __future__ import annotations

from pathlib import Path

from . import ffmpeg
from .captions import ass_filter
from .colour import JPEG, after_crop, before_scale, scale_options
from .errors import RenderError
from .fonts import FontError, font_for_text
from .presets import OutputPreset
from .visuals import Visual

MAX_TITLE_CHARS = 90
STYLE_FIELDS = (
    "Name",
    "Fontname",
    "Fontsize",
    "PrimaryColour",
    "SecondaryColour",
    "OutlineColour",
    "BackColour",
    "Bold",
    "Italic",
    "Underline",
    "StrikeOut",
    "ScaleX",
    "ScaleY",
    "Spacing",
    "Angle",
    "BorderStyle",
    "Outline",
    "Shadow",
    "Alignment",
    "MarginL",
    "MarginR",
    "MarginV",
    "Encoding",
)


def title_ass(title: str, *, width: int, height: int, family: str, bold: bool = True) -> str:
    """An ASS script that draws `title` in a dark box across the upper third of the frame."""
    size = round(min(width, height) * 0.1)
    margin = round(width * 0.07)
    text = title.strip()[:MAX_TITLE_CHARS].replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
    return "\n".join(
        [
            "[Script Info]",
            "ScriptType: v4.00+",
            f"PlayResX: {width}",
            f"PlayResY: {height}",
            "WrapStyle: 0",
            "ScaledBorderAndShadow: yes",
            "",
            "[V4+ Styles]",
            "Format: " + ", ".join(STYLE_FIELDS),
            f"Style: Title,{family},{size},&H00FFFFFF,&H00FFFFFF,&H99000000,&H99000000,"
            f"{-1 if bold else 0},0,0,0,100,100,0,0,3,{max(size // 5, 4)},0,8,"
            f"{margin},{margin},{round(height * 0.18)},1",
            "",
            "[Events]",
            "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
            f"Dialogue: 0,0:00:00.00,9:00:00.00,Title,,0,0,0,,{text}",
            "",
        ]
    )


def make_thumbnail(
    visual: Visual, output: Path, *, title: str, preset: OutputPreset, at: float, work_dir: Path
) -> None:
    """Write `output` (JPEG) from the scene's `visual` (a clip at `at` seconds).

    `output` is a temporary name: the render draws the thumbnail while the video encodes and moves
    both into place together, once the video has passed QC."""

    width = min(preset.width, 1080 if preset.portrait else 1280)
    height = round(preset.height * width / preset.width) // 2 * 2
    try:
        font = font_for_text(title)
    except FontError as exc:
        raise RenderError("thumbnail", str(exc)) from exc
    title_file = work_dir / "title.ass"
    title_file.write_text(
        title_ass(title, width=width, height=height, family=font.family, bold=font.bold), encoding="utf-8"
    )
    colour = visual.colour
    graph = (
        f"{before_scale(colour)}scale={width}:{height}:force_original_aspect_ratio=increase:flags=lanczos"
        f"{scale_options(colour, JPEG)},crop={width}:{height},setsar=1,{after_crop(colour, JPEG)},"
        f"{ass_filter(title_file, font)}"
    )
    # A clip loops in the video, so it loops here too: a clip shorter than `at` still gives a frame.
    seek = ["-stream_loop", "-1", "-ss", f"{at:.3f}"] if visual.kind == "video" else []
    command = [*seek, "-i", str(visual.path), "-frames:v", "1", "-vf", graph, "-q:v", "3", "-f", "image2"]
    try:
        ffmpeg.run([*command, str(output)])
    except ffmpeg.FFmpegError as exc:
        output.unlink(missing_ok=True)
        raise RenderError("thumbnail", str(exc), details=exc.stderr_tail) from exc
