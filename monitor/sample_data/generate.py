"""Synthetic sample data (示例数据) for the demo: 2016-01 to 2021-06, anchored on published figures.

Pure: no database, files or clock. Each series draws from its own numpy Generator seeded with
(seed, series name), so the result does not depend on the catalogue's order. Yearly and half-year
totals land on reference_figures.md; the rest follows per-indicator trend, season and 2020 shock.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from monitor.domain.catalogue import Catalogue, GrowthBasis, Indicator, Measure, RegionKind
from monitor.domain.periods import Frequency, Period, due_date, from_date
from monitor.sample_data.anchors import (
    ANNUAL,
    COLUMNS,
    COUNT_UNITS,
    CST,
    DECIMALS,
    DEFAULT_PARAMS,
    DEFLATOR,
    DERIVED,
    FIRST_YEAR,
    H1,
    LAST_MONTH,
    LAST_WEEK_END,
    LAST_YEAR,
    MISSING,
    NY,
    PANDEMIC,
    PARAMS,
    PEER_INDICATORS,
    PEERS,
    PORK,
    PROFILES,
    PUBLISHED_YOY,
    RELEASE_UTC,
    REVISIONS,
    SAMPLE_TODAY,
    STREET_SUM_TOL,
    Y0,
    YEAR_ADJ,
    YEARS,
)

__all__ = ["SampleData", "generate_sample"]


@dataclass(frozen=True)
class SampleData:
    """The generated sample: observations (one row per figure and revision) and the overdue gaps."""

    today: date
    observations: pd.DataFrame
    missing: tuple[tuple[str, str], ...]


def _rng(seed: int, *names: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32("/".join(names).encode())])


def _flows(rng: np.random.Generator, params: tuple[float, float, str, float, float]) -> np.ndarray:
    """Monthly flows (years x 12): trend x season x 2020 shock x lognormal noise."""
    base, growth, profile, pandemic, noise = params
    t = (YEARS[:, None] - Y0) + (np.arange(12)[None, :] + 0.5) / 12
    season = np.asarray(PROFILES[profile], dtype=float)
    shock = np.ones((NY, 12))
    shock[YEARS == 2020] = 1 - pandemic * (1 - PANDEMIC)
    eps = rng.normal(0.0, noise, (NY, 12))
    return np.asarray(base / 12 * (1 + growth) ** t * season / season.mean() * shock * np.exp(eps - noise**2 / 2))


def _anchor(flows: np.ndarray, annual: Mapping[int, float], h1: Mapping[int, float]) -> np.ndarray:
    """Scale flows so that the given H1 and annual totals hold exactly."""
    out = flows.copy()
    for year, total in h1.items():
        out[year - Y0, :6] *= total / out[year - Y0, :6].sum()
    for year, total in annual.items():
        row = out[year - Y0]
        if year in h1:
            row[6:] *= (total - h1[year]) / row[6:].sum()
        else:
            row *= total / row.sum()
    return out


def _district_flows(code: str, seed: int, cache: dict[str, np.ndarray]) -> np.ndarray:
    """The district's monthly flows (or balances, for stocks) of an indicator, anchored."""
    if code not in cache:
        rng = _rng(seed, code, "district")
        if code in DERIVED:
            parent, share, drift = DERIVED[code]
            t = (YEARS - Y0)[:, None]
            flows = _district_flows(parent, seed, cache) * share * (1 + drift) ** t
            flows = flows * np.exp(rng.normal(0.0, 0.02, (NY, 12)))
        else:
            flows = _flows(rng, PARAMS.get(code, DEFAULT_PARAMS))
            for year, k in YEAR_ADJ.get(code, {}).items():
                flows[year - Y0] *= k
            flows = _anchor(flows, ANNUAL.get(code, {}), H1.get(code, {}))
        cache[code] = flows
    return cache[code]


def _yoy(cur: np.ndarray, prev: np.ndarray, rng: np.random.Generator, constant: bool, noise: float = 0.3) -> np.ndarray:
    """Published growth: from levels, ± `noise` pp for the comparable base, real when constant; NaN on a zero base."""
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(prev > 0, (cur / prev - 1) * 100, np.nan)
    g = g + rng.uniform(-noise, noise, g.shape) - (DEFLATOR if constant else 0.0)
    return np.round(np.maximum(g, -100.0), 1)


def _street_weights(rng: np.random.Generator, n: int) -> np.ndarray:
    """Fixed per-indicator street shares: Dirichlet, but every street keeps at least half an equal share."""
    return 0.5 / n + 0.5 * rng.dirichlet(np.full(n, 3.0))


def _street_total(rng: np.random.Generator, flows: np.ndarray, district: np.ndarray, count: bool) -> np.ndarray:
    """What the streets add up to (in rounding units): the district ± at most STREET_SUM_TOL, never decreasing."""
    if count:
        return district
    skew = 1 + rng.uniform(-STREET_SUM_TOL, STREET_SUM_TOL, (NY, 12))
    ratio = np.cumsum(flows * skew, axis=1) / np.cumsum(flows, axis=1) - 1
    bound = np.floor(STREET_SUM_TOL * district)
    return np.maximum.accumulate(district + np.clip(np.round(district * ratio), -bound, bound), axis=1)


def _apportion(total: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Split integer totals (years x 12) by shares (8 x years x 12) into integers (largest remainder)."""
    raw = total[None] * shares
    parts = np.floor(raw)
    left = total - parts.sum(axis=0)
    rank = np.argsort(np.argsort(parts - raw, axis=0), axis=0)  # 0 = largest fractional part
    return np.asarray(parts + (rank < left[None]))


@dataclass
class _Slots:
    """Output periods of one indicator: (year, month) indices into the internal grid, labels, release days."""

    yi: np.ndarray
    mi: np.ndarray
    labels: np.ndarray
    due: np.ndarray


def _slots(ind: Indicator) -> _Slots:
    """Output periods of an indicator: 2016 up to 2021-06 less its 错月 lag, at its frequency."""
    picked: list[tuple[int, int, Period]] = []
    for y in range(FIRST_YEAR, LAST_YEAR + 1):
        for m in range(1, 13 if y < LAST_YEAR else LAST_MONTH - ind.lag_months + 1):
            if ind.frequency is Frequency.MONTHLY and m >= ind.first_month:
                picked.append((y, m, Period(y, Frequency.MONTHLY, m)))
            elif ind.frequency is Frequency.QUARTERLY and m % 3 == 0:
                picked.append((y, m, Period(y, Frequency.QUARTERLY, m // 3)))
            elif ind.frequency is Frequency.ANNUAL and m == 12:
                picked.append((y, m, Period(y, Frequency.ANNUAL, 1)))
    due = [due_date(p, ind.lag_months, ind.due_day) for *_, p in picked]
    return _Slots(
        np.array([y - Y0 for y, _, _ in picked]),
        np.array([m - 1 for _, m, _ in picked]),
        np.array([str(p) for *_, p in picked], dtype=object),
        np.array(due, dtype="datetime64[D]"),
    )


class _Rows:
    """Column buffers; one `add` per series."""

    def __init__(self) -> None:
        self.parts: dict[str, list[np.ndarray]] = {c: [] for c in COLUMNS}

    def add(
        self,
        ind: Indicator,
        region: str,
        labels: np.ndarray,
        value: np.ndarray,
        yoy: np.ndarray,
        due: np.ndarray,
        rng: np.random.Generator,
    ) -> None:
        n = len(labels)
        weekly = ind.frequency is Frequency.WEEKLY
        lo, hi = (1, max(ind.due_day, 2)) if weekly else (0, 5)  # a week's price is out 1-2 days after Sunday
        early = rng.integers(lo, hi, n).astype("timedelta64[D]")
        known = due.astype("datetime64[ns]") + RELEASE_UTC - early
        for col, arr in zip(
            COLUMNS,
            (
                np.full(n, ind.code, dtype=object),
                np.full(n, region, dtype=object),
                labels,
                value.astype(float),
                yoy.astype(float),
                known,
            ),
            strict=True,
        ):
            self.parts[col].append(arr)

    def frame(self) -> pd.DataFrame:
        data = {c: np.concatenate(self.parts[c]) for c in COLUMNS}
        frame = pd.DataFrame({c: data[c] for c in COLUMNS[:5]}).astype({c: str for c in COLUMNS[:3]})
        frame["known_from"] = pd.DatetimeIndex(data["known_from"]).tz_localize("UTC")
        return frame


def _cumulative(
    rows: _Rows, ind: Indicator, regions: tuple[str, list[str]], seed: int, cache: dict[str, np.ndarray]
) -> None:
    """Cumulative (1-N月) series: district from anchored flows, streets by integer apportionment."""
    s, dec = _slots(ind), DECIMALS.get(ind.unit, 2)
    units, count = 10.0**dec, ind.unit in COUNT_UNITS
    constant = ind.growth_basis is GrowthBasis.CONSTANT
    district_code, streets = regions
    flows = _district_flows(ind.code, seed, cache)
    rng = _rng(seed, ind.code, "district")
    district = np.round(np.cumsum(flows, axis=1) * units)
    if count:
        district = np.maximum(district, 1.0)
    series = [(district_code, district)]
    if streets:
        srng = _rng(seed, ind.code, "streets")
        weights = _street_weights(srng, len(streets))
        shares = weights[:, None, None] * np.exp(srng.normal(0.0, 0.05, (len(streets), NY, 12)))
        shares /= shares.sum(axis=0)
        increments = np.diff(_street_total(srng, flows, district, count), axis=1, prepend=0.0)
        if count:  # whole units land on streets at random, in proportion to their shares
            parts = srng.multinomial(increments.astype(np.int64), np.moveaxis(shares, 0, -1)).astype(float)
            parts = np.moveaxis(parts, -1, 0)
        else:
            parts = _apportion(increments, shares)
        series += list(zip(streets, parts.cumsum(axis=2), strict=True))
    for region, levels in series:
        cur, prev = levels[s.yi, s.mi] / units, levels[s.yi - 1, s.mi] / units
        yoy = _yoy(cur, prev, rng, constant, 0.0 if count else 0.3)
        if region == district_code:
            for i, label in enumerate(s.labels):
                yoy[i] = PUBLISHED_YOY.get((ind.code, label), yoy[i])
        rows.add(ind, region, s.labels, cur, yoy, s.due, rng)


def _stock_or_rate(
    rows: _Rows, ind: Indicator, regions: tuple[str, list[str]], seed: int, cache: dict[str, np.ndarray]
) -> None:
    """Stocks (end-of-month balances) and rates (growth of a hidden level, value NaN)."""
    s, dec = _slots(ind), DECIMALS.get(ind.unit, 2)
    district_code, streets = regions
    rng = _rng(seed, ind.code, "district")
    flows = _district_flows(ind.code, seed, cache)
    stock = ind.measure is Measure.STOCK
    levels = flows * 12 if stock else np.cumsum(flows, axis=1)
    cur, prev = levels[s.yi, s.mi], levels[s.yi - 1, s.mi]
    yoy = _yoy(cur, prev, rng, ind.growth_basis is GrowthBasis.CONSTANT)
    value = np.round(cur, dec) if stock else np.full(len(cur), np.nan)
    rows.add(ind, district_code, s.labels, value, yoy, s.due, rng)
    if not streets:
        return
    srng = _rng(seed, ind.code, "streets")
    weights = _street_weights(srng, len(streets))
    for street, w in zip(streets, weights, strict=True):
        if stock:
            drift = 1 + np.clip(srng.normal(0.0, 0.01, (2, len(cur))), -0.025, 0.025)  # streets sum within 2.5%
            scur, sprev = cur * w * drift[0], prev * w * drift[1]
            rows.add(ind, street, s.labels, np.round(scur, dec), _yoy(scur, sprev, srng, False), s.due, srng)
        else:
            syoy = np.round(yoy + srng.normal(0.0, 1.2, len(yoy)), 1)
            rows.add(ind, street, s.labels, np.full(len(yoy), np.nan), syoy, s.due, srng)


def _peers(rows: _Rows, ind: Indicator, peers: list[str], seed: int) -> None:
    """Peer districts: their own growth path and shock, scaled to their 2020 level."""
    s = _slots(ind)
    base, growth, profile, pandemic, noise = PARAMS[ind.code]
    column = PEER_INDICATORS.index(ind.code)
    for region in peers:
        rng = _rng(seed, ind.code, region)
        params = (1.0, growth + rng.uniform(-0.02, 0.02), profile, pandemic * rng.uniform(0.7, 1.3), noise)
        flows = _flows(rng, params)
        level_2020 = (PEERS[region][column] if region in PEERS else base * 3) * rng.uniform(0.97, 1.03)
        cum = np.cumsum(flows * level_2020 / flows[2020 - Y0].sum(), axis=1)
        cur, prev = cum[s.yi, s.mi], cum[s.yi - 1, s.mi]
        yoy = _yoy(cur, prev, rng, ind.growth_basis is GrowthBasis.CONSTANT)
        rows.add(ind, region, s.labels, np.round(cur, 2), yoy, s.due, rng)


def _weeks() -> list[Period]:
    first = Period(Y0, Frequency.WEEKLY, 1)
    n = (LAST_WEEK_END - first.end_date()).days // 7 + 1
    return [from_date(first.end_date() + timedelta(weeks=k), Frequency.WEEKLY) for k in range(n)]


def _prices(code: str, weeks: list[Period], seed: int) -> np.ndarray:
    """Weekly point prices (元/500克) with AR(1) noise: pork follows PORK, vegetables a winter-high season."""
    rng = _rng(seed, code, "prices")
    days = np.array([w.end_date().toordinal() for w in weeks], dtype=float)
    eps = rng.normal(0.0, 0.015, len(weeks))
    ar = np.zeros(len(weeks))
    for i in range(1, len(weeks)):
        ar[i] = 0.7 * ar[i - 1] + eps[i]
    if code == "pork_price":
        path = np.interp(days, [d.toordinal() for d, _ in PORK], [p for _, p in PORK])
    else:
        years = (days - date(Y0, 1, 1).toordinal()) / 365.25
        path = 2.6 * 1.03**years * (1 + 0.12 * np.cos(2 * np.pi * (years - 30 / 365)))
        path *= 1 + 0.1 * np.exp(-(((days - date(2020, 2, 10).toordinal()) / 20) ** 2))  # 2020 lockdown
    return np.asarray(path * np.exp(ar))


def _weekly(rows: _Rows, ind: Indicator, district: str, seed: int) -> None:
    weeks = _weeks()
    price = _prices(ind.code, weeks, seed)
    index = {w: i for i, w in enumerate(weeks)}
    out = [w for w in weeks if w.year >= FIRST_YEAR]
    cur = np.round(np.array([price[index[w]] for w in out]), 2)
    prev = np.round(np.array([price[index[w.same_period_last_year()]] for w in out]), 2)
    yoy = np.round((cur / prev - 1) * 100, 1)
    due = np.array([due_date(w, 0, ind.due_day) for w in out], dtype="datetime64[D]")
    labels = np.array([str(w) for w in out], dtype=object)
    rows.add(ind, district, labels, cur, yoy, due, _rng(seed, ind.code, "known_from"))


def _cpi(rows: _Rows, ind: Indicator, district: str, seed: int) -> None:
    """Monthly CPI (上年同期=100) driven by the pork cycle: yoy ≈ 1.6 + 0.03 x pork yoy."""
    weeks = _weeks()
    pork = _prices("pork_price", weeks, seed)
    monthly = np.full((NY, 12), np.nan)
    keys = np.array([(w.end_date().year - Y0) * 12 + w.end_date().month - 1 for w in weeks])
    for k in np.unique(keys):
        monthly.flat[k] = pork[keys == k].mean()
    s = _slots(ind)
    rng = _rng(seed, ind.code, "district")
    pork_yoy = (monthly[s.yi, s.mi] / monthly[s.yi - 1, s.mi] - 1) * 100
    value = np.round(101.6 + 0.03 * pork_yoy + rng.normal(0.0, 0.2, len(pork_yoy)), 1)
    rows.add(ind, district, s.labels, value, np.round(value - 100, 1), s.due, rng)


def _revise(frame: pd.DataFrame, decimals: Mapping[str, int]) -> pd.DataFrame:
    """Append the revisions as later rows of the same key with a changed value and growth."""
    extra = []
    for code, region, period, change, known in REVISIONS:
        hit = frame[(frame["indicator"] == code) & (frame["region"] == region) & (frame["period"] == period)]
        if hit.empty or code not in decimals:
            continue
        row = hit.iloc[[-1]].copy()
        row["value"] = np.round(row["value"] * (1 + change), decimals[code])
        row["yoy"] = np.round(((1 + row["yoy"] / 100) * (1 + change) - 1) * 100, 1)
        row["known_from"] = pd.Timestamp(known.isoformat() + " 10:00", tz=CST).tz_convert("UTC")
        extra.append(row)
    return pd.concat([frame, *extra], ignore_index=True) if extra else frame


def generate_sample(catalogue: Catalogue, seed: int = 20210720) -> SampleData:
    """Generate the deterministic sample for every indicator of the catalogue (see module docstring), for
    the regions whose level reports it (the indicator's `regions`)."""
    district = catalogue.meta.default_region
    streets = [r.code for r in catalogue.regions.values() if r.kind is RegionKind.STREET and r.parent == district]
    peers = [r.code for r in catalogue.regions.values() if r.kind is RegionKind.PEER]
    rows = _Rows()
    cache: dict[str, np.ndarray] = {}
    for ind in catalogue.indicators.values():
        own = (district, streets if ind.reported_by(RegionKind.STREET) else [])  # no street GDP, 土地出让, ...
        if ind.measure is Measure.PRICE:
            _weekly(rows, ind, district, seed)
        elif ind.measure is Measure.INDEX:
            _cpi(rows, ind, district, seed)
        elif ind.measure is Measure.CUMULATIVE:
            _cumulative(rows, ind, own, seed, cache)
        else:
            _stock_or_rate(rows, ind, own, seed, cache)
        if ind.reported_by(RegionKind.PEER) and ind.code in PEER_INDICATORS and ind.code in PARAMS:
            _peers(rows, ind, peers, seed)
    frame = _revise(rows.frame(), {c: DECIMALS.get(i.unit, 2) for c, i in catalogue.indicators.items()})
    own = frame["region"].isin([district, *streets]).to_numpy()
    gone = np.array([key in MISSING for key in zip(frame["indicator"], frame["period"], strict=True)])
    frame = frame[~(own & gone)]
    frame = frame.sort_values(["indicator", "region", "period", "known_from"], kind="stable").reset_index(drop=True)
    return SampleData(today=SAMPLE_TODAY, observations=frame[COLUMNS], missing=MISSING)
