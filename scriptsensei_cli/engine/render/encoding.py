"""Scene segments encoded as they come: each scene's segment starts as soon as its scene is narrated,
beside the narration of the next scenes and the other segments' encodes.

A short segment encoded alone leaves a core idle: ffmpeg starts cold, x264's frame threads fill and
drain, and the filter that draws the frames runs on one thread. Several segments at once, each on one
x264 thread, keep every core busy and need less work per frame (no frame threads to keep in step);
the narration (piper) runs beside them, and so does the sound's AAC encode (`segments.sound_command`),
which used to run alone at the end. Measured on two cores, the reference video of `bench/render.py`:
its six segments, two at once, encode in about 80% of the time of one pass over the whole video
(picture only), where one after another they took about as long as it.

A render's cores (all of them, or the `threads` a worker is given when several renders share a
machine) are shared among the encodes (`encode_slots`): on two cores, two at once of one x264 thread
each. Measured there: six segments take 80% of the time of one after another with x264's own
thread count, and 87% of two at once with two threads each; a segment re-encoded after an edit, on
one thread beside the sound, is done sooner than on two (one x264 thread keeps about 1.3 cores busy:
ffmpeg decodes and draws the frames on another).
"""

from __future__ import annotations

import itertools
import os
import queue
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from ...common.atomic import atomic_path
from . import ffmpeg
from .compose import AudioPlan
from .errors import RenderError
from .presets import OutputPreset
from .segments import CachedSegment, Segment, encode_command, in_cache, sound_command, touch

# libass warns (and draws nothing, or boxes) instead of failing; these lines make the render fail.
LIBASS_GLYPH_ALERTS = ("Glyph 0x", "fontselect: failed")
# Encodes at once, at most: past this, a render's share of a large machine goes to x264's threads.
MAX_ENCODES = 4
# The sound's share of the encoding work, against the picture's (AAC of the whole video, on one
# thread, takes about a tenth of the time of its picture's segments).
SOUND_SHARE = 0.1
# Queue order: the sound first, so it never runs alone after the last segment.
_SOUND, _SEGMENT = 0, 1

Job = Callable[[], None]


def encode_slots(threads: int | None) -> tuple[int, int]:
    """(encodes at once, x264 threads each) for a render given `threads` cores (None: all of them)."""
    cores = threads or os.cpu_count() or 1
    jobs = max(1, min(cores, MAX_ENCODES))
    return jobs, max(1, cores // jobs)


def run_encode(
    args: list[str],
    duration: float,
    *,
    on_fraction: Callable[[float], None],
    cancelled: Callable[[], bool] | None,
) -> None:
    """Run an encode, reporting ffmpeg's own progress; a libass glyph warning fails the render."""
    try:
        glyph_alerts = ffmpeg.run(
            args, duration=duration, on_progress=on_fraction, cancelled=cancelled, alerts=LIBASS_GLYPH_ALERTS
        )
    except ffmpeg.FFmpegError as exc:
        raise RenderError("render", str(exc), details=exc.stderr_tail) from exc
    if glyph_alerts:
        raise RenderError("captions", "the caption font is missing glyphs: " + "; ".join(glyph_alerts[:3]))


class SegmentEncoder:
    """Encodes the segments handed to it, and the sound, `jobs` ffmpeg processes at a time, while the
    caller goes on (narrating the next scenes).

    A segment the cache holds is only marked used; one handed in twice (by its key) is encoded once.
    The first encode that fails stops the others (their ffmpeg is killed), and `check` or `finish`
    raises its error in the caller's thread. Progress (`on_progress(fraction, message)`) counts
    each scene by `weights` (its share of the video, as the caller expects it) until it is known to
    be in the cache, and the sound as `SOUND_SHARE` of the rest.

        with SegmentEncoder(preset, "libx264", cache=..., scratch=..., weights=[...]) as encodes:
            for segment in ...:          # as each scene is narrated
                encodes.submit(segment)
            encodes.submit_sound(audio, total=..., output=...)
            encodes.finish()
    """

    def __init__(
        self,
        preset: OutputPreset,
        encoder: str,
        *,
        cache: Path,
        scratch: Path,
        weights: Sequence[float],
        jobs: int = 1,
        threads: int = 1,
        on_progress: Callable[[float, str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self.preset = preset
        self.encoder = encoder
        self.cache = cache
        self.scratch = scratch
        self.jobs = max(1, jobs)
        self.threads = max(1, threads)
        self._on_progress = on_progress
        self._cancelled = cancelled
        self._weights = list(weights)
        self._sound_weight = SOUND_SHARE * sum(self._weights)
        self._done: dict[int | str, float] = {}  # scene number (or "sound") → weight done
        self._skipped: set[int] = set()  # scenes found in the cache
        self._lock = threading.Lock()
        self._placed: dict[str, CachedSegment] = {}
        self.encoded: set[str] = set()  # keys this render encodes
        self.reused: set[str] = set()  # keys it found in the cache
        self._queue: queue.PriorityQueue[tuple[int, int, Job | None]] = queue.PriorityQueue()
        self._order = itertools.count()
        self._workers: list[threading.Thread] = []
        self._pending = 0
        self._idle = threading.Condition(self._lock)
        self._failed = threading.Event()
        self._error: BaseException | None = None

    # -- handing in work ----------------------------------------------------------------------------

    def submit(self, segment: Segment) -> CachedSegment:
        """Encode `segment` into the cache unless it is there (or on its way); its place there."""
        (cached,) = in_cache([segment], self.preset, self.encoder, self.cache)
        with self._lock:
            if cached.key in self._placed:
                return self._placed[cached.key]
            self._placed[cached.key] = cached
            if cached.ready:
                self.reused.add(cached.key)
                self._skipped.add(segment.number)
            else:
                self.encoded.add(cached.key)
        if cached.ready:
            touch(cached.path)
            self._report(f"scene {segment.number + 1} unchanged")
        else:
            self._put(_SEGMENT, lambda: self._encode_segment(cached))
        return cached

    def submit_sound(self, audio: AudioPlan, *, total: float, output: Path) -> None:
        """Mix and encode the whole sound into `output`, `total` seconds long."""

        def on_fraction(fraction: float) -> None:
            self._advance("sound", fraction)

        def encode() -> None:
            args = sound_command(audio, self.preset, total=total, output=output)
            run_encode(args, total, on_fraction=on_fraction, cancelled=self._stop)

        self._put(_SOUND, encode)

    # -- waiting --------------------------------------------------------------------------------------

    def check(self) -> None:
        """Raise the error of an encode that failed (or was cancelled), if one has."""
        if self._failed.is_set() and self._error is not None:
            raise self._error

    def finish(self) -> None:
        """Wait for every encode handed in; raise the first failure."""
        with self._idle:
            while self._pending and not self._failed.is_set():
                self._idle.wait(0.5)
        self.check()

    def __enter__(self) -> SegmentEncoder:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is not None:
            self._failed.set()  # the caller failed: stop what runs, start nothing more
        for _ in self._workers:
            self._queue.put((2, next(self._order), None))
        for worker in self._workers:
            worker.join()

    # -- inside ---------------------------------------------------------------------------------------

    def _put(self, priority: int, job: Job) -> None:
        with self._lock:
            self._pending += 1
            if len(self._workers) < self.jobs:
                worker = threading.Thread(
                    target=self._work, name=f"encode-{len(self._workers) + 1}", daemon=True
                )
                self._workers.append(worker)
                worker.start()
        self._queue.put((priority, next(self._order), job))

    def _work(self) -> None:
        while True:
            _, _, job = self._queue.get()
            if job is None:
                return
            try:
                if not self._failed.is_set():
                    job()
            except BaseException as exc:  # handed to the caller's thread by check()
                with self._lock:
                    if self._error is None:
                        self._error = exc
                self._failed.set()
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def _stop(self) -> bool:
        return self._failed.is_set() or (self._cancelled is not None and self._cancelled())

    def _encode_segment(self, cached: CachedSegment) -> None:
        segment = cached.segment
        captions_file = None
        if segment.captions is not None:
            captions_file = self.scratch / f"scene-{segment.number + 1}.ass"
            captions_file.write_text(segment.captions, encoding="utf-8")
        with atomic_path(cached.path) as partial:
            args = encode_command(
                segment,
                self.preset,
                self.encoder,
                captions_file=captions_file,
                output=partial,
                threads=self.threads,
            )
            run_encode(
                args,
                segment.span.duration,
                on_fraction=lambda fraction: self._advance(segment.number, fraction),
                cancelled=self._stop,
            )

    def _advance(self, part: int | str, fraction: float) -> None:
        weight = self._sound_weight if part == "sound" else self._weights[int(part)]
        with self._lock:
            self._done[part] = max(self._done.get(part, 0.0), weight * min(max(fraction, 0.0), 1.0))
        self._report("encoding" if part == "sound" else f"encoding scene {int(part) + 1}")

    def _report(self, message: str) -> None:
        if self._on_progress is None:
            return
        with self._lock:
            expected = self._sound_weight + sum(
                weight for number, weight in enumerate(self._weights) if number not in self._skipped
            )
            done = sum(value for part, value in self._done.items() if part not in self._skipped)
        self._on_progress(done / expected if expected else 1.0, message)
