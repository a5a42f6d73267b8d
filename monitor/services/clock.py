"""What "today" is: the real date in the catalogue's time zone, or the sample data's own date.

While a database holds only sample data, every command and the board take the sample's recorded
date (2021-07-20) as today, so report periods, due dates and overdue reports make sense.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from monitor.storage.meta import has_observations, sample_today


@dataclass(frozen=True)
class Today:
    date: date
    is_sample: bool

    @property
    def note(self) -> str:
        if self.is_sample:
            return f"数据库中只有示例数据：以示例数据自身的日期 {self.date.isoformat()} 作为当前日期"
        return f"当前日期：{self.date.isoformat()}"


def effective_today(session: Session, timezone: str, now: datetime | None = None) -> Today:
    """The date commands should treat as today (see module docstring)."""
    recorded = sample_today(session)
    if recorded is not None and has_observations(session) and not has_observations(session, real_only=True):
        return Today(recorded, True)
    moment = now or datetime.now(UTC)
    return Today(moment.astimezone(ZoneInfo(timezone)).date(), False)
