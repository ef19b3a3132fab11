"""`ss trends import FILE`: observations of topics, one per topic, platform, region and day.

CSV (comma, semicolon or tab) or JSON (an array of objects, or one object per line), with the
columns: date, platform, topic, views (required); region (default global), category, hashtag
(one or more, '#' optional, space- or comma-separated; the first is the topic's primary one),
posts, engagement (percent). Importing the same observations again replaces them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ...contract.trends import TrendImportResult
from ..analytics.ingest import (
    CellError,
    DateReader,
    Problems,
    bounded_lines,
    file_error,
    normalize_name,
    open_text,
    parse_count,
    parse_decimal,
    platform_name,
    read_table,
)
from ..errors import Invalid
from ..store.db import Database
from .store import TopicWriter

# A JSON array is parsed whole; JSON Lines and CSV are read as they come.
MAX_JSON_CHARS = 32 * 1024 * 1024
REQUIRED = ("date", "platform", "topic", "views")
OPTIONAL = ("region", "category", "hashtag", "hashtags", "posts", "engagement")
GLOBAL = "global"
_REGION = re.compile(r"[a-z]{2}")


def import_file(db: Database, user_id: str, path: Path, name: str, today: date) -> TrendImportResult:
    problems = Problems(name)
    dates = DateReader(today)
    latest = today + timedelta(days=1)
    warnings: list[str] = []
    with db.session() as session:
        writer = TopicWriter(session, user_id)
        for row_number, cells in _records(path, name, warnings):
            try:
                day = dates(cells.get("date", ""))
                if day is None:
                    raise CellError("a date is required", "date")
                if day > latest:
                    raise CellError(f"{day.isoformat()} is in the future", "date")
                observation = _observation(cells)
            except CellError as exc:
                problems.add(row_number, exc.column, cells.get(exc.column or ""), str(exc))
                continue
            if problems.count:
                continue  # nothing will be written; keep reading to report every problem
            topic = writer.topic(
                observation["platform"],
                observation["region"],
                observation["topic"],
                observation["category"],
                observation["hashtags"],
            )
            writer.observe(
                topic,
                day,
                observation["views"],
                "import",
                posts=observation["posts"],
                engagement=observation["engagement"],
            )
        problems.raise_if_any()
        if not writer.written:
            raise file_error(name, "has no observations")
        return writer.result(warnings)


def _observation(cells: dict[str, str]) -> dict[str, Any]:
    def cell(column: str, parse: Any, **options: Any) -> Any:
        try:
            return parse(cells.get(column, ""), **options)
        except CellError as exc:
            raise CellError(str(exc), exc.column or column) from exc

    topic = " ".join(cells.get("topic", "").split())
    if not topic:
        raise CellError("a topic is required", "topic")
    if len(topic) > 200:
        raise CellError("longer than 200 characters", "topic")
    views = cell("views", parse_count)
    if views is None:
        raise CellError("a number of views is required", "views")
    engagement = cell("engagement", parse_decimal, percent=True)
    if engagement is not None and not 0 <= engagement <= 100:
        raise CellError("expected a percentage between 0 and 100", "engagement")
    return {
        "platform": cell("platform", platform_name),
        "region": cell("region", region_code),
        "topic": topic,
        "category": " ".join(cells.get("category", "").lower().split())[:64],
        "hashtags": hashtags(cells.get("hashtags") or cells.get("hashtag") or ""),
        "views": views,
        "posts": cell("posts", parse_count),
        "engagement": engagement,
    }


def region_code(text: str) -> str:
    """ISO 3166 alpha-2 (upper case), or `global` for none / worldwide."""
    value = text.strip().lower()
    if value in ("", GLOBAL, "worldwide", "world", "all", "ww"):
        return GLOBAL
    if not _REGION.fullmatch(value):
        raise CellError("expected a two-letter country code (US, GB, …) or global")
    return value.upper()


def hashtags(text: str) -> list[str]:
    return [tag.lstrip("#") for tag in re.split(r"[\s,;]+", text) if tag.lstrip("#")]


def _records(path: Path, name: str, warnings: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row or line number, normalized column → text) from CSV or JSON."""
    with path.open("rb") as stream, open_text(stream) as text:
        try:
            head = text.read(1)
            while head and head.isspace():
                head = text.read(1)
        except UnicodeDecodeError as exc:
            raise file_error(
                name, "is not UTF-8 or UTF-16 text (is it a spreadsheet? save it as CSV)"
            ) from exc
        if head == "[":  # parsed whole: refused past MAX_JSON_CHARS rather than held
            try:
                rest = text.read(MAX_JSON_CHARS + 1)
            except UnicodeDecodeError as exc:
                raise file_error(name, "is not valid UTF-8") from exc
            if len(rest) >= MAX_JSON_CHARS:
                raise file_error(
                    name,
                    f"is a JSON array of more than {MAX_JSON_CHARS // 1024 // 1024} MB; write one object "
                    "per line (JSON Lines), or CSV, which are read as they come",
                )
            yield from _json_records(head + rest, name)
            return
        if head == "{":  # JSON Lines: one object per line, read a line at a time
            yield from _json_lines(head, bounded_lines(text, name), name)
            return
        text.seek(0)
        table = read_table(text, name)
        missing = [column for column in REQUIRED if column not in table.columns]
        if missing:
            raise file_error(
                name,
                f"missing columns {', '.join(missing)}; trend observations need {', '.join(REQUIRED)} "
                f"(and may have {', '.join(OPTIONAL)}); found {', '.join(table.originals) or 'none'}",
                columns=table.originals,
            )
        unknown = [
            o for c, o in zip(table.columns, table.originals, strict=True) if c not in (*REQUIRED, *OPTIONAL)
        ]
        if unknown:
            warnings.append(f"{name}: ignored columns {', '.join(unknown)}")
        for row_number, cells in table.rows:
            yield row_number, dict(zip(table.columns, cells, strict=False))


def _json_records(text: str, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise file_error(name, f"is not valid JSON: {exc}") from exc
    if not isinstance(value, list):
        raise file_error(name, "is not a JSON array of objects")
    for number, item in enumerate(value, start=1):
        yield _json_item(number, item, name)


def _json_lines(head: str, lines: Iterator[str], name: str) -> Iterator[tuple[int, dict[str, str]]]:
    first = True
    numbered = enumerate(lines, start=1)
    while True:
        try:
            number, line = next(numbered)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            raise file_error(name, "is not valid UTF-8") from exc
        if first:
            line, first = head + line, False
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (ValueError, RecursionError) as exc:
            raise file_error(name, f"line {number} is not valid JSON: {exc}") from exc
        yield _json_item(number, item, name)


def _json_item(number: int, item: Any, name: str) -> tuple[int, dict[str, str]]:
    if not isinstance(item, dict):
        raise Invalid(f"{name}: item {number} is not an object")
    return number, {normalize_name(str(key)): _text(value) for key, value in item.items()}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return str(value)
