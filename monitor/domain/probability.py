"""Probabilities from a normal approximation: how likely a forecast figure reaches a threshold.

Pace uses them with the forecaster's mean and standard deviation; kept apart from the forecaster so
that a pace report without forecasts never imports statsmodels. Pure.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

__all__ = ["prob_at_least", "prob_at_most"]


def _broadcast(*arrays: object) -> tuple[np.ndarray, ...]:
    return tuple(np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in arrays)))


def prob_at_least(value: object, sd: object, threshold: object) -> np.ndarray:
    """P(X ≥ threshold) for X ~ N(value, sd), element-wise; NaN in gives NaN out; sd = 0 gives 0 or 1."""
    v, s, t = _broadcast(value, sd, threshold)
    out = np.full(v.shape, np.nan)
    ok = np.isfinite(v) & np.isfinite(s) & np.isfinite(t) & (s >= 0)
    spread = ok & (s > 0)
    out[spread] = ndtr((v[spread] - t[spread]) / s[spread])
    point = ok & (s == 0)
    out[point] = (v[point] >= t[point]).astype(float)
    return out


def prob_at_most(value: object, sd: object, threshold: object) -> np.ndarray:
    """P(X ≤ threshold) for X ~ N(value, sd), element-wise; NaN in gives NaN out; sd = 0 gives 0 or 1."""
    v, s, t = _broadcast(value, sd, threshold)
    out = np.full(v.shape, np.nan)
    ok = np.isfinite(v) & np.isfinite(s) & np.isfinite(t) & (s >= 0)
    spread = ok & (s > 0)
    out[spread] = ndtr((t[spread] - v[spread]) / s[spread])
    point = ok & (s == 0)
    out[point] = (v[point] <= t[point]).astype(float)
    return out
