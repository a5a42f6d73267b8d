"""Migrations 0007 (observation storage) and 0008 (integer keys) keep every row and revision, up and down,
on both back ends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, MetaData, Table, insert, inspect, select

from alembic import command
from monitor.errors import DatabaseError
from monitor.storage.catalogue_sync import _indicator_rows, _region_rows
from monitor.storage.db import alembic_config, make_engine, migrate, transaction
from monitor.storage.models import Import
from monitor.storage.observations import read_observations, record_observations

T0 = datetime(2021, 6, 18, 2, 0, tzinfo=UTC)
T1, T2 = T0 + timedelta(days=10), T0 + timedelta(days=20)
IMPORTS = Import.__table__


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
    ("retail_sales", "gusu", "2021-05"),
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


def _table(engine: Engine, name: str) -> Table:
    """The table as the database has it now (the models describe only the newest revision)."""
    return Table(name, MetaData(), autoload_with=engine)


def _populate(engine: Engine, catalogue: Any) -> None:
    """Catalogue, imports and the seven versions, written as revision 0006 stored them."""
    with engine.begin() as conn:
        for name, rows in (("regions", _region_rows(catalogue)), ("indicators", _indicator_rows(catalogue))):
            table = _table(engine, name)
            conn.execute(insert(table), [{k: v for k, v in r.items() if k in table.c} for r in rows])
        conn.execute(insert(IMPORTS), [_import(1, T0), _import(2, T1), _import(3, T2)])
        conn.execute(insert(_table(engine, "observations")), VERSIONS)


def _old_rows(engine: Engine) -> list[tuple[Any, ...]]:
    """Every stored version of the coded table (0006/0007), without its surrogate id, in key order."""
    table = _table(engine, "observations")
    with engine.connect() as conn:
        rows = conn.execute(select(*(c for c in table.c if c.name != "id"))).all()
    return sorted((tuple(r) for r in rows), key=repr)


def _indexes(engine: Engine) -> set[str]:
    return {i["name"] for i in inspect(engine).get_indexes("observations")}


OLD_INDEXES = {"uq_observations_current", "ix_observations_series", "ix_observations_import_id"}


def test_upgrade_keeps_every_row_and_revision_and_downgrade_restores_the_old_schema(
    old_engine: Engine, catalogue: Any
) -> None:
    _populate(old_engine, catalogue)
    before = _old_rows(old_engine)
    assert len(before) == 7
    assert _indexes(old_engine) >= OLD_INDEXES

    migrate(old_engine)
    assert _indexes(old_engine) == {"uq_observations_current", "ix_observations_history"}
    columns = {c["name"] for c in inspect(old_engine).get_columns("observations")}
    assert {"indicator_id", "region_id", "period_key"} <= columns
    assert "indicator" not in columns
    with transaction(old_engine) as session:
        at_t1 = read_observations(session, known_at=T1 + timedelta(hours=1)).set_index("indicator")
        history = read_observations(session, history=True)
    assert at_t1.loc["revenue", "value"] == pytest.approx(33.6)
    assert at_t1.loc["fai", "value"] == pytest.approx(95.0)
    columns = [*_FIGURE, "known_from", "known_to", "import_id", "is_sample"]
    assert _records(history[columns]) == _records(_normalised(pd.DataFrame(VERSIONS)[columns]))

    _downgrade(old_engine, "0007")
    assert _old_rows(old_engine) == before
    if old_engine.dialect.name == "postgresql":
        with old_engine.connect() as conn:
            collations = conn.exec_driver_sql(
                "SELECT column_name, collation_name FROM information_schema.columns "
                "WHERE table_name = 'observations' AND column_name IN ('indicator', 'region', 'period')"
            ).all()
        assert {c for _, c in collations} == {"C"}
    _downgrade(old_engine, "0006")
    assert _old_rows(old_engine) == before
    assert _indexes(old_engine) >= OLD_INDEXES


def test_upgrade_refuses_figures_whose_code_left_the_catalogue_tables(old_engine: Engine, catalogue: Any) -> None:
    _populate(old_engine, catalogue)
    with old_engine.begin() as conn:
        conn.execute(
            insert(_table(old_engine, "observations")), [_version(("no_such", "gusu", "2021-05"), 1.0, T0, None, 1)]
        )
    with pytest.raises(DatabaseError, match="no_such"):
        migrate(old_engine)
    assert len(_old_rows(old_engine)) == 8
    assert "indicator" in {c["name"] for c in inspect(old_engine).get_columns("observations")}


def _records(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    """Rows as tuples with missing values as None, in a fixed order."""
    rows = frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None)
    return sorted((tuple(r) for r in rows), key=repr)


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in ("known_from", "known_to"):
        out[column] = pd.to_datetime(out[column], utc=True)
    out["period_end"] = pd.to_datetime(out["period_end"])
    return out


def test_an_upgraded_database_takes_the_next_revision(old_engine: Engine, catalogue: Any) -> None:
    _populate(old_engine, catalogue)
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
