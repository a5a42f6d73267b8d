"""Engine and session creation, and Alembic migration from code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from alembic import command
from monitor.errors import DatabaseError
from monitor.settings import PROJECT_ROOT

ALEMBIC_DIR = PROJECT_ROOT / "alembic"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the one writer
    cursor.execute("PRAGMA busy_timeout=30000")  # a second writer waits instead of failing
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for `url`; creates the folder of a SQLite file. Raises DatabaseError on a bad URL."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(
            f"数据库地址“{url}”格式不正确（例如 sqlite:///var/monitor.db 或 postgresql+psycopg://user@host/db）"
        ) from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    elif parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
        kwargs["pool_pre_ping"] = True
    engine = create_engine(parsed, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: commits when the block ends, rolls back everything on any exception."""
    with session_factory(engine)() as session, session.begin():
        yield session


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(ALEMBIC_DIR))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


FOREIGN_TABLES = {"scheduler_jobs"}  # APScheduler's job store creates and owns it (monitor/scheduler.py)


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """For Alembic's autogenerate: leave tables other libraries own alone (not drop them)."""
    return not (type_ == "table" and reflected and name in FOREIGN_TABLES)


def unreachable(engine: Engine, exc: OperationalError) -> DatabaseError:
    """One Chinese line naming the server (without its password) and the driver's reason on one line."""
    reason = " ".join(str(exc.orig).split())
    return DatabaseError(f"无法连接数据库 {engine.url.render_as_string(hide_password=True)}：{reason}")


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`; safe to run on every start."""
    cfg = alembic_config(engine)
    try:
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)
    except OperationalError as exc:
        raise unreachable(engine, exc) from None


def schema_is_current(engine: Engine) -> bool:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision() == head
    except OperationalError as exc:
        raise unreachable(engine, exc) from None
