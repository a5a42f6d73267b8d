"""Sample data goes through the real write path, on SQLite and PostgreSQL, and says it is sample data."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine

from monitor.domain.catalogue import Catalogue
from monitor.errors import UsageError
from monitor.services.clock import Today, effective_today
from monitor.services.demo import database_is_empty, load_demo
from monitor.storage.db import transaction
from monitor.storage.models import Import
from monitor.storage.observations import read_observations
from tests.storage.test_observations import figures

SHANGHAI = "Asia/Shanghai"


def test_sample_data_lands_whole_and_is_marked_as_sample(synced_engine: Engine, catalogue: Catalogue) -> None:
    assert database_is_empty(synced_engine)
    result = load_demo(synced_engine, catalogue)
    assert result.counts.inserted > 20_000  # about 21,000: streets only for the indicators their level reports
    assert result.counts.revised == 5
    with transaction(synced_engine) as s:
        frame = read_observations(s)
        batch = s.get(Import, result.import_id)
        assert batch.channel == "demo"
        assert batch.is_sample
        assert batch.status == "accepted"
    assert frame["is_sample"].all()
    assert set(frame["indicator"]) == set(catalogue.indicators)
    assert len(set(frame["region"])) == 18


def test_loading_sample_data_twice_changes_nothing(synced_engine: Engine, catalogue: Catalogue) -> None:
    load_demo(synced_engine, catalogue)
    again = load_demo(synced_engine, catalogue)
    assert (again.counts.inserted, again.counts.revised) == (0, 0)
    assert again.counts.unchanged == again.rows


def test_sample_data_is_refused_on_a_database_with_real_figures(synced_engine: Engine, catalogue: Catalogue) -> None:
    with transaction(synced_engine) as s:
        from monitor.storage.observations import record_observations

        record_observations(
            s, figures(("revenue", "2021-05", 33.1, 14.2)), known_from=datetime(2021, 6, 18, tzinfo=UTC)
        )
    with pytest.raises(UsageError, match="正式数据"):
        load_demo(synced_engine, catalogue)


def test_today_is_the_samples_own_date_while_sample_data_is_present(
    synced_engine: Engine, catalogue: Catalogue
) -> None:
    now = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # already 24 November in Shanghai
    with transaction(synced_engine) as s:
        assert effective_today(s, SHANGHAI, now).date == date(2026, 11, 24)
    load_demo(synced_engine, catalogue)
    with transaction(synced_engine) as s:
        today = effective_today(s, SHANGHAI, now)
        assert (today.date, today.is_sample) == (date(2021, 7, 20), True)
        assert "示例数据" in today.note
        from monitor.storage.observations import record_observations

        record_observations(s, figures(("revenue", "2021-07", 45.0, 15.0)), known_from=now)
    with transaction(synced_engine) as s:  # a real file beside the sample keeps the one "today"
        today = effective_today(s, SHANGHAI, now)
        assert today == Today(date(2021, 7, 20), True, mixed=True)
        assert "混合" in today.note


@pytest.mark.parametrize(
    ("indicator", "period", "expected"),
    [
        pytest.param("gdp", "2020-Q4", 802.0, id="gdp-2020"),
        pytest.param("revenue", "2020-12", 63.8, id="revenue-2020"),
        pytest.param("fai", "2020-12", 237.0, id="fai-2020"),
        pytest.param("retail_sales", "2020-12", 822.0, id="retail-2020"),
        pytest.param("gdp", "2021-Q2", 408.5, id="gdp-2021-h1"),
        pytest.param("revenue", "2021-06", 39.5, id="revenue-2021-h1"),
    ],
)
def test_stored_sample_meets_the_published_totals_within_one_percent(
    synced_engine: Engine, catalogue: Catalogue, indicator: str, period: str, expected: float
) -> None:
    load_demo(synced_engine, catalogue)
    with transaction(synced_engine) as s:
        frame = read_observations(s, indicators=[indicator], regions=["gusu"])
    value = frame.set_index("period").loc[period, "value"]
    assert value == pytest.approx(expected, rel=0.01)


def test_sample_revision_is_visible_through_known_at(synced_engine: Engine, catalogue: Catalogue) -> None:
    load_demo(synced_engine, catalogue)
    with transaction(synced_engine) as s:
        history = read_observations(s, indicators=["revenue"], regions=["gusu"], years=[2021], history=True)
    versions = history[history["period"] == "2021-05"].sort_values("known_from")
    assert len(versions) == 2
    first, second = versions["value"].tolist()
    assert second == pytest.approx(first * 1.015, rel=1e-3)
    revised_at = versions["known_from"].iloc[1].to_pydatetime()
    with transaction(synced_engine) as s:
        before = read_observations(s, indicators=["revenue"], regions=["gusu"], known_at=revised_at.replace(hour=0))
    assert before.set_index("period").loc["2021-05", "value"] == pytest.approx(first)
