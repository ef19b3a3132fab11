"""script → scenes → voiceover → frame grid → captions → visuals → scene segments (cached) → join and
mux → thumbnail → QC → move into place.

`render_video` is synchronous and self-contained: the job layer runs it on a worker and forwards
its progress. A failure raises `RenderError` naming the stage, so a user learns *what* broke.

After the voiceover, every scene is put on the frame grid (`framing.py`): whole frames, its
narration starting on its first frame. Each scene is then a segment (`segments.py`), encoded unless
the cache holds one made of the same things, and the segments are joined without re-encoding and
muxed with the sound, mixed once for the whole video. `RenderResult.scenes_encoded` and
`scenes_reused` say which way each scene went. A video with `transition: fade` (and `one_pass=True`)
is rendered in one ffmpeg pass instead (`compose.build_command`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...common.atomic import atomic_path, atomic_write_text, leftovers
from ...common.text import narration_lines, split_sentences
from . import colour, ffmpeg
from .captions import ass_filter, build_ass, build_srt, build_vtt, caption_font
from .compose import AudioPlan, SceneClip, build_command
from .errors import RenderError
from .fonts import FontError
from .framing import frame_grid
from .presets import OutputPreset
from .request import RenderRequest, SceneInput
from .segments import Segment, assemble_command, concat_list, encode_command, in_cache, plan_segments, touch
from .thumbnail import make_thumbnail
from .timeline import WordTiming
from .tts import Narrator
from .visuals import ScenePick, Visual, VisualPicker, generated_background, media_visual, plain_background
from .voices import Voice, VoiceError, voice_for

END_PADDING = 0.6  # seconds of picture after the last word
MIN_SCENE_WORDS = 8  # shorter sentences join the next one in a scene
DURATION_TOLERANCE = 0.2
# libass warns (and draws nothing, or boxes) instead of failing; these lines make the render fail.
LIBASS_GLYPH_ALERTS = ("Glyph 0x", "fontselect: failed")

# Share of the whole job each stage takes, for an honest overall percentage.
STAGE_WEIGHTS = {"tts": 0.25, "captions": 0.03, "visuals": 0.05, "render": 0.6, "qc": 0.04, "thumbnail": 0.03}

Progress = Callable[[str, float, str], None]  # (stage, overall 0..1, message)


@dataclass(frozen=True)
class RenderedScene:
    text: str
    start: float
    duration: float
    media: Path | None
    visual: dict[str, Any] | None = None  # the contract's SceneVisual, plus the picked file's `path`
    hint: str | None = None  # the writer's visual description, kept for the next render


@dataclass(frozen=True)
class RenderResult:
    video: Path
    thumbnail: Path
    srt: Path | None
    vtt: Path | None
    duration: float
    width: int
    height: int
    encoder: str
    scenes: list[RenderedScene]
    words: list[WordTiming]
    # Scenes whose picture this render encoded, and scenes whose segment it found in the cache.
    scenes_encoded: int = 0
    scenes_reused: int = 0


def plan_scenes(script: str, language: str, media: Sequence[Path] = ()) -> list[SceneInput]:
    """Sentence-aware scenes: one per sentence, short sentences joined to the next; media in turn."""
    sentences = [s for line in narration_lines(script) for s in split_sentences(line, language)]
    scenes: list[list[str]] = []
    for sentence in sentences:
        if scenes and len(" ".join(scenes[-1]).split()) < MIN_SCENE_WORDS:
            scenes[-1].append(sentence)
        else:
            scenes.append([sentence])
    return [
        SceneInput(" ".join(parts), media[index % len(media)] if media else None)
        for index, parts in enumerate(scenes)
    ]


def render_video(
    request: RenderRequest,
    *,
    narrator: Narrator,
    work_dir: Path,
    output: Path,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    cache_dir: Path | None = None,
    threads: int | None = None,
    picker: VisualPicker | None = None,
    one_pass: bool = False,
) -> RenderResult:
    """Render `request` to `output` (an .mp4 path); the thumbnail and captions go beside it.

    `picker` chooses files for scenes without media (library, stock); without one they get
    generated backgrounds (or a plain one for `visuals: none`).

    Each scene is encoded as a segment of its own and kept in `cache_dir` (`segments.py`), so a
    render after an edit encodes only the scenes that changed; the segments are joined and the sound
    muxed without re-encoding them. `one_pass` renders in a single ffmpeg pass instead, as a
    cross-fade (`transition: fade`) always does.

    Nothing appears at `output` unless the video passed QC: the encoder writes to a temporary file
    in the same directory, which is renamed into place at the end.
    """
    report = _Reporter(progress)
    try:
        preset = request.preset()
        voice = (
            request.voice if isinstance(request.voice, Voice) else voice_for(request.language, request.voice)
        )
    except VoiceError as exc:
        raise RenderError("tts", str(exc)) from exc
    except ValueError as exc:
        raise RenderError("render", str(exc)) from exc
    scenes = (
        list(request.scenes)
        if request.scenes
        else plan_scenes(request.script, request.language, request.media)
    )
    if not scenes:
        raise RenderError("tts", "the script has nothing to narrate (only headings, hashtags or blank lines)")
    work_dir.mkdir(parents=True, exist_ok=True)
    output.parent.mkdir(parents=True, exist_ok=True)

    # Voiceover: one synthesis per sentence; scene boundaries fall on sentence boundaries. What
    # needs only the script runs beside it: the scenes' pictures (a generated background takes a
    # tenth of a second), the caption font, and the encoder probe.
    scene_sentences = [split_sentences(scene.text, request.language) or [scene.text] for scene in scenes]
    flat = [sentence for group in scene_sentences for sentence in group]
    backgrounds = (cache_dir or work_dir) / "backgrounds"
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare") as side:
        pictures_ready = side.submit(_pictures, scenes, request.visuals, preset, backgrounds, picker)
        style = request.captions
        font_ready = side.submit(caption_font, " ".join(flat), style) if style is not None else None
        encoder_ready = side.submit(ffmpeg.available_encoder)
        report.stage("tts", 0.0, f"narrating {len(flat)} sentences with {voice.name}")
        try:
            narration = narrator.narrate(
                flat, voice, on_sentence=lambda done, total: report.stage("tts", done / total, "narrating")
            )
        except Exception as exc:
            raise RenderError("tts", f"speech synthesis failed: {exc}") from exc
        _check_cancel(cancelled)
        # Every scene on the frame grid: whole frames each, its narration starting on its first frame.
        narration, spans = frame_grid(
            narration, [len(group) for group in scene_sentences], fps=preset.fps, end_padding=END_PADDING
        )
        total = spans[-1].end
        narration_wav = work_dir / "narration.wav"
        narration.write_wav(narration_wav)
        timed_scenes = [
            RenderedScene(
                scene.text, round(span.start, 3), round(span.duration, 3), scene.media, hint=scene.hint
            )
            for scene, span in zip(scenes, spans, strict=True)
        ]

        # Captions (font checked before any encoding: never tofu).
        captions_filter = srt = vtt = font = None
        # Scene segments, cached; a cross-fade (two scenes at once across a cut) renders in one pass.
        segmented = request.transition == "none" and not one_pass
        if style is not None and font_ready is not None:
            report.stage("captions", 0.0, f"{style.name} captions")
            try:
                font = font_ready.result()
            except FontError as exc:
                raise RenderError("captions", str(exc)) from exc
            if not segmented:  # segments cut their own, scene by scene
                captions_file = work_dir / "captions.ass"
                captions_file.write_text(
                    build_ass(
                        narration.words, width=preset.width, height=preset.height, style=style, font=font
                    ),
                    encoding="utf-8",
                )
                captions_filter = ass_filter(captions_file, font)
            srt_text = build_srt(narration.words, style.words_per_line)
            vtt_text = build_vtt(narration.words, style.words_per_line)
            report.stage("captions", 1.0, "captions ready")

        report.stage("visuals", 0.0, "preparing scenes")
        pictures = pictures_ready.result()
        clips = [SceneClip(visual, span.duration) for (visual, _), span in zip(pictures, spans, strict=True)]
        timed_scenes = [
            dataclasses.replace(scene, visual=record)
            for (_, record), scene in zip(pictures, timed_scenes, strict=True)
        ]
        report.stage("visuals", 1.0, "scenes ready")
        encoder = encoder_ready.result()

    # Encode: one pass, into a temporary file beside the output. The thumbnail is drawn from the
    # first scene's source meanwhile: ffmpeg leaves a little of the machine idle, and it fills that.
    thumbnail = output.with_suffix(".jpg")
    # Only the attempt holding the job's lease gets here: a partial file beside the output is what
    # an earlier attempt left when its worker died (kill -9), never a file still being written.
    for stale in (*leftovers(output.parent, output.name), *leftovers(output.parent, thumbnail.name)):
        stale.unlink(missing_ok=True)
    # The video's block is the outer one, so the video lands last: a video in place has its thumbnail.
    audio = AudioPlan(narration_wav, narration.sample_rate, voice.pitch_semitones, request.music)
    encoded = reused = 0
    with atomic_path(output) as partial, atomic_path(thumbnail) as partial_thumbnail:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="thumbnail") as side:
            thumbnail_drawn = side.submit(
                make_thumbnail,
                clips[0].visual,
                partial_thumbnail,
                title=request.title,
                preset=preset,
                at=clips[0].duration / 2,
                work_dir=work_dir,
            )
            if segmented:
                segments = plan_segments(
                    [clip.visual for clip in clips], spans, preset=preset, style=style, font=font
                )
                encoded, reused = _encode_segments(
                    segments,
                    audio,
                    preset,
                    encoder,
                    cache=cache_dir / "segments" if cache_dir else work_dir / "segment-cache",
                    work_dir=work_dir,
                    output=partial,
                    total=total,
                    threads=threads,
                    report=report,
                    cancelled=cancelled,
                )
            else:
                args = build_command(
                    clips,
                    audio,
                    preset,
                    captions_filter=captions_filter,
                    output=partial,
                    total=total,
                    encoder=encoder,
                    threads=threads,
                    transition=request.transition,
                    graph_file=work_dir / "filtergraph.txt",
                )
                report.stage("render", 0.0, f"encoding {preset.width}x{preset.height} with {encoder}")
                _encode(args, total, report, cancelled)
                encoded = len(clips)
            report.stage("qc", 0.0, "checking the output")
            quality_check(partial, preset, expected_duration=total)
            report.stage("thumbnail", 0.0, "drawing the thumbnail")
            thumbnail_drawn.result()
        if request.captions is not None:
            srt, vtt = output.with_suffix(".srt"), output.with_suffix(".vtt")
            atomic_write_text(srt, srt_text)
            atomic_write_text(vtt, vtt_text)
    report.stage("thumbnail", 1.0, "done")
    return RenderResult(
        video=output,
        thumbnail=thumbnail,
        srt=srt,
        vtt=vtt,
        duration=round(total, 3),
        width=preset.width,
        height=preset.height,
        encoder=encoder,
        scenes=timed_scenes,
        words=narration.words,
        scenes_encoded=encoded,
        scenes_reused=reused,
    )


def _pictures(
    scenes: Sequence[SceneInput],
    mode: str,
    preset: OutputPreset,
    backgrounds: Path,
    picker: VisualPicker | None,
) -> list[tuple[Visual, dict[str, Any]]]:
    """Each scene's picture and what its `visual` record says: its own media, the picker's file, or a
    background generated from its text (kept, by a hash of the text and size, for the next render).

    A picked file that cannot be read is replaced by a generated background (the picker's choice is
    a suggestion); the request's own media that cannot be read fails the render."""
    orientation = (
        "portrait"
        if preset.height > preset.width
        else "landscape"
        if preset.width > preset.height
        else "square"
    )
    picks: Sequence[ScenePick | None] = (
        picker(scenes, orientation) if picker is not None else [None] * len(scenes)
    )
    focus_cache = backgrounds.parent / "focus"
    pictures = []
    for index, (scene, pick) in enumerate(zip(scenes, picks, strict=True)):
        if scene.media is not None:
            try:
                visual = media_visual(scene.media, focus_cache)
            except (OSError, ffmpeg.FFmpegError) as exc:
                raise RenderError("visuals", f"scene {index + 1}: cannot use {scene.media}: {exc}") from exc
            pictures.append(
                (visual, {"source": "media", "reason": "the request's own file", "file": scene.media.name})
            )
            continue
        record = dict(pick.record) if pick is not None else _drawn_record(mode)
        if pick is not None and pick.path is not None:
            try:
                pictures.append((media_visual(pick.path, focus_cache), record))
                continue
            except (OSError, ffmpeg.FFmpegError) as exc:
                record = {
                    "source": "generated",
                    "reason": f"{pick.path.name} could not be read ({exc}); drew a background",
                    "query": record.get("query"),
                }
        backgrounds.mkdir(parents=True, exist_ok=True)
        if record["source"] == "none":
            pictures.append((plain_background(preset.width, preset.height, backgrounds), record))
        else:
            pictures.append(
                (generated_background(scene.text, preset.width, preset.height, backgrounds), record)
            )
    return pictures


def _drawn_record(mode: str) -> dict[str, Any]:
    if mode == "none":
        return {"source": "none", "reason": "visuals: none (a plain background)"}
    return {"source": "generated", "reason": f"visuals: {mode} (a background drawn from the scene's words)"}


def _encode(
    args: list[str],
    total: float,
    report: _Reporter,
    cancelled: Callable[[], bool] | None,
    *,
    on_fraction: Callable[[float], None] | None = None,
) -> None:
    """Run the encode, reporting ffmpeg's own progress; a libass glyph warning fails the render."""
    try:
        glyph_alerts = ffmpeg.run(
            args,
            duration=total,
            on_progress=on_fraction or (lambda fraction: report.stage("render", fraction, "encoding")),
            cancelled=cancelled,
            alerts=LIBASS_GLYPH_ALERTS,
        )
    except ffmpeg.FFmpegError as exc:
        raise RenderError("render", str(exc), details=exc.stderr_tail) from exc
    if glyph_alerts:
        raise RenderError("captions", "the caption font is missing glyphs: " + "; ".join(glyph_alerts[:3]))


def _encode_segments(
    segments: Sequence[Segment],
    audio: AudioPlan,
    preset: OutputPreset,
    encoder: str,
    *,
    cache: Path,
    work_dir: Path,
    output: Path,
    total: float,
    threads: int | None,
    report: _Reporter,
    cancelled: Callable[[], bool] | None,
) -> tuple[int, int]:
    """Encode the segments the cache lacks, then join them all with the sound into `output`.
    Returns how many scenes were encoded and how many were found in the cache."""
    placed = in_cache(segments, preset, encoder, cache)
    missing = [cached for cached in placed if not cached.ready]
    to_encode = sum(cached.segment.frames for cached in missing) or 1
    done = 0
    unchanged = len(placed) - len(missing)
    report.stage(
        "render",
        0.0,
        f"encoding {len(missing)} of {len(placed)} scenes at {preset.width}x{preset.height} with {encoder}"
        + (f" ({unchanged} unchanged)" if unchanged else ""),
    )
    scratch = work_dir / "segments"
    scratch.mkdir(parents=True, exist_ok=True)
    for cached in placed:
        if cached.ready:
            touch(cached.path)
    for cached in missing:
        segment = cached.segment
        captions_file = None
        if segment.captions is not None:
            captions_file = scratch / f"scene-{segment.number + 1}.ass"
            captions_file.write_text(segment.captions, encoding="utf-8")
        before = done

        def on_fraction(fraction: float, before: int = before, frames: int = segment.frames) -> None:
            report.stage("render", (before + fraction * frames) / to_encode, "encoding")

        with atomic_path(cached.path) as partial:
            args = encode_command(
                segment, preset, encoder, captions_file=captions_file, output=partial, threads=threads
            )
            _encode(args, segment.span.duration, report, cancelled, on_fraction=on_fraction)
        done += segment.frames
    _check_cancel(cancelled)
    report.stage("render", 1.0, "joining the scenes and mixing the sound")
    list_file = scratch / "segments.txt"
    concat_list(placed, list_file)
    try:
        ffmpeg.run(
            assemble_command(list_file, audio, preset, total=total, output=output), cancelled=cancelled
        )
    except ffmpeg.FFmpegError as exc:
        raise RenderError("render", f"joining the scenes failed: {exc}", details=exc.stderr_tail) from exc
    return len(missing), unchanged


def quality_check(path: Path, preset: OutputPreset, *, expected_duration: float) -> None:
    """The QC gate: one video and one audio stream, the preset's size and rate, the right length,
    the one colour every output has (yuv420p, limited range, BT.709: `colour.VIDEO_FIELDS`), and
    audio that is not silent. Raises RenderError("qc", ...) naming the failed check."""
    try:
        info = ffmpeg.probe(path, measure_volume=True)
    except ffmpeg.FFmpegError as exc:
        raise RenderError("qc", f"the output cannot be read back: {exc}") from exc
    problems = []
    if info.video_streams != 1 or info.audio_streams != 1:
        problems.append(
            f"expected 1 video and 1 audio stream, found {info.video_streams} and {info.audio_streams}"
        )
    if (info.width, info.height) != (preset.width, preset.height):
        problems.append(f"size is {info.width}x{info.height}, expected {preset.width}x{preset.height}")
    if info.fps is None or abs(info.fps - preset.fps) > 0.01:
        problems.append(f"frame rate is {info.fps}, expected {preset.fps}")
    if info.duration is None or abs(info.duration - expected_duration) > DURATION_TOLERANCE:
        problems.append(
            f"duration is {info.duration} s, expected {expected_duration:.2f} s ± {DURATION_TOLERANCE}"
        )
    problems += colour.problems(info)
    if info.mean_volume_db is None or info.mean_volume_db < -60:
        problems.append(f"the audio is silent (mean volume {info.mean_volume_db} dB)")
    if problems:
        raise RenderError("qc", "; ".join(problems))


def _check_cancel(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise ffmpeg.Cancelled("the render was cancelled")


class _Reporter:
    """Turns (stage, fraction of stage) into monotonic overall progress."""

    def __init__(self, sink: Progress | None) -> None:
        self.sink = sink
        self.best = 0.0
        self._order = list(STAGE_WEIGHTS)

    def stage(self, stage: str, fraction: float, message: str) -> None:
        if self.sink is None:
            return
        done_before = sum(STAGE_WEIGHTS[s] for s in self._order[: self._order.index(stage)])
        overall = min(done_before + STAGE_WEIGHTS[stage] * max(0.0, min(fraction, 1.0)), 1.0)
        self.best = max(self.best, overall)
        self.sink(stage, self.best, message)
