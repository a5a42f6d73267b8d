"""The forecast's 80% interval and its probabilities are calibrated on series with a known distribution.

300 synthetic districts report a cumulative indicator for 2015-2021. Their monthly flows follow
a known law: log flow = level + trend + season + noise, the level a random walk (sd 0.02 a
month), the trend 0-8% a year, a Spring-Festival-shaped season, white noise (sd 0.05). Each is
cut at a random month of 2021 (2-10) and forecast to the year end; the actual 2021 total is known.

Tolerances: with 300 independent draws the coverage of a true 80% interval has a standard error
of 2.3 points, so 0.74-0.86 is about ±2.6 standard errors. The probability is checked the way a
forecast user meets it, against targets within ±5% of the forecast: in three bins of predicted
probability (at least 50 draws each, standard error ≤ 0.07) the observed frequency must be within
0.12 (the combination's trend models shrink a drift, Theta halving it and the damped trend fading it,
which leans its probabilities low; half or twice the spread misses a bin by 0.16), and the Brier
score, a proper score, must be better with the forecast's own spread than with half or twice it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitor.domain.catalogue import Catalogue
from monitor.domain.forecast import forecast_frame
from monitor.domain.probability import prob_at_least, prob_at_most
from tests.forecast.factories import monthly_cumulative, points

DRAWS = 300
SEASON = np.log([0.9, 0.85, 1, 1, 1, 1.05, 1, 1, 1.05, 1.05, 1.05, 1.1])
YEARS = range(2015, 2022)


def synthetic(seed: int = 20210720) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Figures, points and the actual 2021 totals of DRAWS synthetic regions."""
    rng = np.random.default_rng(seed)
    frames, pts, actual = [], [], []
    n = 12 * len(YEARS)
    for i in range(DRAWS):
        region = f"syn{i:03d}"
        level = np.cumsum(rng.normal(0, 0.02, n))
        trend = rng.uniform(0.0, 0.08) / 12 * np.arange(n)
        flows = np.exp(np.log(10) + level + trend + SEASON[np.arange(n) % 12] + rng.normal(0, 0.05, n)).reshape(-1, 12)
        cut = int(rng.integers(2, 11))
        by_year = {year: list(flows[j]) for j, year in enumerate(YEARS)}
        by_year[2021] = by_year[2021][:cut]
        frames.append(monthly_cumulative("revenue", by_year, region=region))
        pts.append(("revenue", f"2021-{cut:02d}", region))
        actual.append(flows[-1].sum())
    return pd.concat(frames, ignore_index=True), points(*pts), np.array(actual)


@pytest.fixture(scope="module")
def draws(catalogue: Catalogue) -> tuple[pd.DataFrame, np.ndarray]:
    obs, pts, actual = synthetic()
    return forecast_frame(obs, catalogue, pts), actual


def test_every_draw_gets_a_model_forecast(draws: tuple[pd.DataFrame, np.ndarray]) -> None:
    out, _ = draws
    assert (out["forecast_method"] == "combination").all()
    assert (out["forecast_sd"] > 0).all()


def test_about_80_percent_of_actuals_fall_inside_the_80_percent_interval(
    draws: tuple[pd.DataFrame, np.ndarray],
) -> None:
    out, actual = draws
    inside = (actual >= out["forecast_low"].to_numpy()) & (actual <= out["forecast_high"].to_numpy())
    assert 0.74 <= inside.mean() <= 0.86


def test_interval_is_the_normal_80_percent_band_of_the_forecast_sd(draws: tuple[pd.DataFrame, np.ndarray]) -> None:
    out, _ = draws
    value, sd = out["forecast_value"].to_numpy(), out["forecast_sd"].to_numpy()
    assert prob_at_most(value, sd, out["forecast_low"].to_numpy()) == pytest.approx(np.full(DRAWS, 0.1))
    assert prob_at_least(value, sd, out["forecast_high"].to_numpy()) == pytest.approx(np.full(DRAWS, 0.1))


def test_probability_of_reaching_a_threshold_is_calibrated(draws: tuple[pd.DataFrame, np.ndarray]) -> None:
    out, actual = draws
    value, sd = out["forecast_value"].to_numpy(), out["forecast_sd"].to_numpy()
    thresholds = value * (1 + np.random.default_rng(7).uniform(-0.05, 0.05, DRAWS))  # targets near the forecast
    met = (actual >= thresholds).astype(float)
    p = prob_at_least(value, sd, thresholds)
    for low, high in ((0.0, 1 / 3), (1 / 3, 2 / 3), (2 / 3, 1.0001)):
        in_bin = (p >= low) & (p < high)
        assert in_bin.sum() >= 50
        assert abs(p[in_bin].mean() - met[in_bin].mean()) <= 0.12, (low, high)

    def brier(spread: np.ndarray) -> float:
        return float(np.mean((prob_at_least(value, spread, thresholds) - met) ** 2))

    assert brier(sd) < min(brier(sd / 2), brier(sd * 2))
