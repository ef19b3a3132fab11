"""The ffmpeg filtergraphs that turn scenes, narration and captions into pictures and sound.

`scene_chain` draws one scene's picture; `audio_graph` mixes the sound. A scene segment
(`segments.py`) is one `scene_chain` with its captions; `build_command` is the one-pass render (all
scenes in one graph, cross-fades between them, captions over the whole), which `transition: fade`
takes.

Every still is decoded and scaled once, then looped as a single frame and panned with a moving
crop (a few pointer offsets per frame, no per-frame rescale). Captions burn in through libass.

Colour (`colour.py`): each scene is converted to BT.709 limited-range yuv420p in the pass that
scales it (for a still, once) and its frames are tagged so; the encoder writes those tags into the
stream, whichever encoder it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .colour import VIDEO, after_crop, before_scale, scale_options
from .presets import OutputPreset
from .visuals import Visual

OVERSCAN = 1.12  # stills are scaled this much larger than the frame, leaving room to pan
# A clip up to this much shorter than its scene is slowed to fit (smoother than a loop's jump).
MAX_SLOWDOWN = 1.5
TRANSITION_SECONDS = 0.4


@dataclass(frozen=True)
class SceneClip:
    visual: Visual
    duration: float


@dataclass(frozen=True)
class AudioPlan:
    narration: Path
    sample_rate: int
    pitch_semitones: float = 0.0
    music: Path | None = None


def _even(value: float) -> int:
    return int(value) // 2 * 2


def _focused(fx: float, fy: float) -> str:
    """crop's x and y: the window centred on the point (fractions of the input), kept inside it."""
    return f"x='max(0,min(iw-ow,iw*{fx:.4f}-ow/2))':y='max(0,min(ih-oh,ih*{fy:.4f}-oh/2))'"


def build_command(
    scenes: Sequence[SceneClip],
    audio: AudioPlan,
    preset: OutputPreset,
    *,
    captions_filter: str | None,
    output: Path,
    total: float,
    encoder: str,
    threads: int | None = None,
    transition: str = "none",
    graph_file: Path,
) -> list[str]:
    """ffmpeg arguments (after the global ones) rendering `scenes` to `output`; the filtergraph is
    written to `graph_file`, which keeps long graphs off the command line and out of shell quoting.
    `threads` caps the encoder's threads when several renders share the machine."""
    fade = transition == "fade" and len(scenes) > 1
    overlap = TRANSITION_SECONDS if fade else 0.0
    inputs: list[str] = []
    graph: list[str] = []
    for index, scene in enumerate(scenes):
        length = scene.duration + (overlap if index < len(scenes) - 1 else 0.0)
        scene_inputs, chain = scene_chain(scene.visual, preset, index=index, length=length)
        inputs += scene_inputs
        graph.append(chain)
    labels = [f"[v{index}]" for index in range(len(scenes))]
    if fade:
        current, offset = labels[0], 0.0
        for index in range(1, len(scenes)):
            offset += scenes[index - 1].duration
            out = f"[x{index}]"
            graph.append(
                f"{current}{labels[index]}xfade=transition=fade:duration={overlap}:offset={offset:.3f}{out}"
            )
            current = out
        graph.append(f"{current}null[vcat]")
    else:
        graph.append(f"{''.join(labels)}concat=n={len(scenes)}:v=1:a=0[vcat]")
    if captions_filter is not None:
        graph.append(f"[vcat]{captions_filter}[vout]")
    else:
        graph.append("[vcat]null[vout]")

    audio_inputs, audio_graph_lines = audio_graph(audio, total, first_input=len(scenes))
    inputs += audio_inputs
    graph += audio_graph_lines

    graph_file.write_text(";\n".join(graph), encoding="utf-8")
    return [
        *inputs,
        "-/filter_complex",
        str(graph_file),
        "-map",
        "[vout]",
        "-map",
        "[aout]",
        *video_codec_args(encoder, preset),
        *(["-threads", str(threads)] if threads else []),
        "-r",
        str(preset.fps),
        "-c:a",
        "aac",
        "-b:a",
        preset.quality.audio_bitrate,
        "-movflags",
        "+faststart",
        "-t",
        f"{total:.3f}",
        "-f",
        "mp4",
        str(output),
    ]


def scene_chain(
    visual: Visual,
    preset: OutputPreset,
    *,
    index: int,
    length: float,
    frames: int | None = None,
    scene_number: int | None = None,
) -> tuple[list[str], str]:
    """The input arguments and the filter chain (input `index`, output `[v<index>]`) that turn one
    scene's picture into `length` seconds of frames (exactly `frames` frames when given): a still
    panned, a clip trimmed, slowed or looped, cropped to the frame around its focus point, converted
    to the video's colour. The pan's direction alternates with the scene's number in the video
    (`scene_number`, `index` unless given)."""
    width, height, fps = preset.width, preset.height, preset.fps
    trim = f"trim=end_frame={frames}" if frames is not None else f"trim=duration={length:.3f}"
    colour = visual.colour
    # After the crop: format=yuv420p and the colour tags, HDR tone-mapped (wide gamut mapped) first.
    convert = after_crop(colour, VIDEO)
    # The crop to the frame (or to the wider frame a pan moves in) is centred on the subject.
    fx, fy = visual.focus
    if visual.kind == "video":
        clip = visual.duration
        slow = length / clip if clip and clip < length <= clip * MAX_SLOWDOWN else 1.0
        return ["-stream_loop", "-1", "-i", str(visual.path)], (
            f"[{index}:v]{f'setpts=PTS*{slow:.4f},' if slow > 1 else ''}fps={fps},{before_scale(colour)}"
            f"scale={width}:{height}:force_original_aspect_ratio=increase{scale_options(colour, VIDEO)},"
            f"crop={width}:{height}:{_focused(fx, fy)},setsar=1,{convert},{trim},"
            f"setpts=PTS-STARTPTS[v{index}]"
        )
    big_w, big_h = _even(width * OVERSCAN), _even(height * OVERSCAN)
    progress = f"min(t/{length:.3f},1)"
    # Alternate the direction of the pan so consecutive stills do not drift the same way.
    number = index if scene_number is None else scene_number
    x = f"(iw-ow)*{progress}" if number % 2 == 0 else f"(iw-ow)*(1-{progress})"
    y = f"(ih-oh)*{progress}/2+(ih-oh)/4"
    return ["-framerate", str(fps), "-i", str(visual.path)], (
        f"[{index}:v]{before_scale(colour)}scale={big_w}:{big_h}:force_original_aspect_ratio=increase:"
        f"flags=lanczos{scale_options(colour, VIDEO)},crop={big_w}:{big_h}:{_focused(fx, fy)},"
        f"setsar=1,{convert},"
        "loop=loop=-1:size=1,"
        f"settb=1/{fps},setpts=N,{trim},"
        f"crop={width}:{height}:x='{x}':y='{y}'[v{index}]"
    )


def audio_graph(audio: AudioPlan, total: float, *, first_input: int) -> tuple[list[str], list[str]]:
    """The input arguments and filtergraph lines (ending in `[aout]`) for the sound: the narration
    (pitch-shifted for the voice, padded to `total`), with the music looped and ducked under it.
    Its inputs are numbered from `first_input`."""
    inputs: list[str] = []
    graph: list[str] = []
    narration_index = first_input
    inputs += ["-i", str(audio.narration)]
    voice = f"[{narration_index}:a]"
    chain = []
    if audio.pitch_semitones:
        chain.append(pitch_shift(audio.sample_rate, audio.pitch_semitones))
    chain.append(f"apad=whole_dur={total:.3f}")
    graph.append(f"{voice}{','.join(chain)}[voice]")
    if audio.music is not None:
        music_index = narration_index + 1
        inputs += ["-stream_loop", "-1", "-i", str(audio.music)]
        graph.append("[voice]asplit=2[voice_main][voice_key]")
        graph.append(
            f"[{music_index}:a]aformat=sample_rates=48000:channel_layouts=stereo,volume=0.35,"
            f"atrim=duration={total:.3f}[music]"
        )
        # Duck the music under the narration: the voice drives a compressor on the music.
        graph.append(
            "[music][voice_key]sidechaincompress=threshold=0.03:ratio=8:attack=15:release=350[ducked]"
        )
        graph.append("[voice_main][ducked]amix=inputs=2:duration=first:normalize=0[mixed]")
        graph.append("[mixed]aformat=sample_rates=48000:channel_layouts=stereo[aout]")
    else:
        graph.append("[voice]aformat=sample_rates=48000:channel_layouts=stereo[aout]")
    return inputs, graph


def video_codec_args(encoder: str, preset: OutputPreset) -> list[str]:
    """The encoder and its settings. Colour is not set here: every encoder, hardware or not, writes
    the range, matrix, primaries and transfer that the filtergraph tagged its frames with (ffmpeg
    takes them from the frames; `-color_primaries` and the like would be overridden)."""
    quality = preset.quality
    if encoder == "libx264":
        return [
            "-c:v",
            "libx264",
            "-preset",
            quality.x264_preset,
            "-crf",
            str(quality.crf),
            "-pix_fmt",
            "yuv420p",
        ]
    if encoder == "h264_nvenc":
        return ["-c:v", "h264_nvenc", "-preset", "p4", "-cq", str(quality.crf), "-pix_fmt", "yuv420p"]
    return ["-c:v", encoder, "-pix_fmt", "yuv420p"]


def pitch_shift(sample_rate: int, semitones: float) -> str:
    """An audio filter raising pitch by `semitones` at the same speed (resample, then re-time)."""
    factor = 2 ** (semitones / 12)
    return f"asetrate={sample_rate * factor:.0f},aresample={sample_rate},atempo={1 / factor:.6f}"
