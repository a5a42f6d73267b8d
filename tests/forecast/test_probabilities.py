"""P(X ≥ t) and P(X ≤ t) for the forecast's normal approximation: what pace turns into prob_meet."""

from __future__ import annotations

import math

import numpy as np
import pytest

from monitor.domain.probability import prob_at_least, prob_at_most

NAN = math.nan
PHI_1 = 0.8413447460685429  # Φ(1)

CASES = [
    ("threshold_at_the_forecast_is_even_odds", 100.0, 5.0, 100.0, 0.5, 0.5),
    ("one_sd_below_the_forecast", 100.0, 5.0, 95.0, PHI_1, 1 - PHI_1),
    ("one_sd_above_the_forecast", 100.0, 5.0, 105.0, 1 - PHI_1, PHI_1),
    ("far_below_is_certain", 100.0, 1.0, 50.0, 1.0, 0.0),
    ("no_spread_met_exactly", 100.0, 0.0, 100.0, 1.0, 1.0),
    ("no_spread_above", 100.0, 0.0, 99.0, 1.0, 0.0),
    ("no_spread_below", 100.0, 0.0, 101.0, 0.0, 1.0),
    ("negative_growth_forecast", -2.0, 1.0, -3.0, PHI_1, 1 - PHI_1),
    ("no_forecast", NAN, 5.0, 100.0, NAN, NAN),
    ("no_spread_known", 100.0, NAN, 100.0, NAN, NAN),
    ("no_threshold", 100.0, 5.0, NAN, NAN, NAN),
    ("negative_spread_is_not_a_spread", 100.0, -1.0, 100.0, NAN, NAN),
]


@pytest.mark.parametrize(
    ("value", "sd", "threshold", "at_least", "at_most"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_probability(value: float, sd: float, threshold: float, at_least: float, at_most: float) -> None:
    assert float(prob_at_least(value, sd, threshold)) == pytest.approx(at_least, abs=1e-12, nan_ok=True)
    assert float(prob_at_most(value, sd, threshold)) == pytest.approx(at_most, abs=1e-12, nan_ok=True)


def test_arrays_broadcast_against_a_scalar_threshold() -> None:
    value = np.array([90.0, 100.0, 110.0, NAN])
    sd = np.array([10.0, 10.0, 0.0, 1.0])
    got = prob_at_least(value, sd, 100.0)
    assert got.shape == (4,)
    assert got[:3] == pytest.approx([1 - PHI_1, 0.5, 1.0])
    assert np.isnan(got[3])


def test_pandas_series_are_accepted() -> None:
    import pandas as pd

    got = prob_at_most(pd.Series([100.0, 100.0]), pd.Series([5.0, 5.0]), pd.Series([105.0, 95.0]))
    assert got == pytest.approx([PHI_1, 1 - PHI_1])
