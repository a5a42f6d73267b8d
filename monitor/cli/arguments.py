"""Parsing the command line: Chinese usage errors, dates, report months and --known-at times."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from monitor.domain.periods import Frequency, Period, parse_period
from monitor.errors import PeriodError, UsageError

if TYPE_CHECKING:
    from monitor.cli.context import Command

__all__ = ["Parser", "Subcommands", "add_command", "parse_date", "parse_known_at", "parse_report_month"]


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
