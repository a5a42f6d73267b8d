"""The alert rules over hand-made frames (pure, no database)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from monitor.domain.alerts import fingerprint, missing_breaches, pace_breaches, recent_revisions
from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import parse_period


def _series(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Series with the end date of their newest figure, from (indicator, region, period) figures."""
    frame = pd.DataFrame(rows, columns=["indicator", "region", "period"])
    frame["latest_end"] = [pd.Timestamp(parse_period(p).end_date()) for p in frame["period"]]
    return frame.groupby(["indicator", "region"], as_index=False)["latest_end"].max()


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        pytest.param(date(2021, 7, 18), None, id="on-the-due-day-not-yet-overdue"),
        pytest.param(date(2021, 7, 19), ("yellow", 1), id="a-day-late-yellow"),
        pytest.param(date(2021, 7, 25), ("yellow", 7), id="seven-days-still-yellow"),
        pytest.param(date(2021, 7, 26), ("red", 8), id="more-than-seven-days-red"),
    ],
)
def test_missing_report_severity_follows_days_overdue(catalogue: Catalogue, as_of: date, expected) -> None:
    series = _series([("fai", "gusu", f"2021-{m:02d}") for m in range(2, 6)])
    found = missing_breaches(series, catalogue, ["gusu"], as_of, catalogue.alerts)
    fai = found[found["indicator"] == "fai"]
    if expected is None:
        assert fai.empty
    else:
        row = fai.iloc[0]
        assert (row["severity"], int(row["days_overdue"]), row["period"]) == (*expected, "2021-06")
        assert "逾期未报" in row["message"]
        assert row["departments"] == list(catalogue.indicators["fai"].departments)


def test_a_street_is_only_expected_for_series_it_reports(catalogue: Catalogue) -> None:
    series = _series([("fai", "gusu.pingjiang", "2020-12")])
    regions = ["gusu", "gusu.pingjiang", "gusu.canglang"]
    found = missing_breaches(series, catalogue, regions, date(2021, 7, 20), catalogue.alerts)
    assert set(found.loc[found["indicator"] == "fai", "region"]) == {"gusu", "gusu.pingjiang"}


@pytest.mark.parametrize("code", ["land_transfer", "postal_volume", "gdp"])
def test_no_missing_report_from_streets_for_a_district_only_indicator(catalogue: Catalogue, code: str) -> None:
    """Street figures of 土地出让, 邮政业务总量 or GDP once stored (an old file) do not make the streets owe them."""
    streets = ["gusu.pingjiang", "gusu.canglang"]
    series = _series([(code, region, "2020-12" if code != "gdp" else "2020-Q4") for region in ["gusu", *streets]])
    found = missing_breaches(series, catalogue, ["gusu", *streets], date(2021, 7, 20), catalogue.alerts)
    assert set(found.loc[found["indicator"] == code, "region"]) == {"gusu"}
    jobs = _series([("new_jobs", region, "2020-12") for region in ["gusu", *streets]])  # streets do report jobs
    found = missing_breaches(jobs, catalogue, ["gusu", *streets], date(2021, 7, 20), catalogue.alerts)
    assert set(found.loc[found["indicator"] == "new_jobs", "region"]) == {"gusu", *streets}


def test_pace_red_and_yellow_share_one_fingerprint(catalogue: Catalogue) -> None:
    assert fingerprint("pace_red", "fai", "gusu", 2021) == fingerprint("pace_yellow", "fai", "gusu", 2021)
    pace = pd.DataFrame(
        {
            "indicator": ["fai", "gdp", "revenue"],
            "region": "gusu",
            "period": ["2021-06", "2021-Q2", "2021-06"],
            "status": ["red", "green", "yellow"],
            "gap_pp": [-6.0, 1.0, -0.5],
            "target_kind": "growth_min",
            "departments": [["drc"], ["stats"], ["finance"]],
        }
    )
    found = pace_breaches(pace, catalogue)
    assert list(found["rule"]) == ["pace_red", "pace_yellow"]
    assert list(found["severity"]) == ["red", "yellow"]


def test_small_or_old_revisions_are_not_reported() -> None:
    revisions = pd.DataFrame(
        {
            "indicator": ["a", "b", "c"],
            "region": "gusu",
            "period": "2021-05",
            "old_value": [100.0, 100.0, 100.0],
            "new_value": [100.5, 102.0, 103.0],
            "revised_at": pd.to_datetime(["2021-07-19", "2021-07-19", "2021-05-01"], utc=True),
        }
    )
    kept = recent_revisions(revisions, pd.Timestamp("2021-07-13", tz="UTC"), pd.Timestamp("2021-07-20", tz="UTC"), 1.0)
    assert list(kept["indicator"]) == ["b"]
    assert kept["change_pct"].iloc[0] == pytest.approx(2.0)


def test_overdue_counts_from_the_oldest_of_a_run_of_missing_periods(catalogue: Catalogue) -> None:
    series = _series([("fai", "gusu", f"2021-{m:02d}") for m in range(2, 4)])  # 1-2月 and 1-3月 only
    row = missing_breaches(series, catalogue, ["gusu"], date(2021, 7, 20), catalogue.alerts)
    row = row[row["indicator"] == "fai"].iloc[0]
    assert (row["period"], row["severity"], int(row["days_overdue"])) == ("2021-06", "red", 63)  # 1-4月 due 05-18
    assert "2021年1-4月起 3 期数据逾期未报" in row["message"]


def test_the_district_is_expected_to_report_every_indicator(catalogue: Catalogue) -> None:
    empty = _series([])
    found = missing_breaches(empty, catalogue, ["gusu", "gusu.pingjiang"], date(2021, 7, 20), catalogue.alerts)
    assert set(found["region"]) == {"gusu"}
    assert set(found["indicator"]) <= set(catalogue.indicators)
    gdp = found[found["indicator"] == "gdp"].iloc[0]  # quarterly: 一季度 and 上半年 both overdue
    assert gdp["period"] == "2021-Q2"
    assert "2021年一季度起 2 期" in gdp["message"]
