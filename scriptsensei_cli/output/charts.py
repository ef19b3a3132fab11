"""Terminal charts drawn with Unicode blocks: sparklines, horizontal bars, a column chart by day.

Pure text (Rich `Text` and `Table`), so they print anywhere a table does; gaps (None) are drawn
as gaps, never as zeros.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType

LEVELS = " ▁▂▃▄▅▆▇█"
EIGHTHS = " ▏▎▍▌▋▊▉█"


def compact(value: float) -> str:
    """12345 → 12.3K, for axis labels and bars (tables print full numbers)."""
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= limit:
            return f"{value / limit:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def sparkline(values: Sequence[float | None]) -> str:
    known = [value for value in values if value is not None]
    if not known:
        return " " * len(values)
    low, high = min(known), max(known)
    span = high - low

    def level(value: float) -> str:
        return LEVELS[1 + round((value - low) / span * 7)] if span else LEVELS[4]

    return "".join(" " if value is None else level(value) for value in values)


def bar(value: float, maximum: float, width: int) -> str:
    if maximum <= 0 or value <= 0:
        return ""
    eighths = round(value / maximum * width * 8)
    return "█" * (eighths // 8) + (EIGHTHS[eighths % 8] if eighths % 8 else "")


def bars(
    items: Sequence[tuple[str, float]], *, width: int = 36, label: Callable[[float], str] = compact
) -> RenderableType:
    """One labelled horizontal bar per item, scaled to the largest."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, style="cyan")
    grid.add_column(justify="right", no_wrap=True)
    maximum = max((value for _, value in items), default=0.0)
    for name, value in items:
        grid.add_row(Text(name), bar(value, maximum, width), label(value))
    return grid


def columns(
    points: Sequence[tuple[date, float | None]],
    *,
    height: int = 8,
    width: int = 90,
    highlight_from: date | None = None,
) -> RenderableType:
    """Vertical bars, one per day (days are summed into buckets past `width` columns), with the
    maximum on the left and the first and last day under the axis. Days from `highlight_from` on
    (a forecast after its history, say) are drawn in another colour."""
    from rich.text import Text

    buckets = _buckets(points, width)
    known = [value for _, value in buckets if value is not None]
    text = Text()
    if not known:
        return Text("no data by day in this period", style="dim")
    top = max(known) or 1.0
    label_width = len(compact(top))
    # A short period gets wider columns, so a week does not shrink to seven characters.
    repeat = max(1, min(4, width // (2 * len(buckets))))
    for row in range(height, 0, -1):
        text.append((compact(top) if row == height else "").rjust(label_width) + " │", style="dim")
        for day, value in buckets:
            filled = 0.0 if value is None else value / top * height
            cell = (
                "█" if filled >= row else LEVELS[round((filled - row + 1) * 8)] if filled > row - 1 else " "
            )
            highlighted = highlight_from is not None and day >= highlight_from
            text.append(cell * repeat, style="magenta" if highlighted else "cyan")
        text.append("\n")
    first, last = buckets[0][0].isoformat(), buckets[-1][0].isoformat()
    gap = len(buckets) * repeat - len(first) - len(last)
    text.append(" " * (label_width + 2) + first + (" " * gap + last if gap > 0 else ""), style="dim")
    return text


def _buckets(points: Sequence[tuple[date, float | None]], width: int) -> list[tuple[date, float | None]]:
    size = max(1, -(-len(points) // width))
    if size == 1:
        return list(points)
    grouped = []
    for start in range(0, len(points), size):
        chunk = points[start : start + size]
        known = [value for _, value in chunk if value is not None]
        grouped.append((chunk[0][0], sum(known) if known else None))
    return grouped
