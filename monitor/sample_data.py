"""Synthetic sample data (示例数据) for the demo: 2016-01 to 2021-06, anchored on published figures.

Pure: no database, files or clock. Each series draws from its own numpy Generator seeded with
(seed, series name), so the result does not depend on the catalogue's order. Yearly and half-year
totals land on reference_figures.md; the rest follows per-indicator trend, season and 2020 shock.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta, timezone

import numpy as np
import pandas as pd

from monitor.domain.catalogue import Catalogue, GrowthBasis, Indicator, Measure, RegionKind
from monitor.domain.periods import Frequency, Period, due_date, from_date

__all__ = ["SAMPLE_TODAY", "SampleData", "generate_sample"]

SAMPLE_TODAY = date(2021, 7, 20)
FIRST_YEAR, LAST_YEAR, LAST_MONTH = 2016, 2021, 6
LAST_WEEK_END = date(2021, 7, 18)
COLUMNS = ["indicator", "region", "period", "value", "yoy", "known_from"]

_Y0 = FIRST_YEAR - 1  # 2015 is generated so that 2016 has a growth base
_YEARS = np.arange(_Y0, LAST_YEAR + 1)
_NY = len(_YEARS)
_CST = timezone(timedelta(hours=8))  # fixed offset: China Standard Time has no DST
_RELEASE_UTC = np.timedelta64(10, "h") - np.timedelta64(int(_CST.utcoffset(None).total_seconds()), "s")
_DEFLATOR = 2.0  # pp between nominal and real (可比价) growth
_STREET_SUM_TOL = 0.008  # street totals deviate from the district by at most this share
_DECIMALS = {
    "亿元": 2,
    "万元": 1,
    "万美元": 1,
    "个": 0,
    "家": 0,
    "元": 0,
    "万平方米": 2,
    "亿千瓦时": 2,
    "万吨公里": 1,
    "万人公里": 1,
    "元/500克": 2,
    "上年同期=100": 1,
}
_COUNT_UNITS = {"个", "家", "人"}

_PANDEMIC = np.array([0.92, 0.45, 0.7, 0.85, 0.92, 0.96, 0.99, 1.0, 1.02, 1.03, 1.04, 1.05])
_PROFILES: dict[str, tuple[float, ...]] = {  # relative monthly flow; Jan-Feb carry the Spring Festival
    "flat": (0.9, 0.85, 1, 1, 1, 1, 1, 1, 1, 1.05, 1.05, 1.15),
    "gdp": (0.85, 0.85, 1, 1, 1, 1.05, 1, 1, 1.05, 1.05, 1.05, 1.1),
    "invest": (0.65, 0.65, 1.0, 1.05, 1.1, 1.2, 0.95, 0.95, 1.0, 1.05, 1.1, 1.5),
    "fiscal": (1.6, 0.95, 1.1, 1.25, 1.0, 0.95, 0.9, 0.85, 0.8, 0.95, 0.7, 0.8),
    "retail": (1.0, 0.85, 0.95, 0.95, 1.0, 1.0, 0.95, 0.95, 1.0, 1.1, 1.05, 1.2),
    "tourism": (0.9, 0.85, 0.95, 1.05, 1.1, 0.95, 1.05, 1.1, 0.95, 1.15, 0.95, 0.95),
    "jobs": (0.6, 0.6, 1.0, 1.0, 1.0, 1.3, 1.4, 1.2, 1.0, 0.9, 0.8, 0.8),
    "graduates": (0.3, 0.3, 0.6, 0.7, 0.9, 1.6, 1.9, 1.5, 1.0, 0.8, 0.6, 0.5),
    "expend": (0.6, 0.7, 0.9, 0.9, 0.9, 1.0, 0.9, 0.9, 1.0, 1.0, 1.1, 2.0),
    "power": (1.05, 0.8, 0.95, 0.9, 0.95, 1.05, 1.25, 1.25, 1.0, 0.9, 0.9, 1.0),
    "realestate": (0.5, 0.4, 0.9, 0.9, 1.0, 1.3, 0.9, 0.9, 1.1, 1.0, 1.0, 1.4),
    "postal": (1.0, 0.7, 0.95, 0.95, 1.0, 1.05, 0.95, 0.95, 1.0, 1.05, 1.35, 1.2),
    "insurance": (2.2, 1.2, 1.3, 0.8, 0.8, 0.9, 0.8, 0.8, 0.8, 0.8, 0.7, 0.7),
    "income": (1.3, 1.0, 0.95, 0.95, 0.95, 1.0, 0.95, 0.95, 0.95, 0.95, 0.95, 1.1),
    "wages": (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.3),
    "agri": (0.6, 0.6, 0.8, 0.9, 1.1, 1.3, 1.2, 1.1, 1.3, 1.2, 0.9, 0.9),
    "stock": (0.99, 0.995, 1.005, 1.0, 1.0, 1.01, 1.0, 1.0, 1.01, 1.0, 1.0, 1.005),
}
# code: (2015 annual flow or stock level in the catalogue unit, trend growth, profile, 2020 shock sensitivity, noise)
_PARAMS: dict[str, tuple[float, float, str, float, float]] = {
    "gdp": (595.0, 0.07, "gdp", 0.45, 0.01),
    "urban_income": (48000.0, 0.08, "income", 0.15, 0.01),
    "fai": (190.0, 0.07, "invest", 1.0, 0.04),
    "industrial_investment": (14.0, 0.03, "invest", 1.0, 0.15),
    "real_estate_investment": (95.0, 0.05, "invest", 0.8, 0.08),
    "key_project_investment": (160.0, 0.08, "flat", 0.7, 0.06),
    "retail_sales": (620.0, 0.08, "retail", 1.0, 0.015),
    "catering_above": (260000.0, 0.05, "tourism", 1.4, 0.04),
    "fdi_actual": (26000.0, 0.03, "flat", 0.5, 0.35),
    "signed_projects_100m": (24.0, 0.05, "flat", 0.6, 0.3),
    "new_registered_capital": (180.0, 0.06, "flat", 0.7, 0.25),
    "hq_enterprises": (6.0, 0.08, "flat", 0.6, 0.2),
    "revenue": (59.0, 0.02, "fiscal", 0.6, 0.03),
    "general_expenditure": (6.5, 0.03, "expend", 0.0, 0.06),
    "services_revenue": (380.0, 0.08, "flat", 0.8, 0.03),
    "housing_sales_area": (70.0, -0.02, "realestate", 1.0, 0.2),
    "land_transfer": (45.0, 0.03, "flat", 0.5, 0.8),
    "industrial_output": (210.0, 0.02, "flat", 0.6, 0.04),
    "industrial_va": (100.0, 0.05, "flat", 0.6, 0.03),
    "trade": (160.0, 0.02, "flat", 0.6, 0.08),
    "deposits": (2100.0, 0.07, "stock", 0.0, 0.005),
    "loans": (1450.0, 0.085, "stock", 0.0, 0.005),
    "new_jobs": (50500.0, 0.03, "jobs", 0.8, 0.05),
    "graduate_jobs": (9000.0, 0.1, "graduates", 0.8, 0.05),
    "agri_output": (3.5, 0.01, "agri", 0.2, 0.05),
    "small_industrial_va": (100.0, 0.04, "flat", 0.8, 0.03),
    "industrial_power": (9.0, 0.01, "power", 0.6, 0.03),
    "construction_output": (300.0, 0.05, "invest", 0.9, 0.05),
    "wholesale_above": (900.0, 0.05, "flat", 0.6, 0.05),
    "small_trade_growth": (100.0, 0.05, "retail", 1.2, 0.03),
    "accommodation_above": (150000.0, 0.05, "tourism", 1.6, 0.05),
    "freight_turnover": (60000.0, 0.02, "flat", 0.5, 0.06),
    "passenger_turnover": (250000.0, -0.01, "tourism", 1.5, 0.05),
    "postal_volume": (12.0, 0.15, "postal", 0.2, 0.04),
    "transport_revenue": (60.0, 0.05, "flat", 0.9, 0.04),
    "telecom_volume": (30.0, 0.25, "flat", 0.0, 0.03),
    "software_revenue": (45.0, 0.12, "flat", 0.2, 0.04),
    "insurance_premium": (80.0, 0.08, "insurance", 0.4, 0.05),
    "securities_turnover": (9000.0, 0.05, "flat", 0.0, 0.15),
    "property_services_revenue": (35.0, 0.06, "flat", 0.5, 0.04),
    "leasing_business_revenue": (90.0, 0.07, "flat", 0.7, 0.04),
    "research_tech_revenue": (40.0, 0.10, "flat", 0.4, 0.04),
    "culture_resident_revenue": (20.0, 0.06, "tourism", 1.3, 0.05),
    "public_expenditure": (55.0, 0.05, "expend", 0.0, 0.05),
    "public_wages": (22.0, 0.06, "wages", 0.0, 0.02),
    "power_consumption": (45.0, 0.03, "power", 0.4, 0.03),
}
_DEFAULT_PARAMS = (100.0, 0.05, "flat", 0.8, 0.05)
# code: (parent, share of the parent's monthly flow, yearly drift of that share)
_DERIVED: dict[str, tuple[str, float, float]] = {
    "retail_above": ("retail_sales", 0.42, 0.0),
    "retail_trade_above": ("retail_sales", 0.48, 0.0),
    "tax_revenue": ("revenue", 0.86, 0.005),
    "for_profit_services_revenue": ("services_revenue", 0.52, 0.005),
    "housing_sales_value": ("housing_sales_area", 2.8, 0.06),  # 亿元 per 万平方米 = 万元/m2
    "livelihood_expenditure": ("public_expenditure", 0.76, 0.0),
}
_YEAR_ADJ = {  # one-off level shifts: 压降一般性支出, the 2015 and 2020-21 stock-market turnover
    "general_expenditure": {2020: 0.88, 2021: 0.9},
    "securities_turnover": {2015: 1.9, 2020: 1.35, 2021: 1.4},
    "housing_sales_area": {2016: 1.3, 2017: 0.9},
}


def _back(last: float, growth: tuple[float, ...]) -> dict[int, float]:
    """Annual levels 2015-2020 ending at `last` (2020), given growth in percent for 2016..2020."""
    levels = {2020: last}
    for year, g in zip(range(2020, 2015, -1), reversed(growth), strict=True):
        levels[year - 1] = levels[year] / (1 + g / 100)
    return levels


# Anchors (reference_figures.md): annual totals and H1 (1-6月) totals the district series are scaled to.
_GDP19, _REV19, _UI20 = 802 / 1.021, 63.8 / 1.003, 66000.0
_ANNUAL: dict[str, dict[int, float]] = {
    "gdp": {2015: 595.0, 2016: 640.0, 2017: 690.0, 2018: 3656 - 802 - _GDP19 - 640 - 690, 2019: _GDP19, 2020: 802.0},
    "revenue": {2015: 59.0, 2016: 53.0, 2017: 53.9, 2018: 290.7 - 63.8 - _REV19 - 53 - 53.9, 2019: _REV19, 2020: 63.8},
    "fai": _back(237.0, (9, 8, 7, 6, 0.1)),
    "retail_sales": _back(822.0, (9, 8.5, 7.5, 6.5, -4.5)),
    "urban_income": _back(_UI20, (8.5, 8.3, 8.2, 8.0, 4.0)),
    "new_jobs": {2015: 50500, 2016: 52000, 2017: 54000, 2018: 55500, 2019: 56800, 2020: 58000},
    "graduate_jobs": {2015: 9000, 2016: 10000, 2017: 11500, 2018: 13000, 2019: 14500, 2020: 16000},
    "hq_enterprises": {2015: 6, 2016: 7, 2017: 8, 2018: 8, 2019: 9, 2020: 9},
}
_H1: dict[str, dict[int, float]] = {  # 2020 H1 = 2021 H1 / (1 + nominal growth); real = nominal - deflator
    "gdp": {2020: 408.5 / (1 + (10.7 + _DEFLATOR) / 100), 2021: 408.5},
    "revenue": {2020: 39.5 / 1.161, 2021: 39.5},
    "fai": {2020: 117.4 / 1.101, 2021: 117.4},
    "retail_sales": {2020: 479.6 / 1.313, 2021: 479.6},
    "urban_income": {2020: 0.49 * _UI20, 2021: 0.49 * _UI20 * (1 + (9.2 + _DEFLATOR) / 100)},
    "key_project_investment": {2021: 131.27},
    "new_jobs": {2021: 19000.0},
    "graduate_jobs": {2021: 4700.0},
    "hq_enterprises": {2021: 3.0},
}
_PUBLISHED_YOY = {  # published growth of the anchor periods, exactly
    ("gdp", "2020-Q4"): 0.1,
    ("gdp", "2021-Q2"): 10.7,
    ("revenue", "2020-12"): 0.3,
    ("revenue", "2021-06"): 16.1,
    ("fai", "2020-12"): 0.1,
    ("fai", "2021-06"): 10.1,
    ("retail_sales", "2021-06"): 31.3,
    ("urban_income", "2021-Q2"): 9.2,
}
PEER_INDICATORS = ("gdp", "revenue", "fai", "retail_sales")
_PEERS: dict[str, tuple[float, float, float, float]] = {  # 2020 levels in 亿元: gdp, revenue, fai, retail_sales
    "wuzhong": (1400, 140, 480, 560),
    "xiangcheng": (900, 95, 420, 300),
    "wujiang": (2000, 215, 700, 700),
    "huqiu_snd": (1500, 155, 560, 480),
    "sip": (2900, 370, 600, 1000),
    "changshu": (2370, 205, 700, 1000),
    "zhangjiagang": (2690, 240, 650, 780),
    "kunshan": (4280, 430, 1000, 1300),
    "taicang": (1390, 160, 500, 430),
}
# (indicator, region, period, relative change, date the revision became known)
REVISIONS = (
    ("revenue", "gusu", "2021-05", 0.015, date(2021, 6, 28)),
    ("fai", "gusu", "2021-04", -0.02, date(2021, 5, 30)),
    ("gdp", "gusu", "2021-Q1", 0.008, date(2021, 5, 10)),
    ("retail_sales", "gusu.pingjiang", "2021-03", 0.024, date(2021, 4, 26)),
    ("new_jobs", "gusu.canglang", "2021-05", -0.03, date(2021, 6, 22)),
)
MISSING = (("land_transfer", "2021-06"), ("postal_volume", "2021-05"), ("housing_sales_area", "2021-06"))
_PORK = (  # (date, 元/500克): flat around 12-15, the 2019-2020 African-swine-fever spike, falling back in 2021
    (date(2014, 12, 1), 12.0),
    (date(2015, 6, 1), 11.5),
    (date(2015, 12, 1), 13.5),
    (date(2016, 5, 15), 15.5),
    (date(2016, 9, 1), 14.5),
    (date(2017, 1, 1), 14.0),
    (date(2017, 6, 1), 12.0),
    (date(2018, 1, 1), 12.5),
    (date(2018, 5, 15), 10.8),
    (date(2018, 12, 1), 11.8),
    (date(2019, 3, 1), 12.0),
    (date(2019, 6, 1), 14.0),
    (date(2019, 9, 1), 22.0),
    (date(2019, 11, 10), 29.0),
    (date(2019, 12, 20), 27.0),
    (date(2020, 2, 15), 30.0),
    (date(2020, 5, 15), 27.0),
    (date(2020, 8, 15), 29.0),
    (date(2020, 11, 15), 25.0),
    (date(2021, 1, 15), 26.0),
    (date(2021, 3, 15), 21.0),
    (date(2021, 6, 15), 16.0),
    (date(2021, 8, 1), 15.5),
)


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
    t = (_YEARS[:, None] - _Y0) + (np.arange(12)[None, :] + 0.5) / 12
    season = np.asarray(_PROFILES[profile], dtype=float)
    shock = np.ones((_NY, 12))
    shock[_YEARS == 2020] = 1 - pandemic * (1 - _PANDEMIC)
    eps = rng.normal(0.0, noise, (_NY, 12))
    return np.asarray(base / 12 * (1 + growth) ** t * season / season.mean() * shock * np.exp(eps - noise**2 / 2))


def _anchor(flows: np.ndarray, annual: Mapping[int, float], h1: Mapping[int, float]) -> np.ndarray:
    """Scale flows so that the given H1 and annual totals hold exactly."""
    out = flows.copy()
    for year, total in h1.items():
        out[year - _Y0, :6] *= total / out[year - _Y0, :6].sum()
    for year, total in annual.items():
        row = out[year - _Y0]
        if year in h1:
            row[6:] *= (total - h1[year]) / row[6:].sum()
        else:
            row *= total / row.sum()
    return out


def _district_flows(code: str, seed: int, cache: dict[str, np.ndarray]) -> np.ndarray:
    """The district's monthly flows (or balances, for stocks) of an indicator, anchored."""
    if code not in cache:
        rng = _rng(seed, code, "district")
        if code in _DERIVED:
            parent, share, drift = _DERIVED[code]
            t = (_YEARS - _Y0)[:, None]
            flows = _district_flows(parent, seed, cache) * share * (1 + drift) ** t
            flows = flows * np.exp(rng.normal(0.0, 0.02, (_NY, 12)))
        else:
            flows = _flows(rng, _PARAMS.get(code, _DEFAULT_PARAMS))
            for year, k in _YEAR_ADJ.get(code, {}).items():
                flows[year - _Y0] *= k
            flows = _anchor(flows, _ANNUAL.get(code, {}), _H1.get(code, {}))
        cache[code] = flows
    return cache[code]


def _yoy(cur: np.ndarray, prev: np.ndarray, rng: np.random.Generator, constant: bool, noise: float = 0.3) -> np.ndarray:
    """Published growth: from levels, ± `noise` pp for the comparable base, real when constant; NaN on a zero base."""
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(prev > 0, (cur / prev - 1) * 100, np.nan)
    g = g + rng.uniform(-noise, noise, g.shape) - (_DEFLATOR if constant else 0.0)
    return np.round(np.maximum(g, -100.0), 1)


def _street_weights(rng: np.random.Generator, n: int) -> np.ndarray:
    """Fixed per-indicator street shares: Dirichlet, but every street keeps at least half an equal share."""
    return 0.5 / n + 0.5 * rng.dirichlet(np.full(n, 3.0))


def _street_total(rng: np.random.Generator, flows: np.ndarray, district: np.ndarray, count: bool) -> np.ndarray:
    """What the streets add up to (in rounding units): the district ± at most _STREET_SUM_TOL, never decreasing."""
    if count:
        return district
    skew = 1 + rng.uniform(-_STREET_SUM_TOL, _STREET_SUM_TOL, (_NY, 12))
    ratio = np.cumsum(flows * skew, axis=1) / np.cumsum(flows, axis=1) - 1
    bound = np.floor(_STREET_SUM_TOL * district)
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
        np.array([y - _Y0 for y, _, _ in picked]),
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
        known = due.astype("datetime64[ns]") + _RELEASE_UTC - early
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
    s, dec = _slots(ind), _DECIMALS.get(ind.unit, 2)
    units, count = 10.0**dec, ind.unit in _COUNT_UNITS
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
        shares = weights[:, None, None] * np.exp(srng.normal(0.0, 0.05, (len(streets), _NY, 12)))
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
                yoy[i] = _PUBLISHED_YOY.get((ind.code, label), yoy[i])
        rows.add(ind, region, s.labels, cur, yoy, s.due, rng)


def _stock_or_rate(
    rows: _Rows, ind: Indicator, regions: tuple[str, list[str]], seed: int, cache: dict[str, np.ndarray]
) -> None:
    """Stocks (end-of-month balances) and rates (growth of a hidden level, value NaN)."""
    s, dec = _slots(ind), _DECIMALS.get(ind.unit, 2)
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
    base, growth, profile, pandemic, noise = _PARAMS[ind.code]
    column = PEER_INDICATORS.index(ind.code)
    for region in peers:
        rng = _rng(seed, ind.code, region)
        params = (1.0, growth + rng.uniform(-0.02, 0.02), profile, pandemic * rng.uniform(0.7, 1.3), noise)
        flows = _flows(rng, params)
        level_2020 = (_PEERS[region][column] if region in _PEERS else base * 3) * rng.uniform(0.97, 1.03)
        cum = np.cumsum(flows * level_2020 / flows[2020 - _Y0].sum(), axis=1)
        cur, prev = cum[s.yi, s.mi], cum[s.yi - 1, s.mi]
        yoy = _yoy(cur, prev, rng, ind.growth_basis is GrowthBasis.CONSTANT)
        rows.add(ind, region, s.labels, np.round(cur, 2), yoy, s.due, rng)


def _weeks() -> list[Period]:
    first = Period(_Y0, Frequency.WEEKLY, 1)
    n = (LAST_WEEK_END - first.end_date()).days // 7 + 1
    return [from_date(first.end_date() + timedelta(weeks=k), Frequency.WEEKLY) for k in range(n)]


def _prices(code: str, weeks: list[Period], seed: int) -> np.ndarray:
    """Weekly point prices (元/500克) with AR(1) noise: pork follows _PORK, vegetables a winter-high season."""
    rng = _rng(seed, code, "prices")
    days = np.array([w.end_date().toordinal() for w in weeks], dtype=float)
    eps = rng.normal(0.0, 0.015, len(weeks))
    ar = np.zeros(len(weeks))
    for i in range(1, len(weeks)):
        ar[i] = 0.7 * ar[i - 1] + eps[i]
    if code == "pork_price":
        path = np.interp(days, [d.toordinal() for d, _ in _PORK], [p for _, p in _PORK])
    else:
        years = (days - date(_Y0, 1, 1).toordinal()) / 365.25
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
    monthly = np.full((_NY, 12), np.nan)
    keys = np.array([(w.end_date().year - _Y0) * 12 + w.end_date().month - 1 for w in weeks])
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
        row["known_from"] = pd.Timestamp(known.isoformat() + " 10:00", tz=_CST).tz_convert("UTC")
        extra.append(row)
    return pd.concat([frame, *extra], ignore_index=True) if extra else frame


def generate_sample(catalogue: Catalogue, seed: int = 20210720) -> SampleData:
    """Generate the deterministic sample for every indicator of the catalogue (see module docstring)."""
    district = catalogue.meta.default_region
    streets = [r.code for r in catalogue.regions.values() if r.kind is RegionKind.STREET and r.parent == district]
    peers = [r.code for r in catalogue.regions.values() if r.kind is RegionKind.PEER]
    rows = _Rows()
    cache: dict[str, np.ndarray] = {}
    for ind in catalogue.indicators.values():
        if ind.measure is Measure.PRICE:
            _weekly(rows, ind, district, seed)
        elif ind.measure is Measure.INDEX:
            _cpi(rows, ind, district, seed)
        elif ind.measure is Measure.CUMULATIVE:
            _cumulative(rows, ind, (district, [] if ind.code == "urban_income" else streets), seed, cache)
        else:
            _stock_or_rate(rows, ind, (district, streets), seed, cache)
        if ind.code in PEER_INDICATORS and ind.code in _PARAMS:
            _peers(rows, ind, peers, seed)
    frame = _revise(rows.frame(), {c: _DECIMALS.get(i.unit, 2) for c, i in catalogue.indicators.items()})
    own = frame["region"].isin([district, *streets]).to_numpy()
    gone = np.array([key in MISSING for key in zip(frame["indicator"], frame["period"], strict=True)])
    frame = frame[~(own & gone)]
    frame = frame.sort_values(["indicator", "region", "period", "known_from"], kind="stable").reset_index(drop=True)
    return SampleData(today=SAMPLE_TODAY, observations=frame[COLUMNS], missing=MISSING)
