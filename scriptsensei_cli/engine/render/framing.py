"""Scenes on the frame grid: every scene lasts a whole number of frames, and its narration starts on
its first frame.

The voiceover is synthesized sentence by sentence and placed end to end (`tts.Narration`), so a
scene's narration starts wherever the audio before it ended, between two frames. Here each scene's
stretch of audio (its sentences and the pause after them; the last scene also gets the picture that
follows the last word) is rounded up to whole frames, and the silence that makes up the difference
goes at its end, so the next scene starts exactly on a frame. The cost is less than a frame of extra
pause per scene; what it buys:

- a scene's segment (`segments.py`) has exactly `frames` frames, and the video has their sum, so
  picture and sound cannot drift apart over many scenes (no rounding accumulates);
- a scene's words, relative to its first frame, depend only on its own sentences: a changed scene
  shifts the others in time but changes nothing inside them, which is what lets a re-render keep
  their segments.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .timeline import WordTiming

if TYPE_CHECKING:
    from .tts import Narration


@dataclass(frozen=True)
class SceneSpan:
    """Where a scene lies in the video, in frames (it shows frames `first` to `first + frames - 1`),
    and its words in its own time base (its first frame at 0)."""

    first: int
    frames: int
    fps: int
    words: tuple[WordTiming, ...] = ()

    @property
    def start(self) -> float:
        return self.first / self.fps

    @property
    def duration(self) -> float:
        return self.frames / self.fps

    @property
    def end(self) -> float:
        return (self.first + self.frames) / self.fps


def frame_grid(
    narration: Narration, sentences_per_scene: Sequence[int], *, fps: int, end_padding: float
) -> tuple[Narration, list[SceneSpan]]:
    """The narration re-laid so that every scene starts on a frame, and each scene's span.

    `sentences_per_scene` says how many of the narration's sentences each scene holds, in order.
    Words and sentences move with their scene; the audio gets silence where a scene was short of a
    whole frame. The returned narration lasts up to the last word's audio; the video lasts to the
    last span's end (`end_padding` after the narration, rounded up to a frame).

    A scene's own words are timed from its own sentences alone (sample counts, not positions in the
    video), so they come out the same to the last digit wherever the scene falls.
    """
    import numpy as np

    rate = narration.sample_rate
    # Sample offsets: whole numbers, exact, unlike sums of seconds.
    offsets = [round(sentence.start * rate) for sentence in narration.sentences]
    groups: list[range] = []
    cursor = 0
    for count in sentences_per_scene:
        groups.append(range(cursor, cursor + count))
        cursor += count
    begins = [0 if index == 0 else offsets[group.start] for index, group in enumerate(groups)]
    ends = [*begins[1:], len(narration.samples)]
    padding = round(end_padding * rate)

    spans: list[SceneSpan] = []
    first = 0
    for index, (group, begin, end) in enumerate(zip(groups, begins, ends, strict=True)):
        length = end - begin + (padding if index == len(groups) - 1 else 0)
        # Rounded up in whole numbers: a scene never loses its last samples, and never gains a frame
        # to a float's error.
        frames = max(1, -(-length * fps // rate))
        words = tuple(
            WordTiming(word.text, round(word.start + seconds, 3), round(word.end + seconds, 3))
            for number in group
            for seconds in [(offsets[number] - begin) / rate]
            for word in narration.sentences[number].words
        )
        spans.append(SceneSpan(first, frames, fps, words))
        first += frames

    placed = [round(span.start * rate) for span in spans]
    samples = np.zeros(placed[-1] + ends[-1] - begins[-1], dtype=np.float32)
    for at, begin, end in zip(placed, begins, ends, strict=True):
        samples[at : at + end - begin] = narration.samples[begin:end]
    timed = [
        WordTiming(word.text, round(span.start + word.start, 3), round(span.start + word.end, 3))
        for span in spans
        for word in span.words
    ]
    sentences = [
        dataclasses.replace(
            narration.sentences[number],
            start=(at + offsets[number] - begin) / rate,
            end=(at + offsets[number] - begin) / rate
            + (narration.sentences[number].end - narration.sentences[number].start),
        )
        for group, at, begin in zip(groups, placed, begins, strict=True)
        for number in group
    ]
    aligned = dataclasses.replace(narration, samples=samples, sentences=sentences, words=timed)
    return aligned, spans


def scene_span(narration: Narration, *, fps: int, end_padding: float) -> SceneSpan:
    """One scene's span on its own, from its narration alone (its sentences and the pause after
    them, `tts.assemble(..., trailing_pause=True)`; the last scene's without the pause, and with
    the video's `end_padding`), placed at frame 0.

    Its frames and words are those `frame_grid` gives the scene in the whole video, to the digit
    (the same sample counts, the same arithmetic), so a scene's segment can be made as soon as the
    scene is narrated, before the scenes after it are; only `first` waits for the whole."""
    _, (span,) = frame_grid(narration, [len(narration.sentences)], fps=fps, end_padding=end_padding)
    return span
