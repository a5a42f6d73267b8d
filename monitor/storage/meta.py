"""Small facts about a database kept in `app_meta`: the sample data's own today, the data version."""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from monitor.storage.models import AppMeta, Observation

SAMPLE_TODAY = "sample_today"
DATA_VERSION = "data_version"
ALERT_VERSION = "alert_version"


def get_meta(session: Session, key: str) -> str | None:
    row = session.get(AppMeta, key)
    return row.value if row else None


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(AppMeta, key)
    if row is None:
        session.add(AppMeta(key=key, value=value))
    else:
        row.value = value
    session.flush()


def _bump(session: Session, key: str) -> int:
    version = int(get_meta(session, key) or 0) + 1
    set_meta(session, key, str(version))
    return version


def bump_data_version(session: Session) -> int:
    """Count writes, so caches keyed by the data version know when figures changed."""
    return _bump(session, DATA_VERSION)


def bump_alert_version(session: Session) -> int:
    """Count alert changes (opened, updated, acknowledged, resolved), so the board's cached pages know."""
    return _bump(session, ALERT_VERSION)


def data_version(session: Session) -> int:
    return int(get_meta(session, DATA_VERSION) or 0)


def versions(session: Session) -> tuple[int, int]:
    """The data version and the alert version, in one query (the board asks this on every page load)."""
    keys = [DATA_VERSION, ALERT_VERSION]
    found = session.execute(select(AppMeta.key, AppMeta.value).where(AppMeta.key.in_(keys))).all()
    rows = {str(key): value for key, value in found}
    return int(rows.get(DATA_VERSION) or 0), int(rows.get(ALERT_VERSION) or 0)


def sample_today(session: Session) -> date | None:
    value = get_meta(session, SAMPLE_TODAY)
    return date.fromisoformat(value) if value else None


def has_observations(session: Session, *, real_only: bool = False) -> bool:
    t = Observation.__table__
    cond = t.c.is_sample.is_(False) if real_only else t.c.known_from.is_not(None)
    return bool(session.execute(select(exists().where(cond))).scalar())


def has_current_sample_figures(session: Session) -> bool:
    """Whether any current figure is sample data (the board then labels its pages)."""
    t = Observation.__table__
    return bool(session.execute(select(exists().where(t.c.is_sample.is_(True), t.c.known_to.is_(None)))).scalar())
