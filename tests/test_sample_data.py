"""Behaviour of the synthetic sample data generator (monitor.sample_data)."""

from __future__ import annotations

import itertools
import tomllib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from monitor.domain.catalogue import Catalogue, GrowthBasis, Measure, RegionKind, parse_catalogue
from monitor.domain.periods import Frequency, due_date, parse_period
from monitor.sample_data import SAMPLE_TODAY, SampleData, generate_sample

ROOT = Path(__file__).resolve().parents[1]
CST = timezone(timedelta(hours=8))
HEADLINE = {"gdp", "revenue", "fai", "retail_sales"}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    with open(ROOT / "indicators.toml", "rb") as fh:
        return parse_catalogue(tomllib.load(fh))


@pytest.fixture(scope="module")
def sample(catalogue: Catalogue) -> SampleData:
    return generate_sample(catalogue)


@pytest.fixture(scope="module")
def obs(sample: SampleData) -> pd.DataFrame:
    return sample.observations


@pytest.fixture(scope="module")
def latest(obs: pd.DataFrame) -> pd.DataFrame:
    """The latest revision of every figure, indexed by (indicator, region, period)."""
    return obs.groupby(["indicator", "region", "period"]).tail(1).set_index(["indicator", "region", "period"])


@pytest.fixture(scope="module")
def streets(catalogue: Catalogue) -> list[str]:
    return [r.code for r in catalogue.regions.values() if r.kind is RegionKind.STREET and r.parent == "gusu"]


@pytest.fixture(scope="module")
def peers(catalogue: Catalogue) -> list[str]:
    return [r.code for r in catalogue.regions.values() if r.kind is RegionKind.PEER]


def fig(latest: pd.DataFrame, indicator: str, period: str, field: str = "value", region: str = "gusu") -> float:
    return float(latest.loc[(indicator, region, period), field])


# ---------------------------------------------------------------- anchors (reference_figures.md)
VALUE_ANCHORS = [
    ("gdp", "2020-Q4", 802.0),
    ("revenue", "2020-12", 63.8),
    ("fai", "2020-12", 237.0),
    ("retail_sales", "2020-12", 822.0),
    ("new_jobs", "2020-12", 58000.0),
    ("graduate_jobs", "2020-12", 16000.0),
    ("gdp", "2021-Q2", 408.5),
    ("revenue", "2021-06", 39.5),
    ("fai", "2021-06", 117.4),
    ("retail_sales", "2021-06", 479.6),
    ("key_project_investment", "2021-06", 131.27),
]
GROWTH_ANCHORS = [
    ("gdp", "2020-Q4", 0.1),
    ("revenue", "2020-12", 0.3),
    ("fai", "2020-12", 0.1),
    ("gdp", "2021-Q2", 10.7),
    ("revenue", "2021-06", 16.1),
    ("fai", "2021-06", 10.1),
    ("retail_sales", "2021-06", 31.3),
]
SUM_ANCHORS = [("gdp", "Q4", 3656.0), ("revenue", "12", 290.7)]


@pytest.mark.parametrize(
    ("indicator", "period", "expected"), VALUE_ANCHORS, ids=[f"{i}-{p}" for i, p, _ in VALUE_ANCHORS]
)
def test_value_anchor_is_met_within_one_percent(latest, indicator, period, expected):
    assert fig(latest, indicator, period) == pytest.approx(expected, rel=0.01)


@pytest.mark.parametrize(
    ("indicator", "period", "expected"), GROWTH_ANCHORS, ids=[f"{i}-{p}" for i, p, _ in GROWTH_ANCHORS]
)
def test_growth_anchor_is_met_within_015_pp(latest, indicator, period, expected):
    assert abs(fig(latest, indicator, period, "yoy") - expected) <= 0.15


@pytest.mark.parametrize(("indicator", "last", "expected"), SUM_ANCHORS, ids=[i for i, _, _ in SUM_ANCHORS])
def test_five_year_total_2016_2020_is_met(latest, indicator, last, expected):
    total = sum(fig(latest, indicator, f"{y}-{last}") for y in range(2016, 2021))
    assert total == pytest.approx(expected, rel=0.01)


# ---------------------------------------------------------------- shape of the frame
def test_frame_has_the_documented_columns_and_types(sample, obs):
    assert sample.today == SAMPLE_TODAY == date(2021, 7, 20)
    assert list(obs.columns) == ["indicator", "region", "period", "value", "yoy", "known_from"]
    assert str(obs["known_from"].dt.tz) == "UTC"
    assert obs["value"].dtype == np.float64
    assert obs["yoy"].dtype == np.float64
    # about 21,000 rows: streets report only the indicators whose `regions` include them (was 25-45k
    # when all 8 streets had every cumulative, stock and rate series, street GDP included)
    assert 18_000 <= len(obs) <= 30_000


def test_rows_are_sorted_by_indicator_region_period_known_from(obs):
    keys = ["indicator", "region", "period", "known_from"]
    pd.testing.assert_frame_equal(obs, obs.sort_values(keys, kind="stable").reset_index(drop=True))


def test_every_indicator_of_the_catalogue_is_present_for_the_district(catalogue, obs):
    assert set(obs.loc[obs["region"] == "gusu", "indicator"]) == set(catalogue.indicators)


def test_periods_are_canonical_and_run_from_2016(catalogue, obs):
    for code, period in obs[["indicator", "period"]].drop_duplicates().itertuples(index=False):
        p = parse_period(period)
        assert str(p) == period
        assert p.frequency is catalogue.indicators[code].frequency
        assert p.year >= 2016
        assert p.end_date() <= date(2021, 7, 18)


def test_first_month_two_indicators_have_no_january_rows(catalogue, obs):
    codes = [c for c, i in catalogue.indicators.items() if i.frequency is Frequency.MONTHLY and i.first_month == 2]
    assert codes
    rows = obs[obs["indicator"].isin(codes)]
    assert not rows["period"].str.endswith("-01").any()
    assert set(rows.loc[rows["region"] == "gusu", "period"].str[5:]) == {f"{m:02d}" for m in range(2, 13)}


def test_quarterly_indicators_have_only_quarter_periods(catalogue, obs):
    codes = [c for c, i in catalogue.indicators.items() if i.frequency is Frequency.QUARTERLY]
    assert set(codes) == {
        "gdp",
        "urban_income",
        "agri_output",
        "small_industrial_va",
        "construction_output",
        "small_trade_growth",
        "securities_turnover",
        "public_wages",
    }
    for code in codes:
        periods = set(obs.loc[(obs["indicator"] == code) & (obs["region"] == "gusu"), "period"])
        assert periods == {f"{y}-Q{q}" for y in range(2016, 2021) for q in range(1, 5)} | {"2021-Q1", "2021-Q2"}


def test_cuoyue_indicators_end_one_month_earlier(catalogue, sample, obs):
    lagged = [c for c, i in catalogue.indicators.items() if i.lag_months == 1]
    assert len(lagged) == 9
    gusu = obs[obs["region"] == "gusu"]
    for code, ind in catalogue.indicators.items():
        if ind.frequency is not Frequency.MONTHLY:
            continue
        expected = "2021-05" if ind.lag_months == 1 else "2021-06"
        if (code, expected) in sample.missing:  # overdue: the figure before it is the last one
            expected = str(parse_period(expected).shift(-1))
        assert gusu.loc[gusu["indicator"] == code, "period"].max() == expected, code


@pytest.mark.parametrize("code", ["pork_price", "vegetable_price"])
def test_weekly_indicators_have_every_iso_week_to_mid_july_2021(obs, code):
    periods = obs.loc[obs["indicator"] == code, "period"].tolist()
    weeks = [parse_period(p) for p in periods]
    assert periods[0] == "2016-W01"
    assert periods[-1] == "2021-W28"
    assert all(w.frequency is Frequency.WEEKLY for w in weeks)
    assert all(b == a.shift(1) for a, b in itertools.pairwise(weeks))
    assert set(obs.loc[obs["indicator"] == code, "region"]) == {"gusu"}


def test_pork_price_shows_the_swine_fever_spike(latest):
    pork = latest.loc[("pork_price", "gusu")]["value"]
    assert 10 <= pork[pork.index.str.startswith("2018")].mean() <= 14
    assert 27 <= pork[pork.index.str[:4].isin(["2019", "2020"])].max() <= 32
    assert pork["2021-W26"] < 20


# ---------------------------------------------------------------- measures
def test_rate_indicators_have_no_value_and_a_growth(catalogue, obs):
    codes = [c for c, i in catalogue.indicators.items() if i.measure is Measure.RATE]
    assert set(codes) == {"industrial_va", "small_industrial_va", "small_trade_growth"}
    rows = obs[obs["indicator"].isin(codes)]
    assert rows["value"].isna().all()
    assert np.isfinite(rows["yoy"]).all()


def test_only_rate_indicators_lack_a_value(catalogue, obs):
    rates = {c for c, i in catalogue.indicators.items() if i.measure is Measure.RATE}
    assert set(obs.loc[obs["value"].isna(), "indicator"]) == rates


def test_cpi_growth_is_the_index_minus_100(obs):
    cpi = obs[obs["indicator"] == "cpi"]
    assert len(cpi) == 66
    np.testing.assert_allclose(cpi["yoy"], cpi["value"] - 100, atol=1e-9)
    assert cpi["value"].between(98, 107).all()


def test_counts_are_whole_numbers(catalogue, obs):
    codes = [c for c, i in catalogue.indicators.items() if i.unit in ("个", "家")]
    values = obs.loc[obs["indicator"].isin(codes), "value"]
    assert (values == values.round()).all()


def test_growth_is_finite_except_on_a_zero_base(catalogue, latest):
    """Only street counts can have a zero base (nothing in the same period last year): no growth then."""
    assert not np.isinf(latest["yoy"]).any()
    gaps = latest[latest["yoy"].isna()]
    for code, region, period in gaps.index:
        assert region != "gusu"
        assert catalogue.indicators[code].unit in ("个", "家")
        base = (code, region, str(parse_period(period).same_period_last_year()))
        if base in latest.index:  # the 2015 base is internal
            assert latest.loc[base, "value"] == 0


def test_cumulative_values_never_decrease_within_a_year(catalogue, latest):
    codes = [c for c, i in catalogue.indicators.items() if i.measure is Measure.CUMULATIVE]
    rows = latest.loc[codes].reset_index()
    rows["year"] = rows["period"].str[:4]
    steps = rows.groupby(["indicator", "region", "year"])["value"].diff().dropna()
    assert (steps >= 0).all()


def test_constant_price_indicators_publish_real_growth_below_nominal(catalogue, latest):
    for code, ind in catalogue.indicators.items():
        if ind.growth_basis is GrowthBasis.CONSTANT and ind.measure is Measure.CUMULATIVE:
            cur, prev = fig(latest, code, "2019-Q4"), fig(latest, code, "2018-Q4")
            nominal = (cur / prev - 1) * 100
            assert 1.4 <= nominal - fig(latest, code, "2019-Q4", "yoy") <= 2.6, code


def test_2020_dips_and_2021_rebounds(latest):
    for code in ("retail_sales", "fai", "revenue"):
        assert fig(latest, code, "2020-03", "yoy") < -5
        assert fig(latest, code, "2021-03", "yoy") > 15
    assert fig(latest, "gdp", "2020-Q1", "yoy") < 0 < fig(latest, "gdp", "2020-Q4", "yoy")


# ---------------------------------------------------------------- regions
def test_streets_cover_exactly_the_indicators_their_level_reports(catalogue, obs, streets):
    assert len(streets) == 8
    by_indicator = obs.groupby("indicator")["region"].agg(set)
    for code, ind in catalogue.indicators.items():
        has_streets = set(streets) <= by_indicator[code]
        expected = ind.reported_by(RegionKind.STREET)
        assert has_streets == expected, code
        if not expected:
            assert not by_indicator[code] & set(streets), code


def test_streets_of_additive_indicators_sum_to_within_3_percent_of_the_district(catalogue, latest, streets):
    codes = [
        c
        for c, i in catalogue.indicators.items()
        if i.measure in (Measure.CUMULATIVE, Measure.STOCK) and i.reported_by(RegionKind.STREET)
    ]
    rows = latest.loc[codes].reset_index()
    rows = rows[rows["period"].str[:4].isin(["2019", "2020", "2021"])]
    district = rows[rows["region"] == "gusu"].set_index(["indicator", "period"])["value"]
    total = rows[rows["region"].isin(streets)].groupby(["indicator", "period"])["value"].sum()
    ratio = (total / district).dropna()
    assert len(ratio) == len(district)
    worst = ratio.sub(1).abs().sort_values().tail(3)
    assert (worst <= 0.03).all(), worst


@pytest.mark.parametrize("code", ["gdp", "land_transfer", "postal_volume", "urban_income", "industrial_va", "cpi"])
def test_no_street_figures_of_a_district_only_indicator(obs, streets, code):
    """街道 GDP is no official statistic under 统一核算; 土地出让 and 邮政业务总量 are district figures."""
    assert not (obs["indicator"].eq(code) & obs["region"].isin(streets)).any()


@pytest.mark.parametrize(
    ("code", "low", "high"),
    [
        ("reemployment", 4000, 6500),  # of 10,000 (2021 goal)
        ("self_employment", 800, 1300),  # of 2,000
        ("graduate_startups", 50, 90),  # of 150
        ("social_insurance_new", 24000, 33000),  # of 60,000
        ("culture_enterprises", 90, 110),  # 98 published for mid-2021, of 120
    ],
)
def test_the_2021_goals_indicators_have_plausible_half_year_figures(latest, code, low, high):
    assert low <= fig(latest, code, "2021-06") <= high


def test_peers_have_only_the_four_headline_indicators(obs, peers):
    assert len(peers) == 9
    rows = obs[obs["region"].isin(peers)]
    assert set(rows["indicator"]) == HEADLINE
    assert (rows.groupby("region")["indicator"].nunique() == 4).all()


@pytest.mark.parametrize(
    ("region", "low", "high"),
    [("sip", 2700, 3100), ("kunshan", 4000, 4600), ("taicang", 1250, 1550), ("wuzhong", 1250, 1550)],
    ids=["sip", "kunshan", "taicang", "wuzhong"],
)
def test_peer_gdp_is_at_a_plausible_scale(latest, region, low, high):
    assert low <= fig(latest, "gdp", "2020-Q4", region=region) <= high


# ---------------------------------------------------------------- release times, revisions, gaps
def test_first_release_is_at_10_china_time_up_to_4_days_before_due(catalogue, obs):
    first = obs.groupby(["indicator", "region", "period"]).head(1)
    sample = first.sample(500, random_state=1)
    for row in sample.itertuples(index=False):
        ind = catalogue.indicators[row.indicator]
        local = row.known_from.tz_convert(CST)
        due = due_date(parse_period(row.period), ind.lag_months, ind.due_day)
        assert (local.hour, local.minute) == (10, 0)
        assert 0 <= (due - local.date()).days <= 4
    cutoff = pd.Timestamp(datetime(2021, 7, 21, tzinfo=CST))
    assert (obs["known_from"] < cutoff).all()


REVISED = [
    ("revenue", "gusu", "2021-05"),
    ("fai", "gusu", "2021-04"),
    ("gdp", "gusu", "2021-Q1"),
    ("retail_sales", "gusu.pingjiang", "2021-03"),
    ("new_jobs", "gusu.canglang", "2021-05"),
]


def test_revisions_are_later_rows_of_the_same_figure_with_a_changed_value(obs):
    counts = obs.groupby(["indicator", "region", "period"]).size()
    revised = counts[counts > 1]
    assert set(revised.index) == set(REVISED)
    assert (revised == 2).all()
    for key in REVISED:
        old, new = obs.set_index(["indicator", "region", "period"]).loc[key].itertuples(index=False)
        assert new.known_from > old.known_from
        assert new.value != old.value


def test_revenue_revision_is_plus_1_5_percent_on_28_june(obs):
    rows = obs[(obs["indicator"] == "revenue") & (obs["region"] == "gusu") & (obs["period"] == "2021-05")]
    assert rows["value"].iloc[1] / rows["value"].iloc[0] == pytest.approx(1.015, abs=0.001)
    assert rows["known_from"].iloc[1].tz_convert(CST).date() == date(2021, 6, 28)


@pytest.mark.parametrize(
    ("code", "period"),
    [("land_transfer", "2021-06"), ("postal_volume", "2021-05"), ("housing_sales_area", "2021-06")],
    ids=["land_transfer", "postal_volume", "housing_sales_area"],
)
def test_overdue_figures_are_absent_and_listed(sample, obs, code, period):
    assert (code, period) in sample.missing
    assert obs[(obs["indicator"] == code) & (obs["period"] == period)].empty
    prior = str(parse_period(period).shift(-1))
    assert not obs[(obs["indicator"] == code) & (obs["period"] == prior)].empty


def test_missing_lists_exactly_the_three_overdue_reports(sample):
    assert sorted(sample.missing) == sorted(
        [("land_transfer", "2021-06"), ("postal_volume", "2021-05"), ("housing_sales_area", "2021-06")]
    )


# ---------------------------------------------------------------- 2021 H1 statuses the demo should show
def level_gap(catalogue: Catalogue, latest: pd.DataFrame, code: str) -> float:
    target = catalogue.target_for(2021, "gusu", code)
    assert target is not None
    assert target.value is not None
    return 100 * (fig(latest, code, "2021-06") / target.value - 6 / 12)


@pytest.mark.parametrize(
    ("code", "low", "high", "status"),
    [
        ("new_jobs", 17000, 21000, "red"),
        ("graduate_jobs", 4550, 4950, "yellow"),
        ("hq_enterprises", 2, 4, "red"),
    ],
    ids=["new_jobs-red", "graduate_jobs-yellow", "hq_enterprises-red"],
)
def test_level_targets_give_the_intended_status_at_2021_06(catalogue, latest, code, low, high, status):
    assert low <= fig(latest, code, "2021-06") <= high
    gap = level_gap(catalogue, latest, code)
    assert {"red": gap < -5, "yellow": -5 <= gap < 0}[status], gap


def test_urban_income_growth_is_red_against_gdp_growth(latest):
    income, gdp = fig(latest, "urban_income", "2021-Q2", "yoy"), fig(latest, "gdp", "2021-Q2", "yoy")
    assert 8.5 <= income <= 9.6
    assert income - gdp < -1.0


@pytest.mark.parametrize("code", ["gdp", "revenue", "fai"], ids=["gdp", "revenue", "fai"])
def test_headline_growth_targets_are_green_at_2021_h1(catalogue, latest, code):
    target = catalogue.target_for(2021, "gusu", code)
    assert target is not None
    assert target.value is not None
    period = "2021-Q2" if code == "gdp" else "2021-06"
    assert fig(latest, code, period, "yoy") >= target.value


# ---------------------------------------------------------------- determinism and speed
def test_same_seed_gives_an_identical_frame_and_another_seed_differs(catalogue, obs):
    again = generate_sample(catalogue)
    pd.testing.assert_frame_equal(obs, again.observations)
    other = generate_sample(catalogue, seed=7).observations
    assert len(other) == len(obs)
    assert not other["value"].equals(obs["value"])
    anchored = other[(other["indicator"] == "gdp") & (other["region"] == "gusu") & (other["period"] == "2021-Q2")]
    assert anchored["value"].iloc[-1] == pytest.approx(408.5, rel=0.01)


def test_no_figure_is_known_before_its_period_ends(obs):
    ends = {p: pd.Timestamp(parse_period(p).end_date() + timedelta(days=1), tz=CST) for p in obs["period"].unique()}
    assert (obs["known_from"] >= obs["period"].map(ends)).all()
