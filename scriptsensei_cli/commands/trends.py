"""`ss trends list|search|predict|import|collect`."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..contract.vocabulary import NETWORK_SCRIPT_PLATFORM, NETWORKS, TIME_RANGES
from ..output import console
from ..output.errors import CLIError, require_file
from ..output.exit_codes import ExitCode
from ..output.formatters import Column, emit, key_values
from ._shared import JsonOption, OutputOption, api, output_format

if TYPE_CHECKING:
    from ..contract.trends import Prediction, Trend, TrendImportResult, TrendList

app = typer.Typer(
    help="Trending topics: list, search, forecast; import observations, collect from YouTube.",
    no_args_is_help=True,
)

SCRIPT_PLATFORMS = NETWORK_SCRIPT_PLATFORM  # the script platform a trend's network suggests


def _percent(value: object) -> str:
    return f"{value:+.1f}%" if isinstance(value, int | float) else ""


def _count(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


TREND_COLUMNS = [
    Column("topic", max_width=32),
    Column("platform", fixed=True),
    Column("region", fixed=True),
    Column("hotness", fixed=True),
    Column("views", fixed=True, human=_count),
    Column("views_change", "CHANGE", fixed=True, human=_percent),
    Column("score", fixed=True),
    Column("predicted_growth", "FORECAST", fixed=True, human=_percent),
    Column("confidence", "CONF", fixed=True),
    Column("related_topics", "RELATED", max_width=40),
]
FORECAST_COLUMNS = [Column("date", fixed=True), Column("views"), Column("lower"), Column("upper")]

TimeRangeOption = Annotated[
    str,
    typer.Option("--time-range", "-t", help="Window: 24h, 7d or 30d, ending on the latest observed day."),
]


def _check_range(value: str) -> str:
    if value not in TIME_RANGES:
        raise CLIError(
            f"invalid --time-range {value!r}: choose one of {', '.join(TIME_RANGES)}",
            exit_code=ExitCode.USAGE,
        )
    return value


@app.command("list")
def list_(
    ctx: typer.Context,
    platform: Annotated[
        str | None, typer.Option("--platform", "-p", help=f"One of: {', '.join(NETWORKS)}.")
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", "-r", help="Country code (US, GB) or global.")
    ] = None,
    category: Annotated[str | None, typer.Option("--category", "-c", help="e.g. beauty, technology.")] = None,
    time_range: TimeRangeOption = "24h",
    page: Annotated[int, typer.Option(min=1, help="Page number.")] = 1,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Trends per page.")] = 20,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Current trends, best score first, with hotness, growth and a forecast of the next window.

    Examples:

      ss trends list --time-range 7d

      ss trends list --platform tiktok --region US -o csv > tiktok.csv
    """
    with api(ctx) as client:
        result = client.trends.current(
            platform=platform,
            region=region,
            category=category,
            time_range=_check_range(time_range),
            page=page,
            limit=limit,
        )
    if _emit_trends(result, output_format(ctx, json_flag, output)):
        if result.as_of is None:
            console.info("no trend observations yet; import some: ss trends import samples/trends.csv")
            return
        console.info(
            f"{time_range} window ending {result.as_of}; showing {len(result.trends)} of {result.total}"
        )
        _create_video_hint(result.trends)


@app.command("search")
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words to find in topics, hashtags and categories.")],
    platform: Annotated[str | None, typer.Option("--platform", "-p", help="Only this platform.")] = None,
    time_range: TimeRangeOption = "7d",
    limit: Annotated[int, typer.Option(min=1, max=100, help="At most this many.")] = 20,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Full-text search, best match first ("skin" finds skincare topics and #skincare).

    Examples:

      ss trends search skincare

      ss trends search "ai health" --platform youtube --json
    """
    with api(ctx) as client:
        result = client.trends.search(
            query, platform=platform, time_range=_check_range(time_range), limit=limit
        )
    if _emit_trends(result, output_format(ctx, json_flag, output)):
        if not result.trends:
            console.info(f"no trend matches {query!r}")
            return
        _create_video_hint(result.trends)


def _emit_trends(result: TrendList, fmt: str) -> bool:
    """Print the trends (JSON: the whole list with its window); True when a person reads a table."""
    if fmt == "json":
        emit(result, fmt)
    elif result.trends or fmt != "table":
        emit(result.trends, fmt, columns=TREND_COLUMNS)
    return fmt == "table"


@app.command("predict")
def predict(
    ctx: typer.Context,
    topic: Annotated[str, typer.Argument(help="A topic as `ss trends list` shows it.")],
    horizon: Annotated[str, typer.Option("--horizon", help="Days ahead: 7d, 14d, … (1-90).")] = "7d",
    platform: Annotated[
        str | None, typer.Option("--platform", "-p", help="Only this platform's numbers.")
    ] = None,
    region: Annotated[str | None, typer.Option("--region", "-r", help="Only this region's numbers.")] = None,
    interval: Annotated[float, typer.Option(help="Prediction interval coverage, 0.5-0.99.")] = 0.8,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Forecast a topic's daily views with a prediction interval, and say how good the model is:
    a backtest on the latest days against the naive last-value forecast. Exits 1 when the topic
    has too little history.

    Examples:

      ss trends predict "Glow serum" --horizon 7d

      ss trends predict "AI in healthcare" --platform youtube --json | jq .backtest
    """
    from ..contract.trends import PredictRequest

    request = PredictRequest.model_validate(
        {"topic": topic, "horizon": horizon, "platform": platform, "region": region, "interval": interval}
    )
    with api(ctx) as client:
        prediction = client.trends.predict(request)
    fmt = output_format(ctx, json_flag, output)
    if prediction.status != "ok":
        if fmt != "table":
            emit(prediction, fmt if fmt in ("json", "ndjson") else "json")
        raise CLIError(
            f"{topic}: {prediction.message}", hint="try a shorter --horizon", exit_code=ExitCode.ERROR
        )
    if fmt in ("csv", "tsv"):
        emit(prediction.forecast, fmt, columns=FORECAST_COLUMNS)
        return
    emit(prediction, fmt, human=show_prediction)


def show_prediction(prediction: Prediction) -> None:
    from rich.text import Text

    from ..output.charts import columns, sparkline

    backtest = prediction.backtest
    assert backtest is not None
    verdict = "beats" if backtest.relative_mae < 1 else "does not beat"
    pct = int(prediction.interval * 100)
    console.show(Text(f"{prediction.topic}: daily views, then the forecast", style="bold"))
    console.show(
        columns(
            [(point.date, point.views) for point in prediction.history]
            + [(point.date, point.views) for point in prediction.forecast],
            highlight_from=prediction.forecast[0].date,
        )
    )
    emit(
        [point.model_dump() for point in prediction.forecast],
        "table",
        columns=[
            Column("date", fixed=True),
            Column("views", human=lambda v: f"{v:,.0f}"),
            Column("lower", f"LOWER {pct}%", human=lambda v: f"{v:,.0f}"),
            Column("upper", f"UPPER {pct}%", human=lambda v: f"{v:,.0f}"),
        ],
    )
    console.show(
        key_values(
            [
                ("Forecast", Text(sparkline([point.views for point in prediction.forecast]), style="cyan")),
                ("Predicted growth", _percent(prediction.predicted_growth) or "n/a"),
                (
                    "Confidence",
                    f"{prediction.confidence:.2f}" if prediction.confidence is not None else "n/a",
                ),
                (
                    "Backtest",
                    f"last {backtest.holdout} days held out: MAPE {backtest.mape:.1f}% "
                    f"(naive {backtest.naive_mape:.1f}%), relative MAE {backtest.relative_mae:.2f}: "
                    f"{verdict} the naive forecast",
                ),
                ("History", f"{prediction.history_points} days"),
                ("Method", prediction.method),
            ]
        )
    )
    _create_video_hint_for(prediction.topic, prediction.platform)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV or JSON observations.", metavar="FILE")],
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Import trend observations; importing them again replaces them, never adds.

    Columns: date, platform, topic, views (required); region (default global), category,
    hashtag (one or more), posts, engagement (percent). JSON: an array of objects with the same
    keys, or one object per line.

    Example: ss trends import samples/trends.csv
    """
    require_file(file)
    with api(ctx) as client:
        result = client.trends.import_file(file)
    _report_import(ctx, file.name, result, json_flag, output)


@app.command("collect")
def collect(
    ctx: typer.Context,
    region: Annotated[str, typer.Option("--region", "-r", help="Country code of the chart.")] = "US",
    limit: Annotated[int, typer.Option(min=1, max=50, help="Videos from the chart.")] = 50,
    json_flag: JsonOption = False,
    output: OutputOption = None,
) -> None:
    """Record today's YouTube most-popular chart as observations (the engine needs
    SCRIPTSENSEI_YOUTUBE_API_KEY). Run it daily, e.g. from cron, to build a history.

    Example: ss trends collect --region GB
    """
    from ..contract.trends import CollectRequest

    with api(ctx) as client:
        result = client.trends.collect(CollectRequest(region=region, limit=limit))
    _report_import(ctx, f"YouTube most popular ({region.upper()})", result, json_flag, output)


def _report_import(
    ctx: typer.Context, what: str, result: TrendImportResult, json_flag: bool, output: str | None
) -> None:
    for warning in result.warnings:
        console.warn(warning)
    fmt = output_format(ctx, json_flag, output)
    if fmt != "table":
        emit(result, fmt)
        return
    span = f", {result.first_date}..{result.last_date}" if result.first_date else ""
    console.success(
        f"{what}: {result.rows:,} observations of {result.topics} topics ({result.inserted:,} new, "
        f"{result.updated:,} updated) on {', '.join(result.platforms)}{span}"
    )
    console.info("next: ss trends list --time-range 7d")


def _create_video_hint(trends: list[Trend]) -> None:
    if trends:
        _create_video_hint_for(trends[0].topic, trends[0].platform)


def _create_video_hint_for(topic: str, platform: str | None) -> None:
    target = SCRIPT_PLATFORMS.get(platform or "")
    flags = f" --platform {target}" if target else ""
    console.info(f"create a video: ss script generate {shlex.quote(topic)}{flags}")
