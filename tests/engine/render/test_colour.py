"""One colour for every render: real piper, real ffmpeg (imageio-ffmpeg's), draft-size renders.

Every output must be yuv420p, limited (tv) range, BT.709 primaries, transfer and matrix, tagged in the
stream, whatever its scenes were made from: a full-range JPEG, a PNG with transparency, a 10-bit
BT.2020 HDR clip (PQ and HLG), an SDR clip (BT.601) or nothing (generated backgrounds). The inputs are
made here with ffmpeg. The tags are read back two ways: with ffmpeg's `showinfo` on a decoded frame
(what a player sees, independent of our probe) and with `ffmpeg.probe`, which QC uses. Levels are
sampled from decoded frames, so a conversion that only re-tags its input fails.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from scriptsensei_cli.engine.render.colour import VIDEO, after_crop, scale_options
from scriptsensei_cli.engine.render.errors import RenderError
from scriptsensei_cli.engine.render.ffmpeg import ffmpeg_exe, probe
from scriptsensei_cli.engine.render.pipeline import (
    RenderRequest,
    RenderResult,
    quality_check,
    render_video,
)
from scriptsensei_cli.engine.render.presets import output_preset
from scriptsensei_cli.engine.render.tts import Narrator
from scriptsensei_cli.engine.render.visuals import media_visual
from tests.media_files import ffmpeg

SENTENCE = "Every frame keeps its colour."
FIVE_FIELDS = {
    "pix_fmt": "yuv420p",
    "color_range": "tv",
    "color_space": "bt709",
    "color_transfer": "bt709",
    "color_primaries": "bt709",
}
W, H = 270, 480  # tiktok at draft quality
GREY = (128, 128, 128)
RED = (200, 50, 50)
BLUE = (48, 112, 192)


def stream_fields(video: Path) -> dict[str, str]:
    """The five fields as a player sees them: `showinfo` on the first decoded frame."""
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(video), "-vf", "showinfo"]
    result = subprocess.run(
        [*command, "-frames:v", "1", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    fmt = re.search(r"\bfmt:(\w+)", result.stderr)
    tags = dict(re.findall(r"\b(color_range|color_space|color_primaries|color_trc):(\S+)", result.stderr))
    assert fmt is not None and tags, result.stderr[-2000:]
    return {
        "pix_fmt": fmt.group(1),
        "color_range": tags["color_range"],
        "color_space": tags["color_space"],
        "color_transfer": tags["color_trc"],
        "color_primaries": tags["color_primaries"],
    }


def probed_fields(video: Path) -> dict[str, str | None]:
    info = probe(video)
    return {
        "pix_fmt": info.pixel_format,
        "color_range": info.color_range,
        "color_space": info.color_space,
        "color_transfer": info.color_transfer,
        "color_primaries": info.color_primaries,
    }


def frame(path: Path, at: float | None = None) -> np.ndarray:
    """One decoded frame as RGB (float, H x W x 3), converted as its own tags say (as a player does)."""
    info = probe(path)
    assert info.width and info.height
    seek = ["-ss", f"{at:.2f}"] if at is not None else []
    raw = ffmpeg(*seek, "-i", str(path), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-")
    return np.frombuffer(raw, np.uint8).reshape(info.height, info.width, 3).astype(np.float64)


def luma(path: Path, at: float, box: tuple[int, int, int, int]) -> float:
    """The mean stored Y value (no range conversion) in `box` (x, y, w, h) of the frame at `at`."""
    x, y, w, h = box
    raw = ffmpeg(
        "-ss", f"{at:.2f}", "-i", str(path), "-frames:v", "1",
        "-vf", f"crop={w}:{h}:{x}:{y},extractplanes=y", "-f", "rawvideo", "-pix_fmt", "gray", "-",
    )  # fmt: skip
    return float(np.frombuffer(raw, np.uint8).mean())


def colour_at(picture: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    x, y, w, h = box
    return picture[y : y + h, x : x + w].reshape(-1, 3).mean(axis=0)


def flat_jpeg(path: Path, rgb: tuple[int, int, int]) -> Path:
    """A 640x360 JPEG of one colour, as a camera writes it: full range, BT.601 (bt470bg) matrix."""
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=0x{:02x}{:02x}{:02x}:s=640x360".format(*rgb),
        "-frames:v", "1", "-q:v", "1", str(path),
    )  # fmt: skip
    return path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each kind of input, made with ffmpeg. The HDR clips are the SDR clip's own pictures, encoded
    as a phone would (reference white at 203 cd/m², 10-bit HEVC, BT.2020), so a render of either
    should look like a render of the SDR clip."""
    folder = tmp_path_factory.mktemp("colour-inputs")
    made = {
        "jpeg": folder / "photo.jpg",
        "png": folder / "logo.png",
        "sdr": folder / "sdr-601.mp4",
        "pq": folder / "hdr-pq.mp4",
        "hlg": folder / "hdr-hlg.mp4",
    }
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x360", "-frames:v", "1", "-q:v", "2", str(made["jpeg"]))
    # Portrait, its top half transparent *white*: dropping the alpha would show white there.
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=white@0.0:s=360x320,format=rgba[top];"
        "color=c=0x3070C0:s=360x320,format=rgba[bottom];[top][bottom]vstack",
        "-frames:v", "1", str(made["png"]),
    )  # fmt: skip
    # SD, so tagged (and encoded) with the BT.601 matrix a phone uses for it.
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=s=640x360:d=3:r=30",
        "-vf", "scale=out_color_matrix=bt601:out_range=tv,format=yuv420p,"
        "setparams=range=tv:colorspace=smpte170m:color_primaries=smpte170m:color_trc=smpte170m",
        "-c:v", "libx264", "-preset", "ultrafast", "-crf", "12", str(made["sdr"]),
    )  # fmt: skip
    for name, transfer in (("pq", "smpte2084"), ("hlg", "arib-std-b67")):
        ffmpeg(
            "-i", str(made["sdr"]),
            "-vf", "zscale=t=linear:npl=100,format=gbrpf32le,"
            f"zscale=p=bt2020:t={transfer}:m=bt2020nc:r=tv:npl=203,format=yuv420p10le",
            "-c:v", "libx265", "-x265-params", "log-level=error:crf=12", "-preset", "ultrafast",
            str(made[name]),
        )  # fmt: skip
    # The inputs are what they claim to be.
    assert probed_fields(made["jpeg"])["color_range"] == "pc"
    assert probe(made["jpeg"]).pixel_format == "yuvj420p"
    assert probe(made["png"]).pixel_format == "rgba"
    assert probed_fields(made["sdr"])["color_space"] == "smpte170m"
    for name, transfer in (("pq", "smpte2084"), ("hlg", "arib-std-b67")):
        assert probe(made[name]).pixel_format == "yuv420p10le"
        fields = probed_fields(made[name])
        assert (fields["color_transfer"], fields["color_primaries"]) == (transfer, "bt2020")
    return made


@pytest.fixture(scope="module")
def render(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., RenderResult]:
    """Render (once per set of arguments) `SENTENCE` over the given media, no captions unless asked."""
    folder = tmp_path_factory.mktemp("colour-renders")
    narrator = Narrator(folder / "tts")
    count = iter(range(1000))

    @cache
    def run(media: Path | None, quality: str = "draft", captions: bool = False) -> RenderResult:
        job = folder / f"job-{next(count)}"
        request = RenderRequest(
            title="Colour",
            script=SENTENCE,
            quality=quality,
            media=(media,) if media else (),
            **({} if captions else {"captions": None}),
        )
        return render_video(request, narrator=narrator, work_dir=job, output=job / "out" / "video.mp4")

    return run


@pytest.mark.parametrize("kind", ["jpeg", "png", "sdr", "pq", "hlg", "generated"])
def test_every_kind_of_input_leaves_as_bt709_limited_yuv420p(
    kind: str, inputs: dict[str, Path], render: Callable[..., RenderResult]
) -> None:
    result = render(inputs.get(kind), captions=kind == "generated")
    assert stream_fields(result.video) == FIVE_FIELDS
    assert probed_fields(result.video) == FIVE_FIELDS  # what QC reads agrees with the decoder


@pytest.mark.parametrize("quality", ["720p", "standard", "high"])
def test_every_quality_leaves_as_bt709_limited_yuv420p(
    quality: str, inputs: dict[str, Path], render: Callable[..., RenderResult]
) -> None:
    result = render(inputs["jpeg"], quality)
    assert stream_fields(result.video) == FIVE_FIELDS


@pytest.mark.parametrize("rgb", [GREY, RED], ids=["grey", "red"])
def test_a_full_range_jpeg_keeps_its_levels_and_the_thumbnail_matches(
    rgb: tuple[int, int, int], tmp_path: Path, render: Callable[..., RenderResult]
) -> None:
    result = render(flat_jpeg(tmp_path / "flat.jpg", rgb))
    centre = (W // 2 - 20, H // 2 - 20, 40, 40)
    if rgb == GREY:
        # Full-range 128 is limited-range 16 + 128 * 219 / 255 = 126. Re-tagging leaves 128; a
        # second squash gives 124.
        for at in (0.2, 1.0, 2.0):
            assert luma(result.video, at, centre) == pytest.approx(126, abs=1)
    # A player shows the source's colour: the BT.601 matrix converted to BT.709, not re-tagged
    # (which shifts this red by about 15 levels), and neither range squashed nor stretched.
    shown = colour_at(frame(result.video, 1.0), centre)
    assert shown == pytest.approx(rgb, abs=5)
    # The thumbnail (a JPEG: full range, BT.601) is converted from the source once and looks the
    # same; below the title, which covers the upper third.
    below_title = (W // 2 - 40, int(H * 0.7), 80, 60)
    assert colour_at(frame(result.thumbnail), below_title) == pytest.approx(shown, abs=5)
    if rgb == GREY:
        assert luma(result.thumbnail, 0, below_title) == pytest.approx(128, abs=1)


def test_transparency_is_flattened_onto_black(
    inputs: dict[str, Path], render: Callable[..., RenderResult]
) -> None:
    picture = frame(render(inputs["png"]).video, 1.0)
    assert colour_at(picture, (60, 60, 150, 100)) == pytest.approx((0, 0, 0), abs=4)  # not white
    assert colour_at(picture, (60, 340, 150, 100)) == pytest.approx(BLUE, abs=6)


@pytest.mark.parametrize("kind", ["pq", "hlg"])
def test_hdr_is_tone_mapped_to_look_like_its_sdr_original(
    kind: str, inputs: dict[str, Path], render: Callable[..., RenderResult]
) -> None:
    """The HDR clip holds the SDR clip's pictures: its render must come out close to the SDR clip's,
    video and thumbnail. What stays between them is the roll-off that makes room for highlights
    (this test pattern is at SDR white, where it dims by about 7 %): a mean difference of about 10
    levels. Only re-tagged, or with its matrix and range converted but not its transfer and
    primaries, the HDR render is off by 50 (HLG) to 80 (PQ) levels."""
    sdr, hdr = render(inputs["sdr"]), render(inputs[kind])
    for at in (0.5, 1.5):
        assert np.abs(frame(hdr.video, at) - frame(sdr.video, at)).mean() < 15
    assert np.abs(frame(hdr.thumbnail) - frame(sdr.thumbnail)).mean() < 15


def test_without_zscale_hdr_is_tone_mapped_by_swscale(inputs: dict[str, Path], tmp_path: Path) -> None:
    """The fallback for an ffmpeg build without zscale (imageio-ffmpeg's has it, and makes the HDR
    inputs with it): swscale's own colour management, the same graph with `zscale=False`."""
    outputs = {}
    for kind in ("sdr", "pq"):
        colour = media_visual(inputs[kind]).colour
        graph = (
            f"scale={W}:{H}:force_original_aspect_ratio=increase{scale_options(colour, VIDEO)},"
            f"crop={W}:{H},{after_crop(colour, VIDEO, zscale=False)}"
        )
        assert "zscale" not in graph
        outputs[kind] = tmp_path / f"{kind}.mp4"
        ffmpeg("-i", str(inputs[kind]), "-vf", graph, "-frames:v", "1", "-c:v", "libx264", str(outputs[kind]))
    assert stream_fields(outputs["pq"]) == FIVE_FIELDS
    assert np.abs(frame(outputs["pq"]) - frame(outputs["sdr"])).mean() < 15


def test_qc_fails_an_output_that_is_not_bt709_limited_range(tmp_path: Path) -> None:
    """What renders used to make from a photo: full range, tagged bt470bg, nothing else tagged."""
    preset = output_preset("tiktok", None, "draft")
    video = tmp_path / "full-range.mp4"
    ffmpeg(
        "-f", "lavfi", "-i", f"testsrc2=s={W}x{H}:r=30:d=2", "-f", "lavfi", "-i", "sine=d=2",
        "-vf", "scale=out_range=pc:out_color_matrix=bt601,format=yuvj420p,setparams=colorspace=bt470bg",
        "-c:v", "libx264", "-c:a", "aac", "-shortest", str(video),
    )  # fmt: skip
    with pytest.raises(RenderError) as failed:
        quality_check(video, preset, expected_duration=2.0)
    assert failed.value.stage == "qc"
    assert "colour pixel format is yuvj420p, expected yuv420p" in failed.value.message
    assert "colour range is pc, expected tv" in failed.value.message
    assert "colour matrix is bt470bg, expected bt709" in failed.value.message
    assert "colour transfer is not tagged, expected bt709" in failed.value.message
    assert "size" not in failed.value.message and "duration" not in failed.value.message
