"""Scene segments: real piper, real ffmpeg, draft-size renders of solid-colour scenes, so that a cut
and a caption can be found in the decoded frames and the narration in the decoded sound.

What is measured, not assumed: the number of frames and their timestamps, the frame where the last
scene's picture starts, the frame where its first caption appears and the moment its first word is
heard, against the word timings the render reports; and, across an edit, which scenes were encoded.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scriptsensei_cli.engine.render.captions import CaptionStyle
from scriptsensei_cli.engine.render.ffmpeg import probe
from scriptsensei_cli.engine.render.framing import frame_grid, scene_span
from scriptsensei_cli.engine.render.pipeline import RenderResult, render_video
from scriptsensei_cli.engine.render.request import RenderRequest, SceneInput
from scriptsensei_cli.engine.render.timeline import WordTiming
from scriptsensei_cli.engine.render.tts import (
    Narration,
    Narrator,
    SentenceAudio,
    SpokenSentence,
    assemble,
    speech_span,
)
from tests.media_files import ffmpeg

FPS = 30
W, H = 270, 480  # tiktok at draft quality
COLOURS = [(150, 20, 20), (20, 120, 20), (20, 40, 160)]
TEXTS = [
    "Segments are encoded one scene at a time.",
    "Each one has exactly the frames its scene lasts.",
    "The last scene must still be in sync with its voice.",
]


def solid(path: Path, rgb: tuple[int, int, int]) -> Path:
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "color=c=0x{:02x}{:02x}{:02x}:s=640x360".format(*rgb),
        "-frames:v",
        "1",
        str(path),
    )
    return path


def frames_of(video: Path) -> np.ndarray:
    """Every decoded frame, RGB, N x H x W x 3."""
    raw = ffmpeg("-i", str(video), "-map", "0:v", "-f", "rawvideo", "-pix_fmt", "rgb24", "-")
    return np.frombuffer(raw, np.uint8).reshape(-1, H, W, 3).astype(np.int16)


def timestamps(video: Path) -> list[int]:
    """The video packets' presentation timestamps, in stream ticks, in presentation order."""
    listing = ffmpeg("-i", str(video), "-map", "0:v", "-c", "copy", "-f", "framemd5", "-").decode()
    return sorted(
        int(line.split(",")[2]) for line in listing.splitlines() if line and not line.startswith("#")
    )


def sound_of(video: Path, rate: int = 22050) -> np.ndarray:
    raw = ffmpeg("-i", str(video), "-map", "0:a", "-ac", "1", "-ar", str(rate), "-f", "f32le", "-")
    return np.frombuffer(raw, np.float32)


@pytest.fixture(scope="module")
def narrator(tmp_path_factory: pytest.TempPathFactory) -> Narrator:
    return Narrator(tmp_path_factory.mktemp("tts"))


def render(
    narrator: Narrator, folder: Path, name: str, texts: list[str], pictures: list[Path], cache: Path
) -> RenderResult:
    request = RenderRequest(
        title="Segments",
        script=" ".join(texts),
        quality="draft",
        captions=CaptionStyle(name="standard", words_per_line=3),
        scenes=tuple(SceneInput(text, picture) for text, picture in zip(texts, pictures, strict=True)),
    )
    job = folder / name
    return render_video(
        request, narrator=narrator, work_dir=job, output=job / "out" / "video.mp4", cache_dir=cache
    )


def test_segments_join_frame_exact_and_the_last_scene_is_in_sync(narrator: Narrator, tmp_path: Path) -> None:
    pictures = [solid(tmp_path / f"scene-{index}.jpg", rgb) for index, rgb in enumerate(COLOURS)]
    result = render(narrator, tmp_path, "job", TEXTS, pictures, tmp_path / "cache")
    assert (result.scenes_encoded, result.scenes_reused) == (3, 0)

    # Every scene a whole number of frames, back to back; the video exactly their sum, no gap, no
    # frame twice (timestamps one frame apart from 0).
    total_frames = round(result.duration * FPS)
    assert sum(round(scene.duration * FPS) for scene in result.scenes) == total_frames
    for scene in result.scenes:
        assert scene.start * FPS == pytest.approx(round(scene.start * FPS), abs=0.02)
    ticks = timestamps(result.video)
    step = ticks[1] - ticks[0]
    assert len(ticks) == total_frames and ticks == [index * step for index in range(total_frames)]
    info = probe(result.video)
    assert (info.width, info.height, info.fps, info.video_streams, info.audio_streams) == (W, H, 30.0, 1, 1)

    frames = frames_of(result.video)
    assert len(frames) == total_frames
    # The cut: the first frame showing the last scene's colour (top of the frame, above captions).
    top = frames[:, 40:160, 60:210].reshape(len(frames), -1, 3).mean(axis=1)
    last = result.scenes[-1]
    cut = next(i for i, rgb in enumerate(top) if np.abs(rgb - COLOURS[-1]).max() < 12)
    assert cut == round(last.start * FPS)
    assert np.abs(top[cut - 1] - COLOURS[-2]).max() < 12

    # Its first word: when the render says, when its caption appears, when it is heard.
    first_word = next(word for word in result.words if word.start >= last.start - 1e-6)
    assert first_word.text == "The"
    bottom = frames[:, int(H * 0.55) :, :].max(axis=(1, 2, 3))
    shown = next(i for i in range(cut, len(frames)) if bottom[i] > 200)
    assert abs(shown - first_word.start * FPS) <= 1
    sound = sound_of(result.video)
    heard = last.start + speech_span(sound[round(last.start * 22050) :], 22050)[0]
    assert abs(heard - first_word.start) <= 1 / FPS
    # Before the cut, the pause between the scenes is silent.
    before = sound[round((last.start - 0.15) * 22050) : round(last.start * 22050)]
    assert np.abs(before).max() < 0.02


def test_an_edited_scene_is_the_only_one_encoded_again(narrator: Narrator, tmp_path: Path) -> None:
    pictures = [solid(tmp_path / f"scene-{index}.jpg", rgb) for index, rgb in enumerate(COLOURS)]
    cache = tmp_path / "cache"
    first = render(narrator, tmp_path, "first", TEXTS, pictures, cache)
    assert (first.scenes_encoded, first.scenes_reused) == (3, 0)
    kept = set((cache / "segments").rglob("*.mp4"))
    assert len(kept) == 3

    edited = [TEXTS[0], "This scene now says something much longer than it said before the edit.", TEXTS[2]]
    second = render(narrator, tmp_path, "second", edited, pictures, cache)
    assert (second.scenes_encoded, second.scenes_reused) == (1, 2)
    added = set((cache / "segments").rglob("*.mp4")) - kept
    assert len(added) == 1  # the edited scene's segment, and nothing else
    # The scene after the edit moved in the video but is the same segment, still in sync.
    assert second.scenes[2].start > first.scenes[2].start
    assert second.scenes[2].duration == first.scenes[2].duration
    ticks = timestamps(second.video)
    assert len(ticks) == round(second.duration * FPS)
    moved = [w.start - second.scenes[2].start for w in second.words if w.start >= second.scenes[2].start]
    before = [w.start - first.scenes[2].start for w in first.words if w.start >= first.scenes[2].start]
    assert moved == pytest.approx(before, abs=1e-6)
    sound = sound_of(second.video)
    at = second.scenes[2].start
    heard = at + speech_span(sound[round(at * 22050) :], 22050)[0]
    assert abs(heard - (at + moved[0])) <= 1 / FPS

    third = render(narrator, tmp_path, "third", edited, pictures, cache)
    assert (third.scenes_encoded, third.scenes_reused) == (0, 3)  # nothing changed: a join and a mux


def test_a_scene_keeps_its_own_word_timings_wherever_it_falls() -> None:
    """The frame grid: each scene whole frames, its narration starting on its first frame, and its
    words (in its own time base) the same to the digit when an earlier scene gets longer."""
    rate = 22050

    def narration(first_length: int) -> Narration:
        lengths = [first_length, 30_000, 25_000]
        sentences, cursor = [], 0
        for length in lengths:
            words = (WordTiming("a", 0.1, 0.4), WordTiming("b", 0.4, 0.9))
            sentences.append(SentenceAudio("a b", cursor / rate, (cursor + length) / rate, words))
            cursor += length + 6174  # the pause between sentences
        samples = np.ones(cursor - 6174, np.float32) * 0.5
        timed = [
            WordTiming(w.text, round(s.start + w.start, 3), round(s.start + w.end, 3))
            for s in sentences
            for w in s.words
        ]
        return Narration(samples, rate, sentences, timed)

    layouts = [
        frame_grid(narration(length), [1, 1, 1], fps=FPS, end_padding=0.6) for length in (20_000, 21_234)
    ]
    for aligned, spans in layouts:
        assert [span.first for span in spans] == [0, spans[0].frames, spans[0].frames + spans[1].frames]
        for sentence, span in zip(aligned.sentences, spans, strict=True):
            assert sentence.start == pytest.approx(span.start, abs=1 / rate)
            # The audio moved with it: the sentence's sound starts on its first frame.
            first_sample = round(span.start * rate)
            assert aligned.samples[first_sample] == 0.5 and (
                first_sample == 0 or aligned.samples[first_sample - 1] == 0
            )
        assert len(aligned.samples) <= round(spans[-1].end * rate)
    (_, short), (_, long) = layouts
    assert short[0].frames < long[0].frames
    assert [(s.frames, s.words) for s in short[1:]] == [(s.frames, s.words) for s in long[1:]]


def test_a_scene_narrated_alone_has_the_frames_and_words_it_has_in_the_whole() -> None:
    """A scene's segment starts encoding as soon as the scene is narrated: its span, from its own
    narration (`scene_span`), must be the one the whole video's frame grid gives it, to the digit,
    or the segment would be keyed (and cached) differently from the one the video joins."""
    rate = 22050
    lengths = [[20_011, 17_345], [30_002], [25_003, 9_999, 12_345]]
    sentences = [[f"s{index} a, b c." for index in range(len(group))] for group in lengths]
    spoken = [
        [SpokenSentence(np.full(length, 0.5, np.float32), [1.0, 3.0, 1.0, 1.5], 0.05, length / rate - 0.04)
         for length in group]
        for group in lengths
    ]  # fmt: skip
    flat_text = [text for group in sentences for text in group]
    flat_spoken = [said for group in spoken for said in group]
    _, whole = frame_grid(
        assemble(flat_text, flat_spoken, rate), [len(group) for group in lengths], fps=FPS, end_padding=0.6
    )
    for number, (texts, said) in enumerate(zip(sentences, spoken, strict=True)):
        last = number == len(lengths) - 1
        own = assemble(texts, said, rate, trailing_pause=not last)
        alone = scene_span(own, fps=FPS, end_padding=0.6 if last else 0.0)
        assert (alone.frames, alone.words) == (whole[number].frames, whole[number].words)
        assert alone.first == 0
