"""`ss analytics show|video|export|import`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..contract.vocabulary import DATE_RANGES, EXPORT_FORMATS, IMPORT_SOURCES
from ..output import console
from ..output.errors import CLIError, require_file
from ..output.exit_codes import ExitCode
from ..output.formatters import Column, emit, key_values
from ._shared import JsonOption, OutputOption, api, output_format

if TYPE_CHECKING:
    from ..contract.analytics import AnalyticsData, ImportResult, VideoAnalytics

app = typer.Typer(
    help="Your numbers from the platforms: import their exports, see the overview, export CSV.",
    no_args_is_help=True,
)

RANGES = DATE_RANGES
SOURCES = IMPORT_SOURCES


def _choice(allowed: tuple[str, ...]) -> Any:
    def check(value: str | None) -> str | None:
        if value is not None and value not in allowed:
            raise typer.BadParameter(f"choose one of {', '.join(allowed)}")
        return value

    return check


def _iso_day(value: str | None) -> str | None:
    if value is not None:
        try:
            date.fromisoformat(value)
        except ValueError as exc:
            raise typer.BadParameter("expected a date as YYYY-MM-DD") from exc
    return value


def _end(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None


RangeOption = Annotated[
    str, typer.Option("--range", "-r", help=f"One of: {', '.join(RANGES)}.", callback=_choice(RANGES))
]
EndOption = Annotated[
    str | None,
    typer.Option(
        "--end",
        help="Last day of the period (YYYY-MM-DD). Default: the latest day imported.",
        callback=_iso_day,
    ),
]


def signed(value: float, unit: str = "%") -> str:
    """+12.3% for a relative change, +0.63 pp for one in percentage points."""
    return f"{value:+,.1f}%" if unit == "%" else f"{value:+,.2f} {unit}"


def grouped(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


SHOW_COLUMNS = [
    Column("period.start", "START", fixed=True),
    Column("period.end", "END", fixed=True),
    Column("overview.totalViews", "VIEWS"),
    Column("overview.viewsChange", "VIEWS Δ%"),
    Column("overview.totalEngagement", "ENGAGEMENT %"),
    Column("overview.engagementChange", "ENGAGEMENT Δpp"),
    Column("overview.averageWatchTime", "WATCH S/VIEW"),
    Column("overview.watchTimeChange", "WATCH Δ%"),
    Column("overview.totalShares", "SHARES"),
    Column("overview.sharesChange", "SHARES Δ%"),
]
VIDEO_ROW_COLUMNS = [
    Column("start", fixed=True),
    Column("end", fixed=True),
    Column("platform", fixed=True),
    Column("contentId"),
    Column("views", human=grouped),
    Column("likes", human=grouped),
    Column("comments", human=grouped),
    Column("shares", human=grouped),
    Column("watchTimeHours"),
    Column("subscribers", human=grouped),
    Column("impressions", human=grouped),
    Column("impressionsCtr"),
]
IMPORT_COLUMNS = [
    Column("file"),
    Column("source", fixed=True),
    Column("rows"),
    Column("inserted"),
    Column("updated"),
    Column("firstDate", fixed=True),
    Column("lastDate", fixed=True),
    Column("platforms"),
]


@app.command("show")
def show(
    ctx: typer.Context,
    range_: RangeOption = "7d",
    end: EndOption = None,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """The overview: views, engagement, watch time and shares against the previous period of the
    same length, platforms, top videos, and a chart of views by day.

    Examples:

      ss analytics show

      ss analytics show --range 30d

      ss analytics show --range 90d --json | jq .overview.viewsChange
    """
    with api(ctx) as client:
        data = client.analytics.overview(range_, end=_end(end))
    emit(data, output_format(ctx, json_flag, output), columns=SHOW_COLUMNS, human=show_overview)


def show_overview(data: AnalyticsData) -> None:
    from rich.text import Text

    from ..output.charts import bars, columns, sparkline

    o, notes = data.overview, data.overview.change_notes
    versus = (
        f" against {data.previous_period.start}..{data.previous_period.end}" if data.previous_period else ""
    )
    console.show(
        Text(f"{data.period.start}..{data.period.end} ({data.period.days} days){versus}", style="bold")
    )
    if "totalViews" in notes:
        console.info(notes["totalViews"])
        return

    def changed(value: float | None, note_key: str, unit: str = "%") -> Text:
        if value is None:
            return Text(f"change n/a: {notes.get(note_key, 'not available')}", style="dim")
        return Text(signed(value, unit), style="green" if value > 0 else "red" if value < 0 else "")

    def line(value: str, change: Text) -> Text:
        return Text.assemble(value.ljust(14), change)

    console.show(
        key_values(
            [
                ("Views", line(f"{o.total_views:,}", changed(o.views_change, "viewsChange"))),
                (
                    "Engagement",
                    line(
                        f"{o.total_engagement:.2f}%" if o.total_engagement is not None else "—",
                        changed(o.engagement_change, "engagementChange", "pp"),
                    ),
                ),
                (
                    "Watch time/view",
                    line(
                        f"{o.average_watch_time:.1f} s" if o.average_watch_time is not None else "—",
                        changed(o.watch_time_change, "watchTimeChange"),
                    ),
                ),
                (
                    "Shares",
                    line(
                        f"{o.total_shares:,}" if o.total_shares is not None else "—",
                        changed(o.shares_change, "sharesChange"),
                    ),
                ),
            ]
        )
    )
    console.show(Text("\nViews by day", style="bold"))
    console.show(columns([(point.date, point.views) for point in data.views_over_time]))
    if data.platform_breakdown:
        console.show(Text("\nBy platform", style="bold"))
        console.show(
            bars(
                [(share.platform, float(share.views)) for share in data.platform_breakdown],
                label=lambda value: f"{value:,.0f}",
            )
        )
        for share in data.platform_breakdown:
            trend = sparkline([point.by_platform.get(share.platform) for point in data.views_over_time])
            console.show(
                Text.assemble(f"  {share.platform:<10} {share.percentage:>5.1f}%  ", (trend, "cyan"))
            )
    if data.top_videos:
        console.show(Text("\nTop videos", style="bold"))
        emit(
            data.top_videos,
            "table",
            columns=[
                Column("title", max_width=40),
                Column("platform", fixed=True),
                Column("views", fixed=True, human=grouped),
                Column("engagement", "ENG %", fixed=True),
                Column("id", fixed=True),
            ],
        )


@app.command("video")
def video(
    ctx: typer.Context,
    video_id: Annotated[
        str, typer.Argument(help="Our video id (vid_…) or the platform's video id.", metavar="ID")
    ],
    range_: RangeOption = "all",
    end: EndOption = None,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """One video's numbers: totals, and its rows by day (or period).

    Examples:

      ss analytics video vid_0123abcd

      ss analytics video kX3vR9pLm2Q --range 30d -o csv
    """
    with api(ctx) as client:
        result = client.analytics.video(video_id, range_, end=_end(end))
    fmt = output_format(ctx, json_flag, output)
    if fmt in ("csv", "tsv", "ndjson"):
        emit(result.rows, fmt, columns=VIDEO_ROW_COLUMNS)
    else:
        emit(result, fmt, human=show_video)


def show_video(result: VideoAnalytics) -> None:
    from collections import defaultdict

    from rich.text import Text

    from ..output.charts import columns

    title = result.title or result.id
    console.show(
        Text(
            f"{title} · {', '.join(result.platforms)} · {result.period.start}..{result.period.end}",
            style="bold",
        )
    )
    totals = result.totals.model_dump(by_alias=False)
    labels = {
        "views": "Views",
        "likes": "Likes",
        "comments": "Comments",
        "shares": "Shares",
        "engagement": "Engagement %",
        "watch_time_hours": "Watch time (h)",
        "average_watch_time": "Watch time/view (s)",
        "subscribers": "Subscribers",
        "impressions": "Impressions",
        "impressions_ctr": "Impressions CTR %",
    }
    console.show(
        key_values([(labels[key], grouped(value)) for key, value in totals.items() if value is not None])
    )
    by_day: dict[date, int] = defaultdict(int)
    for row in result.rows:
        if row.start == row.end and row.views is not None:
            by_day[row.start] += row.views
    if by_day:
        console.show(Text("\nViews by day", style="bold"))
        console.show(columns(sorted(by_day.items())))


@app.command("export")
def export(
    ctx: typer.Context,
    range_: RangeOption = "30d",
    format_: Annotated[
        str,
        typer.Option("--format", "-f", help="csv, json or ndjson.", callback=_choice(EXPORT_FORMATS)),
    ] = "csv",
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            help="File to write, or - for stdout. Default: stdout when piped, else analytics-RANGE.FORMAT.",
        ),
    ] = None,
    end: EndOption = None,
) -> None:
    """Every stored row of the period, streamed: one row per video (or account) per day.

    Columns (stable): date, end_date, platform, content_id, video_id, title, views, likes,
    comments, shares, watch_time_hours, subscribers, impressions, impressions_ctr, profile_views,
    source. ISO dates; plain numbers.

    Examples:

      ss analytics export --range 30d > a.csv

      ss analytics export --range 90d --format ndjson | jq -c 'select(.platform == "tiktok")'

      ss analytics export --range all --out everything.csv
    """
    to_stdout = out == "-" or (out is None and not console.stdout_is_terminal())
    with api(ctx) as client:
        if to_stdout:
            for chunk in client.analytics.export(range_, format_, end=_end(end)):
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
            return
        destination = Path(out or f"analytics-{range_}.{format_}")
        client.analytics.export_to(destination, range_, format_, end=_end(end))
    console.success(f"wrote {destination} ({destination.stat().st_size:,} bytes)")


@app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Exports as downloaded: CSV files, YouTube Studio's .zip, or the folder it unzips to.",
            metavar="FILE...",
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            "-s",
            help=f"One of: {', '.join(SOURCES)}. Default: from the header.",
            callback=_choice(SOURCES),
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="START..END of a YouTube Studio table export, if its name lacks it."),
    ] = None,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Import platform exports; importing the same file again replaces its rows, never adds.

    Reads YouTube Studio's table, chart and totals exports (or its .zip), TikTok Studio's
    overview export, Meta Business Suite's posts export, and the generic CSV (columns: date,
    platform, views; optional video_id, platform_video_id, url, title, likes, comments, shares,
    watch_time_hours, subscribers, impressions, impressions_ctr, profile_views, end_date).

    Examples:

      ss analytics import "samples/analytics/Content 2026-10-31_2026-11-27 ScriptSensei Demo"

      ss analytics import samples/analytics/tiktok-overview.csv

      ss analytics import "Table data.csv" --period 2026-10-01..2026-10-28
    """
    from ..contract.analytics import parse_period

    if period is not None:
        try:
            parse_period(period)
        except ValueError as exc:
            raise CLIError(f"invalid --period: {exc}", exit_code=ExitCode.USAGE) from exc
    paths = [path for given in files for path in _expand(given)]
    results = []
    with api(ctx) as client:
        for path in paths:
            result = client.analytics.import_file(path, source=source, period=period)
            results.append((path, result))
            for warning in result.warnings:
                console.warn(warning)
    fmt = output_format(ctx, json_flag, output)
    if fmt == "table":
        for path, result in results:
            _summary(path, result)
        return
    if fmt == "json" and len(results) == 1:
        emit(results[0][1], fmt)
        return
    rows = [{"file": str(path), **result.model_dump(mode="json")} for path, result in results]
    emit(rows, fmt, columns=IMPORT_COLUMNS)


def _expand(path: Path) -> list[Path]:
    """A file, or the CSV files of a folder (YouTube Studio's download, unzipped)."""
    if path.is_dir():
        found = sorted(child for child in path.iterdir() if child.suffix.lower() in (".csv", ".zip"))
        if not found:
            raise CLIError(f"{path} holds no .csv or .zip files", exit_code=ExitCode.USAGE)
        return found
    require_file(path)
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise CLIError(f"cannot read {path}: {exc.strerror}", exit_code=ExitCode.USAGE) from exc
    return [path]


def _summary(path: Path, result: ImportResult) -> None:
    span = f", {result.first_date}..{result.last_date}" if result.first_date else ""
    formats = ", ".join(part.format for part in result.parts)
    linked = f", {result.linked_videos} linked to your videos" if result.linked_videos else ""
    console.success(
        f"{path.name}: {formats}, {result.rows:,} rows ({result.inserted:,} new, {result.updated:,} updated)"
        f"{span}{linked}"
    )
