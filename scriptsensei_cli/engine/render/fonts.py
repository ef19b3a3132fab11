"""Fonts that can draw the caption text, found offline, checked before rendering.

libass draws a character with the font it is given; for anything that font lacks it asks fontconfig for a
fallback and, when none has it, draws nothing at all. That failure is silent and lands in the finished
video. So the render step picks one font that covers every character of the captions before it renders,
and stops with `MissingGlyphsError`, naming the characters, when no installed font does.

Candidates, first match wins:

1. the font the user chose, by family name ("Roboto Medium") among those the server offers
   (`offered_families`); never a path: a request must not make the server read, or reveal, its files;
2. Roboto Bold from the `font-roboto` package: Latin, Greek, Cyrillic. Bold rather than Medium because
   captions sit over busy, moving footage on a small screen, and the heavier stroke keeps its shape
   under the outline and after the platform's re-encode; it is also the weight short-video apps use;
3. Noto Sans CJK from the `noto-cjk-sans-otc` package (one .ttc holding JP, KR, SC, TC and HK faces):
   Chinese, Japanese, Korean, plus Latin. The regional face follows the language, or the kana/hangul in
   the text, because Han characters are drawn differently in each region (Chinese-only text gets SC);
4. Noto Sans for Devanagari (Hindi, Nepali, Marathi), Arabic script, Thai, Tamil and Telugu, from
   fontpkg's packages;
5. fonts in the usual system and user folders (`SYSTEM_FONT_DIRS`), scanned on first need.

Emoji, pictographs and variation selectors are not required to be covered: libass draws glyph outlines
only, so colour emoji fonts (CBDT, sbix, COLR) come out blank or as boxes whatever we do, and refusing a
whole video over one emoji would be worse. `drawable` removes those the chosen font cannot draw. Spaces,
control and format characters (ZWJ, word joiner) are ignored as well.

Everything read from a font file is cached per process, so only the first render pays for it.
"""

from __future__ import annotations

import functools
import os
import re
import struct
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

SYSTEM_FONT_DIRS: tuple[str, ...] = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.fonts",
    "~/.local/share/fonts",
)
FONT_SUFFIXES = frozenset({".ttf", ".otf", ".ttc", ".otc"})
# OS/2 weight from which a face is asked for as bold (SemiBold and heavier), so libass selects that very
# face instead of emboldening a lighter one.
BOLD_WEIGHT = 600
ROBOTO_FAMILY = "Roboto"
# fontpkg's Noto Sans builds, one package per script (the `[engine]` extra installs them).
SCRIPT_FONT_PACKAGES = (
    "fontpkg_noto_sans_devanagari",
    "fontpkg_noto_sans_arabic",
    "fontpkg_noto_sans_thai",
    "fontpkg_noto_sans_tamil",
    "fontpkg_noto_sans_telugu",
)

_PICTOGRAPHIC_RANGES = (
    (0x2300, 0x23FF),  # miscellaneous technical: ⌚ ⏰
    (0x2600, 0x27BF),  # miscellaneous symbols, dingbats: ☀ ✅ ❤
    (0x2B00, 0x2BFF),  # arrows and stars: ⬆ ⭐
    (0xFE00, 0xFE0F),  # variation selectors (text/emoji presentation)
    (0x1F000, 0x1FAFF),  # emoji, flags (regional indicators), skin tones
    (0xE0000, 0xE01EF),  # tags (subdivision flags), variation selectors supplement
)
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


@dataclass(frozen=True)
class ResolvedFont:
    """A font face that covers a text, in the terms libass needs: a family name and a folder.

    ``index`` is the face's number in a .ttc/.otc collection (0 for single-font files). ``bold`` tells the
    caption style to ask for the bold weight, which makes libass pick this very face.

    >>> font = font_for_text("Hello")
    >>> font.family, font.path.name, font.bold
    ('Roboto', 'Roboto-Bold.ttf', True)
    """

    family: str
    path: Path
    index: int = 0
    bold: bool = False

    @property
    def directory(self) -> Path:
        """The folder to hand to libass as ``fontsdir``; libass loads every font file in it."""
        return self.path.parent


class FontError(Exception):
    """No font can draw the captions; the render stops before it starts."""


class FontNotFoundError(FontError):
    """The font the user chose is not a family this server offers (a path never is).

    The message names a few families the server does offer, never its folders or files.
    """

    def __init__(self, font: str) -> None:
        self.font = font
        self.examples = offered_families()[:6]
        if looks_like_path(font):
            head = f"a caption font is chosen by family name, not by a file path (got {font!r})"
        else:
            head = f"caption font {font!r} is not a font family this server offers"
        super().__init__(
            f"{head}; choose one such as {', '.join(self.examples) or 'Roboto'} (the API's GET /fonts, "
            "or `ss video fonts`, lists them all; a font of your own, uploaded as media, is not "
            "supported yet)"
        )


class MissingGlyphsError(FontError):
    """No installed font has glyphs for some characters of the caption text.

    ``characters`` holds those characters, deduplicated, in order of appearance; ``fonts`` the families
    that were tried. When each character is covered by some font but no single font covers them all,
    ``closest`` names the font that came nearest and ``characters`` what it lacks.
    """

    def __init__(self, characters: str, fonts: list[str], closest: str | None = None) -> None:
        self.characters = characters
        self.fonts = fonts
        self.closest = closest
        codes = ", ".join(f"U+{ord(ch):04X}" for ch in characters[:10])
        shown = ", ".join(fonts[:6]) + (f" and {len(fonts) - 6} more" if len(fonts) > 6 else "")
        head = (
            f"no single installed font covers all of the caption text; the closest, {closest}, lacks"
            if closest
            else "no installed font covers"
        )
        super().__init__(
            f"{head} {characters!r} ({codes}) (tried {shown}); install a font with these glyphs (for "
            "example the Noto Sans font for the script) into ~/.local/share/fonts, or choose a caption "
            "font that has them"
        )


def font_for_text(text: str, preferred: str | None = None, *, language: str | None = None) -> ResolvedFont:
    """The first candidate font whose character map covers every character of `text` that must be drawn.

    `preferred` is a family name the server offers (`offered_family`) and is tried first; `language`
    (BCP 47, optional) picks the regional CJK face. Raises `FontNotFoundError` for a `preferred` font
    that is not offered (a path never is),
    `MissingGlyphsError` when no font covers the text.
    """
    needed = _needed(text)
    tried: list[str] = []
    uncovered = set(needed)
    closest: tuple[int, str, frozenset[int]] | None = None
    for face in _candidates(preferred, text, language):
        info = _info(face)
        if info is None:
            continue
        if info.family not in tried:
            tried.append(info.family)
        coverage = _coverage(face)
        missing = needed - coverage
        if not missing:
            return ResolvedFont(info.family, Path(face.path), face.number, info.weight >= BOLD_WEIGHT)
        uncovered -= coverage
        if closest is None or len(missing) < closest[0]:
            closest = (len(missing), info.family, missing)
    if not tried:
        raise FontError(
            "no fonts found: install the engine's font packages (font-roboto, noto-cjk-sans-otc) or a font "
            f"into one of {', '.join(SYSTEM_FONT_DIRS)}"
        )
    if uncovered or closest is None:
        raise MissingGlyphsError(_in_order(text, uncovered or needed), tried)
    raise MissingGlyphsError(_in_order(text, closest[2]), tried, closest=closest[1])


def looks_like_path(font: str) -> bool:
    """Whether a font choice names a file rather than a family (refused: see `FontNotFoundError`)."""
    return (
        "/" in font
        or "\\" in font
        or font.strip().startswith(("~", "."))
        or Path(font.strip()).suffix.lower() in FONT_SUFFIXES
    )


def offered_family(font: str) -> str:
    """The family a caption font choice names, among those the server offers (`offered_families`).

    Matching is by family, full or PostScript name, ignoring case and repeated spaces. Raises
    `FontNotFoundError` for a path or an unknown name.

    >>> offered_family("roboto")
    'Roboto'
    """
    (face,) = _preferred_faces(font)
    info = _info(face)
    if info is None:  # pragma: no cover - _face_named only returns faces it could read
        raise FontNotFoundError(font)
    return info.family


@functools.cache
def offered_families() -> tuple[str, ...]:
    """Every font family a caption may ask for: the bundled fonts first, then the system's, by name."""
    bundled = dict.fromkeys(
        info.family
        for face in (*_bundled_files_faces(), *_noto_cjk_all(), *_script_faces())
        if (info := _info(face))
    )
    system = sorted(
        {info.family for face in _system_faces(SYSTEM_FONT_DIRS) if (info := _info(face))} - set(bundled),
        key=str.lower,
    )
    return (*bundled, *system)


def family_name(path: str | Path, index: int = 0) -> str:
    """The family name libass matches a style's font name against (name ID 1, English if present)."""
    info = _info(_Face(str(path), index))
    if info is None:
        raise FontNotFoundError(str(path))
    return info.family


def drawable(text: str, font: ResolvedFont) -> str:
    """`text` without the emoji and pictographs that `font` has no glyph for (libass would draw nothing).

    Empty when nothing visible is left (a word that was only emoji), so captions can drop the word.
    """
    coverage = _coverage(_Face(str(font.path), font.index))
    kept = "".join(ch for ch in text if ord(ch) in coverage or not _pictographic(ch))
    return kept if any(not _invisible(ch) for ch in kept) else ""


def text_width(text: str, font: ResolvedFont, size: float) -> float:
    """Width in pixels of `text` set at ASS font size `size`, from the font's advance widths.

    libass scales a font so that its Windows ascent plus descent equals the font size; kerning and shaping
    are left out, which keeps this within a few percent for caption layout.
    """
    advances, fallback = _advances(_Face(str(font.path), font.index))
    total = 0.0
    for ch in text:
        advance = advances.get(ord(ch))
        if advance is None:
            if _ignorable(ch) and not ch.isspace():
                continue
            advance = fallback * (1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6)
        total += advance
    return total * size


class _Face(NamedTuple):
    path: str
    number: int  # the face's index in a collection


class _FaceInfo(NamedTuple):
    family: str  # name ID 1: what libass matches the style's font name against
    names: frozenset[str]  # lower-case family, full, PostScript and typographic names, to match a choice
    weight: int
    italic: bool


def _candidates(preferred: str | None, text: str, language: str | None) -> Iterator[_Face]:
    if preferred:
        yield from _preferred_faces(preferred)
    yield from _roboto_faces()
    yield from _noto_cjk_faces(_cjk_region(text, language))
    yield from _script_faces()
    yield from _system_faces(SYSTEM_FONT_DIRS)


def _preferred_faces(preferred: str) -> tuple[_Face, ...]:
    if looks_like_path(preferred):
        raise FontNotFoundError(preferred)
    name = " ".join(preferred.split()).lower()
    bundled = (*_bundled_files_faces(), *_noto_cjk_all(), *_script_faces())
    face = _face_named(name, bundled) or _face_named(name, _system_faces(SYSTEM_FONT_DIRS))
    if face is None:
        raise FontNotFoundError(preferred)
    return (face,)


@functools.cache
def _face_named(name: str, pool: tuple[_Face, ...]) -> _Face | None:
    """The face called `name` that reads best in captions: family named exactly so, upright, bold."""
    matches = [(face, info) for face in pool if (info := _info(face)) and name in info.names]
    matches.sort(key=lambda m: (m[1].family.lower() != name, m[1].italic, abs(m[1].weight - 700)))
    return matches[0][0] if matches else None


@functools.cache
def _roboto_paths() -> dict[str, str]:
    try:
        import font_roboto
    except ImportError:
        return {}
    return {str(key): str(value) for key, value in font_roboto.font_files.items()}


def _roboto_faces() -> tuple[_Face, ...]:
    path = _roboto_paths().get("RobotoBold")
    return (_Face(path, 0),) if path else ()


def _bundled_files_faces() -> tuple[_Face, ...]:
    return tuple(_Face(path, 0) for _, path in sorted(_roboto_paths().items()))


@functools.cache
def _noto_cjk_all() -> tuple[_Face, ...]:
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return ()
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    return _faces(str(path)) if path.is_file() else ()


@functools.cache
def _script_faces() -> tuple[_Face, ...]:
    """Noto Sans for the scripts Roboto and Noto CJK lack (Devanagari, Arabic, Thai, Tamil, Telugu)."""
    import importlib

    faces: list[_Face] = []
    for package in SCRIPT_FONT_PACKAGES:
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        for path in sorted(Path(module.ROOT, "files").glob("*.ttf")):
            faces.extend(_faces(str(path)))
    return tuple(faces)


def _noto_cjk_faces(region: str) -> tuple[_Face, ...]:
    """The regional face only: all faces share one character map, so trying the others adds nothing."""
    wanted = f"Noto Sans CJK {region}"
    for face in _noto_cjk_all():
        if (info := _info(face)) and info.family == wanted:
            return (face,)
    return _noto_cjk_all()[:1]


def _cjk_region(text: str, language: str | None) -> str:
    if language:
        code = language.lower().replace("_", "-")
        if code.startswith("zh"):
            if "-hk" in code or "-mo" in code:
                return "HK"
            return "TC" if "-tw" in code or "-hant" in code else "SC"
        region = {"ja": "JP", "ko": "KR"}.get(code.split("-")[0])
        if region:
            return region
    if _KANA.search(text):
        return "JP"
    return "KR" if _HANGUL.search(text) else "SC"


@functools.cache
def _system_faces(dirs: tuple[str, ...]) -> tuple[_Face, ...]:
    paths: dict[str, str] = {}
    for folder in dirs:
        root = Path(folder).expanduser()
        if not root.is_dir():
            continue
        for parent, _, names in os.walk(root):
            for name in names:
                if Path(name).suffix.lower() in FONT_SUFFIXES:
                    path = os.path.join(parent, name)
                    paths.setdefault(os.path.realpath(path), path)
    return tuple(face for path in sorted(paths.values()) for face in _faces(path))


@functools.cache
def _faces(path: str) -> tuple[_Face, ...]:
    try:
        with open(path, "rb") as file:
            header = file.read(12)
    except OSError:
        return ()
    count = struct.unpack(">I", header[8:12])[0] if header[:4] == b"ttcf" and len(header) == 12 else 1
    return tuple(_Face(path, index) for index in range(min(count, 1024)))


def _open(face: _Face) -> Any:
    from fontTools.ttLib import TTFont

    return TTFont(face.path, fontNumber=face.number, lazy=True)


@functools.cache
def _info(face: _Face) -> _FaceInfo | None:
    try:
        with _open(face) as font:
            table = font["name"]
            family = table.getDebugName(1) or Path(face.path).stem
            names = {family.lower()}
            for record in table.names:
                if record.nameID in (1, 4, 6, 16):
                    try:
                        names.add(" ".join(record.toUnicode().split()).lower())
                    except UnicodeDecodeError:
                        continue
            os2 = font.get("OS/2")
            mac_style = font["head"].macStyle
            weight = os2.usWeightClass if os2 is not None else (700 if mac_style & 1 else 400)
            italic = bool(os2.fsSelection & 1) if os2 is not None else bool(mac_style & 2)
    except Exception:  # a broken or unsupported file in a system folder is skipped, not fatal
        return None
    return _FaceInfo(family, frozenset(names), weight, italic)


@functools.cache
def _coverage(face: _Face) -> frozenset[int]:
    try:
        with _open(face) as font:
            return frozenset(font.getBestCmap() or ())
    except Exception:
        return frozenset()


@functools.cache
def _advances(face: _Face) -> tuple[dict[int, float], float]:
    """Advance widths per code point, as a fraction of the ASS font size, and the em in the same unit."""
    with _open(face) as font:
        cmap = font.getBestCmap() or {}
        metrics = font["hmtx"].metrics
        os2 = font.get("OS/2")
        height = os2.usWinAscent + os2.usWinDescent if os2 is not None else 0
        if not height:
            height = font["hhea"].ascent - font["hhea"].descent
        height = height or font["head"].unitsPerEm
        advances = {code: metrics[glyph][0] / height for code, glyph in cmap.items() if glyph in metrics}
        return advances, font["head"].unitsPerEm / height


@functools.cache
def _pictographic(ch: str) -> bool:
    code = ord(ch)
    return code == 0x20E3 or any(low <= code <= high for low, high in _PICTOGRAPHIC_RANGES)


@functools.cache
def _ignorable(ch: str) -> bool:
    return _pictographic(ch) or unicodedata.category(ch) in ("Zs", "Zl", "Zp", "Cc", "Cf")


def _invisible(ch: str) -> bool:
    code = ord(ch)
    return (
        0xFE00 <= code <= 0xFE0F or 0xE0000 <= code <= 0xE01EF or (_ignorable(ch) and not _pictographic(ch))
    )


def _needed(text: str) -> frozenset[int]:
    return frozenset(ord(ch) for ch in set(text) if not _ignorable(ch))


def _in_order(text: str, codes: set[int] | frozenset[int]) -> str:
    return "".join(dict.fromkeys(ch for ch in text if ord(ch) in codes))
