"""The one clock of the product, and what "today" is: the real date or the sample data's own date.

`utc_now()` is the only place that reads the system clock; everything else takes a time passed in
or asks this module. While a database holds sample data, every command, the scheduler and the
board take the sample's recorded date (2021-07-20) as today, so report periods, due dates and
overdue reports make sense; `as_of_moment` turns that date into the moment rules are evaluated at.
Real files loaded beside the sample keep that date (`mixed`): one "today" for everything, never a
jump to the real date that would turn five years of sample figures overdue. A real deployment
starts on an empty database, where today is the real date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from monitor.storage.meta import has_current_sample_figures, has_observations, sample_today

__all__ = ["Today", "as_of_moment", "effective_today", "local_now", "utc_now"]


def utc_now() -> datetime:
    """The current time (aware, UTC): the one read of the system clock."""
    return datetime.now(UTC)


def local_now(timezone: str) -> datetime:
    """The current time in the catalogue's time zone."""
    return utc_now().astimezone(ZoneInfo(timezone))


@dataclass(frozen=True)
class Today:
    date: date
    is_sample: bool
    mixed: bool = False
    """Sample data and real figures side by side (the date is still the sample's)."""

    @property
    def note(self) -> str:
        if self.is_sample and self.mixed:
            return (
                f"数据库中有示例数据，并与报送数据混合：仍以示例数据自身的日期 {self.date.isoformat()} 作为当前日期"
                "（正式使用请换一个空数据库）"
            )
        if self.is_sample:
            return f"数据库中只有示例数据：以示例数据自身的日期 {self.date.isoformat()} 作为当前日期"
        return f"当前日期：{self.date.isoformat()}"


def effective_today(session: Session, timezone: str, now: datetime | None = None) -> Today:
    """The date commands should treat as today (see module docstring)."""
    recorded = sample_today(session)
    if recorded is not None and has_current_sample_figures(session):
        return Today(recorded, True, mixed=has_observations(session, real_only=True))
    moment = now or utc_now()
    return Today(moment.astimezone(ZoneInfo(timezone)).date(), False)


def as_of_moment(today: Today, timezone: str, *, explicit: bool = False, now: datetime | None = None) -> datetime:
    """The moment to evaluate at: `today`'s date at the current time of day when it is not the real
    date (an explicit --as-of, or sample data), else now itself; aware, in `timezone`."""
    current = (now or utc_now()).astimezone(ZoneInfo(timezone))
    if explicit or today.is_sample:
        return datetime.combine(today.date, current.time().replace(microsecond=0), ZoneInfo(timezone))
    return current
