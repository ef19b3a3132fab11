"""Render benchmark: the reference video against the floor, measured side by side in one run.

Reference: 30 s of narration, 1080x1920, 6 scenes from still images with motion, word-highlight
captions, voiceover, `standard` quality. Floor: an ffmpeg transcode of our own output with the same
codec settings (the least any renderer of this video must spend encoding it). Prints wall time,
realtime factor, peak RSS, and the ratio to the floor. Goals (issues 3 and 16, 2-core machine):
within 1.15x the floor, at least 2x realtime, peak RSS under 1 GB.

Two renders of the reference video, each with nothing of it cached (no sentence's audio, no
picture), are timed:

- the first video of a new process, which also pays what a process pays once: importing the
  render stack and onnxruntime, loading the voice model, probing for hardware encoders;
- the next video, as a running engine or worker renders every video after its first; and the
  same once more in one ffmpeg pass instead of scene segments, the path `transition: fade` takes.

The floor is timed after each render and averaged, so a noisy neighbour skews both sides alike.
A third render makes the same video with no media named: each scene's picture is chosen from a media
library holding the same six stills under descriptive names (the sentence model loaded and the library
indexed beforehand, as a running engine's warm-up does), timed against the second (goal: within 5%).

    python bench/render.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import tempfile
import time
from itertools import pairwise
from pathlib import Path

from scriptsensei_cli.engine.render.captions import CaptionStyle
from scriptsensei_cli.engine.render.compose import video_codec_args
from scriptsensei_cli.engine.render.ffmpeg import ffmpeg_exe, probe
from scriptsensei_cli.engine.render.pipeline import RenderResult, render_video
from scriptsensei_cli.engine.render.presets import output_preset
from scriptsensei_cli.engine.render.request import RenderRequest, SceneInput
from scriptsensei_cli.engine.render.tts import Narrator

# The stills again, named for what the scenes say: the library the third render chooses from.
LIBRARY_NAMES = [
    "morning-sunlight-window.jpg",
    "daylight-walk-after-waking.jpg",
    "afternoon-coffee-cup.jpg",
    "cool-dark-bedroom.jpg",
    "phone-screen-in-bed.jpg",
    "habit-tracker-notebook.jpg",
]

SCENES = [
    "Most people think good sleep starts at night, but it really starts in the morning light.",
    "Ten minutes of daylight after you wake up sets your body clock for the whole day ahead.",
    "Caffeine lingers for hours, so your afternoon coffee is still awake when you are trying to rest.",
    "A cool, dark room tells your brain that it is safe to switch off and recover.",
    "Screens are not the enemy, but the stress of the feed you scroll before bed can be.",
    "Pick one habit tonight, follow for part two, and tell me which one you will try first.",
]


def stills(directory: Path) -> list[Path]:
    """Six 1920x1080 JPEG photos-to-be (ffmpeg test patterns with detail, not flat colour)."""
    sources = [
        "mandelbrot",
        "testsrc2",
        "life=ratio=0.3:mold=10",
        "cellauto=rule=110",
        "mandelbrot=start_scale=1",
        "testsrc",
    ]
    paths = []
    for index, source in enumerate(sources):
        path = directory / f"still-{index}.jpg"
        subprocess.run(
            [
                ffmpeg_exe(),
                "-loglevel",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                f"{source}{':' if '=' in source else '='}s=1920x1080",
                "-frames:v",
                "1",
                "-q:v",
                "3",
                str(path),
            ],
            check=True,
        )
        paths.append(path)
    return paths


def transcode(source: Path, target: Path, encoder: str) -> float:
    """Seconds for the floor: ffmpeg re-encoding `source` with the render's own codec settings."""
    preset = output_preset("tiktok", None, "standard")
    started = time.perf_counter()
    subprocess.run(
        [
            ffmpeg_exe(),
            "-loglevel",
            "error",
            "-y",
            "-i",
            str(source),
            *video_codec_args(encoder, preset),
            "-r",
            str(preset.fps),
            "-c:a",
            "aac",
            "-b:a",
            preset.quality.audio_bitrate,
            str(target),
        ],
        check=True,
    )
    return time.perf_counter() - started


def library_render(
    work: Path, images: list[Path], request: RenderRequest, narrator: Narrator
) -> tuple[RenderResult, float, float, list[str]]:
    """The reference video with each scene's picture chosen from a library of the same stills."""
    from scriptsensei_cli.engine.media.embedding import text_embedder
    from scriptsensei_cli.engine.media.scenes import ScenePicker
    from scriptsensei_cli.engine.media.stock import LocalLibrary
    from scriptsensei_cli.engine.media.terms import scene_terms

    folder = work / "library"
    folder.mkdir()
    for image, name in zip(images, LIBRARY_NAMES, strict=True):
        shutil.copy(image, folder / name)
    # As a running engine has them (its warm-up loads both): the index and the sentence model.
    started = time.perf_counter()
    text_embedder()
    scene_terms("A warm-up sentence about the morning light.", "", "en")
    source = LocalLibrary([folder], work / "library-index.json")
    source.refresh()
    index_seconds = time.perf_counter() - started
    picker = ScenePicker([source], work / "cache", uses=None, mode="library", script=request.script)
    unnamed = request.model_copy(update={"scenes": tuple(SceneInput(text) for text in SCENES)})
    narrator.cache_dir = work / "tts-cache-3"
    started = time.perf_counter()
    result = render_video(
        unnamed,
        narrator=narrator,
        work_dir=work / "job-3",
        output=work / "out-3" / "video.mp4",
        picker=picker,
    )
    wall = time.perf_counter() - started
    shown = [
        str((scene.visual or {}).get("file") or (scene.visual or {}).get("source")) for scene in result.scenes
    ]
    return result, wall, index_seconds, shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="Keep the rendered video in this folder.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        images = stills(work)
        narrator = Narrator(work / "tts-cache")
        request = RenderRequest(
            title="Sleep better tonight",
            script=" ".join(SCENES),
            platform="tiktok",
            quality="standard",
            captions=CaptionStyle(name="word_highlight"),
            scenes=tuple(SceneInput(text, image) for text, image in zip(SCENES, images, strict=True)),
        )
        stage_started: dict[str, float] = {}

        def progress(stage: str, overall: float, message: str) -> None:
            stage_started.setdefault(stage, time.perf_counter())

        first_start = time.perf_counter()
        first_video = render_video(
            request, narrator=narrator, work_dir=work / "job-1", output=work / "out-1" / "video.mp4"
        )
        first = time.perf_counter() - first_start
        floors = [transcode(first_video.video, work / "floor-1.mp4", first_video.encoder)]

        narrator.cache_dir = work / "tts-cache-2"  # the model stays loaded; every sentence is new again
        start = time.perf_counter()
        result = render_video(
            request, narrator=narrator, work_dir=work / "job-2", output=work / "out-2" / "video.mp4",
            progress=progress,
        )  # fmt: skip
        wall = time.perf_counter() - start
        marks = [*stage_started.items(), ("end", start + wall)]
        stages = {name: later - at for (name, at), (_, later) in pairwise(marks)}
        floors.append(transcode(result.video, work / "floor-2.mp4", result.encoder))

        # The same next video in one ffmpeg pass (the path before scene segments; `fade` takes it).
        narrator.cache_dir = work / "tts-cache-one-pass"
        start = time.perf_counter()
        one_pass = render_video(
            request,
            narrator=narrator,
            work_dir=work / "job-one-pass",
            output=work / "out-one-pass" / "video.mp4",
            one_pass=True,
        )
        one_pass_wall = time.perf_counter() - start
        floors.append(transcode(one_pass.video, work / "floor-one-pass.mp4", one_pass.encoder))

        library, chosen_wall, index_seconds, shown = library_render(work, images, request, narrator)
        floors.append(transcode(library.video, work / "floor-3.mp4", library.encoder))
        floor = sum(floors) / len(floors)

        peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        info = probe(result.video)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for path in (result.video, result.thumbnail, result.srt):
                if path is not None:
                    shutil.copy(path, args.keep / path.name)

    print(
        f"reference video: {info.width}x{info.height}, {result.duration:.1f} s, "
        f"{len(SCENES)} scenes, encoder {result.encoder}"
    )
    print(f"{'render: TTS, captions, pictures, encode, thumbnail, QC':<58} {wall:6.2f} s")
    print("  stages: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in stages.items()))
    print(f"{'floor: ffmpeg transcode of our output, same settings':<58} {floor:6.2f} s   "
          f"({' and '.join(f'{each:.2f}' for each in floors)})")  # fmt: skip
    print(f"{'ratio to the floor':<58} {wall / floor:6.2f}x   (goal <= 1.15x)")
    print(f"{'the same in one ffmpeg pass (no scene segments)':<58} {one_pass_wall:6.2f} s   "
          f"{one_pass_wall / floor:.2f}x floor; segments {wall / one_pass_wall:.2f}x its time")  # fmt: skip
    print(f"{'realtime factor':<58} {result.duration / wall:6.2f}x   (goal >= 2x)")
    print(f"{'first video of a process (+ imports, voice model load)':<58} {first:6.2f} s")
    print(f"{'  its ratio to the floor':<58} {first / floor:6.2f}x")
    print(f"{'pictures chosen from a library (next video)':<58} {chosen_wall:6.2f} s   "
          f"({chosen_wall / wall:.3f}x the video with its media named; goal <= 1.05x)")  # fmt: skip
    print(f"{'  beforehand: sentence model, lemma tables, 6 files indexed':<58} {index_seconds:6.2f} s")
    print(f"{'  scenes showed':<58} {', '.join(shown)}")
    print(f"{'peak RSS: this process (TTS, numpy)':<58} {peak_self:6.0f} MB")
    print(f"{'peak RSS: largest child (ffmpeg)':<58} {peak_children:6.0f} MB   (goal < 1024 MB)")


if __name__ == "__main__":
    main()
