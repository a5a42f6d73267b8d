"""Shared fixtures: the shipped catalogue, and migrated databases on SQLite and PostgreSQL.

PostgreSQL: each test run creates its own database on the server named by
MONITOR_TEST_POSTGRES_URL (default postgres@127.0.0.1:5432) and drops it at the end. Without a
reachable server those tests are skipped, unless MONITOR_REQUIRE_POSTGRES=1 (set by .ci/run),
where a missing server fails them instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from monitor.catalogue_file import load_catalogue
from monitor.domain.catalogue import Catalogue
from monitor.settings import PROJECT_ROOT
from monitor.storage.catalogue_sync import sync_catalogue
from monitor.storage.db import make_engine, migrate, transaction
from monitor.storage.models import Base

# The session's one Chromium (`browser`): defined once here, since a fixture imported into two
# conftests is two fixtures, and two Playwright sessions cannot run in one thread.
pytest_plugins = ["tests.browser"]

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _pg_required() -> bool:
    return os.environ.get("MONITOR_REQUIRE_POSTGRES") == "1"


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(PROJECT_ROOT / "indicators.toml")


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """URL of the maintenance database; skips (or fails in CI) when no server answers."""
    url = os.environ.get("MONITOR_TEST_POSTGRES_URL", DEFAULT_PG)
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure to connect means "no server here"
        message = f"PostgreSQL not reachable at {make_url(url).render_as_string(hide_password=True)}: {exc}"
        if _pg_required():
            pytest.fail(message + " (MONITOR_REQUIRE_POSTGRES=1)")
        pytest.skip(message)
    return url


class PgDatabases:
    """Creates throw-away databases on the test server and drops them all at the end of the run."""

    def __init__(self, admin_url: str):
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.base = make_url(admin_url)
        self.prefix = f"monitor_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.created: list[str] = []

    def create(self, suffix: str) -> str:
        name = f"{self.prefix}_{suffix}"
        with self.admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
        self.created.append(name)
        return self.base.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_databases(pg_admin_url: str) -> Iterator[PgDatabases]:
    dbs = PgDatabases(pg_admin_url)
    yield dbs
    dbs.drop_all()


@pytest.fixture(scope="session")
def pg_shared_url(pg_databases: PgDatabases) -> str:
    """One migrated database for the run; tests get it emptied (see `db_url`)."""
    url = pg_databases.create("shared")
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    return url


def _truncate_all(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'monitor.db'}"
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        return url
    url = request.getfixturevalue("pg_shared_url")
    _truncate_all(url)
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def synced_engine(engine: Engine, catalogue: Catalogue) -> Engine:
    """A migrated database holding the shipped catalogue."""
    with transaction(engine) as session:
        sync_catalogue(session, catalogue)
    return engine
