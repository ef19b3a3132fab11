"""Checking every row of a sheet before anything renders, and planning what each row will make.

A bulk run that fails on row 412 after an hour of rendering wastes the hour, so `validate` reports
every problem of the whole sheet in one pass (never just the first), each with its spreadsheet row
and column, and says what would be accepted. Only rows without problems become `PlannedRow`s.

Values come from the row's cell, or from the command-line default when the cell is empty or the
column is absent. A bad default is reported once for the file, not once per row that uses it.
"""

from __future__ import annotations

import difflib
import glob
import os
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..common.naming import MAX_OUTPUT_NAME_LENGTH, safe_name
from ..common.narration import WORDS_PER_SECOND as WORDS_PER_SECOND
from ..common.narration import base_language
from ..common.narration import estimate_narration_seconds as estimate_narration_seconds
from ..contract import PLATFORMS
from .reader import LIST_SEPARATOR, Sheet

KNOWN_COLUMNS = (
    "title",
    "script",
    "topic",
    "voice",
    "platform",
    "aspect_ratio",
    "language",
    "duration",
    "tone",
    "template",
    "captions",
    "quality",
    "media",
    "music",
    "output_name",
    "script_language",
)

# Limits of the requests a row becomes (GenerateVideoRequest, GenerateScriptRequest): checked here so
# that a batch does not fail at the server halfway through.
MIN_DURATION = 15
MAX_TITLE_LENGTH = 300
MAX_SCRIPT_LENGTH = 50_000
MIN_TOPIC_LENGTH = 3
MAX_TOPIC_LENGTH = 300
MAX_MEDIA_FILES = 200
# Without a known platform, the longest any platform allows: still a sanity bound.
MAX_DURATION = max(spec.max_duration for spec in PLATFORMS.values())
NO_CAPTIONS = "none"
COLUMN_SUGGESTION_CUTOFF = 0.8

# Names that difflib would not connect to the column they mean.
_COLUMN_ALIASES = {
    "lang": "language",
    "aspect": "aspect_ratio",
    "ratio": "aspect_ratio",
    "subtitles": "captions",
    "filename": "output_name",
    "file_name": "output_name",
    "output": "output_name",
    "source_language": "script_language",
    "translate_from": "script_language",
}
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
    "music": "--music",
}
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_MEDIA_ID = re.compile(r"^med_\w+$")  # an item of the user's media library on the server
_MUSIC_ID = re.compile(r"^(?:med|mus)_\w+$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
_WHOLE_SECONDS = re.compile(r"^(\d{1,6})(?:\.0*)?\s*s?$")
_VIDEO_SUFFIX = re.compile(r"\.(?:mp4|mov|m4v|webm|mkv)$", re.IGNORECASE)
_GLOB_MAGIC = re.compile(r"[*?[]")
MediaRef = Path | str  # a local file, or (str) the id of an item in the user's media library


@dataclass(frozen=True)
class Problem:
    """One thing to fix; `row` is the spreadsheet row (None: the file or its header)."""

    row: int | None
    column: str | None
    message: str


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
    music: str | None = None


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


@dataclass(frozen=True)
class PlannedRow:
    """A valid row, resolved: defaults applied, variables substituted, paths absolute."""

    row: int
    title: str
    script: str | None  # None: a topic row, the writer drafts the script
    topic: str | None
    platform: str
    aspect_ratio: str | None  # None: the platform's own
    language: str
    voice: str | None  # None: the server's default voice for the language
    duration: int | None
    tone: str
    template: str | None
    captions: str | None  # None: no captions
    quality: str
    media: list[MediaRef]
    music: Path | None
    output_name: str  # a file stem, unique in the sheet (case-insensitively)
    variables: dict[str, str]  # the row's non-standard columns, as written
    estimated_seconds: float | None  # narration estimate of script rows
    script_language: str | None = None  # set when the script is translated into `language` first


def validate(sheet: Sheet, defaults: Defaults, facts: Facts) -> tuple[list[PlannedRow], list[Problem]]:
    """Every problem of the sheet (sorted by row, then column) and the rows that have none.

    >>> rows, problems = validate(read_sheet(Path("videos.csv")), Defaults(), facts)
    >>> [(p.row, p.column) for p in problems]
    [(None, 'Titel'), (4, 'platform')]
    """
    problems: list[Problem] = []
    header = _read_header(sheet, problems)
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
        problems.append(Problem(number, None, _extra_cells_message(sheet, count)))
    drafts = [
        checker.check(number, cells) for number, cells in zip(sheet.row_numbers, sheet.rows, strict=True)
    ]
    if checker.default_voice_problem is not None:
        problems.append(checker.default_voice_problem)
    names = _output_names(drafts, header, problems)
    failed = {problem.row for problem in problems if problem.row is not None}
    planned = [
        draft.plan(name)
        for draft, name in zip(drafts, names, strict=True)
        if plannable and draft.row not in failed and not draft.blocked
    ]
    problems.sort(key=lambda problem: (problem.row or 0, problem.column or ""))
    return planned, problems


# -- The header ---------------------------------------------------------------------------------------


@dataclass
class _Header:
    known: dict[str, str] = field(default_factory=dict)  # known column -> header as written
    variables: list[str] = field(default_factory=list)  # other columns, as written

    def has(self, column: str) -> bool:
        return column in self.known

    def written(self, column: str) -> str:
        return self.known.get(column, column)


def _snake(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _read_header(sheet: Sheet, problems: list[Problem]) -> _Header:
    """Known columns by their snake_case names; others are variables unless they look like a typo."""
    header = _Header()
    others: list[str] = []
    for column in sheet.columns:
        name = _snake(column)
        if name not in KNOWN_COLUMNS:
            others.append(column)
        elif name in header.known:
            first = header.known[name]
            problems.append(
                Problem(None, column, f"columns {first!r} and {column!r} are both {name!r}; keep one")
            )
        else:
            header.known[name] = column
    # A column that a {{placeholder}} uses is a variable, however much it looks like a known column.
    used = {
        _snake(match)
        for cells in sheet.rows
        for column in ("title", "script", "topic")
        if column in header.known
        for match in _PLACEHOLDER.findall(cells.get(header.known[column], ""))
    }
    for column in others:
        name = _snake(column)
        suggestion = None if name in used else _suggest_column(name, header)
        if suggestion is None:
            header.variables.append(column)
        else:
            problems.append(Problem(None, column, f"unknown column {column!r}: did you mean {suggestion!r}?"))
    return header


def _suggest_column(name: str, header: _Header) -> str | None:
    missing = [column for column in KNOWN_COLUMNS if column not in header.known]
    alias = _COLUMN_ALIASES.get(name)
    if alias is not None:
        return alias if alias in missing else None
    matches = difflib.get_close_matches(name, missing, n=1, cutoff=COLUMN_SUGGESTION_CUTOFF)
    return matches[0] if matches else None


def _extra_cells_message(sheet: Sheet, count: int) -> str:
    cells = "1 cell" if count == 1 else f"{count} cells"
    if sheet.format == "jsonl":
        return f"{cells} under an empty key; name the key"
    separator = "a tab" if sheet.format == "tsv" else "a comma or semicolon"
    return (
        f"{cells} beyond the last column of the header; is {separator} inside a value that needs "
        '"quotes", or is a column name missing?'
    )


# -- One row ------------------------------------------------------------------------------------------


@dataclass
class _Draft:
    """A checked row, before output names are given out (they depend on the other rows)."""

    row: int
    title: str
    explicit_name: str | None
    blocked: bool = False  # uses a default that is itself a problem (reported once, for the file)
    script: str | None = None
    topic: str | None = None
    platform: str = ""
    aspect_ratio: str | None = None
    language: str = ""
    voice: str | None = None
    duration: int | None = None
    tone: str = ""
    template: str | None = None
    captions: str | None = None
    quality: str = ""
    media: list[MediaRef] = field(default_factory=list)
    music: Path | None = None
    variables: dict[str, str] = field(default_factory=dict)
    estimated_seconds: float | None = None
    script_language: str | None = None

    def plan(self, output_name: str) -> PlannedRow:
        return PlannedRow(
            row=self.row,
            title=self.title,
            script=self.script,
            topic=self.topic,
            platform=self.platform,
            aspect_ratio=self.aspect_ratio,
            language=self.language,
            voice=self.voice,
            duration=self.duration,
            tone=self.tone,
            template=self.template,
            captions=self.captions,
            quality=self.quality,
            media=self.media,
            music=self.music,
            output_name=output_name,
            variables=self.variables,
            estimated_seconds=self.estimated_seconds,
            script_language=self.script_language,
        )


@dataclass(frozen=True)
class _Choice:
    """A value chosen from a fixed set, and where it came from."""

    value: str | None  # the canonical spelling, or None when not set or not allowed
    from_cell: bool
    bad: bool = False


class _Checker:
    """Checks rows against the defaults and the facts; appends to the shared problem list."""

    def __init__(
        self, sheet: Sheet, header: _Header, defaults: Defaults, facts: Facts, problems: list[Problem]
    ) -> None:
        self.header = header
        self.defaults = defaults
        self.facts = facts
        self.problems = problems
        self.sheet_folder = _absolute(sheet.path.parent)
        self.cwd = _absolute(Path())
        self._chosen: dict[tuple[str, str], str | None] = {}
        self.bad_defaults = self._check_defaults()
        # The default voice cannot speak the default language: reported once, if a row uses both.
        self.default_voice_problem: Problem | None = None

    # Each allowed set with the spelling tolerance it gets: "TikTok", "YouTube Shorts", "9x16".
    def _allowed(self, column: str) -> tuple[str, str, Iterable[str], Callable[[str], str]]:
        facts = self.facts
        table: dict[str, tuple[str, str, Iterable[str], Callable[[str], str]]] = {
            "platform": ("platform", "platforms", facts.platforms, _snake),
            "aspect_ratio": ("aspect ratio", "aspect ratios", facts.aspect_ratios, _aspect),
            "tone": ("tone", "tones", facts.tones, _snake),
            "template": ("template", "templates", facts.templates, str.casefold),
            "captions": ("caption style", "caption styles", [*facts.caption_styles, NO_CAPTIONS], _snake),
            "quality": ("quality", "qualities", facts.qualities, _snake),
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
        suggestion = _suggest(value, options)
        guess = f"did you mean {suggestion!r}? " if suggestion is not None else ""
        return f"unknown {singular} {value!r}; {guess}{plural}: {_listing(options)}"

    def _check_defaults(self) -> set[str]:
        """Problems of the command-line defaults, once for the file; returns the bad ones' columns."""
        bad: set[str] = set()
        defaults = self.defaults

        def report(column: str, message: str) -> None:
            bad.add(column)
            self.problems.append(Problem(None, column, f"{_CLI_OPTIONS[column]}: {message}"))

        for column in ("platform", "aspect_ratio", "tone", "template", "captions", "quality", "voice"):
            value = getattr(defaults, column)
            if value is not None and self._choose(column, value) is None:
                report(column, self._unknown(column, value))
        if _LANGUAGE.match(_language(defaults.language)) is None:
            report("language", _bad_language(defaults.language))
        if defaults.duration is not None and not MIN_DURATION <= defaults.duration <= MAX_DURATION:
            report("duration", f"{defaults.duration} is not between {MIN_DURATION} and {MAX_DURATION}")
        if defaults.music:
            _, message = _music_path(defaults.music, self.cwd)
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
        substitute = _Substitution(variables, {c: cell(c) for c in header.known}, header, report)
        topic = substitute("topic", cell("topic")) or None
        substitute.known["topic"] = topic or ""
        title = substitute("title", cell("title"))
        script = substitute("script", cell("script")) or None
        draft = _Draft(number, title, cell("output_name") or None, variables=variables)

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
        for column in ("platform", "aspect_ratio", "tone", "template", "captions", "quality", "voice"):
            choice = self._pick(column, cell(column))
            if choice.bad:
                report(column, self._unknown(column, cell(column)))
            choices[column] = choice
        draft.platform = choices["platform"].value or ""
        draft.aspect_ratio = choices["aspect_ratio"].value
        draft.tone = choices["tone"].value or ""
        draft.template = choices["template"].value
        captions = choices["captions"].value
        draft.captions = None if captions == NO_CAPTIONS else captions
        draft.quality = choices["quality"].value or ""
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
                paths, message = _media_paths(item, self.sheet_folder)
                if message is not None:
                    report("media", message)
                draft.media.extend(path for path in paths if path not in draft.media)
        if len(draft.media) > MAX_MEDIA_FILES:
            report("media", f"{len(draft.media)} media files; at most {MAX_MEDIA_FILES} per video")
        music_cell = cell("music")
        if music_cell:
            draft.music, message = _music_path(music_cell, self.sheet_folder)
            if message is not None:
                report("music", message)
        elif self.defaults.music and "music" not in self.bad_defaults:
            draft.music, _ = _music_path(self.defaults.music, self.cwd)

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


class _Substitution:
    """`{{name}}` → the row's cell for that column; reports unknown names and empty cells once a row."""

    def __init__(
        self,
        variables: dict[str, str],
        known: dict[str, str],
        header: _Header,
        report: Callable[[str, str], None],
    ) -> None:
        self.variables = variables
        self.known = known
        self.header = header
        self.report = report
        self.reported: set[str] = set()

    def __call__(self, column: str, text: str) -> str:
        if "{{" not in text:
            return text

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            source, value = self._lookup(name, column)
            if value:
                return value
            if name.casefold() not in self.reported:
                self.reported.add(name.casefold())
                if source is None:
                    message = f"{{{{{name}}}}} in the {column}: there is no column {name!r}"
                    suggestion = _suggest(name, self.variables)
                    if suggestion is not None:
                        message += f"; did you mean {{{{{suggestion}}}}}?"
                    self.report(column, message)
                else:
                    self.report(
                        source,
                        f"{{{{{name}}}}} is used in the {column}, but this row's {source!r} cell is empty",
                    )
            return match.group(0)

        return _PLACEHOLDER.sub(replace, text)

    def _lookup(self, name: str, column: str) -> tuple[str | None, str]:
        """The column `name` refers to (as written) and its value in this row; (None, "") if none."""
        if name in self.variables:
            return name, self.variables[name]
        for variable, value in self.variables.items():
            if variable.casefold() == name.casefold():
                return variable, value
        known = _snake(name)
        # Title and script are what is being filled in; a topic cannot contain itself.
        if known in self.known and known not in ("title", "script", column):
            return self.header.written(known), self.known[known]
        return None, ""


# -- Output names -------------------------------------------------------------------------------------


def _output_names(drafts: list[_Draft], header: _Header, problems: list[Problem]) -> list[str]:
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


def _suggest(value: str, options: Iterable[str]) -> str | None:
    """The option closest to `value`, if one is close."""
    by_folded = {option.casefold(): option for option in options}
    matches = difflib.get_close_matches(value.casefold(), list(by_folded), n=1, cutoff=0.6)
    return by_folded[matches[0]] if matches else None


def _listing(options: Iterable[str], limit: int = 12) -> str:
    items = sorted(options) if isinstance(options, set | frozenset) else list(options)
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown}, … ({len(items)} in all)"


def _absolute(path: Path) -> Path:
    try:
        return Path(os.path.abspath(path))
    except (OSError, ValueError):  # the working directory was deleted under us
        return path


def _resolve(item: str, folder: Path) -> tuple[Path, bool]:
    """The path an entry names, and whether it was relative (to the sheet's folder, or the cwd)."""
    path = Path(item)
    if item.startswith("~"):
        path = path.expanduser()
    return (path, False) if path.is_absolute() else (folder / path, True)


def _media_paths(item: str, folder: Path) -> tuple[list[MediaRef], str | None]:
    """The files one `media` entry names (a media id, a path or a glob), or why it names none."""
    if _MEDIA_ID.match(item):
        return [item], None  # the server checks that the id is the user's
    try:
        path, relative = _resolve(item, folder)
        # A file whose name has [brackets] or a ? in it is that file, not a pattern.
        if _GLOB_MAGIC.search(item) and not path.is_file():
            # Relative patterns are matched inside the folder, so that its own name is never a pattern.
            if relative:
                matches = [folder / match for match in glob.glob(item, root_dir=folder, recursive=True)]
            else:
                matches = [Path(match) for match in glob.glob(str(path), recursive=True)]
            files: list[MediaRef] = sorted({match.resolve() for match in matches if match.is_file()})
            if not files:
                return [], f"{item!r} matches no files (looked in {folder if relative else path.parent})"
            return files, None
        if path.is_dir():
            return [], f"{item!r} is a folder; name the files, or use a glob like '{item.rstrip('/')}/*.jpg'"
        if not path.is_file():
            return [], f"{item!r} does not exist (looked for {path})"
        return [path.resolve()], None
    except (OSError, ValueError, RuntimeError) as exc:
        return [], f"{item!r} cannot be read: {exc}"


def _music_id_message(item: str) -> str:
    return f"{item!r}: music takes a file path (the media library holds images and video clips)"


def _music_path(item: str, folder: Path) -> tuple[Path | None, str | None]:
    if LIST_SEPARATOR in item:
        return None, "give one music file, not a list"
    if _MUSIC_ID.match(item):
        return None, _music_id_message(item)
    try:
        path, _ = _resolve(item, folder)
        if not path.is_file():
            return None, f"{item!r} does not exist (looked for {path})"
        return path.resolve(), None
    except (OSError, ValueError, RuntimeError) as exc:
        return None, f"{item!r} cannot be read: {exc}"
