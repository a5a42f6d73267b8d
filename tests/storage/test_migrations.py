"""The Alembic migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from monitor.storage.db import include_object, make_engine, migrate, schema_is_current
from monitor.storage.models import Base


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        url = request.getfixturevalue("pg_databases").create(f"mig_{tmp_path.name[-12:].lower()}")
    engine = make_engine(url)
    yield engine
    engine.dispose()


def _drift(engine: Engine) -> list:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include_object})
        return compare_metadata(ctx, Base.metadata)


def test_upgrade_head_on_empty_database_matches_models(empty_engine: Engine) -> None:
    assert not schema_is_current(empty_engine)
    migrate(empty_engine)
    assert schema_is_current(empty_engine)
    assert _drift(empty_engine) == []


def test_migrate_twice_is_a_no_op(empty_engine: Engine) -> None:
    migrate(empty_engine)
    migrate(empty_engine)
    assert _drift(empty_engine) == []


def test_downgrade_to_base_removes_every_table_and_upgrade_restores_them(empty_engine: Engine) -> None:
    migrate(empty_engine)
    migrate_down = __import__("alembic.command", fromlist=["downgrade"]).downgrade
    from monitor.storage.db import alembic_config

    cfg = alembic_config(empty_engine)
    with empty_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        migrate_down(cfg, "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    migrate(empty_engine)
    assert set(Base.metadata.tables) <= set(inspect(empty_engine).get_table_names())


def test_a_database_made_by_the_first_release_upgrades_and_keeps_its_figures(empty_engine: Engine) -> None:
    """Databases created at revision 0001 (the first landed schema) move to head with nothing lost."""
    migrate(empty_engine, "0001")
    with empty_engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO app_meta (key, value) VALUES ('data_version', '7')")
    assert not schema_is_current(empty_engine)
    migrate(empty_engine)
    assert schema_is_current(empty_engine)
    assert _drift(empty_engine) == []
    with empty_engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT value FROM app_meta WHERE key = 'data_version'").scalar() == "7"


def test_the_schedulers_own_table_is_not_schema_drift(empty_engine: Engine) -> None:
    """APScheduler creates `scheduler_jobs` in the same database; autogenerate must not drop it."""
    from monitor.scheduler import JOBSTORE_TABLE

    migrate(empty_engine)
    with empty_engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {JOBSTORE_TABLE} (id VARCHAR(191) PRIMARY KEY, next_run_time FLOAT)")
    assert _drift(empty_engine) == []
