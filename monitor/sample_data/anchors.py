"""The figures the sample is anchored on: published totals and growth, per-indicator trend and season.

Yearly and half-year totals come from reference_figures.md; the parameters give each series its
trend, seasonal profile and 2020 shock. Plain data: `generate` turns it into observations.
"""

from __future__ import annotations

from datetime import date, timedelta, timezone

import numpy as np

SAMPLE_TODAY = date(2021, 7, 20)
FIRST_YEAR, LAST_YEAR, LAST_MONTH = 2016, 2021, 6
LAST_WEEK_END = date(2021, 7, 18)
COLUMNS = ["indicator", "region", "period", "value", "yoy", "known_from"]

Y0 = FIRST_YEAR - 1  # 2015 is generated so that 2016 has a growth base
YEARS = np.arange(Y0, LAST_YEAR + 1)
NY = len(YEARS)
CST = timezone(timedelta(hours=8))  # fixed offset: China Standard Time has no DST
RELEASE_UTC = np.timedelta64(10, "h") - np.timedelta64(int(CST.utcoffset(None).total_seconds()), "s")
DEFLATOR = 2.0  # pp between nominal and real (可比价) growth
STREET_SUM_TOL = 0.008  # street totals deviate from the district by at most this share
DECIMALS = {
    "亿元": 2,
    "万元": 1,
    "万美元": 1,
    "个": 0,
    "家": 0,
    "人": 0,
    "元": 0,
    "万平方米": 2,
    "亿千瓦时": 2,
    "万吨公里": 1,
    "万人公里": 1,
    "元/500克": 2,
    "上年同期=100": 1,
}
COUNT_UNITS = {"个", "家", "人"}

PANDEMIC = np.array([0.92, 0.45, 0.7, 0.85, 0.92, 0.96, 0.99, 1.0, 1.02, 1.03, 1.04, 1.05])
PROFILES: dict[str, tuple[float, ...]] = {  # relative monthly flow; Jan-Feb carry the Spring Festival
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
PARAMS: dict[str, tuple[float, float, str, float, float]] = {
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
    "reemployment": (9500.0, 0.02, "jobs", 0.6, 0.05),
    "self_employment": (1900.0, 0.02, "jobs", 0.6, 0.08),
    "graduate_startups": (120.0, 0.04, "graduates", 0.6, 0.15),
    "social_insurance_new": (52000.0, 0.03, "flat", 0.5, 0.05),
    "culture_enterprises": (67.0, 0.06, "stock", 0.0, 0.01),  # about 98 in mid-2021 (reference_figures.md)
}
DEFAULT_PARAMS = (100.0, 0.05, "flat", 0.8, 0.05)
# code: (parent, share of the parent's monthly flow, yearly drift of that share)
DERIVED: dict[str, tuple[str, float, float]] = {
    "retail_above": ("retail_sales", 0.42, 0.0),
    "retail_trade_above": ("retail_sales", 0.48, 0.0),
    "tax_revenue": ("revenue", 0.86, 0.005),
    "for_profit_services_revenue": ("services_revenue", 0.52, 0.005),
    "housing_sales_value": ("housing_sales_area", 2.8, 0.06),  # 亿元 per 万平方米 = 万元/m2
    "livelihood_expenditure": ("public_expenditure", 0.76, 0.0),
}
YEAR_ADJ = {  # one-off level shifts: 压降一般性支出, the 2015 and 2020-21 stock-market turnover
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
GDP19, _REV19, _UI20 = 802 / 1.021, 63.8 / 1.003, 66000.0
ANNUAL: dict[str, dict[int, float]] = {
    "gdp": {2015: 595.0, 2016: 640.0, 2017: 690.0, 2018: 3656 - 802 - GDP19 - 640 - 690, 2019: GDP19, 2020: 802.0},
    "revenue": {2015: 59.0, 2016: 53.0, 2017: 53.9, 2018: 290.7 - 63.8 - _REV19 - 53 - 53.9, 2019: _REV19, 2020: 63.8},
    "fai": _back(237.0, (9, 8, 7, 6, 0.1)),
    "retail_sales": _back(822.0, (9, 8.5, 7.5, 6.5, -4.5)),
    "urban_income": _back(_UI20, (8.5, 8.3, 8.2, 8.0, 4.0)),
    "new_jobs": {2015: 50500, 2016: 52000, 2017: 54000, 2018: 55500, 2019: 56800, 2020: 58000},
    "graduate_jobs": {2015: 9000, 2016: 10000, 2017: 11500, 2018: 13000, 2019: 14500, 2020: 16000},
    "hq_enterprises": {2015: 6, 2016: 7, 2017: 8, 2018: 8, 2019: 9, 2020: 9},
}
H1: dict[str, dict[int, float]] = {  # 2020 H1 = 2021 H1 / (1 + nominal growth); real = nominal - deflator
    "gdp": {2020: 408.5 / (1 + (10.7 + DEFLATOR) / 100), 2021: 408.5},
    "revenue": {2020: 39.5 / 1.161, 2021: 39.5},
    "fai": {2020: 117.4 / 1.101, 2021: 117.4},
    "retail_sales": {2020: 479.6 / 1.313, 2021: 479.6},
    "urban_income": {2020: 0.49 * _UI20, 2021: 0.49 * _UI20 * (1 + (9.2 + DEFLATOR) / 100)},
    "key_project_investment": {2021: 131.27},
    "new_jobs": {2021: 19000.0},
    "graduate_jobs": {2021: 4700.0},
    "hq_enterprises": {2021: 3.0},
    "reemployment": {2021: 5200.0},  # the 2021 goals' indicators: plausible half-year figures, not published ones
    "self_employment": {2021: 1050.0},
    "graduate_startups": {2021: 68.0},
    "social_insurance_new": {2021: 28500.0},
}
PUBLISHED_YOY = {  # published growth of the anchor periods, exactly
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
PEERS: dict[str, tuple[float, float, float, float]] = {  # 2020 levels in 亿元: gdp, revenue, fai, retail_sales
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
PORK = (  # (date, 元/500克): flat around 12-15, the 2019-2020 African-swine-fever spike, falling back in 2021
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
