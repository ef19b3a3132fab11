"""Render benchmark: the reference video against the floor, measured side by side in one run.

Reference: 30 s of narration, 1080x1920, 6 scenes from still images with motion, word-highlight
captions, voiceover, `standard` quality. Floor: an ffmpeg transcode of our own output with the same
codec settings (the least any renderer of this video must spend encoding it). Prints wall time,
realtime factor, peak RSS, and the ratio to the floor. Goals (issue 3, 2-core machine): within 1.3x
the floor, at least 2x realtime, peak RSS under 1 GB.

The render is measured from cold: a new process's first video, loading the voice model, with no
sentence in the audio cache. A second render of the same script with the model already loaded but
an empty audio cache shows the steady state of a batch, where every video after the first is.

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
from scriptsensei_cli.engine.render.pipeline import RenderRequest, SceneInput, render_video
from scriptsensei_cli.engine.render.presets import output_preset
from scriptsensei_cli.engine.render.tts import Narrator

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
            scenes=[SceneInput(text, image) for text, image in zip(SCENES, images, strict=True)],
        )
        output = work / "out" / "video.mp4"
        stage_started: dict[str, float] = {}

        def progress(stage: str, overall: float, message: str) -> None:
            stage_started.setdefault(stage, time.perf_counter())

        start = time.perf_counter()
        result = render_video(
            request, narrator=narrator, work_dir=work / "job", output=output, progress=progress
        )
        wall = time.perf_counter() - start
        marks = [*stage_started.items(), ("end", start + wall)]
        stages = {name: later - at for (name, at), (_, later) in pairwise(marks)}

        preset = output_preset("tiktok", None, "standard")
        floor_start = time.perf_counter()
        subprocess.run(
            [
                ffmpeg_exe(),
                "-loglevel",
                "error",
                "-y",
                "-i",
                str(output),
                *video_codec_args(result.encoder, preset),
                "-r",
                str(preset.fps),
                "-c:a",
                "aac",
                "-b:a",
                preset.quality.audio_bitrate,
                str(work / "floor.mp4"),
            ],
            check=True,
        )
        floor = time.perf_counter() - floor_start

        narrator.cache_dir = work / "tts-cache-2"  # the model stays loaded; every sentence is new again
        warm_start = time.perf_counter()
        render_video(request, narrator=narrator, work_dir=work / "job-2", output=work / "out-2" / "video.mp4")
        warm = time.perf_counter() - warm_start
        peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        info = probe(output)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for path in (output, result.thumbnail, result.srt):
                if path is not None:
                    shutil.copy(path, args.keep / path.name)

    print(
        f"reference video: {info.width}x{info.height}, {result.duration:.1f} s, "
        f"{len(SCENES)} scenes, encoder {result.encoder}"
    )
    print(f"{'render (TTS from cold, captions, encode, thumbnail, QC)':<58} {wall:6.2f} s")
    print(f"{'floor (ffmpeg transcode of our output, same settings)':<58} {floor:6.2f} s")
    print("  stages: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in stages.items()))
    print(f"{'ratio to the floor':<58} {wall / floor:6.2f}x   (goal <= 1.3x)")
    print(f"{'next video of a batch (model loaded, audio not cached)':<58} {warm:6.2f} s")
    print(f"{'  its ratio to the floor':<58} {warm / floor:6.2f}x")
    print(f"{'realtime factor':<58} {result.duration / wall:6.2f}x   (goal >= 2x)")
    print(f"{'peak RSS: this process (TTS, numpy)':<58} {peak_self:6.0f} MB")
    print(f"{'peak RSS: largest child (ffmpeg)':<58} {peak_children:6.0f} MB   (goal < 1024 MB)")


if __name__ == "__main__":
    main()
