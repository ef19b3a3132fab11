"""Caption tracks and fonts: layout, timing, the ASS/SRT/VTT formats, and real libass renders."""

from __future__ import annotations

import doctest
import itertools
import os
import re
import subprocess
import time
from pathlib import Path
from types import ModuleType

import pytest

from scriptsensei_cli.common.text import words as caption_words
from scriptsensei_cli.engine.render import captions, fonts
from scriptsensei_cli.engine.render.captions import (
    CAPTION_STYLES,
    CaptionStyle,
    Margins,
    ass_filter,
    build_ass,
    build_srt,
    build_vtt,
    caption_font,
    default_font_size,
    group_lines,
    safe_margins,
)
from scriptsensei_cli.engine.render.fonts import (
    FontNotFoundError,
    MissingGlyphsError,
    ResolvedFont,
    drawable,
    family_name,
    font_for_text,
    offered_families,
    offered_family,
)
from scriptsensei_cli.engine.render.timeline import WordTiming

PRESETS = [(1080, 1920), (1920, 1080), (1080, 1080), (1080, 1350), (270, 480)]
HIGHLIGHT = r"{\1c&H0AD6FF&}"
DIALOGUE = re.compile(
    r"^Dialogue: 0,(\d+):(\d\d):(\d\d)\.(\d\d),(\d+):(\d\d):(\d\d)\.(\d\d),Caption,,0,0,0,,(.*)$"
)


def timed(text: str, start: float = 0.0, step: float = 0.25, pause_after: float = 0.0) -> list[WordTiming]:
    """Words of `text` spoken back to back, each taking 90% of `step` seconds."""
    timings = []
    at = start
    for word in caption_words(text):
        timings.append(WordTiming(word, round(at, 3), round(at + 0.9 * step, 3)))
        at += step + (pause_after if word.endswith((".", "!", "?", "。")) else 0.0)
    return timings


def events(ass: str) -> list[tuple[float, float, str]]:
    parsed = []
    for line in ass.splitlines():
        if line.startswith("Dialogue:"):
            match = DIALOGUE.match(line)
            assert match, line
            h1, m1, s1, c1, h2, m2, s2, c2 = (int(g) for g in match.groups()[:8])
            parsed.append(
                (h1 * 3600 + m1 * 60 + s1 + c1 / 100, h2 * 3600 + m2 * 60 + s2 + c2 / 100, match.group(9))
            )
    return parsed


def plain(text: str) -> str:
    return re.sub(r"\{[^}]*\}", "", text)


@pytest.fixture(scope="module")
def latin() -> ResolvedFont:
    return font_for_text("Hello")


# Fonts


def test_latin_resolves_to_bundled_roboto_bold(latin: ResolvedFont) -> None:
    assert latin.family == "Roboto" and latin.bold
    assert latin.path.name == "Roboto-Bold.ttf"
    assert latin.directory == latin.path.parent
    assert family_name(latin.path) == "Roboto"
    assert font_for_text("Ελληνικά и кириллица, ça va?").family == "Roboto"


def test_cjk_text_resolves_to_noto_cjk() -> None:
    chinese = font_for_text("我喜欢人工智能")
    assert chinese.family == "Noto Sans CJK SC" and chinese.path.suffix == ".ttc"
    assert font_for_text("今日はいい天気").family == "Noto Sans CJK JP"
    assert font_for_text("안녕하세요").family == "Noto Sans CJK KR"
    assert font_for_text("漢字", language="zh-Hant-TW").family == "Noto Sans CJK TC"
    assert family_name(chinese.path, chinese.index) == chinese.family


def test_missing_glyphs_are_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(fonts, "SYSTEM_FONT_DIRS", (str(tmp_path),))
    with pytest.raises(MissingGlyphsError) as caught:
        font_for_text("Hello \ue000 world \ue000")
    assert caught.value.characters == "\ue000"
    assert caught.value.fonts[:2] == ["Roboto", "Noto Sans CJK SC"]
    assert "U+E000" in str(caught.value) and "Roboto" in str(caught.value)


def test_emoji_and_invisible_characters_are_not_required(latin: ResolvedFont) -> None:
    assert font_for_text("Big news 🔥🚀 ❤️ 👨‍👩‍👧\u200b\u00ad done").family == "Roboto"
    assert drawable("Big 🔥 news ❤️", latin) == "Big  news "
    assert drawable("👨‍👩‍👧", latin) == drawable("\u200b", latin) == ""
    spoken = [WordTiming("Hot", 0.0, 0.4), WordTiming("🔥🔥", 0.4, 0.8), WordTiming("news!", 0.8, 1.2)]
    parsed = events(build_ass(spoken, width=1080, height=1920, style=CaptionStyle(), font=latin))
    assert [plain(text) for *_, text in parsed] == ["Hot news!", "Hot news!"]
    assert parsed[0][1] == parsed[1][0] == 0.8  # "Hot" stays lit while the emoji is spoken


def test_preferred_font_by_family_never_by_path() -> None:
    medium = font_for_text("Hi", "Roboto Medium")
    assert (medium.family, medium.bold) == ("Roboto Medium", False)
    assert font_for_text("Hi", "roboto").path.name == "Roboto-Bold.ttf"  # the bold face of the family
    # A preferred font that lacks the glyphs gives way to one that has them.
    assert font_for_text("中文", "Roboto").family.startswith("Noto Sans CJK")
    with pytest.raises(FontNotFoundError):
        font_for_text("Hi", "No Such Font Family 123")
    # A path, even to a real font file, is refused: the server's disk is not the user's to read.
    for path in (str(medium.path), "/etc/passwd", "/nonexistent/font.ttf", "~/x.otf", "Roboto.ttf"):
        with pytest.raises(FontNotFoundError) as refused:
            font_for_text("Hi", path)
        message = str(refused.value).replace(repr(path), "")  # all but the echo of the choice
        assert "family name" in message and "Roboto" in message
        assert not any(
            folder in message for folder in ("/usr/share/fonts", ".fonts", str(medium.path.parent))
        )
    assert offered_family(" roboto   medium ") == "Roboto Medium"
    families = offered_families()
    assert families[0] == "Roboto" and "Roboto Medium" in families
    assert any(family.startswith("Noto Sans CJK") for family in families)
    assert len(families) == len(set(families))


def test_font_lookup_is_cached_and_fast() -> None:
    latin_text = ("Captions on every short video, cached after the first call. " * 40)[:2000]
    cjk_text = ("我喜欢人工智能技术，你呢？" * 200)[:2000]
    for text in (latin_text, cjk_text):
        font_for_text(text)
        started = time.perf_counter()
        font_for_text(text)
        assert time.perf_counter() - started < 0.005


# Style and layout


def test_caption_style_validation_names_the_field() -> None:
    CaptionStyle(name="karaoke", words_per_line=12, font_size=40, highlight_colour="#00e5ff", position="top")
    for kwargs, field in [
        ({"words_per_line": 0}, "words_per_line"),
        ({"words_per_line": 13}, "words_per_line"),
        ({"primary_colour": "white"}, "primary_colour"),
        ({"highlight_colour": "#FFF"}, "highlight_colour"),
        ({"outline_colour": "#GGGGGG"}, "outline_colour"),
        ({"font_size": 2}, "font_size"),
        ({"outline": -1}, "outline"),
        ({"name": "bounce"}, "name"),
        ({"position": "left"}, "position"),
    ]:
        with pytest.raises(ValueError, match=f"^{field}"):
            CaptionStyle(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("width", "height"), PRESETS)
def test_margins_inside_the_frame(width: int, height: int) -> None:
    margins = safe_margins(width, height)
    assert min(margins.left, margins.right, margins.top, margins.bottom) > 0
    assert margins.left + margins.right < width * 0.5
    assert margins.top + margins.bottom < height * 0.5


def test_portrait_margins_clear_the_app_ui() -> None:
    assert safe_margins(1080, 1920) == Margins(left=65, right=130, top=154, bottom=384)
    assert safe_margins(1920, 1080) == Margins(left=96, right=96, top=54, bottom=54)
    assert default_font_size(1080, 1920) == 86
    assert default_font_size(1920, 1080) == 65


def test_lines_break_at_sentences_pauses_and_length() -> None:
    spoken = timed("Dr. Smith likes green tea. He drinks it every single morning before work.")
    lines = [[w.text for w in line] for line in group_lines(spoken, 4)]
    assert lines == [
        ["Dr.", "Smith", "likes"],
        ["green", "tea."],
        ["He", "drinks", "it", "every"],
        ["single", "morning", "before", "work."],
    ]
    paused = [WordTiming("one", 0.0, 0.3), WordTiming("two", 0.3, 0.6), WordTiming("three", 1.0, 1.2)]
    assert [len(line) for line in group_lines(paused, 4)] == [2, 1]
    assert [len(line) for line in group_lines(paused, 1)] == [1, 1, 1]


# ASS


def test_ass_header_and_style(latin: ResolvedFont) -> None:
    ass = build_ass(timed("Hello there."), width=1080, height=1920, style=CaptionStyle(), font=latin)
    assert "PlayResX: 1080\nPlayResY: 1920\nWrapStyle: 0\nScaledBorderAndShadow: yes" in ass
    style = next(line for line in ass.splitlines() if line.startswith("Style:"))
    fields = style.removeprefix("Style: ").split(",")
    assert fields[:5] == ["Caption", "Roboto", "86", "&H00FFFFFF", "&H000AD6FF"]
    assert fields[7] == "-1"  # bold, which selects Roboto-Bold itself
    assert fields[-5:] == ["2", "65", "130", "384", "1"]  # bottom centre, inside the safe zone
    top = build_ass(timed("Hi."), width=1080, height=1920, style=CaptionStyle(position="top"), font=latin)
    assert ",8,65,130,154,1" in top


def test_word_highlight_one_word_at_a_time_without_gaps(latin: ResolvedFont) -> None:
    spoken = timed("Dr. Smith paid $3.50 for green tea. Then he left the shop quickly.", pause_after=0.2)
    parsed = events(build_ass(spoken, width=1080, height=1920, style=CaptionStyle(), font=latin))
    assert len(parsed) == len(spoken)
    for start, end, text in parsed:
        assert end > start
        assert text.count(HIGHLIGHT) == 1
    for (_, end, text), (start, _, following) in itertools.pairwise(parsed):
        assert end <= start
        if plain(text) == plain(following):
            assert end == start  # contiguous within a line: no flicker
    highlighted = [re.search(r"\{\\1c&H0AD6FF&\}(.*?)\{", text)[1] for _, _, text in parsed]  # type: ignore[index]
    assert highlighted == [word.text for word in spoken]


def test_karaoke_and_standard_one_event_per_line(latin: ResolvedFont) -> None:
    spoken = timed("One two three four five six seven.")
    karaoke = events(
        build_ass(spoken, width=1080, height=1920, style=CaptionStyle(name="karaoke"), font=latin)
    )
    standard = events(
        build_ass(spoken, width=1080, height=1920, style=CaptionStyle(name="standard"), font=latin)
    )
    assert len(karaoke) == len(standard) == len(group_lines(spoken, 4)) == 2
    for start, end, text in karaoke:
        durations = [int(d) for d in re.findall(r"\\kf?(\d+)", text)]
        assert sum(durations) <= round((end - start) * 100)
        assert len(re.findall(r"\\kf\d+", text)) == len(plain(text).split())
    assert [plain(text) for *_, text in standard] == ["One two three four", "five six seven."]


def test_user_text_is_escaped(latin: ResolvedFont) -> None:
    spoken = [WordTiming("{\\b1}bold", 0.0, 0.5), WordTiming("C:\\Net", 0.5, 1.0)]
    ass = build_ass(spoken, width=1080, height=1920, style=CaptionStyle(name="standard"), font=latin)
    text = events(ass)[0][2]
    assert text == "\\{\\\u2060b1\\}bold C:\\\u2060Net"


def test_times_never_overlap_after_rounding(latin: ResolvedFont) -> None:
    spoken = [WordTiming(f"w{i}", i * 0.333333, i * 0.333333 + 0.333333) for i in range(30)]
    for name in CAPTION_STYLES:
        parsed = events(build_ass(spoken, width=1920, height=1080, style=CaptionStyle(name=name), font=latin))
        assert all(end <= start for (_, end, _), (start, _, _) in itertools.pairwise(parsed))


def test_wide_lines_are_broken_inside_the_margins(latin: ResolvedFont) -> None:
    spoken = timed("Extraordinarily unbelievable incomprehensibilities everywhere.")
    text = events(
        build_ass(spoken, width=1080, height=1920, style=CaptionStyle(name="standard"), font=latin)
    )[0][2]
    assert "\\N" in text
    cjk = timed("我喜欢人工智能技术和机器学习的未来发展。")
    noto = font_for_text("我喜欢")
    lines = events(build_ass(cjk, width=270, height=480, style=CaptionStyle(words_per_line=8), font=noto))
    assert all("\\N" in text for *_, text in lines)


# SRT and WebVTT


def test_srt_and_vtt_cues() -> None:
    spoken = timed("Hello there, friend. <b>Bold</b> & brave --> onward!", start=1.0, pause_after=0.5)
    spoken[0] = WordTiming(spoken[0].text, 1.0004, spoken[0].end)  # cues round inwards: 1.001
    srt, vtt = build_srt(spoken, 3), build_vtt(spoken, 3)
    assert srt.startswith("1\n00:00:01,001 --> ")
    assert vtt.startswith("WEBVTT\n\n00:00:01.001 --> ")
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp;" in vtt
    first, last = spoken[0].start, spoken[-1].end
    for pattern, text in ((r"(\d\d):(\d\d):(\d\d),(\d{3})", srt), (r"(\d\d):(\d\d):(\d\d)\.(\d{3})", vtt)):
        stamps = [
            int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000 for h, m, s, ms in re.findall(pattern, text)
        ]
        assert stamps == sorted(stamps)
        assert all(first <= t <= last for t in stamps)
    assert srt.count(" --> ") == vtt.count(" --> ") == len(group_lines(spoken, 3))


# Real renders with libass


@pytest.fixture(scope="module")
def ffmpeg() -> str:
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    return str(imageio_ffmpeg.get_ffmpeg_exe())


def render(ffmpeg: str, ass: str, font: ResolvedFont, folder: Path) -> tuple[str, tuple[int, int, int, int]]:
    """Burn `ass` into a 2 s 270x480 clip; return ffmpeg's log and the bounding box of drawn pixels."""
    (folder / "captions.ass").write_text(ass, encoding="utf-8")
    command = [ffmpeg, "-hide_banner", "-f", "lavfi", "-i", "color=c=black:s=270x480:d=2"]
    command += [
        "-vf",
        f"{ass_filter(folder / 'captions.ass', font)},fps=10",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "gray",
        "-",
    ]
    result = subprocess.run(command, capture_output=True, timeout=60, check=False)
    log = result.stderr.decode(errors="replace")
    assert result.returncode == 0, log
    left, right, top, bottom = 270, -1, 480, -1
    lit = bytes.maketrans(bytes(range(256)), bytes(int(value > 60) for value in range(256)))
    for offset in range(0, len(result.stdout), 270):
        row = result.stdout[offset : offset + 270].translate(lit)
        if 1 in row:
            y = offset // 270 % 480
            left, right = min(left, row.index(1)), max(right, row.rindex(1))
            top, bottom = min(top, y), max(bottom, y)
    return log, (left, right, top, bottom)


@pytest.mark.parametrize("name", CAPTION_STYLES)
@pytest.mark.parametrize(
    "script",
    [
        "Dr. Smith paid $3.50 for Supercalifragilistic tea! {Braces} and back\\slash stay.",
        "我喜欢人工智能技术。今日は天気がいいです。散歩しましょう！",
    ],
)
def test_libass_renders_with_the_chosen_font(ffmpeg: str, tmp_path: Path, name: str, script: str) -> None:
    # Characters the filtergraph treats specially, where the file system allows them.
    folder = tmp_path / ("job 1, [draft];'v2'\\:x" if os.name != "nt" else "job 1, [draft];v2")
    folder.mkdir()
    spoken = timed(script, step=0.2)
    style = CaptionStyle(name=name)  # type: ignore[arg-type]
    font = caption_font(script, style)
    log, (left, right, top, bottom) = render(
        ffmpeg, build_ass(spoken, width=270, height=480, style=style, font=font), font, folder
    )
    assert "fontselect: failed" not in log
    assert not re.search(r"Glyph 0x[0-9A-Fa-f]+ not found", log), log
    margins = safe_margins(270, 480)
    assert right >= 0, "nothing was drawn"
    slack = 2  # outline and shadow, a pixel or two
    assert left >= margins.left - slack and right <= 270 - margins.right + slack
    assert bottom <= 480 - margins.bottom + slack and top >= margins.top


@pytest.mark.parametrize("module", [fonts, captions])
def test_documented_examples(module: ModuleType) -> None:
    assert doctest.testmod(module, raise_on_error=True).attempted > 0
