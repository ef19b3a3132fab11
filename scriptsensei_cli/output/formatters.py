"""Data out: table on a terminal, TSV when piped, or JSON / NDJSON / CSV / TSV on request."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import console

FORMATS = ("table", "json", "ndjson", "csv", "tsv")


@dataclass(frozen=True)
class Column:
    key: str
    header: str | None = None
    max_width: int | None = None
    # Ids, codes and timestamps are copied and pasted: never shrink or ellipsize them.
    fixed: bool = False
    # How a table shows the value to a person (machine formats always get the full value).
    human: Callable[[Any], str] | None = None

    def display(self, row: Mapping[str, Any]) -> str:
        value = lookup(row, self.key)
        return self.human(value) if self.human is not None and value is not None else cell(value)

    @property
    def title(self) -> str:
        return self.header or self.key.replace("_", " ").upper()


def resolve_format(json_flag: bool, output: str | None, default: str | None = None) -> str:
    if json_flag:
        return "json"
    chosen = output or default
    if chosen:
        return chosen
    return "table" if console.stdout_is_terminal() else "tsv"


def to_plain(value: Any) -> Any:
    """Models, datetimes and the like as JSON-ready values."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [to_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def emit(
    data: Any,
    fmt: str,
    *,
    columns: Sequence[Column] | None = None,
    human: Callable[[Any], None] | None = None,
) -> None:
    """Print `data` (a model, a mapping or a list of them) in `fmt`.

    `columns` choose the fields of table/CSV/TSV rows; `human` draws a single object for people
    (a table view of one script is better as a card than as one wide row).
    """
    plain = to_plain(data)
    if fmt == "json":
        console.write_data(json.dumps(plain, indent=2, ensure_ascii=False))
    elif fmt == "ndjson":
        rows = plain if isinstance(plain, list) else [plain]
        console.write_data("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows) or "\n")
    elif fmt in ("csv", "tsv"):
        rows = plain if isinstance(plain, list) else [plain]
        console.write_data(delimited(rows, columns or infer_columns(rows), "," if fmt == "csv" else "\t"))
    elif fmt == "table":
        if human is not None and not isinstance(data, list):
            human(data)
        else:
            rows = plain if isinstance(plain, list) else [plain]
            console.show(table(rows, columns or infer_columns(rows)))
    else:
        raise ValueError(f"unknown output format {fmt!r}")


def short_time(value: Any) -> str:
    """`2026-11-28T06:00:36.752356Z` as `2026-11-28 06:00` (UTC) for a person reading a table."""
    text = str(value)
    return text[:16].replace("T", " ") if len(text) >= 16 and text[10] == "T" else text


def infer_columns(rows: Sequence[Mapping[str, Any]]) -> list[Column]:
    return [Column(key) for key in (rows[0].keys() if rows else ())]


def cell(value: Any) -> str:
    """One value as flat text: lists joined, nested objects as compact JSON, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(cell(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def lookup(row: Mapping[str, Any], key: str) -> Any:
    value: Any = row
    for part in key.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def delimited(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column], delimiter: str) -> str:
    buffer = io.StringIO()
    if delimiter == "\t":
        # TSV for `cut`/`awk`: one record per line, so tabs and newlines inside cells become spaces.
        buffer.write("\t".join(column.key for column in columns) + "\n")
        for row in rows:
            values = (" ".join(cell(lookup(row, column.key)).split()) for column in columns)
            buffer.write("\t".join(values) + "\n")
    else:
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([column.key for column in columns])
        for row in rows:
            writer.writerow([cell(lookup(row, column.key)) for column in columns])
    return buffer.getvalue()


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column]) -> Any:
    from rich.table import Table
    from rich.text import Text

    grid = Table(show_edge=False, header_style="bold", pad_edge=False)
    for column in columns:
        widths = [len(column.title), *(len(column.display(row)) for row in rows)]
        grid.add_column(
            column.title,
            min_width=max(widths) if column.fixed else None,
            max_width=column.max_width,
            overflow="ellipsis",
            no_wrap=column.fixed or column.max_width is not None,
        )
    for row in rows:
        grid.add_row(*(Text(column.display(row)) for column in columns))
    return grid


def key_values(pairs: Iterable[tuple[str, Any]]) -> Any:
    """A two-column grid of labels and values, for one object."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for label, value in pairs:
        grid.add_row(
            Text(label),
            value if hasattr(value, "__rich__") or hasattr(value, "__rich_console__") else Text(cell(value)),
        )
    return grid
