"""Backtest of year-end projections on the sample data: linear, seasonal and the forecaster.

    .venv/bin/python bench/backtest.py [--workers N] [--district-only]

For every cumulative indicator and region of the sample data (示例数据, generated in memory, no
database) and the years 2017-2020 (2016 is the first year, 2021 has no full year), projects the
year-end total from the figures at months 3, 6 and 9 (quarterly indicators: Q1-Q3) with
- linear: C·K/k, the official time progress taken literally;
- seasonal: C / s_k, s_k from up to 3 prior years (`monitor.domain.pace.seasonal_share`);
- seasonal naive: C + what the rest of last year added (C(y−1, K) − C(y−1, k));
- statsmodels ETS: ETS(A,Ad,M) (`ETSModel`, damped trend, multiplicative season; additive when a
  flow is not positive) on the single-period flows of up to 6 prior years, the rest of the year
  forecast and added to C (seasonal naive where it cannot be fitted);
- forecaster: `monitor.domain.forecast.forecast_frame` (its fallbacks included),
and prints the mean absolute percentage error of each against the actual year-end total, per
month and overall (and the mean signed error, `bias`), with and without the 2020 shock year,
plus how often the forecaster's 80% interval held the actual. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.catalogue_file import load_catalogue
from monitor.domain.catalogue import Catalogue, Measure
from monitor.domain.forecast import forecast_frame
from monitor.domain.pace import seasonal_share
from monitor.domain.periods import Frequency
from monitor.sample_data import generate_sample
from monitor.services.forecast_pool import pool_map
from monitor.settings import PROJECT_ROOT

YEARS = (2017, 2018, 2019, 2020)
MONTHS = (3, 6, 9)
METHODS = ("linear", "seasonal", "snaive", "ets", "forecaster")
HISTORY_YEARS = 6


def _period(year: int, month: int, frequency: Frequency) -> str:
    return f"{year}-{month:02d}" if frequency is Frequency.MONTHLY else f"{year}-Q{month // 3}"


def _points(catalogue: Catalogue, obs: pd.DataFrame, regions: set[str] | None) -> pd.DataFrame:
    rows = []
    for ind in catalogue.indicators.values():
        if ind.measure is not Measure.CUMULATIVE or ind.frequency not in (Frequency.MONTHLY, Frequency.QUARTERLY):
            continue
        for region in sorted(obs.loc[obs["indicator"] == ind.code, "region"].unique()):
            if regions is not None and region not in regions:
                continue
            for year in YEARS:
                for month in MONTHS:
                    per_year = 12 if ind.frequency is Frequency.MONTHLY else 4
                    k = month if ind.frequency is Frequency.MONTHLY else month // 3
                    rows.append((ind.code, region, _period(year, month, ind.frequency), year, month, k, per_year))
    return pd.DataFrame(rows, columns=["indicator", "region", "period", "year", "month", "k", "per_year"])


def _flows(index: pd.Series, code: str, region: str, year: int, k: int, slots: list[str]) -> np.ndarray:
    """Single-period flows from HISTORY_YEARS before `year` up to slot k of it (NaN where a figure is missing)."""
    flows = []
    for y in range(year - HISTORY_YEARS, year + 1):
        last = k if y == year else len(slots) - 1
        cum = np.array([index.get((code, region, f"{y}-{slot}"), np.nan) for slot in slots[: last + 1]], dtype=float)
        flows.append(np.diff(np.r_[0.0, cum]))
    return np.concatenate(flows)


def _ets_rest(flows: np.ndarray, season: int, h: int) -> float:
    """statsmodels ETS(A,Ad,M) forecast of the next h flows, summed; NaN when it cannot be fitted."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    x = flows[np.flatnonzero(~np.isfinite(flows))[-1] + 1 :] if (~np.isfinite(flows)).any() else flows
    if h <= 0 or len(x) < 2 * season + 4:
        return float("nan")
    seasonal = "mul" if (x > 0).all() else "add"
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            model = ETSModel(x, error="add", trend="add", damped_trend=True, seasonal=seasonal, seasonal_periods=season)
            return float(np.sum(model.fit(disp=False).forecast(h)))
    except (ValueError, np.linalg.LinAlgError):
        return float("nan")


def _baselines(index: pd.Series, catalogue: Catalogue, points: pd.DataFrame, c: np.ndarray) -> dict[str, np.ndarray]:
    """Seasonal naive and statsmodels ETS projections of each point's year-end total."""
    snaive, ets = np.full(len(points), np.nan), np.full(len(points), np.nan)
    for row, (code, region, year, month) in enumerate(
        zip(points["indicator"], points["region"], points["year"], points["month"], strict=True)
    ):
        ind = catalogue.indicators[code]
        if ind.frequency is Frequency.MONTHLY:
            first = min(max(ind.first_month, 1), 12)
            slots = [f"{m:02d}" for m in range(first, 13)]
            k = month - first
        else:
            slots, k = ["Q1", "Q2", "Q3", "Q4"], month // 3 - 1
        prev_end = index.get((code, region, f"{year - 1}-{slots[-1]}"), np.nan)
        prev_k = index.get((code, region, f"{year - 1}-{slots[k]}"), np.nan)
        snaive[row] = c[row] + prev_end - prev_k
        rest = _ets_rest(_flows(index, code, region, int(year), k, slots), len(slots), len(slots) - 1 - k)
        ets[row] = c[row] + rest if np.isfinite(rest) else snaive[row]
    return {"snaive": snaive, "ets": ets}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=1, help="processes for the forecaster (default 1)")
    parser.add_argument("--district-only", action="store_true", help="only the district, not streets and peers")
    args = parser.parse_args()

    catalogue = load_catalogue(PROJECT_ROOT / "indicators.toml")
    sample = generate_sample(catalogue).observations
    obs = sample.drop_duplicates(["indicator", "region", "period"], keep="last").reset_index(drop=True)
    obs["year"] = obs["period"].str.slice(0, 4).astype(int)
    district = catalogue.meta.default_region
    regions = {district} if args.district_only else None
    points = _points(catalogue, obs, regions)
    index = obs.set_index(["indicator", "region", "period"])["value"]

    current = points[["indicator", "region", "period"]]
    c = index.reindex(pd.MultiIndex.from_frame(current)).to_numpy()
    year_end = [
        _period(int(y), 12, catalogue.indicators[i].frequency)
        for i, y in zip(points["indicator"], points["year"], strict=True)
    ]
    actual = index.reindex(pd.MultiIndex.from_arrays([points["indicator"], points["region"], year_end])).to_numpy()

    share = seasonal_share(obs, current, max_years=3)["seasonal_share"].to_numpy()
    started = time.perf_counter()
    baselines = _baselines(index, catalogue, points, c)
    baseline_seconds = time.perf_counter() - started
    started = time.perf_counter()
    fc = forecast_frame(obs, catalogue, current, map_tasks=pool_map(args.workers))
    seconds = time.perf_counter() - started

    np.seterr(divide="ignore", invalid="ignore")  # street counts of 0 give no percentage error; masked below
    projections = {
        "linear": c * points["per_year"].to_numpy() / points["k"].to_numpy(),
        "seasonal": c / share,
        **baselines,
        "forecaster": fc["forecast_value"].to_numpy(),
    }
    ok = np.isfinite(c) & np.isfinite(actual) & (actual > 0)
    for values in projections.values():
        ok &= np.isfinite(values)
    ape = {m: 100 * np.abs(v - actual) / actual for m, v in projections.items()}
    bias = {f"{m}_bias": 100 * (v - actual) / actual for m, v in projections.items()}
    frame = pd.DataFrame({"month": points["month"], "year": points["year"], **ape, **bias})[ok]
    print(
        f"Sample data backtest: {int(ok.sum())} projections ({points['indicator'].nunique()} cumulative indicators, "
        f"{points['region'].nunique()} regions, years {YEARS[0]}-{YEARS[-1]}, months {', '.join(map(str, MONTHS))})"
    )
    print(f"forecaster: {len(points)} forecasts in {seconds:.1f} s ({1000 * seconds / len(points):.1f} ms each)")
    print(f"baselines (seasonal naive, statsmodels ETS): {baseline_seconds:.1f} s")
    print("methods used:", ", ".join(f"{k} {v}" for k, v in fc["forecast_method"][ok].value_counts().items()))
    for title, part in (("all years", frame), ("without 2020", frame[frame["year"] != 2020])):
        print(f"\nMAPE of the year-end total, % ({title})")
        print(f"{'month':>8s} " + " ".join(f"{m:>11s}" for m in METHODS))
        for month in MONTHS:
            sub = part[part["month"] == month]
            print(f"{month:>8d} " + " ".join(f"{sub[m].mean():11.2f}" for m in METHODS))
        print(f"{'overall':>8s} " + " ".join(f"{part[m].mean():11.2f}" for m in METHODS))
        print(f"{'bias':>8s} " + " ".join(f"{part[m + '_bias'].mean():+11.2f}" for m in METHODS))
    inside = (actual >= fc["forecast_low"].to_numpy()) & (actual <= fc["forecast_high"].to_numpy())
    for title, mask in (("all years", ok), ("without 2020", ok & (points["year"].to_numpy() != 2020))):
        print(f"forecaster 80% interval held the actual: {100 * inside[mask].mean():.1f}% ({title})")


if __name__ == "__main__":
    main()
