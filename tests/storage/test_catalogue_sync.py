"""Syncing the catalogue into the database is idempotent, reports changes, and never loses data."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, func, select

from monitor.domain.catalogue import Catalogue
from monitor.storage import models as m
from monitor.storage.catalogue_sync import sync_catalogue
from monitor.storage.db import transaction
from monitor.storage.observations import read_observations, record_observations


def _count(engine: Engine, model: type[m.Base]) -> int:
    with transaction(engine) as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def test_first_sync_creates_everything_and_second_changes_nothing(engine: Engine, catalogue: Catalogue) -> None:
    with transaction(engine) as s:
        first = sync_catalogue(s, catalogue)
    with transaction(engine) as s:
        second = sync_catalogue(s, catalogue)
    assert any("新增指标 60 项" in line for line in first)
    assert second == []
    assert _count(engine, m.Indicator) == 60  # the 55 of catalog.csv and the 5 added for the 2021 goals
    assert _count(engine, m.Region) == 18
    assert _count(engine, m.Department) == 15  # + 区教体文旅委 and two external sources
    assert _count(engine, m.Target) == 19  # + the seven 2021 targets added with the goals
    assert _count(engine, m.CategoryMember) == 30 + 34 + 15  # ops30, gdp34, goals2021


def test_changed_field_is_reported_and_applied(synced_engine: Engine, catalogue: Catalogue) -> None:
    gdp = dataclasses.replace(catalogue.indicators["gdp"], name="地区生产总值（GDP）")
    changed = dataclasses.replace(catalogue, indicators={**catalogue.indicators, "gdp": gdp})
    with transaction(synced_engine) as s:
        changes = sync_catalogue(s, changed)
    assert changes == ["更新指标 gdp（name: '地区生产总值' → '地区生产总值（GDP）'）"]
    with transaction(synced_engine) as s:
        assert s.get(m.Indicator, "gdp").name == "地区生产总值（GDP）"


def test_removed_indicator_with_figures_is_retired_and_its_figures_kept(
    synced_engine: Engine, catalogue: Catalogue
) -> None:
    frame = pd.DataFrame(
        [
            {
                "indicator": "power_consumption",
                "region": "gusu",
                "period": "2021-05",
                "year": 2021,
                "period_end": datetime(2021, 5, 31).date(),
                "value": 12.3,
                "yoy": 4.5,
            }
        ]
    )
    with transaction(synced_engine) as s:
        record_observations(s, frame, known_from=datetime(2021, 6, 18, tzinfo=UTC))
    indicators = {k: v for k, v in catalogue.indicators.items() if k != "power_consumption"}
    sets = {
        code: dataclasses.replace(
            st,
            categories=tuple(
                dataclasses.replace(c, indicators=tuple(i for i in c.indicators if i != "power_consumption"))
                for c in st.categories
            ),
        )
        for code, st in catalogue.sets.items()
    }
    smaller = dataclasses.replace(catalogue, indicators=indicators, sets=sets)
    with transaction(synced_engine) as s:
        changes = sync_catalogue(s, smaller)
    assert "停用指标（保留其历史数据）：power_consumption" in changes
    with transaction(synced_engine) as s:
        assert s.get(m.Indicator, "power_consumption").active is False
        assert len(read_observations(s, indicators=["power_consumption"])) == 1
    with transaction(synced_engine) as s:  # putting it back re-activates it
        assert any("power_consumption" in line for line in sync_catalogue(s, catalogue))
        assert s.get(m.Indicator, "power_consumption").active is True


def test_removed_target_is_deleted(synced_engine: Engine, catalogue: Catalogue) -> None:
    fewer = dataclasses.replace(catalogue, targets=tuple(t for t in catalogue.targets if t.indicator != "gdp"))
    with transaction(synced_engine) as s:
        changes = sync_catalogue(s, fewer)
    assert changes == ["删除目标 1 项：2021/gusu/gdp"]
    assert _count(synced_engine, m.Target) == 18
