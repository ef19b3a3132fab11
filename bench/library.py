"""Media library benchmark: finding a scene's file among 10,000 by meaning, against the 50 ms goal.

Builds a library of tiny valid files (one small JPEG or MP4, copied) named like the research memo's
(docs/research/scene-visuals.md, 1.2): 22 descriptive names, the rest 2-4 real English words from the
sentence model's own vocabulary. Indexes it once (probe + embed; timed and reported, not counted),
then times `LocalLibrary.rank()` for 20 scene phrases, several rounds each: median and p95 per scene.

The reference, measured side by side in the same run on the same files: the lexical search this
replaced, which walked and stat-ed every folder on every search and re-tokenized every title
(its `_score` is copied below as it was).

    python bench/library.py [--files 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scriptsensei_cli.engine.media import embedding
from scriptsensei_cli.engine.media.stock import LocalLibrary, tokenize
from scriptsensei_cli.engine.media.stock.local import IndexEntry
from scriptsensei_cli.engine.render.ffmpeg import ffmpeg_exe

GOAL_MS = 50.0
CURATED = [
    "espresso-shot.jpg",
    "bike-commute-rain.jpg",
    "forest-trail.mp4",
    "umbrella-street-rain.jpg",
    "kitten-sleeping-sofa.jpg",
    "laptop-office-desk.jpg",
    "Travel/Italy/RomeColosseumCrowds.jpg",
    "car_driving_highway_rain.mov",
    "latte-art-cafe.jpg",
    "coffee-beans-roasting.mp4",
    "beach-sunset-waves.mp4",
    "kids-classroom-teacher.jpg",
    "classroom-overhead.jpg",
    "puppy-park-grass.jpg",
    "mountain-lake-morning.jpg",
    "city-skyline-night.mp4",
    "doctor-hospital-corridor.jpg",
    "chef-kitchen-cooking.mp4",
    "runner-track-stadium.mp4",
    "snowy-village-winter.jpg",
    "guitar-concert-crowd.mp4",
    "grocery-market-vegetables.jpg",
]
# (scene phrase, the curated file it means)
SCENES = [
    ("A cyclist in the rain", "bike-commute-rain.jpg"),
    ("RAIN, CYCLISTS", "bike-commute-rain.jpg"),
    ("Espresso shots", "espresso-shot.jpg"),
    ("Walking through the woods", "forest-trail.mp4"),
    ("Rainy streets", "umbrella-street-rain.jpg"),
    ("a sleeping cat", "kitten-sleeping-sofa.jpg"),
    ("Working from home on a computer", "laptop-office-desk.jpg"),
    ("ancient Rome", "RomeColosseumCrowds.jpg"),
    ("driving on the motorway in bad weather", "car_driving_highway_rain.mov"),
    ("a cappuccino with a heart in the foam", "latte-art-cafe.jpg"),
    ("The ocean at dusk", "beach-sunset-waves.mp4"),
    ("Students learning at school", "kids-classroom-teacher.jpg"),
    ("a dog playing outside", "puppy-park-grass.jpg"),
    ("sunrise over the mountains", "mountain-lake-morning.jpg"),
    ("downtown lights after dark", "city-skyline-night.mp4"),
    ("Ask a physician", "doctor-hospital-corridor.jpg"),
    ("cooking dinner in a restaurant", "chef-kitchen-cooking.mp4"),
    ("sprinting on an athletics track", "runner-track-stadium.mp4"),
    ("a cold December morning in the countryside", "snowy-village-winter.jpg"),
    ("fresh vegetables at the farmers market", "grocery-market-vegetables.jpg"),
]


def make_library(root: Path, files: int, seed: int = 7) -> None:
    """Curated files plus distractors named from 2-4 real words, as tiny copies of two valid files."""
    samples = root.parent / "samples"
    samples.mkdir()
    ffmpeg = [ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi"]
    image = ["-i", "color=c=gray:s=48x64", "-frames:v", "1", str(samples / "a.jpg")]
    clip = ["-i", "color=c=gray:s=48x64:d=0.2", "-c:v", "libx264", "-preset", "ultrafast"]
    subprocess.run([*ffmpeg, *image], check=True)
    subprocess.run([*ffmpeg, *clip, "-pix_fmt", "yuv420p", str(samples / "a.mp4")], check=True)
    vocabulary = (Path(embedding.__file__).parent / "data" / "minilm-vocab.txt").read_text().split()
    words = sorted({w for w in vocabulary if re.fullmatch(r"[a-z]{4,10}", w)})
    rng = random.Random(seed)
    names = set(CURATED)
    while len(names) < files:
        stem = "-".join(rng.sample(words, rng.randint(2, 4)))
        names.add(f"{stem}.{'mp4' if rng.random() < 0.2 else 'jpg'}")
    for index, name in enumerate(sorted(names)):
        path = root / f"set{index % 50:02d}" / name if name not in CURATED else root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(samples / ("a.jpg" if path.suffix == ".jpg" else "a.mp4"), path)


def old_search(library: LocalLibrary, query: str) -> list[str]:
    """The lexical search this replaced: walk + stat every file (a refresh), then score every title."""
    library.refresh()
    terms = tokenize(query)
    ranked = []
    for path, entry in (library._entries or {}).items():
        if entry.usable and (score := _old_score(terms, entry)) is not None:
            ranked.append((score, path))
    ranked.sort(key=lambda match: (-match[0][0], -match[0][1], match[1]))
    return [path for _, path in ranked[:20]]


def _old_score(terms: list[str], entry: IndexEntry) -> tuple[int, int] | None:
    words = set(entry.tags) | set(tokenize(entry.title))
    matched = quality = 0
    for term in terms:
        if term in words:
            best = 3
        elif any(word.startswith(term) for word in words):
            best = 2
        elif any(term in word for word in words):
            best = 1
        else:
            continue
        matched += 1
        quality += best
    return (matched, quality) if matched else None


def timings(call: object, rounds: int) -> dict[str, list[float]]:
    result: dict[str, list[float]] = {}
    for scene, _ in SCENES:
        result[scene] = []
        for _ in range(rounds):
            start = time.perf_counter()
            call(scene)  # type: ignore[operator]
            result[scene].append((time.perf_counter() - start) * 1000)
    return result


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "library"
        start = time.perf_counter()
        make_library(root, args.files)
        print(f"library: {args.files} files made in {time.perf_counter() - start:.1f} s")

        start = time.perf_counter()
        embedder = embedding.text_embedder()
        print(
            f"sentence model: loaded in {(time.perf_counter() - start) * 1000:.0f} ms"
            if embedder
            else "sentence model: NOT INSTALLED (words only)"
        )
        index = Path(scratch) / "index.json"
        library = LocalLibrary([root], index)
        start = time.perf_counter()
        stats = library.refresh()
        built = time.perf_counter() - start
        print(
            f"index: {stats.files} files probed and {stats.embedded} embedded in {built:.1f} s "
            f"(not counted below); {index.stat().st_size / 1e6:.1f} MB"
        )

        time.sleep(2.1)  # folders made just now are "racy" (their mtime may not move on the next change)
        reopened = LocalLibrary([root], index)
        start = time.perf_counter()
        reopened.rank("warm up")
        print(
            f"first search in a new process (index loaded, lemma tables, matrix): "
            f"{(time.perf_counter() - start) * 1000:.0f} ms"
        )

        new = timings(lambda q: reopened.rank(q, limit=10), args.rounds)
        old = timings(lambda q: old_search(library, q), args.rounds)
        hits = [
            next(
                (
                    i
                    for i, (item, _) in enumerate(reopened.rank(q, limit=10))
                    if item.path and item.path.name == Path(want).name
                ),
                None,
            )
            for q, want in SCENES
        ]

    print(f"\n{'scene':<46}{'rank() ms':>10}{'p95':>8}{'old ms':>9}{'file at':>9}")
    for (scene, _), hit in zip(SCENES, hits, strict=True):
        print(
            f"{scene[:45]:<46}{statistics.median(new[scene]):>10.1f}{p95(new[scene]):>8.1f}"
            f"{statistics.median(old[scene]):>9.1f}{'-' if hit is None else hit + 1:>9}"
        )
    every_new = [t for values in new.values() for t in values]
    every_old = [t for values in old.values() for t in values]
    median_new, median_old = statistics.median(every_new), statistics.median(every_old)
    print(
        f"\nrank(): median {median_new:.1f} ms, p95 {p95(every_new):.1f} ms per scene "
        f"({median_new / GOAL_MS:.2f}x the {GOAL_MS:.0f} ms goal)"
    )
    print(
        f"old lexical search (walk + score): median {median_old:.1f} ms, p95 {p95(every_old):.1f} ms "
        f"(rank() takes {median_new / median_old:.2f}x its time)"
    )
    found = [hit for hit in hits if hit is not None]
    print(
        f"intended file: 1st for {sum(1 for h in found if h == 0)}/{len(SCENES)}, "
        f"top 5 for {sum(1 for h in found if h < 5)}/{len(SCENES)}, "
        f"returned at all (top 10) for {len(found)}/{len(SCENES)}"
    )


if __name__ == "__main__":
    main()
