"""A video as a sequence of scene segments: each scene encoded on its own, cached by what it is made
of, and the segments joined without re-encoding.

A **segment** is one scene's picture: video only, `frames` frames exactly (`framing.py` put every
scene on the frame grid), its motion and captions burned in with its own time base (its first frame
at 0). Every segment is encoded with the same encoder, settings, frame rate, time base and colour
tags, and each is a whole H.264 stream that starts with a keyframe (closed GOP), so the concat
demuxer can join them with `-c copy`. The narration and music are mixed and encoded once, for the
whole video (`sound_command`, beside the segments' encodes), and muxed with the joined picture in
the last step (`assemble_command`), neither re-encoded: the sound never has a seam.

A segment's **key** is a hash of everything that decides its frames, and of nothing else: the
filtergraph that draws it (visual kind, focus, clip length, colour conversion, pan direction, frame
count, frame size), its captions (their text, style and words' timings, relative to the segment),
the encoder and its settings, the picture file (path, size, modification time) and the caption font
file, and the ffmpeg build. Not its place in the video: a scene that moves because an earlier one
got longer keeps its key. Encoded segments live in the engine's cache (`cache_dir/segments`), each
written whole or not at all (`common/atomic.py`), so a re-render after an edit encodes only the
scenes whose key changed, and the job is a join and a mux.

A segment has its own inputs, key and output, so it is encoded as soon as its scene is narrated,
while later scenes are (`encoding.py`), beside the other scenes' segments; and later, by another
worker.

Not yet segments: `transition: fade`, whose cross-fade shows two scenes at once across a cut; such
videos take the one-pass path (`compose.build_command`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .captions import CaptionStyle, ass_filter, build_ass
from .compose import AudioPlan, audio_graph, scene_chain, video_codec_args
from .fonts import ResolvedFont
from .framing import SceneSpan
from .presets import OutputPreset
from .visuals import Visual

# Bump when what a segment's frames are made of changes in a way its key does not show.
SEGMENT_FORMAT = 1
# Ticks per frame of the segments' time base (and the video's): 15360 at 30 fps, ffmpeg's own choice
# for 30 fps MP4. One time base for all, so joined timestamps are exact.
TICKS_PER_FRAME = 512
_CAPTIONS_PLACEHOLDER = Path("captions.ass")


@dataclass(frozen=True)
class Segment:
    """One scene's picture as a unit of work: what it shows, for how long, with which captions."""

    number: int  # the scene's place in the video (the pan's direction alternates with it)
    visual: Visual
    span: SceneSpan
    captions: str | None = None  # an ASS script in the segment's own time base
    font: ResolvedFont | None = None

    @property
    def frames(self) -> int:
        return self.span.frames


@dataclass(frozen=True)
class CachedSegment:
    segment: Segment
    key: str
    path: Path  # where the encoded segment is (or will be) kept

    @property
    def ready(self) -> bool:
        return self.path.exists()


def plan_segments(
    visuals: Sequence[Visual],
    spans: Sequence[SceneSpan],
    *,
    preset: OutputPreset,
    style: CaptionStyle | None,
    font: ResolvedFont | None,
) -> list[Segment]:
    """One segment per scene (`plan_segment`)."""
    return [
        plan_segment(number, visual, span, preset=preset, style=style, font=font)
        for number, (visual, span) in enumerate(zip(visuals, spans, strict=True))
    ]


def plan_segment(
    number: int,
    visual: Visual,
    span: SceneSpan,
    *,
    preset: OutputPreset,
    style: CaptionStyle | None,
    font: ResolvedFont | None,
) -> Segment:
    """Scene `number`'s segment, its captions cut to its own words (a word belongs to the scene where
    it starts; the last line stays up to the scene's end across a short pause, as within a scene)."""
    captions = None
    if style is not None and font is not None:
        captions = build_ass(
            span.words, width=preset.width, height=preset.height, style=style, font=font, until=span.duration
        )
    return Segment(number, visual, span, captions, font if captions else None)


def in_cache(
    segments: Sequence[Segment], preset: OutputPreset, encoder: str, cache: Path
) -> list[CachedSegment]:
    """Each segment with its key and its place in `cache` (a folder of encoded segments)."""
    placed = []
    for segment in segments:
        key = segment_key(segment, preset, encoder)
        placed.append(CachedSegment(segment, key, cache / key[:2] / f"{key}.mp4"))
    return placed


def segment_key(segment: Segment, preset: OutputPreset, encoder: str) -> str:
    """The hash of everything that decides the segment's frames (see the module's notes)."""
    from .ffmpeg import ffmpeg_exe

    inputs, graph = _graph(segment, preset, _CAPTIONS_PLACEHOLDER)
    facts = {
        "format": SEGMENT_FORMAT,
        "ffmpeg": ffmpeg_exe(),
        "inputs": inputs,
        "graph": graph,
        "codec": _codec_args(encoder, preset, segment.frames),
        "picture": _file_identity(segment.visual.path),
        "captions": segment.captions,
        "font": _file_identity(segment.font.path) if segment.font is not None else None,
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def encode_command(
    segment: Segment,
    preset: OutputPreset,
    encoder: str,
    *,
    captions_file: Path | None,
    output: Path,
    threads: int | None,
) -> list[str]:
    """ffmpeg arguments encoding `segment` to `output` (MP4, video only). Its captions, if any, must
    already be written to `captions_file`."""
    inputs, graph = _graph(segment, preset, captions_file)
    return [
        *inputs,
        "-filter_complex",
        graph,
        "-map",
        "[vout]",
        *_codec_args(encoder, preset, segment.frames),
        *(["-threads", str(threads)] if threads else []),
        "-f",
        "mp4",
        str(output),
    ]


def concat_list(segments: Sequence[CachedSegment], path: Path) -> None:
    """The concat demuxer's list: each file and its exact length, so no join can drift."""
    lines = []
    for cached in segments:
        quoted = str(cached.path.resolve()).replace("'", "'\\''")
        lines.append(f"file '{quoted}'\nduration {cached.segment.span.duration:.6f}\n")
    path.write_text("".join(lines), encoding="utf-8")


def sound_command(audio: AudioPlan, preset: OutputPreset, *, total: float, output: Path) -> list[str]:
    """ffmpeg arguments mixing the whole sound (`compose.audio_graph`) and encoding it to `output`
    (AAC in MP4), `total` seconds long: made beside the segments, muxed with them at the end."""
    inputs, graph = audio_graph(audio, total, first_input=0)
    return [
        *inputs,
        "-filter_complex",
        ";".join(graph),
        "-map",
        "[aout]",
        "-c:a",
        "aac",
        "-b:a",
        preset.quality.audio_bitrate,
        "-t",
        f"{total:.6f}",
        "-f",
        "mp4",
        str(output),
    ]


def assemble_command(list_file: Path, sound: Path, *, total: float, output: Path) -> list[str]:
    """ffmpeg arguments joining the segments in `list_file` with the encoded `sound`
    (`sound_command`) into `output`, re-encoding neither."""
    return [
        "-f",
        "concat",
        "-safe",
        "0",
        "-i",
        str(list_file),
        "-i",
        str(sound),
        "-map",
        "0:v",
        "-map",
        "1:a",
        "-c",
        "copy",
        "-movflags",
        "+faststart",
        "-t",
        f"{total:.6f}",
        "-f",
        "mp4",
        str(output),
    ]


def touch(path: Path) -> None:
    """Mark a cached segment as used now (the age a cache sweep would go by)."""
    with contextlib.suppress(OSError):
        os.utime(path)


def _graph(segment: Segment, preset: OutputPreset, captions_file: Path | None) -> tuple[list[str], str]:
    span = segment.span
    inputs, chain = scene_chain(
        segment.visual, preset, index=0, length=span.duration, frames=span.frames, scene_number=segment.number
    )
    if segment.captions is not None and segment.font is not None and captions_file is not None:
        chain += f";[v0]{ass_filter(captions_file, segment.font)}[vout]"
    else:
        chain += ";[v0]null[vout]"
    return inputs, chain


def _codec_args(encoder: str, preset: OutputPreset, frames: int) -> list[str]:
    return [
        *video_codec_args(encoder, preset),
        "-r",
        str(preset.fps),
        "-frames:v",
        str(frames),
        "-video_track_timescale",
        str(preset.fps * TICKS_PER_FRAME),
        "-an",
    ]


def _file_identity(path: Path) -> list[object]:
    stat = path.stat()
    return [str(path), stat.st_size, stat.st_mtime_ns]
