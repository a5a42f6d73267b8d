"""The context every command runs in: settings, the catalogue and the database, built lazily."""

from __future__ import annotations

import argparse
import signal
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from monitor.catalogue_file import load_catalogue
from monitor.cli.arguments import parse_date
from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import Period
from monitor.errors import DatabaseError
from monitor.services.clock import Today, effective_today
from monitor.settings import Settings
from monitor.storage.db import make_engine, schema_is_current, transaction

__all__ = ["Command", "Context", "stop_on_sigterm"]

Command = Callable[["Context", argparse.Namespace], int]


class Context:
    """What every command needs, built lazily so `catalog check` works without a database."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._engine: Engine | None = None
        self._catalogue: Catalogue | None = None

    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            self._catalogue = load_catalogue(self.settings.config_path)
        return self._catalogue

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.settings.database_url)
        return self._engine

    def ready_engine(self) -> Engine:
        """The engine of a migrated database; tells the user to run `monitor init` otherwise."""
        if not schema_is_current(self.engine):
            raise DatabaseError("数据库尚未初始化或版本过旧：请先运行 monitor init")
        return self.engine

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.catalogue.meta.timezone)

    def today(self, as_of: str | None = None) -> Today:
        """The date to work with: `--as-of` when given, else the sample's own date or the real date."""
        if as_of:
            return Today(parse_date(as_of, "--as-of"), False)
        with transaction(self.ready_engine()) as session:
            return effective_today(session, self.catalogue.meta.timezone)

    def current_report_month(self, today: Today | None = None) -> Period:
        """The report month commands default to: last month, or the newest month with figures."""
        from monitor.services.pace import current_report_month

        day = (today or self.today()).date
        with transaction(self.ready_engine()) as session:
            return current_report_month(session, day)


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def stop_on_sigterm() -> None:
    """Make SIGTERM (systemd, `kill`) stop a foreground service as Ctrl-C does: cleanly, jobs finished."""
    signal.signal(signal.SIGTERM, _interrupt)
