"""Reading a sheet (CSV, TSV, JSON Lines) into rows of text, or one `SheetError` that says what is wrong.

Spreadsheets save CSV in many shapes: with or without a byte-order mark, UTF-16 from some Excel
versions, semicolons where the decimal separator is a comma, Windows-1252 from Excel's plain "CSV"
export. The first ones are read; the last is refused with a hint, because guessing an 8-bit encoding
silently turns "café" into "cafÃ©" in a thousand rendered videos.

Row numbers are those a spreadsheet shows: the header is row 1, and a cell with line breaks in it
does not move the rows after it. Blank rows are skipped but keep their numbers, as in a spreadsheet.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..common.magic import OLE, ZIP, bom_encoding, identify
from ..common.tabular import SNIFF_SAMPLE_CHARS, Records, detect_delimiter

SheetFormat = Literal["csv", "tsv", "jsonl", "xlsx"]

DEFAULT_MAX_ROWS = 10_000
# Read as a stream and refused past this, so a pipe or a device is never held whole: 5,000 rows of
# 12 KB scripts fit, and the rows it keeps stay well under 200 MB of memory.
MAX_FILE_BYTES = 64 * 1024 * 1024
BINARY_SNIFF_BYTES = 8192
LIST_SEPARATOR = "|"

_EXCEL_SUFFIXES = (".xlsx", ".xls", ".xlsm")
_JSONL_SUFFIXES = (".jsonl", ".ndjson")
# Workbooks renamed to .csv: a zip (xlsx) or an OLE compound file (xls).
_WORKBOOK_TYPES = (ZIP, OLE)
_EXCEL_HINT = "export the sheet as CSV (in Excel: File → Save As → CSV UTF-8) and pass that file"
_SAVE_AS_UTF8 = 'save it as UTF-8 (in Excel: File → Save As → "CSV UTF-8")'


@dataclass(frozen=True)
class Sheet:
    """A table of text as read from the file: no defaults applied, nothing validated.

    >>> sheet = read_sheet(Path("videos.csv"))
    >>> sheet.columns
    ['title', 'script', 'product_name']
    >>> sheet.rows[0]["title"], sheet.row_numbers[0]
    ('{{product_name}} in 15 seconds', 2)
    """

    path: Path
    format: SheetFormat
    encoding: str
    columns: list[str]
    rows: list[dict[str, str]]
    row_numbers: list[int]
    # row number -> how many non-empty cells it has beyond the named columns (a missing quote, usually).
    extra_cells: dict[int, int] = field(default_factory=dict)


class SheetError(Exception):
    """The file cannot be read as a table; `str()` names the file, `message` is the reason alone."""

    def __init__(self, message: str, *, path: Path, row: int | None = None) -> None:
        super().__init__(f"{path}: {message}")
        self.message = message
        self.path = path
        self.row = row


def read_sheet(path: Path, *, max_rows: int = DEFAULT_MAX_ROWS) -> Sheet:
    """Read `path` by its suffix (.tsv, .jsonl/.ndjson, anything else as CSV); raises only SheetError.

    The file is read as a stream, so a pipe (`/dev/stdin`), a device (`/dev/zero`) or an endless
    producer is refused as soon as it passes `MAX_FILE_BYTES` or `max_rows`, never held whole.
    """
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_excel(path, max_rows)
    if suffix in _EXCEL_SUFFIXES:
        raise SheetError(f"old .xls workbooks are not read; save it as .xlsx, or {_EXCEL_HINT}", path=path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SheetError(
                f"the file is {size / 1024 / 1024:.0f} MB; at most {MAX_FILE_BYTES // 1024 // 1024} MB",
                path=path,
            )
        stream = path.open("rb")
    except OSError as exc:
        raise SheetError(f"cannot read the file: {exc.strerror or exc}", path=path) from exc
    with stream:
        text = _Text(stream, path)
        if suffix in _JSONL_SUFFIXES:
            return _read_jsonl(text, path, max_rows)
        if suffix == ".tsv":
            return _read_delimited(text, path, "tsv", "\t", max_rows)
        return _read_delimited(text, path, "csv", None, max_rows)


# -- Encoding -----------------------------------------------------------------------------------------

_CHUNK_BYTES = 64 * 1024


class _Text:
    """The decoded text of a byte stream, read a chunk at a time with the size limit enforced.

    What it would have to guess is refused as it is met: a workbook or a binary file from the first
    bytes, bytes that are not UTF-8 with their offset and line, NUL characters anywhere.
    """

    def __init__(self, stream: io.BufferedReader, path: Path) -> None:
        self._stream = stream
        self._path = path
        self._read = 0  # bytes read so far
        self._lines = 1  # line of the first byte not yet decoded
        head = self._take(BINARY_SNIFF_BYTES, whole=True)
        encoding = bom_encoding(head)
        if encoding == "utf-32":
            raise SheetError(f"the file is UTF-32; {_SAVE_AS_UTF8}", path=path)
        skip = 0
        if encoding == "utf-8-sig":
            skip, codec = len(codecs.BOM_UTF8), "utf-8"
        elif encoding == "utf-16":
            codec = "utf-16"
        else:
            found = identify(head)
            if found is not None and found.mime in _WORKBOOK_TYPES:
                raise SheetError(f"this is an Excel workbook, not CSV text; {_EXCEL_HINT}", path=path)
            if b"\x00" in head:
                raise SheetError(_binary_message(head), path=path)
            codec, encoding = "utf-8", "utf-8"
        self.encoding: str = encoding
        self._codec = codec
        self._decoder = codecs.getincrementaldecoder(codec)()
        self._head: bytes | None = head[skip:]
        self._position = skip  # the offset in the file of the next byte to decode

    def _take(self, size: int, *, whole: bool = False) -> bytes:
        """Up to `size` bytes: what is there (a pipe's writer may be slow), or all of them if `whole`."""
        try:
            data = self._stream.read(size) if whole else self._stream.read1(size)
        except OSError as exc:
            raise SheetError(f"cannot read the file: {exc.strerror or exc}", path=self._path) from exc
        self._read += len(data)
        if self._read > MAX_FILE_BYTES:
            raise SheetError(
                f"more than {MAX_FILE_BYTES // 1024 // 1024} MB; at most "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB (split the file)",
                path=self._path,
            )
        return data

    def chunks(self) -> Iterator[str]:
        """The text, a piece at a time; the last piece flushes the decoder."""
        while True:
            if self._head is not None:
                data, self._head = self._head, None
            else:
                data = self._take(_CHUNK_BYTES)
            start, self._position = self._position, self._position + len(data)
            try:
                text = self._decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                raise self._decode_error(data, exc, start) from exc
            if "\x00" in text:
                raise SheetError(
                    "binary file (it contains NUL characters), not a CSV or JSON Lines text", path=self._path
                )
            self._lines += data.count(b"\n")
            if text:
                yield text
            if not data:
                return

    def _decode_error(self, data: bytes, exc: UnicodeDecodeError, start: int) -> SheetError:
        if self._codec == "utf-16":
            return SheetError(
                f"the file starts like UTF-16 but byte {start + exc.start} is not valid UTF-16; "
                + _SAVE_AS_UTF8,
                path=self._path,
            )
        # The decoder may hold up to 3 bytes of the chunk before: exc.start counts from them.
        held = len(exc.object) - len(data)
        index = max(exc.start - held, 0)
        position = start + index
        line = self._lines + data.count(b"\n", 0, index)
        byte = data[index : index + 1].hex().upper() or "??"
        try:
            sample = data + self._stream.read(_CHUNK_BYTES)
        except OSError:
            sample = data
        hint = (
            "it looks like Windows-1252 (what Excel's plain CSV export writes); " + _SAVE_AS_UTF8
            if _looks_like_cp1252_text(sample)
            else _SAVE_AS_UTF8
        )
        return SheetError(
            f"not UTF-8: byte 0x{byte} at offset {position} (line {line}) is not valid UTF-8; " + hint,
            path=self._path,
        )

    def lines(self) -> Iterator[str]:
        """Lines as `open(newline="")` splits them: at \\n, \\r\\n or \\r, each with its ending."""
        pending: list[str] = []  # the pieces of a line not yet ended
        for text in self.chunks():
            if "\n" not in text and "\r" not in text:
                pending.append(text)
                continue
            parts = io.StringIO("".join(pending) + text, newline="").readlines()
            # keep the last part: it may be incomplete, or a \r whose \n is in the next chunk
            pending = [parts.pop()]
            yield from parts
        if rest := "".join(pending):
            yield rest

    def lf_lines(self) -> Iterator[str]:
        """Lines split at \\n only (JSON Lines), without it."""
        pending: list[str] = []
        for text in self.chunks():
            if "\n" not in text:
                pending.append(text)
                continue
            parts = ("".join(pending) + text).split("\n")
            pending = [parts.pop()]
            yield from parts
        yield "".join(pending)


def _looks_like_cp1252_text(data: bytes) -> bool:
    """Whether the bytes decode as Windows-1252 into text a person wrote (no stray control codes)."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    controls = sum(1 for char in text if char < " " and char not in "\t\r\n")
    return controls == 0


def _binary_message(head: bytes) -> str:
    # Text saved as UTF-16 without a byte-order mark has a NUL in every other byte.
    nuls = sorted(
        (head[0::2].count(0) / max(len(head[0::2]), 1), head[1::2].count(0) / max(len(head[1::2]), 1))
    )
    if len(head) >= 4 and nuls[0] < 0.05 and nuls[1] > 0.4:
        return f"this looks like UTF-16 text without a byte-order mark; {_SAVE_AS_UTF8}"
    return "binary file (it contains NUL bytes), not a CSV or JSON Lines text"


# -- CSV and TSV --------------------------------------------------------------------------------------


def _read_delimited(
    text: _Text, path: Path, kind: SheetFormat, delimiter: str | None, max_rows: int
) -> Sheet:
    lines = _Tail(text.lines())
    if delimiter is None:  # sniffed from the first lines: read those ahead, then go on from them
        delimiter = detect_delimiter(lines.peek(_SNIFF_AHEAD_CHARS))
    records = Records(lines, delimiter)
    header: list[str] | None = None
    columns: list[str] = []
    keep: list[int] = []  # indexes of header cells that have a name
    named: set[int] = set()
    rows: list[dict[str, str]] = []
    numbers: list[int] = []
    extra: dict[int, int] = {}
    last_start = 1
    try:
        for number, first_line, _, cells in records:
            last_start = first_line
            lines.keep_from(first_line)
            if header is None:
                header = cells
                columns, keep = _header(cells, path, number)
                named = set(keep)
                continue
            if len(rows) >= max_rows:
                raise SheetError(f"more than {max_rows:,} rows; split the file", path=path, row=number)
            rows.append(
                {name: cells[i] if i < len(cells) else "" for name, i in zip(columns, keep, strict=True)}
            )
            numbers.append(number)
            spare = sum(1 for index, cell in enumerate(cells) if index not in named and cell.strip())
            if spare:
                extra[number] = spare
    except csv.Error as exc:
        failed = records.number + 1
        raise SheetError(
            f"row {failed} (line {records.next_line}) cannot be read: {exc}", path=path, row=failed
        ) from exc
    if header is None:
        raise SheetError("the file is empty; it needs a header row and at least one row", path=path)
    if _ends_inside_quotes(lines.text_from(last_start), delimiter):
        last = numbers[-1] if rows else records.number
        raise SheetError(
            f'row {last} (line {last_start}) opens a quoted cell that never closes: a " is '
            "missing, so every line after it was read into that cell",
            path=path,
            row=last,
        )
    if not rows:
        raise SheetError("no rows: the file has a header row but no rows under it", path=path)
    return Sheet(path, kind, text.encoding, columns, rows, numbers, extra)


_SNIFF_AHEAD_CHARS = SNIFF_SAMPLE_CHARS  # what detect_delimiter looks at


class _Tail:
    """Lines as they are read, keeping those of the record being read (and any read ahead)."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self._ahead: list[str] = []
        self._kept: list[str] = []
        self._first = 1  # the line number of _kept[0]

    def peek(self, chars: int) -> str:
        """At least `chars` characters of the lines to come (fewer at the end), without using them."""
        size = sum(map(len, self._ahead))
        for line in self._lines:
            self._ahead.append(line)
            size += len(line)
            if size >= chars:
                break
        return "".join(self._ahead)

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self._ahead.pop(0) if self._ahead else next(self._lines)
        self._kept.append(line)
        return line

    def keep_from(self, line: int) -> None:
        """Forget the lines before `line`."""
        if line > self._first:
            del self._kept[: line - self._first]
            self._first = line

    def text_from(self, line: int) -> str:
        """The lines from `line` to the last one read, joined."""
        return "".join(self._kept[max(line - self._first, 0) :])


def _header(cells: list[str], path: Path, row: int) -> tuple[list[str], list[int]]:
    """The named columns and where they are; unnamed header cells are skipped (Excel pads with them)."""
    columns: list[str] = []
    keep: list[int] = []
    for index, cell in enumerate(cells):
        name = cell.replace("\ufeff", "").strip()
        if name:
            columns.append(name)
            keep.append(index)
    duplicates = sorted(name for name, count in Counter(columns).items() if count > 1)
    if duplicates:
        names = ", ".join(repr(name) for name in duplicates)
        raise SheetError(f"the header names these columns more than once: {names}", path=path, row=row)
    return columns, keep


def _ends_inside_quotes(record: str, delimiter: str) -> bool:
    """Whether the csv module's lenient reader hit the end of the file inside a quoted cell."""
    quoted = False
    at_cell_start = True
    index = 0
    while index < len(record):
        char = record[index]
        if quoted:
            if char == '"':
                if record[index + 1 : index + 2] == '"':
                    index += 1
                else:
                    quoted = False
        elif char == '"' and at_cell_start:
            quoted = True
        at_cell_start = not quoted and char in (delimiter, "\r", "\n")
        index += 1
    return quoted


# -- JSON Lines ---------------------------------------------------------------------------------------


def _read_jsonl(text: _Text, path: Path, max_rows: int) -> Sheet:
    """One object per line; the columns are the keys in the order they first appear."""
    columns: list[str] = []
    seen: set[str] = set()
    parsed: list[tuple[int, dict[str, str]]] = []
    extra: dict[int, int] = {}
    empty = True
    for number, line in enumerate(text.lf_lines(), start=1):
        if not line.strip():
            continue
        empty = False
        try:
            value = json.loads(line)
            if not isinstance(value, dict):
                raise SheetError(
                    f"line {number} is a JSON {_json_kind(value)}, not an object", path=path, row=number
                )
            cells = {key.strip(): _cell_text(item) for key, item in value.items()}
        except (ValueError, RecursionError) as exc:
            raise SheetError(f"line {number} is not valid JSON: {exc}", path=path, row=number) from exc
        if len(cells) < len(value):
            twice = sorted(key for key, count in Counter(key.strip() for key in value).items() if count > 1)
            raise SheetError(
                f"line {number} has these keys more than once: {', '.join(map(repr, twice))}",
                path=path,
                row=number,
            )
        spare = sum(1 for key, cell in cells.items() if not key and cell.strip())
        cells.pop("", None)
        if not any(cell.strip() for cell in cells.values()) and not spare:
            continue
        if len(parsed) >= max_rows:
            raise SheetError(f"more than {max_rows:,} rows; split the file", path=path, row=number)
        if spare:
            extra[number] = spare
        for key in cells:
            if key not in seen:
                seen.add(key)
                columns.append(key)
        parsed.append((number, cells))
    if not parsed and empty:
        raise SheetError("the file is empty; it needs a header row and at least one row", path=path)
    if not parsed:
        raise SheetError("no rows: the file has no JSON objects with values", path=path)
    rows = [{name: cells.get(name, "") for name in columns} for _, cells in parsed]
    return Sheet(path, "jsonl", text.encoding, columns, rows, [number for number, _ in parsed], extra)


def _read_excel(path: Path, max_rows: int) -> Sheet:
    """The first worksheet of an .xlsx workbook (pandas + openpyxl, the `excel` extra)."""
    try:
        import pandas as pd
    except ImportError as exc:
        raise SheetError(
            "reading Excel needs the excel extra: pip install 'scriptsensei-cli[excel]'; or " + _EXCEL_HINT,
            path=path,
        ) from exc
    try:
        frame = pd.read_excel(path, sheet_name=0, header=None, dtype=object, engine="openpyxl")
    except ImportError as exc:
        raise SheetError(
            "reading Excel needs openpyxl: pip install 'scriptsensei-cli[excel]'", path=path
        ) from exc
    except Exception as exc:  # any corrupt or foreign workbook: pandas/openpyxl raise many kinds
        raise SheetError(f"cannot read the workbook: {exc}", path=path) from exc
    columns: list[str] = []
    keep: list[int] = []
    named: set[int] = set()
    rows: list[dict[str, str]] = []
    numbers: list[int] = []
    extra: dict[int, int] = {}
    header_seen = False
    for index, values in enumerate(frame.itertuples(index=False, name=None)):
        record = index + 1  # Excel's own row number
        cells = ["" if _is_missing(value) else _cell_text(value) for value in values]
        if not any(cell.strip() for cell in cells):
            continue
        if not header_seen:
            columns, keep = _header(cells, path, record)
            named = set(keep)
            header_seen = True
            continue
        if len(rows) >= max_rows:
            raise SheetError(f"more than {max_rows:,} rows; split the file", path=path, row=record)
        rows.append({name: cells[i] if i < len(cells) else "" for name, i in zip(columns, keep, strict=True)})
        numbers.append(record)
        spare = sum(1 for i, cell in enumerate(cells) if i not in named and cell.strip())
        if spare:
            extra[record] = spare
    if not header_seen:
        raise SheetError("the first worksheet is empty", path=path)
    if not rows:
        raise SheetError("no rows: the worksheet has a header row but no rows under it", path=path)
    return Sheet(path, "xlsx", "xlsx", columns, rows, numbers, extra)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return "boolean" if isinstance(value, bool) else "number"


def _cell_text(value: Any) -> str:
    """JSON values as a spreadsheet would show them: 3 not 3.0, lists joined with `|`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, list):
        return LIST_SEPARATOR.join(_cell_text(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
