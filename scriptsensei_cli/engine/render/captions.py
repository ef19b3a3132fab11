"""Caption tracks from word timings: ASS to burn in with libass, SRT and WebVTT as sidecar files.

The ASS track has three looks (`CaptionStyle.name`):

- ``standard``: each caption line is shown whole while it is spoken;
- ``karaoke``: the line is shown whole and each word fills with the highlight colour as it is said;
- ``word_highlight``: the line is shown whole with the word being said in the highlight colour, one word
  at a time; the look viewers know from short-video apps, and the default.

Layout decisions, and why:

- A caption line holds at most `words_per_line` words, never runs across a pause between sentences and
  ends where a sentence ends, so text on screen matches what is heard.
- The font size follows the frame (`default_font_size`) and captions sit inside the platform's safe zone
  (`safe_margins`), clear of the app's buttons and description.
- Lines too wide for the safe zone are broken here, at measured widths, not left to libass: libass only
  wraps at spaces (Chinese and Japanese have none), and a fixed layout keeps ``word_highlight`` from
  re-wrapping as the highlight moves. For the same reason the current word is recoloured, not enlarged.
- Consecutive events share their boundary times and are rounded the same way, so they never overlap and
  leave no one-frame gaps (flicker) inside a line; lines less than `SENTENCE_GAP` apart are joined too.

Burn the track in with `ass_filter`, which escapes the paths for an ffmpeg filtergraph.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from ...common.text import ends_sentence, join_words
from ...contract.vocabulary import CAPTION_STYLES, CaptionStyleName
from .fonts import ResolvedFont, drawable, font_for_text, text_width
from .timeline import WordTiming

CaptionPosition = Literal["bottom", "middle", "top"]
CAPTION_POSITIONS: tuple[CaptionPosition, ...] = get_args(CaptionPosition)

# A pause longer than this between words is a break between sentences: a caption line never spans it.
SENTENCE_GAP = 0.35
MAX_WORDS_PER_LINE = 12
# Default font size (the ASS font size: ascent plus descent, in frame pixels) as a share of the frame
# height. Portrait video fills a phone screen: 4.5% of 1920 is 86 px, a line of about four words across
# the safe width. Landscape and square frames are watched smaller, so a larger share: 6% of 1080 is 65 px.
PORTRAIT_FONT_SIZE = 0.045
LANDSCAPE_FONT_SIZE = 0.06
MIN_FONT_SIZE = 12
# `CaptionStyle.outline` is in pixels at this font size and scales with the real one, so the border looks
# the same at every frame size (4 px at 80 px, 4.3 px at the 86 px of a 1080x1920 frame).
OUTLINE_REFERENCE_SIZE = 80.0
# Frames at least this much taller than wide are full-screen phone video with the app's UI over them.
TALL_ASPECT = 1.5

_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
_ALIGNMENT: dict[CaptionPosition, int] = {"bottom": 2, "middle": 5, "top": 8}
_STYLE_NAME = "Caption"


@dataclass(frozen=True)
class CaptionStyle:
    """How captions look. Colours are ``#RRGGBB``; sizes are frame pixels.

    >>> CaptionStyle(name="karaoke", words_per_line=3, highlight_colour="#00E5FF").words_per_line
    3
    >>> CaptionStyle(words_per_line=20)
    Traceback (most recent call last):
    ValueError: words_per_line must be a whole number from 1 to 12 (got 20)
    """

    name: CaptionStyleName = "word_highlight"
    words_per_line: int = 4
    font_size: int | None = None  # None: `default_font_size` for the frame
    primary_colour: str = "#FFFFFF"
    highlight_colour: str = "#FFD60A"
    outline_colour: str = "#000000"
    outline: float = 4.0  # at an 80 px font; scales with the font size
    position: CaptionPosition = "bottom"
    font: str | None = None  # a family name the server offers (never a path); None: the first that fits

    def __post_init__(self) -> None:
        if self.name not in CAPTION_STYLES:
            raise ValueError(f"name must be one of {', '.join(CAPTION_STYLES)} (got {self.name!r})")
        if not _whole(self.words_per_line) or not 1 <= self.words_per_line <= MAX_WORDS_PER_LINE:
            raise ValueError(
                f"words_per_line must be a whole number from 1 to {MAX_WORDS_PER_LINE} "
                f"(got {self.words_per_line!r})"
            )
        if self.font_size is not None and (not _whole(self.font_size) or not 8 <= self.font_size <= 1000):
            raise ValueError(
                f"font_size must be a whole number of pixels from 8 to 1000 (got {self.font_size!r})"
            )
        for field in ("primary_colour", "highlight_colour", "outline_colour"):
            value = getattr(self, field)
            if not isinstance(value, str) or not _COLOUR.fullmatch(value):
                raise ValueError(f"{field} must be a colour written #RRGGBB, like #FFD60A (got {value!r})")
        if (
            isinstance(self.outline, bool)
            or not isinstance(self.outline, int | float)
            or not 0 <= self.outline <= 50
        ):
            raise ValueError(f"outline must be a number of pixels from 0 to 50 (got {self.outline!r})")
        if self.position not in CAPTION_POSITIONS:
            raise ValueError(
                f"position must be one of {', '.join(CAPTION_POSITIONS)} (got {self.position!r})"
            )
        if self.font is not None and not self.font.strip():
            raise ValueError("font must be a font family name, or None for the default")


@dataclass(frozen=True)
class Margins:
    """Distances in pixels from each edge of the frame that captions keep clear of."""

    left: int
    right: int
    top: int
    bottom: int


def safe_margins(width: int, height: int) -> Margins:
    """The margins that keep captions visible on the platforms a frame of this shape is made for.

    Tall (9:16) frames are watched full screen in TikTok, Reels and Shorts with the app's controls on top:
    the description, sound and buttons along the bottom (TikTok's creative guidance: keep text out of the
    lower ~20%), the like/comment/share column down the right (~12% of the width), the Following/For You
    tabs across the top (~8%) and a little room on the left (6%, Meta's side margin for Reels). Meta's
    figures for Reels *ads* (14% top, 35% bottom) are stricter because of the ad's call-to-action button;
    use ``position="middle"`` for ads. Other frames (16:9, 1:1, 4:5) get the broadcast title-safe area,
    90% of width and height (SMPTE ST 2046-1, EBU R 95): 5% on each side.
    """
    if width <= 0 or height <= 0:
        raise ValueError(f"frame size must be positive (got {width}x{height})")
    if height / width >= TALL_ASPECT:
        return Margins(
            left=round(0.06 * width),
            right=round(0.12 * width),
            top=round(0.08 * height),
            bottom=round(0.20 * height),
        )
    side, edge = round(0.05 * width), round(0.05 * height)
    return Margins(left=side, right=side, top=edge, bottom=edge)


def default_font_size(width: int, height: int) -> int:
    """Caption font size for a frame: 4.5% of the height for portrait, 6% for landscape and square."""
    share = PORTRAIT_FONT_SIZE if height > width else LANDSCAPE_FONT_SIZE
    return max(MIN_FONT_SIZE, round(share * height))


def group_lines(words: Sequence[WordTiming], words_per_line: int) -> list[list[WordTiming]]:
    """Caption lines: at most `words_per_line` words, split at sentence ends and pauses over 0.35 s.

    A sentence longer than one line is cut into lines of even length (5 words at 4 a line make 3 + 2,
    not 4 + 1), so no line is left with a single stranded word.
    """
    if words_per_line < 1:
        raise ValueError(f"words_per_line must be at least 1 (got {words_per_line})")
    lines: list[list[WordTiming]] = []
    for run in _sentence_runs(words):
        count = -(-len(run) // words_per_line)
        size, extra = divmod(len(run), count)
        start = 0
        for index in range(count):
            end = start + size + (1 if index < extra else 0)
            lines.append(list(run[start:end]))
            start = end
    return lines


def caption_font(text: str, style: CaptionStyle) -> ResolvedFont:
    """The font that draws every character of the narration `text` (checked before rendering;
    raises `FontError` if none does)."""
    return font_for_text(text, style.font)


def build_ass(
    words: Sequence[WordTiming],
    *,
    width: int,
    height: int,
    style: CaptionStyle,
    font: ResolvedFont,
    until: float | None = None,
) -> str:
    """A complete ASS script drawing `words` in `style` on a `width` x `height` frame with `font`.

    `until` is where the track ends (a scene's segment: its words, its own time base): the last line
    stays up to it across a short pause, as a line stays up until the next one, and nothing outlasts it.
    """
    size = style.font_size or default_font_size(width, height)
    margins = safe_margins(width, height)
    outline = round(style.outline * size / OUTLINE_REFERENCE_SIZE, 2)
    max_width = width - margins.left - margins.right - 2 * outline
    lines = group_lines(_shown(words, font), style.words_per_line)

    events: list[tuple[float, float, str]] = []
    for number, line in enumerate(lines):
        end = line[-1].end
        if number + 1 < len(lines) and lines[number + 1][0].start - end <= SENTENCE_GAP:
            end = lines[number + 1][0].start
        elif number + 1 == len(lines) and until is not None and until - end <= SENTENCE_GAP:
            end = until
        joints, scale = _layout([word.text for word in line], font, size, max_width)
        events.extend(_line_events(line, end, joints, scale, style))

    dialogue = []
    for start, end, text in events:
        if until is not None:
            start, end = min(start, until), min(end, until)
        first, last = _centiseconds(start), _centiseconds(end)
        if last > first:
            dialogue.append(f"Dialogue: 0,{_ass_time(first)},{_ass_time(last)},{_STYLE_NAME},,0,0,0,,{text}")
    return _ass_header(width, height, style, font, size, outline, margins) + "".join(
        line + "\n" for line in dialogue
    )


def build_srt(words: Sequence[WordTiming], words_per_line: int) -> str:
    """SubRip captions: one numbered cue per caption line."""
    blocks = [
        f"{number}\n{_timestamp(start, ',')} --> {_timestamp(end, ',')}\n{text.replace('-->', '->')}\n"
        for number, (start, end, text) in enumerate(_cues(words, words_per_line), 1)
    ]
    return "\n".join(blocks)


def build_vtt(words: Sequence[WordTiming], words_per_line: int) -> str:
    """WebVTT captions: one cue per caption line."""
    blocks = [
        f"{_timestamp(start, '.')} --> {_timestamp(end, '.')}\n{_vtt_escape(text)}\n"
        for start, end, text in _cues(words, words_per_line)
    ]
    return "\n".join(["WEBVTT\n", *blocks])


def ass_filter(ass_path: str | Path, font: ResolvedFont) -> str:
    r"""The ffmpeg filter that burns `ass_path` in with `font`, escaped for a ``-vf``/filtergraph string.

    >>> from scriptsensei_cli.engine.render.fonts import ResolvedFont
    >>> font = ResolvedFont("Roboto", Path("C:/fonts/Roboto.ttf"))
    >>> print(ass_filter("/tmp/job 1, take 2/captions.ass", font))
    ass=filename=/tmp/job 1\, take 2/captions.ass:fontsdir=C\\:/fonts

    Use it as ``ffmpeg -i in.mp4 -vf "<this>" out.mp4`` or as one link of a ``-filter_complex`` graph.
    """
    return f"ass=filename={_filter_value(str(ass_path))}:fontsdir={_filter_value(str(font.directory))}"


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _sentence_runs(words: Sequence[WordTiming]) -> list[list[WordTiming]]:
    runs: list[list[WordTiming]] = []
    current: list[WordTiming] = []
    for word in words:
        if current and (
            word.start - current[-1].end > SENTENCE_GAP or ends_sentence(current[-1].text, word.text)
        ):
            runs.append(current)
            current = []
        current.append(word)
    if current:
        runs.append(current)
    return runs


def _clean(words: Sequence[WordTiming]) -> list[WordTiming]:
    cleaned = []
    for word in words:
        text = " ".join(word.text.split())
        if text:
            cleaned.append(WordTiming(text, word.start, max(word.start, word.end)))
    return cleaned


def _shown(words: Sequence[WordTiming], font: ResolvedFont) -> list[WordTiming]:
    """Words as drawn: without emoji the font cannot draw. A word left empty is dropped and its time
    given to the word before, so it neither splits the caption line nor blanks it."""
    shown: list[WordTiming] = []
    for word in _clean(words):
        text = " ".join(drawable(word.text, font).split())
        if text:
            shown.append(WordTiming(text, word.start, word.end))
        elif shown:
            shown[-1] = WordTiming(shown[-1].text, shown[-1].start, max(shown[-1].end, word.end))
    return shown


def _layout(texts: list[str], font: ResolvedFont, size: int, max_width: float) -> tuple[list[str], int]:
    """What goes between the words of a line (space, nothing, or a line break) and a scale in percent.

    The fewest rows that fit `max_width`, as even as possible, longer rows first. A single word wider than
    the safe width is scaled down to fit rather than spill out of the frame.
    """
    joints = [
        "" if join_words((left, right)) == left + right else " " for left, right in itertools.pairwise(texts)
    ]
    widths = [text_width(text, font, size) for text in texts]
    space = text_width(" ", font, size)
    scale = 100
    if max(widths) > max_width > 0:
        scale = max(10, math.floor(100 * max_width / max(widths)))
    widths = [width * scale / 100 for width in widths]
    space *= scale / 100

    def row_widths(breaks: tuple[int, ...]) -> list[float]:
        rows, start = [], 0
        for stop in (*breaks, len(texts) - 1):
            gaps = sum(space for joint in joints[start:stop] if joint)
            rows.append(sum(widths[start : stop + 1]) + gaps)
            start = stop + 1
        return rows

    best: tuple[float, float, tuple[int, ...]] | None = None
    for count in range(1, len(texts) + 1):
        for breaks in itertools.combinations(range(len(joints)), count - 1):
            rows = row_widths(breaks)
            if max(rows) <= max_width and (best is None or (max(rows), -rows[0]) < best[:2]):
                best = (max(rows), -rows[0], breaks)
        if best is not None:
            break
    breaks = best[2] if best else tuple(range(len(joints)))
    return ["\\N" if index in breaks else joint for index, joint in enumerate(joints)], scale


def _line_events(
    line: list[WordTiming], end: float, joints: list[str], scale: int, style: CaptionStyle
) -> list[tuple[float, float, str]]:
    texts = [_escape(word.text) for word in line]
    prefix = f"{{\\fscx{scale}\\fscy{scale}}}" if scale < 100 else ""

    def compose(parts: list[str]) -> str:
        return prefix + "".join(part + (joints[i] if i < len(joints) else "") for i, part in enumerate(parts))

    if style.name == "standard":
        return [(line[0].start, end, compose(texts))]
    if style.name == "karaoke":
        # \kf durations are counted from the event start, in centiseconds; pauses are empty \k syllables.
        cursor = _centiseconds(line[0].start)
        parts = []
        for word, text in zip(line, texts, strict=True):
            start = max(cursor, _centiseconds(word.start))
            filled = max(start, _centiseconds(word.end))
            pause = f"{{\\k{start - cursor}}}" if start > cursor else ""
            parts.append(f"{pause}{{\\kf{filled - start}}}{text}")
            cursor = filled
        return [(line[0].start, end, compose(parts))]
    on, off = _override_colour(style.highlight_colour), _override_colour(style.primary_colour)
    events = []
    for index, word in enumerate(line):
        stop = line[index + 1].start if index + 1 < len(line) else end
        parts = [f"{{\\1c{on}}}{text}{{\\1c{off}}}" if i == index else text for i, text in enumerate(texts)]
        events.append((word.start, max(word.start, stop), compose(parts)))
    return events


def _ass_header(
    width: int,
    height: int,
    style: CaptionStyle,
    font: ResolvedFont,
    size: int,
    outline: float,
    margins: Margins,
) -> str:
    # Karaoke fills from SecondaryColour (not yet sung) to PrimaryColour (sung).
    primary, secondary = style.primary_colour, style.highlight_colour
    if style.name == "karaoke":
        primary, secondary = secondary, primary
    margin_v = {"bottom": margins.bottom, "top": margins.top, "middle": 0}[style.position]
    fields = [
        _STYLE_NAME,
        font.family.replace(",", " "),
        str(size),
        _style_colour(primary),
        _style_colour(secondary),
        _style_colour(style.outline_colour),
        "&H80000000",  # shadow: half-transparent black
        "-1" if font.bold else "0",
        "0",
        "0",
        "0",
        "100",
        "100",
        "0",
        "0",
        "1",  # outline + drop shadow, no opaque box
        f"{outline:g}",
        f"{round(outline / 2, 2):g}",
        str(_ALIGNMENT[style.position]),
        str(margins.left),
        str(margins.right),
        str(margin_v),
        "1",
    ]
    return (
        "[Script Info]\n"
        "; Captions by ScriptSensei\n"
        "ScriptType: v4.00+\n"
        f"PlayResX: {width}\n"
        f"PlayResY: {height}\n"
        "WrapStyle: 0\n"
        "ScaledBorderAndShadow: yes\n"
        "YCbCr Matrix: None\n"
        "\n"
        "[V4+ Styles]\n"
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, "
        "Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, "
        "Alignment, MarginL, MarginR, MarginV, Encoding\n"
        f"Style: {','.join(fields)}\n"
        "\n"
        "[Events]\n"
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    )


def _escape(text: str) -> str:
    """User text as literal ASS text. libass reads ``\\{`` and ``\\}`` as braces but has no escape for a
    backslash, so a word joiner (zero width, no glyph needed) keeps ``\\N`` or ``\\h`` from turning into
    a line break or a hard space."""
    return text.replace("\\", "\\\u2060").replace("{", "\\{").replace("}", "\\}")


def _style_colour(colour: str) -> str:
    """``#RRGGBB`` as an ASS style colour, ``&HAABBGGRR`` with alpha 00 (opaque)."""
    red, green, blue = colour[1:3], colour[3:5], colour[5:7]
    return f"&H00{blue}{green}{red}".upper()


def _override_colour(colour: str) -> str:
    red, green, blue = colour[1:3], colour[3:5], colour[5:7]
    return f"&H{blue}{green}{red}&".upper()


def _centiseconds(seconds: float) -> int:
    # One rounding for every boundary: shared boundaries stay equal, ordered ones stay ordered.
    return max(0, math.floor(seconds * 100 + 0.5 + 1e-9))


def _ass_time(centiseconds: int) -> str:
    hours, rest = divmod(centiseconds, 360_000)
    minutes, rest = divmod(rest, 6_000)
    seconds, hundredths = divmod(rest, 100)
    return f"{hours}:{minutes:02d}:{seconds:02d}.{hundredths:02d}"


def _cues(words: Sequence[WordTiming], words_per_line: int) -> list[tuple[int, int, str]]:
    """(start ms, end ms, text) per caption line, rounded inwards so a cue never outlasts its words."""
    cues = []
    for line in group_lines(_clean(words), words_per_line):
        start = math.ceil(round(max(0.0, line[0].start) * 1000, 6))
        end = math.floor(round(line[-1].end * 1000, 6))
        if end > start:
            cues.append((start, end, join_words(word.text for word in line)))
    return cues


def _timestamp(milliseconds: int, separator: str) -> str:
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _filter_value(value: str) -> str:
    # Escaped twice: once for the filter's own option parser (":" ends an option), then for the
    # filtergraph parser ("," ";" "[" "]" separate filters and pads); both treat "\" and "'" specially.
    once = re.sub(r"([\\':])", r"\\\1", value)
    return re.sub(r"([\\'\[\],;])", r"\\\1", once)
