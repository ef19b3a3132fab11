"""`ss analytics import`: the files people download from the platforms, in one transaction each.

Every row is upserted by (user, platform, content, first day, last day): importing the same file
again replaces what it wrote and adds nothing. Values a file does not carry are kept, so a YouTube
Studio chart export (views per day) and its table export (watch time, subscribers, … per period)
complete each other. A file is imported whole or not at all.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import IO, Any

from ...contract.analytics import ImportPart, ImportResult
from ..errors import Invalid
from ..store.db import Database
from .formats import FORMATS, Format, RowContext, derive, parse_metric, period_from_name
from .ingest import (
    CellError,
    DateReader,
    Problems,
    Table,
    file_error,
    month_day,
    open_text,
    parse_count,
    read_table,
    series_end,
    today_utc,
)
from .records import FUTURE_TOLERANCE, Linker, Writer, complete_record, roomy_cache, row_count

YOUTUBE_ZIP_MEMBERS = ("table data.csv", "chart data.csv", "totals.csv")


# -- importing files ------------------------------------------------------------------------------------


@dataclass
class FileImport:
    """One file's import: its format, its rows' problems, what it wrote."""

    name: str
    table: Table
    format: Format
    context: RowContext
    problems: Problems
    rows: int = 0
    first: date | None = None
    last: date | None = None
    warnings: list[str] = field(default_factory=list)
    youtube_total: int | None = None
    youtube_sum: int = 0

    def count(self, record: dict[str, Any]) -> None:
        self.rows += 1
        self.first = min(self.first or record["start_date"], record["start_date"])
        self.last = max(self.last or record["end_date"], record["end_date"])
        if self.format.name == "youtube_table":
            self.youtube_sum += record.get("views") or 0


def import_file(
    db: Database,
    user_id: str,
    path: Path,
    name: str,
    *,
    source: str | None = None,
    period: tuple[date, date] | None = None,
    today: date | None = None,
) -> ImportResult:
    """Import one uploaded file (CSV, or the .zip YouTube Studio downloads) in one transaction."""
    today = today or today_utc()
    if period is not None and period[1] < period[0]:
        raise Invalid("the period ends before it starts", field="period")
    period = period or period_from_name(name)
    with db.session() as session:
        roomy_cache(session)
        before = row_count(session, user_id)
        linker = Linker(session, user_id)
        writer = Writer(session, user_id)
        parts: list[ImportPart] = []
        sources: list[str] = []
        warnings: list[str] = []
        for member_name, opener in _members(path, name):
            with opener() as stream, open_text(stream) as text:
                job = _start(member_name, text, source, period, today)
                if job.format.yearless_dates:
                    job.context.dates = _with_series_end(job.context.dates, opener, member_name)
                writer.problems = job.problems
                _import_rows(job, writer, linker, user_id)
            parts.append(
                ImportPart(
                    name=member_name,
                    format=job.format.name,
                    rows=job.rows,
                    first_date=job.first,
                    last_date=job.last,
                )
            )
            warnings += job.warnings
            sources.append(job.format.source)
        writer.flush()
        inserted = row_count(session, user_id) - before
    return ImportResult(
        source=source or sources[0],
        parts=parts,
        rows=writer.written,
        inserted=inserted,
        updated=writer.written - inserted,
        platforms=sorted(writer.platforms),
        linked_videos=len(linker.linked),
        first_date=writer.first,
        last_date=writer.last,
        warnings=warnings,
    )


Opener = Callable[[], IO[bytes]]


def _members(path: Path, name: str) -> Iterator[tuple[str, Opener]]:
    """(name, a function that opens it) per file: the upload, or the YouTube files of a .zip."""
    if not zipfile.is_zipfile(path):
        yield name, lambda: path.open("rb")
        return
    with zipfile.ZipFile(path) as archive:
        members = [
            info
            for info in archive.infolist()
            if Path(info.filename).name.lower() in YOUTUBE_ZIP_MEMBERS and not info.is_dir()
        ]
        if not members:
            found = ", ".join(info.filename for info in archive.infolist()[:10]) or "nothing"
            raise file_error(
                name,
                "is a .zip without YouTube Studio's Table data.csv, Chart data.csv or Totals.csv "
                f"(it holds {found})",
            )
        for info in members:
            yield f"{name}/{info.filename}", partial(archive.open, info)


def _with_series_end(dates: DateReader, opener: Opener, name: str) -> DateReader:
    """TikTok writes "October 31" without a year: read the dates once to find where the series ends."""
    with opener() as stream, open_text(stream) as text:
        table = read_table(text, name)
        if "date" not in table.columns:
            return dates
        index = table.columns.index("date")
        found = (month_day(cells[index]) for _, cells in table.rows if index < len(cells))
        return replace(dates, last=series_end(day for day in found if day is not None))


def _start(
    name: str, text: IO[str], source: str | None, period: tuple[date, date] | None, today: date
) -> FileImport:
    table = read_table(text, name)
    fmt = detect_format(table.columns, source, name)
    if fmt.name == "generic":
        table.columns = [column.replace(" ", "_") for column in table.columns]
    if fmt.grain == "period" and period is None:
        raise file_error(
            name,
            f"a {fmt.label} holds totals for the period you chose in Studio, and no dates; pass "
            "--period START..END (e.g. 2024-06-01..2024-06-28), or import the .zip Studio downloads, "
            "whose name carries the period",
        )
    job = FileImport(
        name=name,
        table=table,
        format=fmt,
        context=RowContext(DateReader(today, fmt.month_first), period, today),
        problems=Problems(name),
    )
    ignored = [
        original
        for column, original in zip(table.columns, table.originals, strict=True)
        if column not in fmt.metrics and column not in fmt.required and column not in fmt.known
    ]
    if ignored:
        job.warnings.append(f"{name}: ignored columns {', '.join(ignored)}")
    return job


def detect_format(columns: list[str], source: str | None, name: str) -> Format:
    """The export this header belongs to; with `source`, only that platform's (or generic)."""
    present = set(columns) | {column.replace(" ", "_") for column in columns}
    hint_ok = {"totals": source == "youtube" or name.lower().endswith("totals.csv")}
    candidates = [fmt for fmt in FORMATS if source in (None, fmt.source)]
    for fmt in candidates:
        if fmt.matches(present) and (fmt.needs_hint is None or hint_ok[fmt.needs_hint]):
            return fmt
    elsewhere = next((fmt for fmt in FORMATS if fmt.matches(present) and fmt.needs_hint is None), None)
    if elsewhere is not None and source is not None:
        raise file_error(
            name, f"looks like a {elsewhere.label}, not a {source} export; pass --source {elsewhere.source}"
        )
    expected = "".join(
        f"\n  {fmt.source}: {fmt.label}: {', '.join(fmt.required)}"
        for fmt in candidates
        if fmt.needs_hint is None or source is not None
    )
    raise file_error(
        name,
        f"unrecognised columns ({', '.join(columns) or 'none'}); the exports this reads need:{expected}",
        columns=columns,
    )


_HEADER_WORDS = {name for fmt in FORMATS for name in (*fmt.required, *fmt.known)}


def _import_rows(job: FileImport, writer: Writer, linker: Linker, user_id: str) -> None:
    columns = job.table.columns
    originals = dict(zip(columns, job.table.originals, strict=True))
    metric_columns = job.format.columns_for(columns)
    now = datetime.now(UTC)
    for row_number, raw in job.table.rows:
        cells: dict[str, str] = {}
        try:
            cells = _cells(columns, raw)
            record = _record(job, cells, metric_columns, linker)
        except CellError as exc:
            where = exc.column or ""
            job.problems.add(row_number, originals.get(where, where or None), cells.get(where), str(exc))
            continue
        if record is not None:
            job.count(record)
            writer.add(complete_record(record, user_id, job.format.name, now))
    if not job.rows and not job.problems.count:
        raise file_error(job.name, "has a header but no data rows")
    job.problems.raise_if_any()
    if job.format.yearless_dates and job.rows:
        job.warnings.append(
            f"{job.name}: dates are written without a year; read as the series ending {job.last}"
        )
    if job.youtube_total is not None and job.youtube_total != job.youtube_sum:
        job.warnings.append(
            f"{job.name}: the Total row counts {job.youtube_total} views, the listed videos "
            f"{job.youtube_sum} (Studio lists at most 500 rows; the rest are not in the file)"
        )


def _cells(columns: list[str], raw: list[str]) -> dict[str, str]:
    """Column → text, for a row that fits the header (short rows are padded; trailing empty cells
    are fine) and is not itself a header."""
    if len(raw) > len(columns) and any(cell.strip() for cell in raw[len(columns) :]):
        raise CellError(f"{len(raw)} cells, but the header has {len(columns)}")
    if _looks_like_header(raw):
        raise CellError("this row is a header: several exports pasted into one file? import each separately")
    if len(raw) < len(columns):
        raw = [*raw, *[""] * (len(columns) - len(raw))]
    return dict(zip(columns, raw, strict=False))


def _record(
    job: FileImport, cells: dict[str, str], metric_columns: dict[str, str], linker: Linker
) -> dict[str, Any] | None:
    """The row's record, or None for YouTube's "Total" row (kept to check the sum, not stored)."""
    record = job.format.read(cells, job.context)
    if record is None:
        job.youtube_total = parse_count(cells.get("views", ""))
        return None
    for column, metric in metric_columns.items():
        try:
            record[metric] = parse_metric(metric, cells[column])
        except CellError as exc:
            raise CellError(str(exc), exc.column or column) from exc
    if record["end_date"] > job.context.today + FUTURE_TOLERANCE:
        raise CellError(f"{record['end_date'].isoformat()} is in the future", "date")
    derive(record)
    record["video_id"] = linker.link(record)
    return record


def _looks_like_header(cells: list[str]) -> bool:
    if not cells or " ".join(cells[0].strip().lower().split()) not in _HEADER_WORDS:
        return False  # every export's first column is one of its column names
    names = {" ".join(cell.strip().lower().split()) for cell in cells if cell.strip()}
    return len(names) >= 2 and len(names & _HEADER_WORDS) >= 2 and not any(c[:1].isdigit() for c in names)
