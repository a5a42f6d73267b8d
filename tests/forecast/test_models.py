"""The statistical core on its own: seasonality, scales, horizons and refusals."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from monitor.domain.forecast import forecast_path, is_seasonal, seasonal_indices
from monitor.errors import ForecastFailed

PATTERN = np.array([-0.1, -0.15, 0, 0, 0, 0.05, 0, 0, 0.05, 0.05, 0.05, 0.05])
PATTERN = PATTERN - PATTERN.mean()


def seasonal_log_series(years: int = 6, noise: float = 0.02, trend: float = 0.004, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = 12 * years
    return np.exp(np.log(50) + trend * np.arange(n) + PATTERN[np.arange(n) % 12] + rng.normal(0, noise, n))


@pytest.mark.parametrize(
    ("series", "seasonal"),
    [
        pytest.param(np.log(seasonal_log_series()), True, id="clear_monthly_pattern"),
        pytest.param(np.random.default_rng(5).normal(0, 1, 72), False, id="white_noise"),
        pytest.param(np.log(seasonal_log_series(years=2)), False, id="two_years_too_short_to_test"),
    ],
)
def test_seasonality_test(series: np.ndarray, seasonal: bool) -> None:
    assert is_seasonal(series, 12) is seasonal


def test_classical_decomposition_recovers_a_known_pattern() -> None:
    n = 72
    z = 3 + 0.01 * np.arange(n) + PATTERN[np.arange(n) % 12]
    assert seasonal_indices(z, 12) == pytest.approx(PATTERN, abs=1e-9)


def test_positive_series_are_modelled_on_the_log_scale_and_keep_their_season() -> None:
    y = seasonal_log_series(noise=0.0, trend=0.0)
    path = forecast_path(y, 12, 12, seasonal=True)
    assert path.log_scale
    assert path.seasonal
    ratio = np.log(path.mean) - np.log(path.mean).mean()
    assert ratio == pytest.approx(PATTERN, abs=1e-6)


def test_series_with_zero_or_negative_figures_are_modelled_on_their_own_scale() -> None:
    rng = np.random.default_rng(2)
    y = rng.normal(0.5, 1.0, 60)
    path = forecast_path(y, 12, 6, seasonal=False)
    assert not path.log_scale
    assert np.isfinite(path.mean).all()


def test_uncertainty_of_a_sum_grows_with_the_months_it_covers() -> None:
    path = forecast_path(seasonal_log_series(), 12, 11, seasonal=True)
    sds = [path.sum_moments(np.r_[np.ones(h), np.zeros(11 - h)])[1] for h in range(1, 12)]
    assert all(a < b for a, b in pairwise(sds))


def test_a_series_with_fewer_figures_than_parameters_is_refused() -> None:
    with pytest.raises(ForecastFailed):
        forecast_path(seasonal_log_series()[:8], 12, 6, seasonal=True)


def test_missing_values_are_refused() -> None:
    y = seasonal_log_series()
    y[10] = np.nan
    with pytest.raises(ForecastFailed):
        forecast_path(y, 12, 6)
