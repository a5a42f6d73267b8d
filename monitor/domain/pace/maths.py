"""The pace maths of DOMAIN.md §3 on whole columns: gap, status, 倒排 required growth, seasonal figures, prob_meet.

Every function takes and returns numpy arrays (one element per series), branching with masks
over the six target kinds, so thousands of series cost one pass. `kind` and `measure` are object
arrays of codes, "" where a series has no target. Pure: no I/O, no clock.
"""

from __future__ import annotations

import numpy as np

from monitor.domain.catalogue import StatusThresholds, TargetKind
from monitor.domain.probability import prob_at_least, prob_at_most

__all__ = [
    "EPS",
    "GREY_REASONS",
    "gap_and_status",
    "on_published_basis",
    "prob_meet",
    "required_growth",
    "scope_factor",
    "seasonal_figures",
]

EPS = 1e-9
"""Tolerance for the threshold comparisons, so that 6.0 − 6.0 or a gap of exactly −5 is not lost to rounding."""

GREY_REASONS = ("before_first_period", "no_target", "no_data", "no_growth", "no_reference")
LEVEL_KINDS = (TargetKind.LEVEL_MIN.value, TargetKind.LEVEL_MAX.value)
GROWTH_KINDS = tuple(k.value for k in TargetKind if not k.is_level)
LEVEL_MEASURES = ("cumulative", "stock")
GROWTH_ONLY_MEASURES = ("rate", "index")


def _f(values: object) -> np.ndarray:
    return np.asarray(values, dtype=float)


def target_growth(kind: np.ndarray, target_value: np.ndarray, ref_growth: np.ndarray) -> np.ndarray:
    """The growth a growth target asks for: its value, or the reference's growth for `growth_above`."""
    return np.where(
        kind == TargetKind.GROWTH_ABOVE.value,
        _f(ref_growth),
        np.where(np.isin(kind, GROWTH_KINDS), target_value, np.nan),
    )


def gap_and_status(
    kind: np.ndarray,
    *,
    value: np.ndarray,
    growth: np.ndarray,
    elapsed: np.ndarray,
    target_value: np.ndarray,
    tolerance: np.ndarray,
    ref_growth: np.ndarray,
    has_figure: np.ndarray,
    before_first: np.ndarray,
    thresholds: StatusThresholds,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Completion (level targets), gap in 百分点 ("positive is good"), status and the reason for grey.

    Level targets compare C/X with the elapsed share (序时进度); growth targets compare growth with
    the target (`growth_about` is met down to −tolerance, `growth_above` compares with the
    reference's growth). Green when met, yellow within the configured band below, red beyond.
    """
    value, growth, elapsed, x, tol = _f(value), _f(growth), _f(elapsed), _f(target_value), _f(tolerance)
    level = np.isin(kind, LEVEL_KINDS)
    with np.errstate(divide="ignore", invalid="ignore"):
        completion = np.where(level & (x > 0), value / x, np.nan)
    g = target_growth(kind, x, ref_growth)
    gap = np.select(
        [
            kind == TargetKind.LEVEL_MIN.value,
            kind == TargetKind.LEVEL_MAX.value,
            kind == TargetKind.GROWTH_MAX.value,
            np.isin(kind, GROWTH_KINDS),
        ],
        [100.0 * (completion - elapsed), 100.0 * (elapsed - completion), g - growth, growth - g],
        default=np.nan,
    )
    floor = np.where(kind == TargetKind.GROWTH_ABOUT.value, -np.nan_to_num(tol), 0.0)
    band = np.where(level, thresholds.level_yellow_pp, thresholds.growth_yellow_pp)
    colour = np.where(gap >= floor - EPS, "green", np.where(gap >= floor - band - EPS, "yellow", "red"))
    has_target = np.isin(kind, LEVEL_KINDS + GROWTH_KINDS)
    reason = np.select(
        [
            before_first,
            ~has_target,
            ~np.asarray(has_figure, dtype=bool) | (level & np.isnan(value)),
            np.isnan(growth) & ~level,
            np.isnan(g) & ~level,
            np.isnan(gap),
        ],
        ["before_first_period", "no_target", "no_data", "no_growth", "no_reference", "no_data"],
        default="",
    )
    status = np.where(reason == "", colour, "grey").astype(object)
    reason_out = reason.astype(object)
    reason_out[reason == ""] = None
    return completion, gap, status, reason_out


def required_growth(
    kind: np.ndarray,
    measure: np.ndarray,
    *,
    value: np.ndarray,
    growth: np.ndarray,
    base_same_period: np.ndarray,
    base_year: np.ndarray,
    number: np.ndarray,
    per_year: np.ndarray,
    target_value: np.ndarray,
    ref_growth: np.ndarray,
    comparable: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """倒排: the growth the rest of the year needs, whether it is an estimate, and the remaining amount.

    With levels: T = X (level targets) or B·(1 + g/100), required = 100·((T − C)/(B − B_k) − 1)
    while periods remain and last year's rest of the year was positive. Growth-only figures (rates,
    indices) and level figures lacking last year's levels get the estimate (g − (1 − w)·growth)/w,
    w = (K − k)/K, flagged. Point prices have none. remaining = X − C for level targets.

    `comparable` marks growth published at comparable prices (可比价: GDP, 规上工业增加值). A growth
    target there is real, so C is first put in last year's prices, C' = B_k·(1 + growth/100), and
    required = 100·((T − C')/(B − B_k) − 1) is real growth too (dividing a current-price C into a
    comparable-price target would mix the two: for GDP at 2021-06 that gave 0.5% instead of 2.1%).
    """
    c, growth, bk, b, x = _f(value), _f(growth), _f(base_same_period), _f(base_year), _f(target_value)
    k, kk = _f(number), _f(per_year)
    level = np.isin(kind, LEVEL_KINDS)
    if comparable is not None:
        deflate = comparable.astype(bool) & ~level & ~np.isnan(growth) & (bk > 0)
        c = np.where(deflate, bk * (1.0 + growth / 100.0), c)
    g = target_growth(kind, x, ref_growth)
    total = np.where(level, x, b * (1.0 + g / 100.0))
    rest = b - bk
    left = k < kk
    levels_known = ~np.isnan(c) & ~np.isnan(b) & ~np.isnan(bk)
    exact_ok = np.isin(measure, LEVEL_MEASURES) & left & levels_known & (rest > 0) & ~np.isnan(total)
    with np.errstate(divide="ignore", invalid="ignore"):
        exact = 100.0 * ((total - c) / rest - 1.0)
        w = (kk - k) / kk
        estimate = (g - (1.0 - w) * growth) / w
    estimable = (np.isin(measure, GROWTH_ONLY_MEASURES) | (np.isin(measure, LEVEL_MEASURES) & ~levels_known)) & ~level
    estimated = ~exact_ok & estimable & left & ~np.isnan(estimate)
    required = np.where(exact_ok, exact, np.where(estimated, estimate, np.nan))
    remaining = np.where(level, x - c, np.nan)
    return required, estimated, remaining


def seasonal_figures(
    kind: np.ndarray, measure: np.ndarray, *, value: np.ndarray, share: np.ndarray, target_value: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seasonal share (level measures only), projection C / s_k and, for level targets, the seasonal gap in 百分点.

    The seasonal gap compares C/X with the share earlier years had reached by now, with the same
    "positive is good" sign as the linear gap (reversed for `level_max`).
    """
    c, x = _f(value), _f(target_value)
    s = np.where(np.isin(measure, LEVEL_MEASURES), _f(share), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        projection = np.where(s > 0, c / s, np.nan)
        done = np.where(x > 0, c / x, np.nan)
    gap = np.select(
        [kind == TargetKind.LEVEL_MIN.value, kind == TargetKind.LEVEL_MAX.value],
        [100.0 * (done - s), 100.0 * (s - done)],
        default=np.nan,
    )
    return s, projection, gap


def scope_factor(measure: np.ndarray, value: np.ndarray, yoy: np.ndarray, base_same_period: np.ndarray) -> np.ndarray:
    """How far the published growth stands from the level ratio: (1 + yoy/100) / (C / B_k).

    Published growth is taken on a same-scope base, and for GDP and 规上工业增加值 at constant
    prices (DOMAIN.md §2), so it differs from value / last year's value. A growth implied by a
    forecast of levels is put on the published basis by this factor; otherwise a real growth
    target would be judged by a nominal growth. 1 where there is no published growth or no levels.
    """
    c, bk, g = _f(value), _f(base_same_period), _f(yoy)
    known = np.isin(measure, LEVEL_MEASURES) & (c > 0) & (bk > 0) & ~np.isnan(g)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = (1.0 + g / 100.0) / (c / bk)
    return np.where(known & np.isfinite(factor) & (factor > 0), factor, 1.0)


def on_published_basis(growth: np.ndarray, factor: np.ndarray) -> np.ndarray:
    """A level-implied growth in % restated on the published basis by `scope_factor`."""
    return np.asarray(100.0 * ((1.0 + _f(growth) / 100.0) * _f(factor) - 1.0))


def prob_meet(
    kind: np.ndarray,
    measure: np.ndarray,
    *,
    forecast_value: np.ndarray,
    forecast_sd: np.ndarray,
    forecast_growth: np.ndarray,
    base_year: np.ndarray,
    target_value: np.ndarray,
    tolerance: np.ndarray,
    ref_forecast_growth: np.ndarray,
    ref_growth: np.ndarray,
) -> np.ndarray:
    """Probability that the year-end figure meets the target, from the forecast's normal approximation.

    Level targets: P(value ≥ X) or P(value ≤ X). Growth targets use the year-end growth's
    distribution: from the value when last year's total B is known (mean 100·(v/B − 1), sd 100·sd/B),
    directly for rates and indices, else through the base the forecast's own growth implies.
    `growth_above` compares with the reference's forecast growth, or its current growth.
    """
    fv, sd, fg, b = _f(forecast_value), _f(forecast_sd), _f(forecast_growth), _f(base_year)
    x, tol = _f(target_value), _f(tolerance)
    growth_only = np.isin(measure, GROWTH_ONLY_MEASURES)
    with np.errstate(divide="ignore", invalid="ignore"):
        implied_base = fv / (1.0 + fg / 100.0)
        base = np.where(b > 0, b, np.where(implied_base > 0, implied_base, np.nan))
        mean_g = np.where(growth_only, fg, 100.0 * (fv / base - 1.0))
        sd_g = np.where(growth_only, sd, 100.0 * sd / base)
    reference = np.where(np.isnan(_f(ref_forecast_growth)), _f(ref_growth), _f(ref_forecast_growth))
    at_least_level = np.asarray(prob_at_least(fv, sd, x), dtype=float)
    at_most_level = np.asarray(prob_at_most(fv, sd, x), dtype=float)
    threshold = np.select(
        [kind == TargetKind.GROWTH_ABOUT.value, kind == TargetKind.GROWTH_ABOVE.value],
        [x - np.nan_to_num(tol), reference],
        default=x,
    )
    at_least_growth = np.asarray(prob_at_least(mean_g, sd_g, threshold), dtype=float)
    at_most_growth = np.asarray(prob_at_most(mean_g, sd_g, threshold), dtype=float)
    return np.select(
        [
            kind == TargetKind.LEVEL_MIN.value,
            kind == TargetKind.LEVEL_MAX.value,
            kind == TargetKind.GROWTH_MAX.value,
            np.isin(kind, GROWTH_KINDS),
        ],
        [at_least_level, at_most_level, at_most_growth, at_least_growth],
        default=np.nan,
    )
