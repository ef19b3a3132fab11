"""Adding up metric rows without double counting.

Rows come at three grains: a whole account's day (TikTok's overview, YouTube's Totals.csv), a
video's day, and a video's period total (YouTube Studio's table export). For each platform:

1. a day's number is the account row's when there is one, else the sum of that day's video rows;
2. a metric's total over a window is the sum of those days when any day carries the metric, else
   the sum of the period rows that lie wholly inside the window.

A `Tally` holds sums by metric group; a group is absent (not zero) when no row carried it. Ratios
(engagement rate, watch time per view, click-through rate) keep their own denominator: the views
of the rows that carried the numerator, so a platform without likes does not dilute the rate.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import RowMapping, and_, case, func, or_

from ..store.models import AnalyticsMetric as M

Tally = dict[str, tuple[float, ...]]

_engaged = or_(M.likes.is_not(None), M.comments.is_not(None), M.shares.is_not(None))
_has_ctr = and_(M.impressions_ctr.is_not(None), M.impressions.is_not(None))
GROUPS: dict[str, tuple[Any, ...]] = {
    "views": (M.views,),
    "likes": (M.likes,),
    "comments": (M.comments,),
    "shares": (M.shares,),
    "subscribers": (M.subscribers,),
    "impressions": (M.impressions,),
    "profile_views": (M.profile_views,),
    "engagement": (
        case(
            (_engaged, func.coalesce(M.likes, 0) + func.coalesce(M.comments, 0) + func.coalesce(M.shares, 0))
        ),
        case((_engaged, func.coalesce(M.views, 0))),
    ),
    "watch": (M.watch_time_hours, case((M.watch_time_hours.is_not(None), func.coalesce(M.views, 0)))),
    "ctr": (case((_has_ctr, M.impressions * M.impressions_ctr / 100.0)), case((_has_ctr, M.impressions))),
}


def sum_columns() -> list[Any]:
    """SELECT expressions: one SUM per value of every group."""
    return [
        func.sum(expression).label(f"{group}__{index}")
        for group, expressions in GROUPS.items()
        for index, expression in enumerate(expressions)
    ]


def from_row(row: RowMapping) -> Tally:
    tally: Tally = {}
    for group, expressions in GROUPS.items():
        values = tuple(row[f"{group}__{index}"] for index in range(len(expressions)))
        if all(value is not None for value in values):
            tally[group] = tuple(float(value) for value in values)
    return tally


def add(*tallies: Tally) -> Tally:
    total: Tally = {}
    for tally in tallies:
        for group, values in tally.items():
            previous = total.get(group)
            total[group] = (
                values if previous is None else tuple(a + b for a, b in zip(previous, values, strict=True))
            )
    return total


def prefer(primary: Tally, fallback: Tally) -> Tally:
    """Group by group: the primary's numbers where it has them, else the fallback's."""
    return {**fallback, **primary}


def count(tally: Tally, group: str) -> int | None:
    return round(tally[group][0]) if group in tally else None


def rate(tally: Tally, group: str, scale: float = 100.0) -> float | None:
    """numerator / denominator × scale, for the ratio groups; None without a denominator."""
    if group not in tally or not tally[group][1]:
        return None
    numerator, denominator = tally[group]
    return numerator / denominator * scale
