"""Edit benchmark: the reference video rendered, one scene's text changed, rendered again.

Reference: `bench/render.py`'s video (30 s of narration, 1080x1920, 6 scenes from stills with
motion, word-highlight captions, `standard` quality), rendered by a running engine (the voice model
loaded, nothing of this video cached). Then the third scene's text is changed, as `ss video
update-scene` does, and the video rendered again with the same caches a worker keeps: the
narration of unchanged sentences (per sentence) and the segments of unchanged scenes (per scene).
Prints both wall times and their ratio, how many scenes each render encoded, and what a probe of the
edited video says (streams, duration, frames). Goal (issue 16, 2-core machine): the re-render takes
at most 30 % of the full render.

    python bench/edit.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from render import SCENES, stills  # bench/render.py: the reference video

from scriptsensei_cli.engine.render.captions import CaptionStyle
from scriptsensei_cli.engine.render.ffmpeg import ffmpeg_exe, probe
from scriptsensei_cli.engine.render.pipeline import RenderResult, render_video
from scriptsensei_cli.engine.render.request import RenderRequest, SceneInput
from scriptsensei_cli.engine.render.tts import Narrator
from scriptsensei_cli.engine.render.voices import voice_for

EDITED_SCENE = 2
EDITED_TEXT = "Caffeine stays in your blood for six hours, so an afternoon coffee still works at bedtime."


def frame_count(video: Path) -> int:
    """Video packets in `video`, counted without decoding."""
    listing = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-i", str(video), "-map", "0:v", "-c", "copy", "-f", "framemd5", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return sum(1 for line in listing.splitlines() if line and not line.startswith("#"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="Keep the edited video in this folder.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        images = stills(work)
        narrator = Narrator(work / "tts-cache")
        narrator.preload(voice_for("en"))  # a running engine: the model is loaded

        def render(texts: list[str], name: str) -> tuple[RenderResult, float]:
            request = RenderRequest(
                title="Sleep better tonight",
                script=" ".join(texts),
                platform="tiktok",
                quality="standard",
                captions=CaptionStyle(name="word_highlight"),
                scenes=tuple(SceneInput(text, image) for text, image in zip(texts, images, strict=True)),
            )
            started = time.perf_counter()
            result = render_video(
                request,
                narrator=narrator,
                work_dir=work / name,
                output=work / name / "out" / "video.mp4",
                cache_dir=work / "cache",
            )
            return result, time.perf_counter() - started

        full, full_wall = render(list(SCENES), "full")
        edited_texts = [EDITED_TEXT if index == EDITED_SCENE else text for index, text in enumerate(SCENES)]
        edited, edit_wall = render(edited_texts, "edited")
        info = probe(edited.video, measure_volume=True)
        frames = frame_count(edited.video)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(edited.video, args.keep / "edited.mp4")

    expected_frames = round(edited.duration * info.fps) if info.fps else 0
    print(
        f"reference video: {info.width}x{info.height}, {len(SCENES)} scenes, encoder {edited.encoder}; "
        f"scene {EDITED_SCENE + 1}'s text changed"
    )
    print(f"{'full render (model loaded, nothing cached)':<58} {full_wall:6.2f} s   "
          f"({full.scenes_encoded} scenes encoded)")  # fmt: skip
    print(f"{'re-render after the edit':<58} {edit_wall:6.2f} s   "
          f"({edited.scenes_encoded} encoded, {edited.scenes_reused} from the cache)")  # fmt: skip
    print(f"{'ratio re-render / full render':<58} {edit_wall / full_wall:6.2f}    (goal <= 0.30)")
    print(
        f"{'edited video: streams (video, audio)':<58} {info.video_streams}, {info.audio_streams}   "
        f"{info.video_codec}/{info.audio_codec}, {info.fps} fps, mean volume {info.mean_volume_db} dB"
    )
    print(
        f"{'edited video: duration probed / rendered':<58} {info.duration or 0:6.2f} / "
        f"{edited.duration:.2f} s   (full render {full.duration:.2f} s)"
    )
    print(f"{'edited video: frames counted / expected':<58} {frames:6d} / {expected_frames}")
    moved = edited.scenes[EDITED_SCENE + 1].start - full.scenes[EDITED_SCENE + 1].start
    print(f"{'scenes after the edit moved by':<58} {moved:+6.2f} s   (their segments reused as they were)")


if __name__ == "__main__":
    main()
