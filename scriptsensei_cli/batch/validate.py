"""Checking every row of a sheet before anything renders, and planning what each row will make.

A bulk run that fails on row 412 after an hour of rendering wastes the hour, so `validate` reports
every problem of the whole sheet in one pass (never just the first), each with its spreadsheet row
and column, and says what would be accepted. Only rows without problems become `PlannedRow`s.

Values come from the row's cell, or from the command-line default when the cell is empty or the
column is absent. A bad default is reported once for the file, not once per row that uses it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import cast

from ..common.naming import MAX_OUTPUT_NAME_LENGTH, safe_name
from ..common.narration import WORDS_PER_SECOND as WORDS_PER_SECOND
from ..common.narration import base_language
from ..common.narration import estimate_narration_seconds as estimate_narration_seconds
from ..contract.limits import (
    LANGUAGE_PATTERN,
    MAX_MEDIA_FILES,
    MAX_SCRIPT_LENGTH,
    MAX_TITLE_LENGTH,
    MAX_TOPIC_LENGTH,
    MIN_DURATION,
    MIN_TOPIC_LENGTH,
)
from ..contract.media import FileUse
from ..contract.vocabulary import (
    PLATFORMS,
    VISUALS_MODES,
    AspectRatio,
    CaptionStyleName,
    QualityName,
    Tone,
    VideoPlatform,
    VisualsMode,
)
from .files import MediaRef, absolute, media_paths, media_problem, music_path
from .header import Header, extra_cells_message, read_header, snake, suggest
from .problems import Problem
from .reader import LIST_SEPARATOR, Sheet
from .variables import Substitution

# Without a known platform, the longest any platform allows: still a sanity bound.
MAX_DURATION = max(spec.max_duration for spec in PLATFORMS.values())
NO_CAPTIONS = "none"

_CLI_OPTIONS = {
    "platform": "--platform",
    "voice": "--voice",
    "aspect_ratio": "--aspect-ratio",
    "language": "--language",
    "duration": "--duration",
    "tone": "--tone",
    "template": "--template",
    "captions": "--captions",
    "quality": "--quality",
    "visuals": "--visuals",
    "music": "--music",
}
# Columns whose value is one of a set (`_Checker._allowed`), in the order their problems are reported.
_CHOICE_COLUMNS = ("platform", "aspect_ratio", "tone", "template", "captions", "quality", "visuals", "voice")

_LANGUAGE = re.compile(LANGUAGE_PATTERN)
_WHOLE_SECONDS = re.compile(r"^(\d{1,6})(?:\.0*)?\s*s?$")
_VIDEO_SUFFIX = re.compile(r"\.(?:mp4|mov|m4v|webm|mkv)$", re.IGNORECASE)


@dataclass(frozen=True)
class Defaults:
    """Command-line options: they fill cells that are empty and columns that are absent."""

    platform: str = "tiktok"
    voice: str | None = None
    aspect_ratio: str | None = None
    language: str = "en"
    duration: int | None = None
    tone: str = "casual"
    template: str | None = None
    captions: str = "word_highlight"
    quality: str = "standard"
    visuals: str = "auto"
    music: str | None = None


FileCheck = Callable[[list[tuple[str, FileUse]]], Mapping[tuple[str, FileUse], str]]


@dataclass(frozen=True)
class Facts:
    """What the server supports, fetched by the caller: validation itself makes no requests.

    Every collection is authoritative: an empty `templates` means the server has none.
    """

    platforms: Mapping[str, int]  # platform -> most seconds of narration
    aspect_ratios: Collection[str]
    caption_styles: Collection[str]
    qualities: Collection[str]
    tones: Collection[str]
    voices: Mapping[str, str]  # voice id -> language, e.g. "en-US"
    templates: Collection[str]  # template ids
    can_translate: bool = False  # the server has an LLM provider (translation needs one)
    # The server's own check of files' contents (`POST /media/check`): (value, "media" | "music")
    # pairs in, a problem for each that a video request naming it would be refused for out.
    check_files: FileCheck | None = None


@dataclass
class PlannedRow:
    """A valid row, resolved: defaults applied, variables substituted, paths absolute."""

    row: int
    title: str
    script: str | None = None  # None: a topic row, the writer drafts the script
    topic: str | None = None
    platform: VideoPlatform = "tiktok"
    aspect_ratio: AspectRatio | None = None  # None: the platform's own
    language: str = ""
    voice: str | None = None  # None: the server's default voice for the language
    duration: int | None = None
    tone: Tone = "casual"
    template: str | None = None
    captions: CaptionStyleName | None = None  # None: no captions
    quality: QualityName = "standard"
    visuals: VisualsMode = "auto"  # for scenes without media
    media: list[MediaRef] = field(default_factory=list)
    music: Path | None = None
    output_name: str = ""  # a file stem, unique in the sheet (case-insensitively)
    variables: dict[str, str] = field(default_factory=dict)  # the row's non-standard columns, as written
    estimated_seconds: float | None = None  # narration estimate of script rows
    script_language: str | None = None  # set when the script is translated into `language` first


def validate(sheet: Sheet, defaults: Defaults, facts: Facts) -> tuple[list[PlannedRow], list[Problem]]:
    """Every problem of the sheet (sorted by row, then column) and the rows that have none.

    >>> rows, problems = validate(read_sheet(Path("videos.csv")), Defaults(), facts)
    >>> [(p.row, p.column) for p in problems]
    [(None, 'Titel'), (4, 'platform')]
    """
    problems: list[Problem] = []
    header = read_header(sheet, problems)
    checker = _Checker(sheet, header, defaults, facts, problems)
    plannable = header.has("title") and (header.has("script") or header.has("topic"))
    if not header.has("title"):
        problems.append(Problem(None, "title", "missing column 'title': every video needs a title"))
    if not (header.has("script") or header.has("topic")):
        problems.append(
            Problem(
                None,
                "script",
                "missing column 'script' (the narration) or 'topic' (a subject the writer turns into a "
                "script); each row needs one of them",
            )
        )
    for number, count in sorted(sheet.extra_cells.items()):
        problems.append(Problem(number, None, extra_cells_message(sheet, count)))
    drafts = [
        checker.check(number, cells) for number, cells in zip(sheet.row_numbers, sheet.rows, strict=True)
    ]
    if checker.default_voice_problem is not None:
        problems.append(checker.default_voice_problem)
    if facts.check_files is not None:
        problems.extend(_server_problems(drafts, header, facts.check_files))
    names = _output_names(drafts, header, problems)
    failed = {problem.row for problem in problems if problem.row is not None}
    planned = [
        draft.plan(name)
        for draft, name in zip(drafts, names, strict=True)
        if plannable and draft.row not in failed and not draft.blocked
    ]
    problems.sort(key=lambda problem: (problem.row or 0, problem.column or ""))
    return planned, problems


# -- One row ------------------------------------------------------------------------------------------


@dataclass
class _Draft(PlannedRow):
    """A row being checked, before output names are given out (they depend on the other rows)."""

    explicit_name: str | None = None
    blocked: bool = False  # uses a default that is itself a problem (reported once, for the file)
    server_files: list[tuple[str, FileUse]] = field(default_factory=list)  # for the server to check
    default_music: bool = False

    def plan(self, output_name: str) -> PlannedRow:
        planned = {f.name: getattr(self, f.name) for f in fields(PlannedRow)}
        return PlannedRow(**{**planned, "output_name": output_name})


@dataclass(frozen=True)
class _Choice:
    """A value chosen from a fixed set, and where it came from."""

    value: str | None  # the canonical spelling, or None when not set or not allowed
    from_cell: bool
    bad: bool = False


class _Checker:
    """Checks rows against the defaults and the facts; appends to the shared problem list."""

    def __init__(
        self, sheet: Sheet, header: Header, defaults: Defaults, facts: Facts, problems: list[Problem]
    ) -> None:
        self.header = header
        self.defaults = defaults
        self.facts = facts
        self.problems = problems
        self.sheet_folder = absolute(sheet.path.parent)
        self.cwd = absolute(Path())
        self._chosen: dict[tuple[str, str], str | None] = {}
        self.bad_defaults = self._check_defaults()
        # The default voice cannot speak the default language: reported once, if a row uses both.
        self.default_voice_problem: Problem | None = None

    # Each allowed set with the spelling tolerance it gets: "TikTok", "YouTube Shorts", "9x16".
    def _allowed(self, column: str) -> tuple[str, str, Iterable[str], Callable[[str], str]]:
        facts = self.facts
        table: dict[str, tuple[str, str, Iterable[str], Callable[[str], str]]] = {
            "platform": ("platform", "platforms", facts.platforms, snake),
            "aspect_ratio": ("aspect ratio", "aspect ratios", facts.aspect_ratios, _aspect),
            "tone": ("tone", "tones", facts.tones, snake),
            "template": ("template", "templates", facts.templates, str.casefold),
            "captions": ("caption style", "caption styles", [*facts.caption_styles, NO_CAPTIONS], snake),
            "quality": ("quality", "qualities", facts.qualities, snake),
            "visuals": ("visuals mode", "visuals modes", VISUALS_MODES, snake),
            "voice": ("voice", "voices", facts.voices, str.casefold),
        }
        return table[column]

    def _choose(self, column: str, value: str) -> str | None:
        key = (column, value)
        if key not in self._chosen:
            _, _, allowed, normalize = self._allowed(column)
            wanted = normalize(value)
            self._chosen[key] = next(
                (option for option in allowed if option == value or normalize(option) == wanted), None
            )
        return self._chosen[key]

    def _unknown(self, column: str, value: str) -> str:
        singular, plural, allowed, _ = self._allowed(column)
        options = list(allowed)
        if not options:
            return f"unknown {singular} {value!r}; the server has no {plural}"
        suggestion = suggest(value, options)
        guess = f"did you mean {suggestion!r}? " if suggestion is not None else ""
        return f"unknown {singular} {value!r}; {guess}{plural}: {_listing(options)}"

    def _check_defaults(self) -> set[str]:
        """Problems of the command-line defaults, once for the file; returns the bad ones' columns."""
        bad: set[str] = set()
        defaults = self.defaults

        def report(column: str, message: str) -> None:
            bad.add(column)
            self.problems.append(Problem(None, column, f"{_CLI_OPTIONS[column]}: {message}"))

        for column in _CHOICE_COLUMNS:
            value = getattr(defaults, column)
            if value is not None and self._choose(column, value) is None:
                report(column, self._unknown(column, value))
        if _LANGUAGE.match(_language(defaults.language)) is None:
            report("language", _bad_language(defaults.language))
        if defaults.duration is not None and not MIN_DURATION <= defaults.duration <= MAX_DURATION:
            report("duration", f"{defaults.duration} is not between {MIN_DURATION} and {MAX_DURATION}")
        if defaults.music:
            _, message = music_path(defaults.music, self.cwd)
            if message is not None:
                report("music", message)
        return bad

    def _script_language(self, draft: _Draft, value: str, report: Callable[[str, str], None]) -> None:
        """A script written in another language than the video's is translated first (by the
        server's LLM providers); a topic is simply written in the video's language."""
        if not value:
            return
        source = _language(value)
        if _LANGUAGE.match(source) is None:
            report("script_language", _bad_language(value))
        elif draft.script is None:
            report(
                "script_language", "only rows with a script are translated; a topic is written in `language`"
            )
        elif base_language(source) != base_language(draft.language):
            if not self.facts.can_translate:
                report(
                    "script_language",
                    f"translating {source} to {draft.language} needs an LLM provider on the server "
                    "(see `ss script providers`)",
                )
            draft.script_language = source

    def _voice_problem(self, voice: str | None, language: str) -> str | None:
        """Why `voice` (or, when None, any voice) cannot narrate `language`; None when it can."""
        base = base_language(language)
        if voice is not None:
            spoken = self.facts.voices.get(voice, "")
            if base_language(spoken) != base:
                return f"voice {voice!r} speaks {spoken}, but the language is {language!r}"
            return None
        if any(base_language(spoken) == base for spoken in self.facts.voices.values()):
            return None
        spoken_languages = sorted(set(self.facts.voices.values()))
        return f"no voice speaks {language!r}; the voices speak {_listing(spoken_languages) or 'nothing'}"

    def check(self, number: int, cells: Mapping[str, str]) -> _Draft:
        header = self.header
        row_problems: list[Problem] = []

        def cell(column: str) -> str:
            return cells.get(header.known[column], "").strip() if header.has(column) else ""

        def report(column: str, message: str) -> None:
            row_problems.append(Problem(number, header.written(column), message))

        variables = {name: cells.get(name, "").strip() for name in header.variables}
        substitute = Substitution(variables, {c: cell(c) for c in header.known}, header, report)
        topic = substitute("topic", cell("topic")) or None
        substitute.known["topic"] = topic or ""
        title = substitute("title", cell("title"))
        script = substitute("script", cell("script")) or None
        draft = _Draft(number, title, explicit_name=cell("output_name") or None, variables=variables)

        if header.has("title") and not title:
            report("title", "the title is empty")
        elif len(title) > MAX_TITLE_LENGTH:
            report("title", f"the title has {len(title)} characters; at most {MAX_TITLE_LENGTH}")
        if (header.has("script") or header.has("topic")) and script is None and topic is None:
            report("script" if header.has("script") else "topic", "needs a script or a topic; both are empty")
        if script is not None and len(script) > MAX_SCRIPT_LENGTH:
            report("script", f"the script has {len(script):,} characters; at most {MAX_SCRIPT_LENGTH:,}")
        if script is None and topic is not None and not MIN_TOPIC_LENGTH <= len(topic) <= MAX_TOPIC_LENGTH:
            report("topic", f"the topic must be {MIN_TOPIC_LENGTH} to {MAX_TOPIC_LENGTH} characters long")

        choices: dict[str, _Choice] = {}
        for column in _CHOICE_COLUMNS:
            choice = self._pick(column, cell(column))
            if choice.bad:
                report(column, self._unknown(column, cell(column)))
            choices[column] = choice
        # Each value is one of its column's allowed spellings (`_choose`), which are the vocabulary's.
        draft.platform = cast("VideoPlatform", choices["platform"].value or draft.platform)
        draft.aspect_ratio = cast("AspectRatio | None", choices["aspect_ratio"].value)
        draft.tone = cast("Tone", choices["tone"].value or draft.tone)
        draft.template = choices["template"].value
        captions = choices["captions"].value
        draft.captions = None if captions == NO_CAPTIONS else cast("CaptionStyleName | None", captions)
        draft.quality = cast("QualityName", choices["quality"].value or draft.quality)
        draft.visuals = cast("VisualsMode", choices["visuals"].value or draft.visuals)
        draft.voice = choices["voice"].value

        language_cell = cell("language")
        draft.language = _language(language_cell or self.defaults.language)
        language_ok = _LANGUAGE.match(draft.language) is not None
        if language_cell and not language_ok:
            report("language", _bad_language(language_cell))
        voice = choices["voice"]
        voice_known = voice.from_cell or "voice" not in self.bad_defaults
        voice_message = (
            self._voice_problem(draft.voice, draft.language) if language_ok and voice_known else None
        )
        if voice_message is not None:
            column = "voice" if draft.voice else "language"
            if language_cell or voice.from_cell:
                report(column, voice_message)
            else:
                self.default_voice_problem = Problem(None, column, f"{_CLI_OPTIONS[column]}: {voice_message}")

        max_seconds = self.facts.platforms.get(draft.platform)
        draft.duration = self._duration(cell("duration"), draft.platform, max_seconds, report)
        if script is not None:
            draft.script = script
            draft.estimated_seconds = round(estimate_narration_seconds(script, draft.language), 1)
            if max_seconds is not None and draft.estimated_seconds > max_seconds:
                report(
                    "script",
                    f"the script needs about {draft.estimated_seconds:.0f} s of narration; "
                    f"{draft.platform} allows at most {max_seconds} s",
                )
        draft.topic = topic
        self._script_language(draft, cell("script_language"), report)

        media_cell = cell("media")
        for item in (part.strip() for part in media_cell.split(LIST_SEPARATOR)):
            if item:
                paths, message = media_paths(item, self.sheet_folder)
                if message is not None:
                    report("media", message)
                for path in paths:
                    if path in draft.media:
                        continue
                    draft.media.append(path)
                    if (problem := media_problem(path)) is not None:
                        report("media", problem)
                    else:
                        draft.server_files.append((str(path), "media"))
        if len(draft.media) > MAX_MEDIA_FILES:
            report("media", f"{len(draft.media)} media files; at most {MAX_MEDIA_FILES} per video")
        music_cell = cell("music")
        if music_cell:
            draft.music, message = music_path(music_cell, self.sheet_folder)
            if message is not None:
                report("music", message)
            elif draft.music is not None:
                draft.server_files.append((str(draft.music), "music"))
        elif self.defaults.music and "music" not in self.bad_defaults:
            draft.music, _ = music_path(self.defaults.music, self.cwd)
            draft.default_music = True

        used_bad_default = any(
            not choice.from_cell and column in self.bad_defaults for column, choice in choices.items()
        )
        draft.blocked = (
            used_bad_default
            or (voice_message is not None and not (language_cell or voice.from_cell))
            or (not language_cell and "language" in self.bad_defaults)
            or (not cell("duration") and "duration" in self.bad_defaults)
            or (not music_cell and "music" in self.bad_defaults)
        )
        self.problems.extend(row_problems)
        return draft

    def _pick(self, column: str, value: str) -> _Choice:
        if not value:
            default = getattr(self.defaults, column)
            if default is None or column in self.bad_defaults:
                return _Choice(None, from_cell=False)
            return _Choice(self._choose(column, default), from_cell=False)
        chosen = self._choose(column, value)
        return _Choice(chosen, from_cell=True, bad=chosen is None)

    def _duration(
        self, value: str, platform: str, max_seconds: int | None, report: Callable[[str, str], None]
    ) -> int | None:
        if value:
            match = _WHOLE_SECONDS.match(value)
            if match is None:
                report("duration", f"duration {value!r} is not a whole number of seconds, like 60")
                return None
            seconds = int(match.group(1))
        elif self.defaults.duration is None or "duration" in self.bad_defaults:
            return None
        else:
            seconds = self.defaults.duration
        spec = PLATFORMS.get(platform)
        low = spec.min_duration if spec is not None else MIN_DURATION
        high = max_seconds if max_seconds is not None else MAX_DURATION
        if not low <= seconds <= high:
            where = f" for {platform}" if max_seconds is not None else ""
            report("duration", f"duration {seconds} s is not between {low} and {high} s{where}")
            return None
        return seconds


# -- Files, as the server sees them ------------------------------------------------------------------


def _server_problems(drafts: list[_Draft], header: Header, check_files: FileCheck) -> list[Problem]:
    """What the server's own check finds in the rows' files (each file asked about once): a file
    can start like an image and still not decode, and only the server's ffmpeg can tell."""
    wanted: dict[tuple[str, FileUse], None] = {}
    for draft in drafts:
        wanted.update(dict.fromkeys(draft.server_files))
    default_music = next((draft.music for draft in drafts if draft.default_music and draft.music), None)
    if default_music is not None:
        wanted[(str(default_music), "music")] = None
    if not wanted:
        return []
    found = check_files(list(wanted))
    problems = [
        Problem(draft.row, header.written(item[1]), found[item])
        for draft in drafts
        for item in draft.server_files
        if item in found
    ]
    if default_music is not None and (message := found.get((str(default_music), "music"))) is not None:
        problems.append(Problem(None, "music", f"{_CLI_OPTIONS['music']}: {message}"))
        for draft in drafts:
            draft.blocked = draft.blocked or draft.default_music
    return problems


# -- Output names -------------------------------------------------------------------------------------


def _output_names(drafts: list[_Draft], header: Header, problems: list[Problem]) -> list[str]:
    """Explicit names must be unique; names made from titles step around them with -2, -3, …"""
    column = header.written("output_name")
    explicit: dict[int, str] = {}  # index of the draft -> its name
    owners: dict[str, list[_Draft]] = {}
    for index, draft in enumerate(drafts):
        if draft.explicit_name is not None:
            explicit[index] = safe_name(_VIDEO_SUFFIX.sub("", draft.explicit_name))
            owners.setdefault(explicit[index].casefold(), []).append(draft)
    for index, name in explicit.items():
        draft = drafts[index]
        others = [other.row for other in owners[name.casefold()] if other is not draft]
        if others:
            rows = ", ".join(map(str, others))
            problems.append(Problem(draft.row, column, f"output name {name!r} is also used by row {rows}"))
    taken = set(owners)
    counters: dict[str, int] = {}  # where to go on counting for a base name: a sheet of one title stays fast
    names: list[str] = []
    for index, draft in enumerate(drafts):
        if index in explicit:
            names.append(explicit[index])
            continue
        base = safe_name(draft.title)
        name, counter = base, counters.get(base.casefold(), 1)
        while name.casefold() in taken:
            counter += 1
            suffix = f"-{counter}"
            name = safe_name(base, MAX_OUTPUT_NAME_LENGTH - len(suffix)) + suffix
        counters[base.casefold()] = counter
        taken.add(name.casefold())
        names.append(name)
    return names


# -- Values -------------------------------------------------------------------------------------------


def _language(value: str) -> str:
    """`EN`, `en_US` and ` en-us ` as the contract spells languages: `en`, `en-US`, `en-us`."""
    base, _, region = value.strip().replace("_", "-").partition("-")
    return f"{base.lower()}-{region}" if region else base.lower()


def _bad_language(value: str) -> str:
    return f"language {value!r} is not a language code like en, es or pt-BR"


def _aspect(value: str) -> str:
    return re.sub(r"\s+", "", value).replace("x", ":").replace("X", ":").replace("/", ":")


def _listing(options: Iterable[str], limit: int = 12) -> str:
    items = sorted(options) if isinstance(options, set | frozenset) else list(options)
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown}, … ({len(items)} in all)"
