"""Per-series weights of the candidate models: the holdout decides, and short or odd series still get a forecast."""

from __future__ import annotations

import numpy as np
import pytest

from monitor.domain.forecast import forecast_path
from monitor.domain.forecast.candidates import CANDIDATES, available
from monitor.domain.forecast.selection import Holdout, fit_candidates, holdout_weights, run_holdout

PATTERN = np.log([0.7, 0.8, 1.3, 1.0, 0.9, 1.2, 1.5, 1.4, 1.0, 0.9, 0.8, 1.1])
PATTERN = PATTERN - PATTERN.mean()


def repeating_season(years: int = 8, noise: float = 0.01, seed: int = 11) -> np.ndarray:
    """A season that repeats year after year around a constant level."""
    rng = np.random.default_rng(seed)
    n = 12 * years
    return np.exp(np.log(200) + PATTERN[np.arange(n) % 12] + rng.normal(0, noise, n))


def seasonal_random_walk(years: int = 8, step: float = 0.03, seed: int = 13) -> np.ndarray:
    """Each month is the same month a year before plus a shock: seasonal naive is the optimal forecast."""
    rng = np.random.default_rng(seed)
    z = np.log(200) + PATTERN.copy()
    for _ in range(years - 1):
        z = np.r_[z, z[-12:] + rng.normal(0, step, 12)]
    return np.exp(z)


def trending(years: int = 8, growth: float = 0.03, noise: float = 0.01, seed: int = 12) -> np.ndarray:
    """A steady 3% a month growth with little noise and no season."""
    rng = np.random.default_rng(seed)
    n = 12 * years
    return np.exp(np.log(50) + growth * np.arange(n) + rng.normal(0, noise, n))


def test_a_seasonal_random_walk_is_shrunk_toward_seasonal_naive() -> None:
    path = forecast_path(seasonal_random_walk(), 12, 12)
    assert path.seasonal
    assert path.weights["snaive"] > 1 / len(path.weights)  # more than an equal share
    assert path.weights["snaive"] > max(path.weights["theta"], path.weights["damped"])


def test_a_trend_series_does_not_lean_on_seasonal_naive() -> None:
    y = trending()
    path = forecast_path(y, 12, 12, seasonal=None)
    assert "snaive" not in path.weights  # no season found, so no seasonal candidate
    assert set(path.weights) <= {"theta", "damped"}
    # the growth continues: the forecast ends above the last figure by most of a year's growth
    assert path.mean[-1] > y[-1] * np.exp(0.03 * 12) * 0.85


def test_a_trend_inside_a_season_puts_little_weight_on_seasonal_naive() -> None:
    n = 96
    y = np.exp(np.log(50) + 0.03 * np.arange(n) + PATTERN[np.arange(n) % 12])
    path = forecast_path(y, 12, 12)
    assert path.seasonal
    assert path.weights["snaive"] < 0.05


def test_weights_sum_to_one_and_favour_the_smaller_holdout_error() -> None:
    weights = holdout_weights({"a": 1.0, "b": 2.0, "c": float("inf")}, ("a", "b", "c"))
    assert sum(weights.values()) == pytest.approx(1.0)
    assert weights["a"] == pytest.approx(4 * weights["b"])  # error^-2
    assert "c" not in weights


def test_without_a_holdout_the_candidates_share_equally() -> None:
    assert holdout_weights({}, ("theta", "damped")) == {"theta": 0.5, "damped": 0.5}


def test_an_exact_holdout_forecast_takes_all_the_weight() -> None:
    assert holdout_weights({"snaive": 0.0, "theta": 0.3}, ("snaive", "theta")) == {"snaive": 1.0}


def test_the_holdout_refits_before_each_rolling_origin() -> None:
    z = np.log(repeating_season())
    holdout = run_holdout(z, 12, 18, ("theta", "snaive"), adjust=True, origins=3)
    assert holdout.span == 12
    assert holdout.origins == (84, 78, 72)
    # seasonal naive from an origin repeats the season before it
    assert holdout.paths[0]["snaive"] == pytest.approx(z[72:84])
    errors = holdout.errors(z, ("theta", "snaive"))
    assert set(errors) == {"theta", "snaive"}
    assert all(np.isfinite(list(errors.values())))


def test_a_series_too_short_for_a_holdout_has_none() -> None:
    assert run_holdout(np.log(repeating_season())[:20], 12, 12, ("theta",), adjust=True) == Holdout(5)


def test_a_14_point_series_gets_a_trend_forecast_without_seasonal_candidates() -> None:
    y = trending(years=2)[:14]
    path = forecast_path(y, 12, 6)
    assert not path.seasonal
    assert set(path.weights) == {"theta", "damped"}
    assert np.isfinite(path.mean).all()
    assert path.mean[0] > y[-1] * 0.95
    assert (np.diag(path.cov) > 0).all()


def test_zeros_are_modelled_on_the_figures_own_scale_and_no_forecast_is_negative() -> None:
    y = repeating_season(years=6) - 140.0  # the low months go below zero...
    y = np.maximum(y, 0.0)  # ...and are reported as zero
    assert (y == 0).any()
    path = forecast_path(y, 12, 12, seasonal=True)
    assert not path.log_scale
    assert (path.mean >= 0).all()
    assert np.isfinite(np.diag(path.cov)).all()


def test_an_all_zero_series_is_forecast_as_zero() -> None:
    path = forecast_path(np.zeros(40), 12, 6)
    assert path.mean == pytest.approx(np.zeros(6))
    assert path.weights == {"constant": 1.0}


def test_every_candidate_forecasts_a_known_airline_like_series() -> None:
    z = np.log(repeating_season()) + 0.01 * np.arange(96)
    idx = np.asarray(PATTERN)
    paths = fit_candidates(z, 12, idx, 12, tuple(CANDIDATES))
    assert set(paths) == set(CANDIDATES)
    for name, path in paths.items():
        assert path.shape == (12,), name
        # a year ahead, every candidate is within 20% of the continued pattern
        assert np.abs(path - (z[-12:] + 0.12)).max() < 0.2, name


def test_available_candidates_follow_length_trend_and_season() -> None:
    assert available(14, 12, trend=True, seasonal=False) == ("theta", "damped")
    assert available(72, 1, trend=False, seasonal=False) == ("ses",)
    assert available(30, 12, trend=True, seasonal=True) == ("theta", "damped", "snaive")
    assert available(96, 12, trend=True, seasonal=True, flow=True) == (
        "theta",
        "damped",
        "snaive_drift",
        "airline",
        "holt_winters",
    )
