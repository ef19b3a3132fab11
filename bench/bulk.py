"""Bulk benchmark: a 12-row batch of 15 s 1080x1920 videos against the same videos one by one.

Prints: the one-by-one sum (render_video in a loop, same settings), the batch's wall time through
`ss bulk` (engine start, validation, queue, events, downloads, manifests included) and the parallel
efficiency; the batch machinery's overhead per video as a share of render time (goal under 5%); and
the peak RSS of the CLI with its embedded engine for a 4-row and the 12-row batch (goal: flat).
Then the same batch again with a media library of stills and clips named after the subjects
(`SCRIPTSENSEI_MEDIA_LIBRARY`), so every scene's picture is searched for and chosen: its wall time
against the batch with drawn backgrounds (goal: within 5%).

    python bench/bulk.py [--rows 12] [--concurrency 2]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from scriptsensei_cli.engine.render.captions import CaptionStyle
from scriptsensei_cli.engine.render.pipeline import render_video
from scriptsensei_cli.engine.render.request import RenderRequest
from scriptsensei_cli.engine.render.tts import Narrator

MEASURE = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)
SUBJECTS = [
    "octopus",
    "coffee",
    "sleep",
    "volcano",
    "honey",
    "lightning",
    "bamboo",
    "glacier",
    "owl",
    "desert",
    "coral",
    "comet",
    "maple",
    "tiger",
    "saturn",
    "cactus",
]


def script(index: int) -> str:
    subject = SUBJECTS[index % len(SUBJECTS)]
    return (
        f"Here is a fact about the {subject} you probably never heard. Scientists studied the {subject} "
        f"for years before they understood it. The answer surprised everyone, and it changes how we see "
        f"the {subject} today. Follow for part {index + 2} tomorrow."
    )


def write_sheet(path: Path, rows: int) -> None:
    lines = ["title,script,platform,quality"]
    lines += [
        f'"Fact {i + 1}: the {SUBJECTS[i % len(SUBJECTS)]}","{script(i)}",tiktok,standard'
        for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_library(folder: Path) -> Path:
    """A still per subject and a few clips (1920x1080 test patterns), plus files about other things."""
    from scriptsensei_cli.engine.render.ffmpeg import ffmpeg_exe

    folder.mkdir(parents=True)
    names = [f"{subject}-closeup.jpg" for subject in SUBJECTS] + ["beach-towel.jpg", "city-traffic.jpg"]
    clips = [f"{subject}-timelapse.mp4" for subject in SUBJECTS[:4]]
    for name in names + clips:
        source = ["-f", "lavfi", "-i", "testsrc2=s=1920x1080:r=25"]
        length = ["-t", "3", "-pix_fmt", "yuv420p"] if name.endswith(".mp4") else ["-frames:v", "1"]
        subprocess.run([ffmpeg_exe(), "-v", "error", "-y", *source, *length, str(folder / name)], check=True)
    return folder


def run_bulk(
    sheet: Path, home: Path, concurrency: int, library: Path | None = None
) -> tuple[float, float, float]:
    """(wall seconds, render makespan seconds, peak RSS MB of the CLI+engine process)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRIPTSENSEI_")}
    env.update(SCRIPTSENSEI_CONFIG_DIR=str(home / "config"), SCRIPTSENSEI_DATA_DIR=str(home / "data"))
    env.update(SCRIPTSENSEI_ONLINE_MEDIA="off")  # a benchmark asks nothing of the internet
    if library is not None:
        env.update(SCRIPTSENSEI_MEDIA_LIBRARY=str(library))
    command = [
        sys.executable,
        "-m",
        "scriptsensei_cli",
        "bulk",
        str(sheet),
        "--out",
        str(home / "out"),
        "--concurrency",
        str(concurrency),
    ]
    # A fresh wrapper per run, so the peak belongs to this batch alone (its largest process:
    # the CLI with its embedded engine, or an ffmpeg it started).
    wrapper = [sys.executable, "-c", MEASURE, *command]
    start = time.perf_counter()
    result = subprocess.run(wrapper, env=env, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    peak = int(result.stdout.strip().splitlines()[-1]) / 1024
    with sqlite3.connect(home / "data" / "scriptsensei.db") as db:
        started, finished = db.execute("SELECT min(started_at), max(finished_at) FROM jobs").fetchone()
    makespan = (datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds()
    return wall, makespan, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=12)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        narrator = Narrator(root / "one-by-one-cache")
        one_by_one = 0.0
        for index in range(args.rows):
            request = RenderRequest(
                title=f"Fact {index + 1}",
                script=script(index),
                quality="standard",
                captions=CaptionStyle(name="word_highlight"),
            )
            start = time.perf_counter()
            render_video(
                request,
                narrator=narrator,
                work_dir=root / "work" / str(index),
                output=root / "one" / f"{index}.mp4",
            )
            one_by_one += time.perf_counter() - start

        small_sheet, sheet = root / "small.csv", root / "videos.csv"
        write_sheet(small_sheet, 4)
        write_sheet(sheet, args.rows)
        _, _, small_peak = run_bulk(small_sheet, root / "small", args.concurrency)
        wall, makespan, peak = run_bulk(sheet, root / "bulk", args.concurrency)
        library = make_library(root / "library")
        library_wall, _, _ = run_bulk(sheet, root / "bulk-library", args.concurrency, library)

    overhead = wall - makespan
    per_video = overhead / args.rows
    mean_render = one_by_one / args.rows
    setup = f"concurrency {args.concurrency}, {os.cpu_count()} cores"
    print(f"{args.rows} videos of ~15 s at 1080x1920, standard quality, {setup}")
    print(f"{'one by one (render_video in a loop)':<52} {one_by_one:7.1f} s")
    speed = f"({one_by_one / wall:.2f}x the one-by-one speed)"
    print(f"{'ss bulk, wall (engine start to manifests)':<52} {wall:7.1f} s   {speed}")
    print(f"{'parallel efficiency (one-by-one / bulk wall)':<52} {one_by_one / wall * 100:6.0f} %")
    print(
        f"{'bulk overhead outside rendering, per video':<52} {per_video:7.2f} s   "
        f"({per_video / mean_render * 100:.1f}% of a {mean_render:.1f} s render; goal under 5%)"
    )
    label = f"peak RSS, CLI + embedded engine (4 rows / {args.rows} rows)"
    print(f"{label:<52} {small_peak:5.0f} MB / {peak:.0f} MB")
    print(
        f"{'ss bulk, pictures chosen from a media library':<52} {library_wall:7.1f} s   "
        f"({library_wall / wall:.3f}x the drawn backgrounds' wall; goal <= 1.05x)"
    )


if __name__ == "__main__":
    main()
