"""Fixtures: migrated databases holding the sample data, on SQLite and PostgreSQL, built once per run.

SQLite: a template file copied per test. PostgreSQL: a template database cloned per test
(CREATE DATABASE ... TEMPLATE), so every test starts from the same sample in well under a second.
"""

from __future__ import annotations

import shutil
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from monitor.catalogue_file import load_catalogue
from monitor.services.alerts import alert_inputs
from monitor.services.demo import load_demo
from monitor.settings import PROJECT_ROOT
from monitor.storage.catalogue_sync import sync_catalogue
from monitor.storage.db import make_engine, migrate, transaction

CATALOGUE = PROJECT_ROOT / "indicators.toml"


def _load(url: str) -> None:
    engine = make_engine(url)
    migrate(engine)
    catalogue = load_catalogue(CATALOGUE)
    with transaction(engine) as session:
        sync_catalogue(session, catalogue)
    load_demo(engine, catalogue)
    with transaction(engine) as session:  # fit and store the forecasts once, as `monitor run` would have
        alert_inputs(session, catalogue, datetime(2021, 7, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    engine.dispose()


_BUILT: dict[str, Any] = {}
"""Templates built in this run: the fixtures below are imported by several conftests, built once."""


@pytest.fixture(scope="session")
def sqlite_sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if "sqlite" not in _BUILT:
        path = tmp_path_factory.mktemp("sample") / "template.db"
        _load(f"sqlite:///{path}")
        _BUILT["sqlite"] = path
    return Path(_BUILT["sqlite"])


@pytest.fixture(scope="session")
def pg_sample_template(pg_databases) -> str:  # type: ignore[no-untyped-def]
    if "postgresql" not in _BUILT:
        url = pg_databases.create("sample_tpl")
        _load(url)
        _BUILT["postgresql"] = make_url(url).database or ""
    return str(_BUILT["postgresql"])


def clone_pg(pg_databases, template: str) -> str:  # type: ignore[no-untyped-def]
    name = f"{pg_databases.prefix}_{uuid.uuid4().hex[:8]}"
    with pg_databases.admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    pg_databases.created.append(name)
    return pg_databases.base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def sample_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated database holding the catalogue and the sample data (today 2021-07-20)."""
    if request.param == "sqlite":
        target = tmp_path / "monitor.db"
        shutil.copy(request.getfixturevalue("sqlite_sample_file"), target)
        return f"sqlite:///{target}"
    template = request.getfixturevalue("pg_sample_template")
    dbs = request.getfixturevalue("pg_databases")
    # a template must have no other connection while it is cloned
    engine = create_engine(dbs.base.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"), {"d": template})
    engine.dispose()
    return clone_pg(dbs, template)


@pytest.fixture
def sqlite_sample_url(tmp_path: Path, sqlite_sample_file: Path) -> str:
    target = tmp_path / "monitor.db"
    shutil.copy(sqlite_sample_file, target)
    return f"sqlite:///{target}"


def as_real_figures(url: str) -> str:
    """The sample's figures relabelled as real ones: the mail paths then send (sample data never does)."""
    engine = make_engine(url)
    with transaction(engine) as session:
        session.execute(text("UPDATE observations SET is_sample = :f"), {"f": False})
        session.execute(text("UPDATE imports SET is_sample = :f"), {"f": False})
        session.execute(text("DELETE FROM app_meta WHERE key = 'sample_today'"))
    engine.dispose()
    return url
