"""A sheet's header: which columns are known (by their snake_case names), which are template variables,
and which look like a typo of a known column. Also the `{{variable}}` placeholders of title and script.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .problems import Problem

if TYPE_CHECKING:
    from .reader import Sheet

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
    "visuals",
    "media",
    "music",
    "output_name",
    "script_language",
)
COLUMN_SUGGESTION_CUTOFF = 0.8

# Names that difflib would not connect to the column they mean.
COLUMN_ALIASES = {
    "lang": "language",
    "aspect": "aspect_ratio",
    "ratio": "aspect_ratio",
    "subtitles": "captions",
    "media_type": "visuals",
    "filename": "output_name",
    "file_name": "output_name",
    "output": "output_name",
    "source_language": "script_language",
    "translate_from": "script_language",
}
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


@dataclass
class Header:
    known: dict[str, str] = field(default_factory=dict)  # known column -> header as written
    variables: list[str] = field(default_factory=list)  # other columns, as written

    def has(self, column: str) -> bool:
        return column in self.known

    def written(self, column: str) -> str:
        return self.known.get(column, column)


def snake(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def read_header(sheet: Sheet, problems: list[Problem]) -> Header:
    """Known columns by their snake_case names; others are variables unless they look like a typo."""
    header = Header()
    others: list[str] = []
    for column in sheet.columns:
        name = snake(column)
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
        snake(match)
        for cells in sheet.rows
        for column in ("title", "script", "topic")
        if column in header.known
        for match in PLACEHOLDER.findall(cells.get(header.known[column], ""))
    }
    for column in others:
        name = snake(column)
        suggestion = None if name in used else _suggest_column(name, header)
        if suggestion is None:
            header.variables.append(column)
        else:
            problems.append(Problem(None, column, f"unknown column {column!r}: did you mean {suggestion!r}?"))
    return header


def _suggest_column(name: str, header: Header) -> str | None:
    missing = [column for column in KNOWN_COLUMNS if column not in header.known]
    alias = COLUMN_ALIASES.get(name)
    if alias is not None:
        return alias if alias in missing else None
    matches = difflib.get_close_matches(name, missing, n=1, cutoff=COLUMN_SUGGESTION_CUTOFF)
    return matches[0] if matches else None


def extra_cells_message(sheet: Sheet, count: int) -> str:
    cells = "1 cell" if count == 1 else f"{count} cells"
    if sheet.format == "jsonl":
        return f"{cells} under an empty key; name the key"
    separator = "a tab" if sheet.format == "tsv" else "a comma or semicolon"
    return (
        f"{cells} beyond the last column of the header; is {separator} inside a value that needs "
        '"quotes", or is a column name missing?'
    )


def suggest(value: str, options: Iterable[str]) -> str | None:
    """The option closest to `value`, if one is close."""
    by_folded = {option.casefold(): option for option in options}
    matches = difflib.get_close_matches(value.casefold(), list(by_folded), n=1, cutoff=0.6)
    return by_folded[matches[0]] if matches else None
