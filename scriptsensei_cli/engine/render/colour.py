"""One colour pipeline: every video leaves as yuv420p, limited (tv) range, BT.709 primaries, transfer
and matrix, tagged in the stream, whatever its scenes were made from and whatever the quality.

Each source is converted once, and converted, not re-tagged:

- SDR YUV (a JPEG, a phone's SDR video, WebP): swscale maps the source's range and matrix to the
  target's in the pass that resizes it: full-range (JPEG) levels to limited, BT.601/bt470bg to
  BT.709. Where a source does not say, a yuvj format is full range and other YUV limited, and an
  untagged matrix is BT.709 from 720 lines up and BT.601 below (what players assume).
- RGB (PNG, GIF, the generated backgrounds): swscale's RGB to YUV, with the target's matrix and range.
  A picture with transparency is composited onto black first (premultiplied by its alpha), not
  stripped of its alpha, which would show whatever colour its transparent pixels happen to hold.
- HDR (PQ, SMPTE ST 2084, or HLG, ARIB STD-B67; BT.2020 as a rule): scaled to the frame in its own
  space (fewer pixels to tone-map), then tone-mapped. With zscale (libzimg; imageio-ffmpeg's build
  has it): linear light with HDR reference white (203 cd/m², ITU-R BT.2408) as 1.0, BT.2020
  primaries to BT.709, `tonemap=mobius`, which leaves everything up to 70 % of reference white as it
  is and rolls highlights up to 1000 cd/m² (what phones master to, HLG's nominal peak) off below SDR
  white, then BT.709's transfer, matrix and range. An ffmpeg without zscale gets swscale's own colour
  management instead (`scale` with transfer and primaries, FFmpeg 8 and later): several times slower
  and flatter on HLG, but a conversion all the same.
- SDR tagged with other primaries than BT.709's (BT.601's SMPTE C or EBU, BT.2020, P3): the same way,
  without the tone mapping. Its transfer is taken as BT.709's (BT.601's and BT.2020's are the same
  curve; older tags such as a nominal gamma of 2.8 are not honoured, as players do not).

Not converted: what a file does not state. An untagged clip or a photo is taken to have BT.709
primaries (sRGB's), and an ICC profile in a photo is not read (ffmpeg reads none): a Display P3 JPEG
is shown as if it were sRGB.

The thumbnail is a JPEG, which decoders read as full range with the BT.601 matrix (JFIF): it gets
the same conversion from the source with that target, so it looks like the video's frames without
being converted twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import ffmpeg

HDR_TRANSFERS = ("smpte2084", "arib-std-b67")
REFERENCE_WHITE = 203.0  # cd/m², ITU-R BT.2408: HDR's diffuse white, which becomes SDR white
HDR_PEAK = 1000.0  # cd/m²: the brightest highlight rolled off below SDR white
TONE_MAP_KNEE = 0.7  # of reference white: below it, HDR levels are kept as they are
# Matrices swscale's `scale` can read (ffmpeg's names); any other is guessed as if untagged.
SCALE_MATRICES = ("bt709", "bt470bg", "smpte170m", "bt601", "bt470", "fcc", "smpte240m", "bt2020nc", "bt2020")
_ALPHA_FORMATS = re.compile(r"^(yuva|gbrap|ya\d|rgba|bgra|argb|abgr|pal8)")
_RGB_FORMATS = re.compile(r"^(rgb|bgr|gbr|argb|abgr|0rgb|0bgr|x2rgb|x2bgr|pal8|gray|ya\d)")


@dataclass(frozen=True)
class Target:
    """What a conversion produces: 8-bit 4:2:0 YUV with this range and matrix, BT.709 primaries and
    transfer, tagged on every frame (the encoder writes the frames' tags into the stream)."""

    range: str  # "tv" (limited) or "pc" (full)
    matrix: str  # ffmpeg's name

    @property
    def tags(self) -> str:
        return f"setparams=range={self.range}:colorspace={self.matrix}:color_primaries=bt709:color_trc=bt709"


VIDEO = Target("tv", "bt709")
JPEG = Target("pc", "bt470bg")  # a JPEG's own (JFIF): full range, the BT.601 matrix
# What QC asks of every output, in ffmpeg's names.
VIDEO_FIELDS = {
    "pixel format": "yuv420p",
    "range": VIDEO.range,
    "matrix": VIDEO.matrix,
    "transfer": "bt709",
    "primaries": "bt709",
}


@dataclass(frozen=True)
class SourceColour:
    """A source's colour as its file states it (ffmpeg's names, None where it says nothing)."""

    pixel_format: str | None = None
    range: str | None = None
    matrix: str | None = None
    transfer: str | None = None
    primaries: str | None = None
    height: int | None = None

    @classmethod
    def of(cls, info: ffmpeg.MediaInfo) -> SourceColour:
        return cls(
            info.pixel_format,
            info.color_range,
            info.color_space,
            info.color_transfer,
            info.color_primaries,
            info.height,
        )

    @property
    def hdr(self) -> bool:
        return self.transfer in HDR_TRANSFERS

    @property
    def managed(self) -> bool:
        """Converted by colour management (zscale), transfer and primaries, not only by swscale's
        range and matrix: HDR, and sources whose primaries are stated and are not BT.709's."""
        return self.hdr or self.primaries not in (None, "bt709")

    @property
    def rgb(self) -> bool:
        """RGB, grey or a palette: no matrix to read, full range."""
        return bool(self.pixel_format and _RGB_FORMATS.match(self.pixel_format))

    @property
    def alpha(self) -> bool:
        return bool(self.pixel_format and _ALPHA_FORMATS.match(self.pixel_format))

    def input_range(self) -> str:
        if self.range is not None:
            return self.range
        return "pc" if self.rgb or (self.pixel_format or "").startswith("yuvj") else "tv"

    def input_matrix(self) -> str:
        if self.matrix is not None and self.matrix in SCALE_MATRICES:
            return self.matrix
        if self.hdr:
            return "bt2020nc"
        return "bt709" if (self.height or 0) >= 720 else "smpte170m"


SRGB = SourceColour(
    pixel_format="rgb24", range="pc", matrix="gbr", transfer="iec61966-2-1", primaries="bt709"
)


def before_scale(source: SourceColour) -> str:
    """Filters (each followed by a comma) for `source` before it is resized: transparency onto black."""
    return "premultiply=inplace=1," if source.alpha else ""


def scale_options(source: SourceColour, target: Target) -> str:
    """Options to append to the `scale` that resizes `source`: the colour half of that same pass.
    A managed source (HDR, or primaries of its own) keeps its own space there, to be converted
    after the crop, on fewer pixels."""
    if source.managed:
        return ""
    options = (
        [] if source.rgb else [f"in_range={source.input_range()}", f"in_color_matrix={source.input_matrix()}"]
    )
    options += [f"out_range={target.range}", f"out_color_matrix={target.matrix}"]
    return ":" + ":".join(options)


def after_crop(source: SourceColour, target: Target, *, zscale: bool | None = None) -> str:
    """Filters for `source` once it is resized and cropped: colour management for a managed source
    (primaries, and tone mapping for HDR), then the pixel format and the frames' colour tags.
    `zscale` picks zscale or swscale's colour management (None: zscale if this ffmpeg has it)."""
    chain = []
    if source.managed:
        if zscale is None:
            zscale = "zscale" in ffmpeg.filters()
        chain.append(_managed_zscale(source, target) if zscale else _managed_swscale(source, target))
    chain += ["format=yuv420p", target.tags]
    return ",".join(chain)


def _managed_zscale(source: SourceColour, target: Target) -> str:
    into = f"tin={_transfer(source)}:pin={source.primaries or 'bt2020'}"
    if not source.rgb:
        into += f":min={source.input_matrix()}:rin={source.input_range()}"
    if not source.hdr:
        return f"zscale={into}:t=bt709:p=bt709:m={target.matrix}:r={target.range}"
    return (
        f"zscale={into}:t=linear:npl={REFERENCE_WHITE:g},format=gbrpf32le,zscale=p=bt709,"
        f"tonemap=mobius:param={TONE_MAP_KNEE}:peak={HDR_PEAK / REFERENCE_WHITE:.3f}:desat=0,"
        f"zscale=t=bt709:m={target.matrix}:r={target.range}"
    )


def _managed_swscale(source: SourceColour, target: Target) -> str:
    into = f"in_transfer={_transfer(source)}:in_primaries={source.primaries or 'bt2020'}"
    if not source.rgb:
        into += f":in_color_matrix={source.input_matrix()}:in_range={source.input_range()}"
    return (
        f"scale={into}:out_transfer=bt709:out_primaries=bt709:"
        f"out_color_matrix={target.matrix}:out_range={target.range}"
    )


def _transfer(source: SourceColour) -> str:
    """The source's transfer for conversion: HDR's own; BT.709's for SDR (see the module's notes)."""
    return source.transfer if source.hdr and source.transfer else "bt709"


def problems(info: ffmpeg.MediaInfo) -> list[str]:
    """How a rendered video's colour differs from `VIDEO_FIELDS`, one phrase per field."""
    found = {
        "pixel format": info.pixel_format,
        "range": info.color_range,
        "matrix": info.color_space,
        "transfer": info.color_transfer,
        "primaries": info.color_primaries,
    }
    return [
        f"colour {field} is {found[field] or 'not tagged'}, expected {expected}"
        for field, expected in VIDEO_FIELDS.items()
        if found[field] != expected
    ]
