"""script → scenes → voiceover → frame grid → captions → visuals → scene segments (cached) → join and
mux → thumbnail → QC → move into place.

`render_video` is synchronous and self-contained: the job layer runs it on a worker and forwards
its progress. A failure raises `RenderError` naming the stage, so a user learns *what* broke.

The voiceover is spoken sentence by sentence, in order; as each scene's sentences are spoken, the
scene is put on the frame grid on its own (`framing.scene_span`: whole frames, its narration
starting on its first frame, the same frames and words it has in the whole video), and its segment
(`segments.py`) goes to the encoder (`encoding.py`), which encodes it while the next scenes are
narrated, unless the cache holds one made of the same things. Once the whole is narrated, the
sound is mixed and encoded beside the last segments; the segments are joined and muxed with it,
neither re-encoded. `RenderResult.scenes_encoded` and `scenes_reused` say which way each scene went.
A video with `transition: fade` (and `one_pass=True`) is rendered in one ffmpeg pass instead
(`compose.build_command`), after the narration.
"""

from __future__ import annotations

import dataclasses
import shutil
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...common.atomic import atomic_path, atomic_write_text, leftovers
from ...common.text import narration_lines, split_sentences
from . import colour, ffmpeg
from .captions import ass_filter, build_ass, build_srt, build_vtt, caption_font
from .compose import AudioPlan, SceneClip, build_command
from .encoding import SegmentEncoder, encode_slots, run_encode
from .errors import RenderError
from .fonts import FontError, ResolvedFont
from .framing import frame_grid, scene_span
from .presets import OutputPreset
from .request import RenderRequest, SceneInput
from .segments import CachedSegment, assemble_command, concat_list, plan_segment, plan_segments
from .thumbnail import make_thumbnail
from .timeline import WordTiming
from .tts import Narration, Narrator, SpokenSentence, assemble, sample_rate
from .visuals import ScenePick, Visual, VisualPicker, generated_background, media_visual, plain_background
from .voices import Voice, VoiceError, voice_for

END_PADDING = 0.6  # seconds of picture after the last word
MIN_SCENE_WORDS = 8  # shorter sentences join the next one in a scene
DURATION_TOLERANCE = 0.2

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

    Each scene is encoded as a segment of its own, as soon as it is narrated, and kept in
    `cache_dir` (`segments.py`), so a render after an edit encodes only the scenes that changed; the
    segments are joined and the sound muxed without re-encoding them. `threads` is the share of the
    machine's cores this render may use (None: all), when several renders share it. `one_pass`
    renders in a single ffmpeg pass instead, as a cross-fade (`transition: fade`) always does.

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
    thumbnail = output.with_suffix(".jpg")
    # Only the attempt holding the job's lease gets here: a partial file beside the output is what
    # an earlier attempt left when its worker died (kill -9), never a file still being written.
    for stale in (*leftovers(output.parent, output.name), *leftovers(output.parent, thumbnail.name)):
        stale.unlink(missing_ok=True)

    # Voiceover: one synthesis per sentence; scene boundaries fall on sentence boundaries. What
    # needs only the script runs beside it: the scenes' pictures (a generated background takes a
    # tenth of a second), the caption font, and the encoder probe.
    scene_sentences = [split_sentences(scene.text, request.language) or [scene.text] for scene in scenes]
    flat = [sentence for group in scene_sentences for sentence in group]
    backgrounds = (cache_dir or work_dir) / "backgrounds"
    style = request.captions
    # Scene segments, cached; a cross-fade (two scenes at once across a cut) renders in one pass.
    segmented = request.transition == "none" and not one_pass
    # Two threads: the pictures (a library pick, a focus point per file) take longest, and the first
    # segment needs the caption font and the encoder probe too, which must not wait behind them.
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="prepare") as side, ExitStack() as stack:
        font_ready = side.submit(caption_font, " ".join(flat), style) if style is not None else None
        encoder_ready = side.submit(ffmpeg.available_encoder)
        pictures_ready = side.submit(_pictures, scenes, request.visuals, preset, backgrounds, picker)

        def caption_font_or_fail() -> ResolvedFont | None:
            try:
                return font_ready.result() if font_ready is not None else None
            except FontError as exc:
                raise RenderError("captions", str(exc)) from exc

        # Each scene's segment is handed to the encoder as soon as the scene is narrated (its frames
        # and words need nothing of the scenes after it: `framing.scene_span`), and encodes while
        # the next scenes are narrated.
        encodes: list[SegmentEncoder] = []

        drawn = work_dir / "thumbnail.jpg"
        thumbnail_drawn: list[Future[None]] = []

        def scene_narrated(number: int, own: Narration) -> None:
            _check_cancel(cancelled)
            last = number == len(scenes) - 1
            span = scene_span(own, fps=preset.fps, end_padding=END_PADDING if last else 0.0)
            if number == 0:  # the thumbnail shows the first scene: drawn beside the narration
                thumbnail_drawn.append(
                    side.submit(
                        make_thumbnail,
                        pictures_ready.result()[0][0],
                        drawn,
                        title=request.title,
                        preset=preset,
                        at=span.duration / 2,
                        work_dir=work_dir,
                    )
                )
            if not segmented:
                return
            if not encodes:
                jobs, encode_threads = encode_slots(threads)
                encodes.append(
                    stack.enter_context(
                        SegmentEncoder(
                            preset,
                            encoder_ready.result(),
                            cache=cache_dir / "segments" if cache_dir else work_dir / "segment-cache",
                            scratch=work_dir / "segments",
                            weights=[len(scene.text) for scene in scenes],
                            jobs=jobs,
                            threads=encode_threads,
                            on_progress=lambda fraction, message: report.beside("render", fraction, message),
                            cancelled=cancelled,
                        )
                    )
                )
                (work_dir / "segments").mkdir(parents=True, exist_ok=True)
            encodes[0].check()
            visual = pictures_ready.result()[number][0]
            font = caption_font_or_fail()
            encodes[0].submit(plan_segment(number, visual, span, preset=preset, style=style, font=font))

        report.stage("tts", 0.0, f"narrating {len(flat)} sentences with {voice.name}")
        narration = _narrate(narrator, scene_sentences, voice, report, scene_narrated)
        _check_cancel(cancelled)
        # Every scene on the frame grid: whole frames each, its narration starting on its first frame.
        narration, spans = frame_grid(
            narration, [len(group) for group in scene_sentences], fps=preset.fps, end_padding=END_PADDING
        )
        total = spans[-1].end
        narration_wav = work_dir / "narration.wav"
        narration.write_wav(narration_wav)
        audio = AudioPlan(narration_wav, narration.sample_rate, voice.pitch_semitones, request.music)
        sound = work_dir / "sound.m4a"
        if encodes:  # the sound is encoded beside the last segments, not after them
            encodes[0].submit_sound(audio, total=total, output=sound)
        timed_scenes = [
            RenderedScene(
                scene.text, round(span.start, 3), round(span.duration, 3), scene.media, hint=scene.hint
            )
            for scene, span in zip(scenes, spans, strict=True)
        ]

        # Captions (font checked before any encoding: never tofu).
        captions_filter = font = None
        srt_text = vtt_text = ""
        if style is not None:
            report.stage("captions", 0.0, f"{style.name} captions")
            font = caption_font_or_fail()
            if not segmented and font is not None:  # segments cut their own, scene by scene
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

        # The video's block is the outer one, so the video lands last: a video in place has its
        # thumbnail.
        encoded = reused = 0
        with atomic_path(output) as partial, atomic_path(thumbnail) as partial_thumbnail:
            if encodes:
                # The segments of the whole, as planned with every scene in place: the same keys
                # as those handed in scene by scene, so nothing is encoded twice.
                placed = [
                    encodes[0].submit(segment)
                    for segment in plan_segments(
                        [clip.visual for clip in clips], spans, preset=preset, style=style, font=font
                    )
                ]
                encoded = sum(1 for cached in placed if cached.key in encodes[0].encoded)
                reused = len(placed) - encoded
                report.stage(
                    "render",
                    0.0,
                    f"encoding {encoded} of {len(placed)} scenes at {preset.width}x{preset.height} "
                    f"with {encoder}" + (f" ({reused} unchanged)" if reused else ""),
                )
                encodes[0].finish()
                _check_cancel(cancelled)
                report.stage("render", 1.0, "joining the scenes and the sound")
                _join(placed, sound, work_dir=work_dir, total=total, output=partial, cancelled=cancelled)
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
                run_encode(
                    args,
                    total,
                    on_fraction=lambda fraction: report.stage("render", fraction, "encoding"),
                    cancelled=cancelled,
                )
                encoded = len(clips)
            report.stage("qc", 0.0, "checking the output")
            quality_check(partial, preset, expected_duration=total)
            report.stage("thumbnail", 0.0, "drawing the thumbnail")
            thumbnail_drawn[0].result()
            shutil.copyfile(drawn, partial_thumbnail)
        srt = vtt = None
        if style is not None:
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


def _narrate(
    narrator: Narrator,
    scene_sentences: Sequence[Sequence[str]],
    voice: Voice,
    report: _Reporter,
    scene_narrated: Callable[[int, Narration], None],
) -> Narration:
    """The whole narration (not yet on the frame grid), spoken in order; `scene_narrated(number,
    own)` is called as each scene's sentences are spoken, with the scene's own narration (and the
    pause after it, but for the last scene's)."""
    flat = [sentence for group in scene_sentences for sentence in group]
    rate = sample_rate(voice)
    spoken: list[SpokenSentence] = []
    stream = narrator.speak(flat, voice)
    try:
        for number, group in enumerate(scene_sentences):
            own = []
            for _ in group:
                try:
                    own.append(next(stream))
                except Exception as exc:
                    raise RenderError("tts", f"speech synthesis failed: {exc}") from exc
                spoken.append(own[-1])
                report.stage("tts", len(spoken) / len(flat), "narrating")
            last = number == len(scene_sentences) - 1
            scene_narrated(number, assemble(group, own, rate, trailing_pause=not last))
    finally:
        stream.close()
    return assemble(flat, spoken, rate)


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


def _join(
    placed: Sequence[CachedSegment],
    sound: Path,
    *,
    work_dir: Path,
    total: float,
    output: Path,
    cancelled: Callable[[], bool] | None,
) -> None:
    """The segments, in order, and the encoded sound into `output`, re-encoding neither."""
    list_file = work_dir / "segments" / "segments.txt"
    list_file.parent.mkdir(parents=True, exist_ok=True)
    concat_list(placed, list_file)
    try:
        ffmpeg.run(assemble_command(list_file, sound, total=total, output=output), cancelled=cancelled)
    except ffmpeg.FFmpegError as exc:
        raise RenderError("render", f"joining the scenes failed: {exc}", details=exc.stderr_tail) from exc


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
    """Turns (stage, fraction of stage) into monotonic overall progress, from any thread.

    `stage` says the render is at that stage: every stage before it is done. `beside` is progress of
    a later stage made while the current one goes on (a scene's segment encoding while the next
    scenes are narrated): it counts in the overall percentage, but the stage and message reported
    stay the current one's until the render gets there. The overall is each stage's weight times
    its fraction done, summed; it never goes backwards."""

    def __init__(self, sink: Progress | None) -> None:
        self.sink = sink
        self.best = 0.0
        self._order = list(STAGE_WEIGHTS)
        self._done: dict[str, float] = {}
        self._current = self._order[0]
        self._message = ""
        self._lock = threading.Lock()

    def stage(self, stage: str, fraction: float, message: str) -> None:
        with self._lock:
            for earlier in self._order[: self._order.index(stage)]:
                self._done[earlier] = 1.0
            self._current, self._message = stage, message
            self._advance(stage, fraction)

    def beside(self, stage: str, fraction: float, message: str) -> None:
        with self._lock:
            if stage == self._current:
                self._message = message
            self._advance(stage, fraction)

    def _advance(self, stage: str, fraction: float) -> None:
        self._done[stage] = max(self._done.get(stage, 0.0), max(0.0, min(fraction, 1.0)))
        overall = min(sum(STAGE_WEIGHTS[name] * done for name, done in self._done.items()), 1.0)
        self.best = max(self.best, overall)
        if self.sink is not None:
            self.sink(self._current, self.best, self._message)
