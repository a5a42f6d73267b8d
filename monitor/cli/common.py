"""What every command module shares: the lazily built context, output helpers and argument parsing."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from monitor.catalogue_file import load_catalogue
from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import Frequency, Period, parse_period
from monitor.errors import DatabaseError, PeriodError, UsageError
from monitor.services.clock import Today, effective_today
from monitor.settings import Settings
from monitor.storage.db import make_engine, schema_is_current, transaction

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


def say(text: str = "") -> None:
    print(text, flush=True)


def note(text: str) -> None:
    """Progress and context go to stderr so that stdout stays clean for JSON/CSV."""
    print(text, file=sys.stderr, flush=True)


def emit(text: str, out: str | None) -> int:
    """Print a document, or write it to `--out` and say where."""
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
        say(f"已写出 {out}")
    else:
        say(text)
    return 0


def parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option} “{text}” 不是 ISO 格式的日期（例如 2021-07-20）") from None


def parse_report_month(text: str | None, default: Callable[[], Period]) -> Period:
    """The report month of a `--period` option (2021-06 or 2021年1-6月), else `default()`.

    `default` is only called without --period: it may need the database, a bad option not.
    """
    if not text:
        return default()
    try:
        period = parse_period(text)
    except PeriodError as exc:
        raise UsageError(f"--period “{text}” 不是报告月份：{exc}") from None
    if period.frequency is not Frequency.MONTHLY:
        raise UsageError(f"--period “{text}” 不是月份：报告期按月填写，如 {period.year}-06 或 {period.year}年1-6月")
    return period


def parse_known_at(text: str | None, tz: ZoneInfo) -> datetime | None:
    """ISO date or time; naive times are in the catalogue's time zone; a bare date means the end of that day."""
    if not text:
        return None
    try:
        if len(text.strip()) == 10:
            return datetime.combine(datetime.fromisoformat(text.strip()).date(), time.max, tz)
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--known-at “{text}” 不是 ISO 格式的日期或时间（例如 2021-06-20 或 2021-06-20T09:00）"
        ) from None
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


class Parser(argparse.ArgumentParser):
    """argparse with its usage errors in Chinese (exit code 2 as usual)."""

    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        self.exit(2, f"参数错误：{message}\n（用 -h 查看用法）\n")


Subcommands = argparse._SubParsersAction  # the object add_subparsers() returns


def add_command(sub: Subcommands, name: str, func: Command, help_text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(func=func)
    return parser
