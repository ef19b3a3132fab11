"""Reading the files people download from platforms: CSV dialects, counts, percentages, dates.

Shared by the analytics and trends importers. Values are parsed the way platforms write them
("1,234", "1.2K", "4.5%", "0:03:12", "Jun 3, 2024", "June 3") and anything that could be read two
ways ("1.234", "03/04/2024") is refused with its row and column rather than guessed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import IO, Any, BinaryIO, cast

from ...common.magic import bom_encoding
from ...common.tabular import Records, header_delimiter
from ...contract.analytics import ANALYTICS_PLATFORMS
from ..errors import EngineError, Invalid

MAX_PROBLEMS = 20
# A record's line is read whole before it is split into cells: past this, a file (an endless line, a
# zip member that decompresses into one) is refused rather than held. Exports have lines of a few
# hundred characters.
MAX_LINE_CHARS = 1024 * 1024
NULL_CELLS = frozenset({"", "-", "–", "—", "n/a", "na", "null", "none"})
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
SUFFIXES = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}

_INT = re.compile(r"-?\d+")
_GROUPED = re.compile(r"-?\d{1,3}(?:(?P<sep>[,  \u202f'])\d{3})(?:(?P=sep)\d{3})*")
_DOT_GROUPED = re.compile(r"-?\d{1,3}(?:\.\d{3}){2,}")  # 1.234.567: dots can only be thousands here
_DECIMAL = re.compile(r"-?\d*\.\d+|-?\d+\.")
_COMMA_DECIMAL = re.compile(r"-?\d+,\d{1,2}")  # 12,5 or 3,75: not a thousands group
_SUFFIXED = re.compile(r"(?P<number>\d+(?:[.,]\d{1,2})?)\s*(?P<suffix>[kmb])", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t].*)?")
_SLASH_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ ,t].*)?")
_WORD_DATE = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?(?:[ ,t].*)?")
_DAY_FIRST_DATE = re.compile(r"(\d{1,2})\s+([a-z]+)\.?(?:,?\s+(\d{4}))?")
_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})(?:\.\d+)?")


class CellError(ValueError):
    """A value that cannot be read; the importer adds the row, and the column unless named here."""

    def __init__(self, message: str, column: str | None = None) -> None:
        super().__init__(message)
        self.column = column


@dataclass
class Problems:
    """Every problem in a file, each with its row (as a spreadsheet numbers it) and column."""

    file_name: str
    items: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0

    def add(self, row: int | None, column: str | None, value: str | None, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_PROBLEMS:
            self.items.append({"row": row, "column": column, "value": value, "message": message})

    def raise_if_any(self) -> None:
        if not self.count:
            return
        lines = [_describe(item) for item in self.items]
        more = f"\n  … and {self.count - len(self.items)} more" if self.count > len(self.items) else ""
        noun = "problem" if self.count == 1 else "problems"
        raise Invalid(
            f"{self.file_name}: {self.count} {noun}, nothing was imported:\n  " + "\n  ".join(lines) + more,
            details={"file": self.file_name, "problems": self.items, "count": self.count},
        )


def _describe(item: dict[str, Any]) -> str:
    where = [
        f"row {item['row']}" if item["row"] else "",
        f"column {item['column']!r}" if item["column"] else "",
    ]
    place = ", ".join(part for part in where if part)
    value = f" {item['value']!r}:" if item["value"] not in (None, "") else ""
    return f"{place}:{value} {item['message']}" if place else item["message"]


def file_error(file_name: str, message: str, **details: Any) -> EngineError:
    return Invalid(f"{file_name}: {message}", details={"file": file_name, **details})


def today_utc() -> date:
    return datetime.now(UTC).date()


# -- files --------------------------------------------------------------------------------------------


def open_text(stream: IO[bytes]) -> IO[str]:
    """A binary stream as text: UTF-8 (with or without BOM) or UTF-16 with BOM (Excel's "Unicode text")."""
    peek = getattr(stream, "peek", None)  # files and zip members both have it
    head = peek(4)[:4] if peek is not None else b""
    encoding = "utf-16" if bom_encoding(head) == "utf-16" else "utf-8-sig"
    return io.TextIOWrapper(cast(BinaryIO, stream), encoding=encoding, newline="")


@dataclass
class Table:
    """A delimited file's header (normalized names, original names) and its data rows."""

    columns: list[str]
    originals: list[str]
    rows: Iterator[tuple[int, list[str]]]


def read_table(handle: IO[str], file_name: str) -> Table:
    """Sniff the delimiter (comma, semicolon or tab) from the header line and stream the rows; a line
    longer than MAX_LINE_CHARS is refused as it is read."""
    lines = bounded_lines(handle, file_name)
    try:
        first = next(lines, "")
        while first and not first.strip():
            first = next(lines, "")
    except UnicodeDecodeError as exc:
        raise file_error(
            file_name, "is not UTF-8 or UTF-16 text (is it a spreadsheet? save it as CSV)"
        ) from exc
    if not first.strip():
        raise file_error(file_name, "is empty")
    delimiter = header_delimiter(first)
    try:
        header = next(csv.reader(io.StringIO(first), delimiter=delimiter))
    except csv.Error as exc:
        raise file_error(file_name, f"line 1: {exc}") from exc
    records = Records(lines, delimiter, first_line=2)  # the header was line 1

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for _, _, last_line, cells in records:
                yield last_line, cells
        except UnicodeDecodeError as exc:
            raise file_error(file_name, f"is not valid UTF-8 after line {records.line}") from exc
        except csv.Error as exc:
            raise file_error(file_name, f"line {records.line}: {exc}") from exc

    return Table([normalize_name(name) for name in header], [name.strip() for name in header], rows())


def bounded_lines(handle: IO[str], file_name: str) -> Iterator[str]:
    """The lines of `handle` (with their endings), refusing one longer than MAX_LINE_CHARS."""
    number = 0
    while line := handle.readline(MAX_LINE_CHARS + 1):
        number += 1
        if len(line) > MAX_LINE_CHARS:
            raise file_error(
                file_name,
                f"line {number} is longer than {MAX_LINE_CHARS:,} characters; is it a CSV export?",
                line=number,
            )
        yield line


def normalize_name(name: str) -> str:
    """`Watch time (hours)`, ` watch  TIME (hours) ` and `"Watch time (hours)"` are one column."""
    return " ".join(name.replace("\ufeff", "").strip().strip('"').lower().split())


# -- values -------------------------------------------------------------------------------------------


def is_null(text: str) -> bool:
    return text.strip().lower() in NULL_CELLS


def parse_count(text: str, *, signed: bool = False) -> int | None:
    """A whole number as platforms write it: 1234, 1,234, 1 234, 1.234.567, 1.2K, 3M."""
    if text.isdigit():  # the common case, first: a million-row import calls this millions of times
        return int(text)
    value = text.strip().replace("\u00a0", " ")
    if is_null(value):
        return None
    number: int | None = None
    if _INT.fullmatch(value) or _GROUPED.fullmatch(value) or _DOT_GROUPED.fullmatch(value):
        number = int(re.sub(r"[^\d-]", "", value))
    elif match := _SUFFIXED.fullmatch(value):
        number = round(float(match["number"].replace(",", ".")) * SUFFIXES[match["suffix"].lower()])
    elif re.fullmatch(r"-?\d{1,3}\.\d{3}", value):
        raise CellError("ambiguous number: 1.234 is 1234 in some countries and 1.234 in others; write 1234")
    elif _DECIMAL.fullmatch(value):
        decimal = float(value)
        if not decimal.is_integer():
            raise CellError("expected a whole number")
        number = int(decimal)
    else:
        raise CellError("not a number")
    if number < 0 and not signed:
        raise CellError("expected a number of zero or more")
    return number


def parse_decimal(text: str, *, percent: bool = False) -> float | None:
    """A decimal: 12.5, 1,234.5, 12,5 (a decimal comma, 1-2 digits), with '%' when `percent`."""
    value = text.strip().replace("\u00a0", " ")
    if percent:
        value = value.removesuffix("%").strip()
    if is_null(value):
        return None
    if _INT.fullmatch(value) or _DECIMAL.fullmatch(value):
        return float(value)
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+\.\d+", value):
        return float(value.replace(",", ""))
    if _GROUPED.fullmatch(value) and "," in value:
        raise CellError("ambiguous number: 1,234 is 1234 in some countries and 1.234 in others")
    if _GROUPED.fullmatch(value):
        return float(re.sub(r"[^\d-]", "", value))
    if _COMMA_DECIMAL.fullmatch(value):
        return float(value.replace(",", "."))
    raise CellError("not a number" if not percent else "not a percentage")


def parse_duration(text: str) -> float | None:
    """Seconds, from `245`, `245.5`, `4:05` or `0:04:05`."""
    value = text.strip()
    if is_null(value):
        return None
    if match := _CLOCK.fullmatch(value):
        hours, minutes, seconds = (int(part) if part else 0 for part in match.groups())
        return float(hours * 3600 + minutes * 60 + seconds)
    seconds_value = parse_decimal(value)
    if seconds_value is None or seconds_value < 0:
        raise CellError("not a duration (seconds, or H:MM:SS)")
    return seconds_value


@dataclass(frozen=True)
class DateReader:
    """Reads one file's dates. A date written without a year (TikTok's "June 3") belongs to the
    year that puts it at or before `last`, the latest day of the file's series (see `series_end`),
    which is itself the most recent such day not after `today`. `month_first` is the order of
    slashed dates when the format fixes it (Meta writes 06/03/2024 for 3 June); otherwise only
    slashed dates that cannot be read two ways are accepted."""

    today: date
    month_first: bool | None = None
    last: tuple[int, int] | None = None  # (month, day) ending the series of year-less dates

    def __call__(self, text: str) -> date | None:
        if len(text) == 10 and text[4] == "-" and text[7] == "-":  # ISO, the common case, first
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        value = " ".join(text.strip().lower().split())
        if is_null(value):
            return None
        try:
            if match := _ISO_DATE.fullmatch(value):
                return date(int(match[1]), int(match[2]), int(match[3]))
            if match := _SLASH_DATE.fullmatch(value):
                return self._slashed(int(match[1]), int(match[2]), int(match[3]))
            if (match := _WORD_DATE.fullmatch(value)) and match[1] in MONTHS:
                return self._dated(MONTHS[match[1]], int(match[2]), match[3])
            if (match := _DAY_FIRST_DATE.fullmatch(value)) and match[2] in MONTHS:
                return self._dated(MONTHS[match[2]], int(match[1]), match[3])
        except CellError:
            raise
        except ValueError as exc:  # 2024-02-30, June 31
            raise CellError(f"not a real date ({exc})") from exc
        raise CellError("not a date (expected e.g. 2024-06-03, Jun 3, 2024 or June 3)")

    def _slashed(self, first: int, second: int, year: int) -> date:
        if self.month_first is not None:
            month, day = (first, second) if self.month_first else (second, first)
        elif first > 12 >= second:
            day, month = first, second
        elif second > 12 >= first:
            month, day = first, second
        elif first == second:
            month = day = first
        else:
            raise CellError(
                f"ambiguous date: day {first} of month {second}, or month {first} day {second}? "
                "write dates as YYYY-MM-DD"
            )
        return date(year, month, day)

    def _dated(self, month: int, day: int, year: str | None) -> date:
        if year is not None:
            return date(int(year), month, day)
        last = self.last or (month, day)
        last_year = self.today.year if last <= (self.today.month, self.today.day) else self.today.year - 1
        return date(last_year if (month, day) <= last else last_year - 1, month, day)


def series_end(month_days: Iterable[tuple[int, int]]) -> tuple[int, int] | None:
    """The last (month, day) of a run of year-less days spanning less than a year: the day before the
    widest gap around the calendar (October 31 … November 27 ends on November 27, whatever the
    order of the rows, and December 20 … January 10 on January 10)."""
    days = sorted({date(2000, month, day).toordinal() for month, day in month_days})
    if not days:
        return None
    year = 366
    gaps = [((days[(i + 1) % len(days)] - days[i]) % year or year, days[i]) for i in range(len(days))]
    end = date.fromordinal(max(gaps)[1])
    return end.month, end.day


def month_day(text: str) -> tuple[int, int] | None:
    """(month, day) of a date written without a year ("June 3", "3 June"); None for any other text."""
    value = " ".join(text.strip().lower().split())
    if (match := _WORD_DATE.fullmatch(value)) and match[1] in MONTHS and match[3] is None:
        return MONTHS[match[1]], int(match[2])
    if (match := _DAY_FIRST_DATE.fullmatch(value)) and match[2] in MONTHS and match[3] is None:
        return MONTHS[match[2]], int(match[1])
    return None


# -- platforms and content ids -------------------------------------------------------------------------

PLATFORM_ALIASES = {
    "youtube_shorts": "youtube",
    "yt": "youtube",
    "shorts": "youtube",
    "instagram_reels": "instagram",
    "instagram_stories": "instagram",
    "ig": "instagram",
    "reels": "instagram",
    "facebook_reels": "facebook",
    "fb": "facebook",
    "twitter": "x",
    "tik_tok": "tiktok",
}


@lru_cache(maxsize=256)  # a million-row file names a handful of platforms
def platform_name(text: str) -> str:
    """`YouTube Shorts`, `youtube_shorts` and `yt` are all `youtube`; unknown names are refused."""
    key = "_".join(text.strip().lower().replace("-", " ").split())
    key = PLATFORM_ALIASES.get(key, key)
    if key not in ANALYTICS_PLATFORMS:
        raise CellError(f"unknown platform; expected one of {', '.join(ANALYTICS_PLATFORMS)}")
    return key


_CONTENT_URLS = [
    re.compile(r"(?:youtube\.com/(?:watch\?(?:.*&)?v=|shorts/|embed/|live/)|youtu\.be/)([\w-]{6,20})"),
    re.compile(r"tiktok\.com/@[^/]+/(?:video|photo)/(\d+)"),
    re.compile(r"instagram\.com/(?:[^/]+/)?(?:p|reel|reels|tv)/([\w-]+)"),
    re.compile(r"facebook\.com/(?:reel/|watch/?\?v=|[^/]+/videos/)(\d+)"),
    re.compile(r"linkedin\.com/.*(?:activity|ugcPost)[:-](\d+)"),
    re.compile(r"(?:x|twitter)\.com/[^/]+/status/(\d+)"),
]


def content_id_from_url(url: str) -> str | None:
    """The platform's own id of a video from its URL (watch, shorts, youtu.be, TikTok, Reels, …)."""
    for pattern in _CONTENT_URLS:
        if match := pattern.search(url):
            return match[1]
    return None
