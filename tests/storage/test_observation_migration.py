"""Migration 0007 (observation storage) keeps every row and revision, up and down, on both back ends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, insert, inspect, select

from alembic import command
from monitor.storage.catalogue_sync import sync_catalogue
from monitor.storage.db import alembic_config, make_engine, migrate, transaction
from monitor.storage.models import Import, Observation
from monitor.storage.observations import read_observations, record_observations

T0 = datetime(2021, 6, 18, 2, 0, tzinfo=UTC)
T1, T2 = T0 + timedelta(days=10), T0 + timedelta(days=20)
OBS, IMPORTS = Observation.__table__, Import.__table__


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def old_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database at revision 0006 (before the observation storage changed)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        url = request.getfixturevalue("pg_databases").create(f"obsmig_{tmp_path.name[-12:].lower()}")
    engine = make_engine(url)
    migrate(engine, "0006")
    yield engine
    engine.dispose()


def _import(n: int, at: datetime) -> dict[str, Any]:
    return {
        "id": n,
        "file_name": f"第{n}批.xlsx",
        "sha256": f"{n:064d}",
        "department": None,
        "channel": "cli",
        "status": "accepted",
        "started_at": at,
        "finished_at": at,
        "inserted": 0,
        "revised": 0,
        "unchanged": 0,
        "warnings": [],
        "errors": [],
        "is_sample": False,
        "message": "",
    }


def _version(key: tuple[str, str, str], value: float | None, since: datetime, until: datetime | None, batch: int):
    indicator, region, period = key
    year = int(period[:4])
    return {
        "indicator": indicator,
        "region": region,
        "period": period,
        "year": year,
        "period_end": date(year, 5, 31) if "-" in period and "Q" not in period else date(year, 3, 31),
        "value": value,
        "yoy": None if value is None else 5.0,
        "note": "快报" if batch == 2 else None,
        "known_from": since,
        "known_to": until,
        "import_id": batch,
        "is_sample": batch == 1,
    }


A, B, C, D = (
    ("revenue", "gusu", "2021-05"),
    ("fai", "gusu", "2021-05"),
    ("gdp", "gusu.pingjiang", "2021-Q1"),
    (
        "retail",
        "gusu",
        "2021-05",
    ),
)
VERSIONS = [
    _version(A, 33.1, T0, T1, 1),
    _version(B, 95.0, T0, T2, 1),
    _version(C, None, T0, None, 1),
    _version(A, 33.6, T1, T2, 2),
    _version(D, 150.0, T1, None, 2),
    _version(A, 33.9, T2, None, 3),
    _version(B, 96.0, T2, None, 3),
]


def _all_rows(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(OBS).order_by(OBS.c.id))]


def _indexes(engine: Engine) -> set[str]:
    return {i["name"] for i in inspect(engine).get_indexes("observations")}


def test_upgrade_keeps_every_row_and_revision_and_downgrade_restores_the_old_schema(
    old_engine: Engine, catalogue: Any
) -> None:
    with transaction(old_engine) as session:
        sync_catalogue(session, catalogue)
        session.execute(insert(IMPORTS), [_import(1, T0), _import(2, T1), _import(3, T2)])
        session.execute(insert(OBS), VERSIONS)
    before = _all_rows(old_engine)
    assert len(before) == 7
    assert {"uq_observations_current", "ix_observations_series", "ix_observations_import_id"} <= _indexes(old_engine)

    migrate(old_engine)
    assert _all_rows(old_engine) == before
    assert _indexes(old_engine) == {"uq_observations_current", "ix_observations_history"}
    if old_engine.dialect.name == "postgresql":
        with old_engine.connect() as conn:
            collations = conn.exec_driver_sql(
                "SELECT column_name, collation_name FROM information_schema.columns "
                "WHERE table_name = 'observations' AND column_name IN ('indicator', 'region', 'period')"
            ).all()
        assert {c for _, c in collations} == {"C"}
    with transaction(old_engine) as session:
        at_t1 = read_observations(session, known_at=T1 + timedelta(hours=1)).set_index("indicator")
        history = read_observations(session, history=True)
    assert at_t1.loc["revenue", "value"] == pytest.approx(33.6)
    assert at_t1.loc["fai", "value"] == pytest.approx(95.0)
    assert len(history) == 7

    _downgrade(old_engine, "0006")
    assert _all_rows(old_engine) == before
    assert {"uq_observations_current", "ix_observations_series", "ix_observations_import_id"} <= _indexes(old_engine)


def test_an_upgraded_database_takes_the_next_revision(old_engine: Engine, catalogue: Any) -> None:
    with transaction(old_engine) as session:
        sync_catalogue(session, catalogue)
        session.execute(insert(IMPORTS), [_import(1, T0), _import(2, T1), _import(3, T2)])
        session.execute(insert(OBS), VERSIONS)
    migrate(old_engine)
    later = T2 + timedelta(days=5)
    batch = pd.DataFrame([{k: v for k, v in _version(A, 34.2, later, None, 3).items() if k in _FIGURE}])
    with transaction(old_engine) as session:
        counts = record_observations(session, batch, known_from=later)
        history = read_observations(session, indicators=["revenue"], history=True)
    assert (counts.revised, counts.inserted) == (1, 0)
    assert list(history["value"]) == [33.1, 33.6, 33.9, 34.2]
    assert history["known_to"].isna().sum() == 1


_FIGURE = ["indicator", "region", "period", "year", "period_end", "value", "yoy", "note"]


def _downgrade(engine: Engine, revision: str) -> None:
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
