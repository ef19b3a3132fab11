"""Forecasting a topic's daily views, with prediction intervals and a backtest against naive.

Method: exponential smoothing with a damped additive trend, ETS(A,Ad,N) from statsmodels, fitted
to log(1 + views). On the log scale an additive trend is a growth *rate*, which is how attention
grows and fades; damping keeps a hot streak from being extrapolated forever; intervals come from
the state-space model and stay positive after transforming back.

Accuracy is measured, not assumed: the last `horizon` observed days are held out, the model is
fitted on the days before them, and its error on the held-out days is compared with the naive
forecast (the last value carried forward). A series with fewer than `horizon + MIN_FIT_POINTS`
contiguous days gets "insufficient history" instead of a number.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ...contract.trends import Backtest, ForecastPoint
from ..render import load_numeric

MIN_FIT_POINTS = 14
MAX_GAP_DAYS = 3  # shorter gaps are interpolated; a longer one starts the series afresh
METHOD = "ETS(A,Ad,N) on log(1 + views), statsmodels: exponential smoothing with a damped trend"


def needed_points(horizon: int) -> int:
    return horizon + MIN_FIT_POINTS


@dataclass(frozen=True)
class Forecast:
    points: list[ForecastPoint]
    backtest: Backtest
    days: tuple[date, ...]  # the history it continues: the latest run of days, gaps filled
    values: tuple[float, ...]

    @property
    def history(self) -> int:
        return len(self.values)

    @property
    def confidence(self) -> float:
        """1 - the backtest's MAPE, clipped to 0..1."""
        return round(min(1.0, max(0.0, 1.0 - self.backtest.mape / 100.0)), 2)

    @property
    def growth(self) -> float | None:
        """Forecast total over the horizon against the same number of latest days, percent."""
        base = sum(self.values[-len(self.points) :])
        return round((sum(p.views for p in self.points) / base - 1.0) * 100.0, 1) if base > 0 else None


def contiguous(series: list[tuple[date, float]]) -> tuple[list[date], list[float]]:
    """The latest run of days without a gap longer than MAX_GAP_DAYS, gaps filled linearly."""
    days: list[date] = []
    values: list[float] = []
    for day, value in sorted(series):
        if days:
            gap = (day - days[-1]).days
            if gap > MAX_GAP_DAYS + 1:
                days, values = [], []
            elif gap > 1:
                for step in range(1, gap):
                    days.append(days[-1] + timedelta(days=1))
                    values.append(values[-1] + (value - values[-1]) * step / gap)
        days.append(day)
        values.append(float(value))
    return days, values


def forecast(series: list[tuple[date, float]], horizon: int, interval: float = 0.8) -> Forecast | int:
    """The forecast, or the number of usable points when there are too few."""
    days, values = contiguous(series)
    if len(values) < needed_points(horizon):
        return len(values)
    return _forecast(tuple(days), tuple(values), horizon, interval)


@lru_cache(maxsize=512)
def _forecast(days: tuple[date, ...], values: tuple[float, ...], horizon: int, interval: float) -> Forecast:
    mean, lower, upper = _fit_predict(values, horizon, interval)
    points = [
        ForecastPoint(
            date=days[-1] + timedelta(days=step + 1),
            views=round(mean[step], 1),
            lower=round(lower[step], 1),
            upper=round(upper[step], 1),
        )
        for step in range(horizon)
    ]
    return Forecast(points, _backtest(values, horizon, interval), days, values)


def _backtest(values: tuple[float, ...], horizon: int, interval: float) -> Backtest:
    train, actual = values[:-horizon], values[-horizon:]
    predicted = _fit_predict(train, horizon, interval)[0]
    naive = [train[-1]] * horizon
    model_error = [abs(p - a) for p, a in zip(predicted, actual, strict=True)]
    naive_error = [abs(n - a) for n, a in zip(naive, actual, strict=True)]
    naive_mae = sum(naive_error) / horizon
    return Backtest(
        holdout=horizon,
        mape=round(_mape(predicted, actual), 2),
        naive_mape=round(_mape(naive, actual), 2),
        relative_mae=round(sum(model_error) / horizon / naive_mae, 3) if naive_mae > 0 else 1.0,
    )


def _mape(predicted: list[float], actual: tuple[float, ...]) -> float:
    pairs = [(p, a) for p, a in zip(predicted, actual, strict=True) if a > 0]
    return sum(abs(p - a) / a for p, a in pairs) / len(pairs) * 100.0 if pairs else 0.0


def _fit_predict(values: tuple[float, ...], horizon: int, interval: float) -> tuple[list[float], ...]:
    """(mean, lower, upper) views for the next `horizon` days."""
    load_numeric()
    import numpy as np
    import pandas as pd

    logged = np.log1p(np.asarray(values, dtype=float))
    if np.ptp(logged) < 1e-9:  # a flat series: nothing to estimate, and ETS would not converge
        flat = [float(values[-1])] * horizon
        return flat, flat, flat
    with warnings.catch_warnings():
        # Convergence chatter on short series (the backtest reports how good the fit really is),
        # and deprecation notices from statsmodels' own imports.
        warnings.simplefilter("ignore")
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        fitted = ETSModel(pd.Series(logged), error="add", trend="add", damped_trend=True).fit(disp=False)
        frame = fitted.get_prediction(start=len(logged), end=len(logged) + horizon - 1).summary_frame(
            alpha=1.0 - interval
        )
    back = [np.expm1(frame[column].to_numpy()).clip(min=0.0) for column in ("mean", "pi_lower", "pi_upper")]
    return tuple([float(value) if math.isfinite(value) else 0.0 for value in column] for column in back)
