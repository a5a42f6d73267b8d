"""Whether a series is seasonal, and its seasonal indices (the M3/M4 convention).

A 90% autocorrelation test at lag m (with at least three years), then a classical decomposition
(centred 2×m moving average) whose indices are removed before the non-seasonal candidates are
fitted and added back to their forecasts. Pure: numpy only.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["is_seasonal", "seasonal_indices"]

_Z90 = 1.645  # one-sided 95% critical value of the M3 seasonality test


def _acf(x: np.ndarray, nlags: int) -> np.ndarray:
    d = x - x.mean()
    denom = float(d @ d)
    if denom == 0.0:
        return np.zeros(nlags + 1)
    return np.array([1.0] + [float(d[k:] @ d[:-k]) / denom for k in range(1, nlags + 1)])


def is_seasonal(y: np.ndarray, m: int) -> bool:
    """M3 seasonality test: |r_m| > 1.645·sqrt((1 + 2Σ_{k<m} r_k²)/n); only meaningful with n ≥ 3m."""
    n = len(y)
    if m <= 1 or n < 3 * m:
        return False
    r = _acf(np.asarray(y, dtype=float), m)
    limit = _Z90 * math.sqrt((1 + 2 * float(np.sum(r[1:m] ** 2))) / n)
    return bool(abs(r[m]) > limit)


def seasonal_indices(z: np.ndarray, m: int) -> np.ndarray:
    """Additive seasonal indices (summing to zero) of z by classical decomposition; index i is position i mod m."""
    n = len(z)
    weights = np.r_[0.5, np.ones(m - 1), 0.5] / m if m % 2 == 0 else np.ones(m) / m
    trend = np.convolve(z, weights, mode="valid")
    offset = (len(weights) - 1) // 2
    detrended = np.full(n, np.nan)
    detrended[offset : offset + len(trend)] = z[offset : offset + len(trend)] - trend
    idx = np.array([np.nanmean(detrended[i::m]) if np.isfinite(detrended[i::m]).any() else 0.0 for i in range(m)])
    return np.asarray(idx - idx.mean())
