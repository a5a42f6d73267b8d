"""Writing figures keeps every earlier value as a revision; reads reproduce any past state."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from monitor.storage.db import transaction
from monitor.storage.meta import data_version
from monitor.storage.models import Observation
from monitor.storage.observations import WriteCounts, newest_figure_end, read_observations, record_observations
from monitor.storage.series_keys import load_keys

T0 = datetime(2021, 6, 18, 2, 0, tzinfo=UTC)
T1 = T0 + timedelta(days=10)
T2 = T1 + timedelta(days=10)


def figures(*rows: tuple) -> pd.DataFrame:
    """Plain factory: (indicator, period, value, yoy[, region])."""
    out = []
    for row in rows:
        indicator, period, value, yoy, *rest = row
        year, month = int(period[:4]), int(period[5:7])
        end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        out.append(
            {
                "indicator": indicator,
                "region": rest[0] if rest else "gusu",
                "period": period,
                "year": year,
                "period_end": end,
                "value": value,
                "yoy": yoy,
            }
        )
    return pd.DataFrame(out)


def write(engine: Engine, frame: pd.DataFrame, at: datetime) -> WriteCounts:
    with transaction(engine) as s:
        return record_observations(s, frame, known_from=at)


def read(engine: Engine, **kw) -> pd.DataFrame:
    with transaction(engine) as s:
        return read_observations(s, **kw)


def test_new_figures_are_inserted(synced_engine: Engine) -> None:
    counts = write(synced_engine, figures(("revenue", "2021-05", 33.1, 14.2), ("fai", "2021-05", 95.0, 9.1)), T0)
    assert counts == WriteCounts(inserted=2)
    got = read(synced_engine).set_index("indicator")
    assert got.loc["revenue", "value"] == pytest.approx(33.1)
    assert got.loc["revenue", "known_from"] == pd.Timestamp(T0)
    assert pd.isna(got.loc["revenue", "known_to"])


def test_same_figures_again_change_nothing(synced_engine: Engine) -> None:
    batch = figures(("revenue", "2021-05", 33.1, 14.2), ("industrial_va", "2021-05", None, 12.5))
    write(synced_engine, batch, T0)
    with transaction(synced_engine) as s:
        version = data_version(s)
    assert write(synced_engine, batch, T1) == WriteCounts(unchanged=2)
    with transaction(synced_engine) as s:
        assert data_version(s) == version
        assert s.execute(select(func.count()).select_from(Observation)).scalar_one() == 2


def test_changed_figure_closes_the_old_row_and_opens_a_new_one(synced_engine: Engine) -> None:
    write(synced_engine, figures(("revenue", "2021-05", 33.1, 14.2)), T0)
    assert write(synced_engine, figures(("revenue", "2021-05", 33.6, 15.0)), T1) == WriteCounts(revised=1)
    history = read(synced_engine, history=True)
    assert list(history["value"]) == [33.1, 33.6]
    assert history["known_to"].iloc[0] == pd.Timestamp(T1)
    assert pd.isna(history["known_to"].iloc[1])
    assert list(read(synced_engine)["value"]) == [33.6]


@pytest.mark.parametrize(
    ("known_at", "expected"),
    [
        pytest.param(T0 - timedelta(seconds=1), [], id="before-first-release-nothing"),
        pytest.param(T0, [33.1], id="at-release-the-first-value"),
        pytest.param(T1 - timedelta(seconds=1), [33.1], id="just-before-revision-the-old-value"),
        pytest.param(T1, [33.6], id="at-revision-the-new-value"),
        pytest.param(T2, [33.6], id="later-the-new-value"),
    ],
)
def test_known_at_reproduces_what_was_known_then(synced_engine: Engine, known_at: datetime, expected: list) -> None:
    write(synced_engine, figures(("revenue", "2021-05", 33.1, 14.2)), T0)
    write(synced_engine, figures(("revenue", "2021-05", 33.6, 15.0)), T1)
    assert list(read(synced_engine, known_at=known_at)["value"]) == expected


def test_only_yoy_changing_is_a_revision_and_missing_values_compare_equal(synced_engine: Engine) -> None:
    write(synced_engine, figures(("industrial_va", "2021-05", None, 12.5)), T0)
    assert write(synced_engine, figures(("industrial_va", "2021-05", None, 12.5)), T1) == WriteCounts(unchanged=1)
    assert write(synced_engine, figures(("industrial_va", "2021-05", None, 12.7)), T2) == WriteCounts(revised=1)


def test_several_versions_of_one_figure_in_one_batch_become_a_chain(synced_engine: Engine) -> None:
    batch = pd.concat(
        [
            figures(("gdp", "2021-03", 180.0, 18.0)),
            figures(("gdp", "2021-03", 180.0, 18.0)),
            figures(("gdp", "2021-03", 181.5, 18.3)),
        ]
    )
    batch["known_from"] = [T0, T1, T2]
    with transaction(synced_engine) as s:
        counts = record_observations(s, batch)
    assert counts == WriteCounts(inserted=1, revised=1, unchanged=1)
    history = read(synced_engine, history=True)
    assert list(history["value"]) == [180.0, 181.5]
    assert list(history["known_to"].iloc[:1]) == [pd.Timestamp(T2)]


def test_a_failed_transaction_leaves_no_figure_behind(synced_engine: Engine) -> None:
    write(synced_engine, figures(("revenue", "2021-04", 27.0, 12.0)), T0)
    with pytest.raises(RuntimeError), transaction(synced_engine) as s:  # noqa: PT012 - the transaction is under test
        record_observations(
            s, figures(("revenue", "2021-05", 33.1, 14.2), ("revenue", "2021-04", 27.5, 12.1)), known_from=T1
        )
        raise RuntimeError("the importer dies half-way")
    got = read(synced_engine, history=True)
    assert list(got["period"]) == ["2021-04"]
    assert pd.isna(got["known_to"].iloc[0])


def test_database_refuses_two_current_rows_for_one_figure(synced_engine: Engine) -> None:
    write(synced_engine, figures(("revenue", "2021-05", 33.1, 14.2)), T0)
    with pytest.raises(IntegrityError), transaction(synced_engine) as s:  # noqa: PT012 - the commit must fail
        keys = load_keys(s)
        s.add(
            Observation(
                indicator_id=keys.indicator_num["revenue"],
                region_id=keys.region_num["gusu"],
                period_key=2021005,
                value=1.0,
                yoy=None,
                known_from=T1,
            )
        )
        s.flush()


def test_a_version_older_than_the_stored_one_is_already_superseded(synced_engine: Engine) -> None:
    write(synced_engine, figures(("revenue", "2021-05", 33.1, 14.2)), T1)
    assert write(synced_engine, figures(("revenue", "2021-05", 34.0, 15.0)), T0) == WriteCounts(unchanged=1)
    assert list(read(synced_engine, history=True)["value"]) == [33.1]


def test_reads_filter_by_indicator_region_and_year(synced_engine: Engine) -> None:
    write(
        synced_engine,
        figures(
            ("revenue", "2020-12", 63.8, 0.3),
            ("revenue", "2021-05", 33.1, 14.2),
            ("revenue", "2021-05", 4.1, 10.0, "gusu.pingjiang"),
            ("fai", "2021-05", 95.0, 9.1),
        ),
        T0,
    )
    assert len(read(synced_engine, indicators=["revenue"])) == 3
    assert len(read(synced_engine, indicators=["revenue"], regions=["gusu"], years=[2021])) == 1
    assert len(read(synced_engine, regions=["gusu.pingjiang"])) == 1


def test_timestamps_come_back_timezone_aware_in_utc(synced_engine: Engine) -> None:
    shanghai = T0.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    write(synced_engine, figures(("revenue", "2021-05", 33.1, 14.2)), shanghai)
    got = read(synced_engine)["known_from"].iloc[0]
    assert got == pd.Timestamp(T0)
    assert str(got.tz) == "UTC"


def test_newest_figure_end_ignores_weekly_prices_replaced_versions_and_later_periods(synced_engine: Engine) -> None:
    write(synced_engine, figures(("revenue", "2021-04", 27.5, 12.1), ("revenue", "2021-05", 33.1, 14.2)), T0)
    week = figures(("pork_price", "2021-06", 15.8, -40.0)).assign(period="2021-W25", period_end=date(2021, 6, 27))
    write(synced_engine, week, T0)
    with transaction(synced_engine) as s:
        assert newest_figure_end(s, until=date(2021, 6, 30)) == date(2021, 5, 31)
        assert newest_figure_end(s, until=date(2021, 4, 30)) == date(2021, 4, 30)
        assert newest_figure_end(s, until=date(2021, 3, 31)) is None
