"""Per-series weights of the candidates, from how each forecast the series' own recent past.

The holdout: the series is cut at `origins` rolling origins (the last H figures held back, then
H + step, ...), with H = min(h, m, n/4); each candidate is refitted on the figures before the
origin and scored by its mean absolute error over the H held-back figures on the model scale
(log figures: a relative error). The weights are proportional to error^-POWER, so a candidate
that forecast the past clearly better dominates and close calls stay a combination; seasonal
naive is one of the candidates, so a series whose season repeats is shrunk toward it exactly as
far as its holdout says. A series too short for a holdout gets equal weights. Pure: numpy only.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from monitor.domain.forecast.candidates import CANDIDATES
from monitor.domain.forecast.seasonality import seasonal_indices

__all__ = [
    "HOLDOUT_ORIGINS",
    "HOLDOUT_STEP",
    "POWER",
    "Candidates",
    "Holdout",
    "fit_candidates",
    "holdout_weights",
    "run_holdout",
]

HOLDOUT_ORIGINS = 1
"""Origins of the rolling holdout; bench/forecast_m3.py --origins measures more (they cost a refit each)."""
HOLDOUT_STEP = 6  # periods between two origins
POWER = 2.0  # weight ∝ holdout error^-POWER
MIN_FIT = 8  # figures before an origin for the non-seasonal candidates (two seasons for seasonal ones)
_FIT_ERRORS = (ValueError, np.linalg.LinAlgError, ZeroDivisionError, IndexError)

Candidates = dict[str, np.ndarray]


def fit_candidates(z: np.ndarray, m: int, idx: np.ndarray, h: int, names: Sequence[str]) -> Candidates:
    """Forecasts of every named candidate that fits and gives finite numbers (the others are left out)."""
    out: Candidates = {}
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        for name in names:
            try:
                path = np.asarray(CANDIDATES[name](z, m, idx, h), dtype=float)
            except _FIT_ERRORS:
                continue
            if path.shape == (h,) and np.isfinite(path).all():
                out[name] = path
    return out


def _holdout_length(n: int, m: int, h: int) -> int:
    return max(1, min(h, max(m, 1), n // 4))


@dataclass(frozen=True)
class Holdout:
    """The candidates' forecasts from each holdout origin of one series, and the figures they forecast."""

    span: int
    origins: tuple[int, ...] = ()
    paths: tuple[Candidates, ...] = ()

    def errors(self, z: np.ndarray, names: Sequence[str]) -> dict[str, float]:
        """Mean absolute holdout error of each candidate over the origins (inf where it failed; empty: no holdout)."""
        if not self.origins:
            return {}
        out = {}
        for name in names:
            each = [
                float(np.mean(np.abs(z[o : o + self.span] - paths[name]))) if name in paths else math.inf
                for o, paths in zip(self.origins, self.paths, strict=True)
            ]
            out[name] = float(np.mean(each))
        return out

    def combined(self, weights: Mapping[str, float]) -> list[np.ndarray | None]:
        """The weighted combination's forecast from each origin (None where a weighted candidate failed)."""
        return [
            np.sum([w * paths[name] for name, w in weights.items()], axis=0)
            if all(name in paths for name in weights)
            else None
            for paths in self.paths
        ]


def run_holdout(
    z: np.ndarray, m: int, h: int, names: Sequence[str], *, adjust: bool, origins: int = HOLDOUT_ORIGINS
) -> Holdout:
    """Refit the candidates at each rolling origin that leaves enough figures before it."""
    n, span = len(z), _holdout_length(len(z), m, h)
    floor = 2 * m if adjust else MIN_FIT
    cuts, paths = [], []
    for j in range(origins):
        origin = n - span - j * HOLDOUT_STEP
        if origin < floor:
            break
        past = z[:origin]
        idx = seasonal_indices(past, m) if adjust else np.zeros(max(m, 1))
        cuts.append(origin)
        paths.append(fit_candidates(past, m, idx, span, names))
    return Holdout(span, tuple(cuts), tuple(paths))


def holdout_weights(errors: Mapping[str, float], fitted: Sequence[str]) -> dict[str, float]:
    """Weights ∝ error^-POWER over the candidates fitted on the whole series; equal without a holdout."""
    usable = {name: errors[name] for name in fitted if name in errors and np.isfinite(errors[name])}
    if not usable:
        return {name: 1.0 / len(fitted) for name in fitted}
    best = min(usable.values())
    if best <= 0.0:  # a candidate forecast the holdout exactly: it alone
        exact = [name for name, e in usable.items() if e <= 0.0]
        return {name: 1.0 / len(exact) for name in exact}
    raw = {name: (e / best) ** -POWER for name, e in usable.items()}
    total = sum(raw.values())
    return {name: w / total for name, w in raw.items()}
