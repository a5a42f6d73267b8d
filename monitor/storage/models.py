"""SQLAlchemy 2 models. The Alembic migrations under alembic/versions must match these (tested).

Observations keep ALFRED-style real-time periods: a figure is current from `known_from` until
`known_to` (NULL while current). A revision closes the old row and opens a new one, so nothing is
ever overwritten and any past report can be reproduced with `--known-at`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from monitor.storage.base import NAMING, Base, Id, UtcDateTime, code_type

__all__ = ["NAMING", "Base", "Id", "UtcDateTime", "code_type"]  # the models below are imported by name


class Department(Base):
    __tablename__ = "departments"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    external: Mapped[bool] = mapped_column(Boolean, default=False)  # supplies figures, cannot be 督办
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Region(Base):
    __tablename__ = "regions"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    parent: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    num: Mapped[int] = mapped_column(Integer, unique=True)  # the region's key in observations (never reused)


class Indicator(Base):
    __tablename__ = "indicators"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(32))
    frequency: Mapped[str] = mapped_column(String(16))
    measure: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(8))
    growth_basis: Mapped[str] = mapped_column(String(16))
    lag_months: Mapped[int] = mapped_column(Integer)
    first_month: Mapped[int] = mapped_column(Integer)
    due_day: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(64), default="")  # 数据来源: the department code supplying it
    regions: Mapped[list[Any]] = mapped_column(JSON, default=list)  # region levels that report it
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    num: Mapped[int] = mapped_column(SmallInteger, unique=True)  # the indicator's key in observations


class IndicatorDepartment(Base):
    __tablename__ = "indicator_departments"
    indicator: Mapped[str] = mapped_column(ForeignKey("indicators.code"), primary_key=True)
    department: Mapped[str] = mapped_column(ForeignKey("departments.code"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class IndicatorSet(Base):
    __tablename__ = "indicator_sets"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Category(Base):
    __tablename__ = "categories"
    set_code: Mapped[str] = mapped_column(ForeignKey("indicator_sets.code"), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)


class CategoryMember(Base):
    __tablename__ = "category_members"
    __table_args__ = (ForeignKeyConstraint(["set_code", "category_code"], ["categories.set_code", "categories.code"]),)
    set_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    indicator: Mapped[str] = mapped_column(ForeignKey("indicators.code"), primary_key=True)
    category_code: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)


class Target(Base):
    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("year", "region", "indicator"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer)
    region: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    indicator: Mapped[str] = mapped_column(ForeignKey("indicators.code"))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[float | None] = mapped_column(Float)
    tolerance: Mapped[float | None] = mapped_column(Float)
    reference: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text, default="")


class Import(Base):
    """One file (or generated batch) offered for loading, whatever became of it."""

    __tablename__ = "imports"
    __table_args__ = (
        # Two processes importing the same bytes at once: only one can commit an accepted row.
        Index(
            "uq_imports_accepted_sha256",
            "sha256",
            unique=True,
            sqlite_where=text("status = 'accepted'"),
            postgresql_where=text("status = 'accepted'"),
        ),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    department: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))  # cli | inbox | upload | demo
    status: Mapped[str] = mapped_column(String(16))  # accepted | rejected | duplicate
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    revised: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    errors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    message: Mapped[str] = mapped_column(Text, default="")


class Observation(Base):
    """One version of one figure, keyed by integers: the indicator's and region's `num` and the
    period's key (`monitor.domain.period_keys`: year * 1000 + kind * 100 + number). Narrow rows and
    integer indexes are what make a bulk import cheap (bench/import_bench.py); `storage.series_keys`
    translates to and from codes at the storage boundary, so nothing above storage sees the integers.

    Indexes are the minimum the real-time rule needs:
    - `uq_observations_current`: at most one current version per key, and the reads of current
      figures (indicator, region, a year's key range); a new import touches only this index;
    - `ix_observations_history`: closed versions only, for `--known-at` and history reads, so it
      grows with revisions, not with every import.
    A version is identified by its key and `known_from` (no surrogate id: its sequence and index
    cost as much as the key's). The year and period end are derived from the key, not stored.
    """

    __tablename__ = "observations"
    __table_args__ = (
        Index(
            "uq_observations_current",
            "indicator_id",
            "region_id",
            "period_key",
            unique=True,
            sqlite_where=text("known_to IS NULL"),
            postgresql_where=text("known_to IS NULL"),
        ),
        Index(
            "ix_observations_history",
            "indicator_id",
            "region_id",
            "period_key",
            sqlite_where=text("known_to IS NOT NULL"),
            postgresql_where=text("known_to IS NOT NULL"),
        ),
    )
    # No foreign keys on this table, on purpose: PostgreSQL checks them row by row, which made a
    # large import three times slower (bench/import_bench.py). Every row comes through
    # record_observations after validation against the synced catalogue, whose indicators, regions
    # and imports are never deleted (sync retires them), so the references hold by construction.
    indicator_id: Mapped[int] = mapped_column(SmallInteger)
    region_id: Mapped[int] = mapped_column(Integer)
    period_key: Mapped[int] = mapped_column(Integer)
    value: Mapped[float | None] = mapped_column(Float)
    yoy: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    known_from: Mapped[datetime] = mapped_column(UtcDateTime)
    known_to: Mapped[datetime | None] = mapped_column(UtcDateTime)
    import_id: Mapped[int | None] = mapped_column(Integer)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)

    __mapper_args__ = {"primary_key": (indicator_id, region_id, period_key, known_from)}  # noqa: RUF012


class JobRun(Base):
    __tablename__ = "job_runs"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    job: Mapped[str] = mapped_column(String(64), index=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16))  # running | success | failed
    error: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AppMeta(Base):
    """Small key/value facts about this database (the sample data's own 'today', data version)."""

    __tablename__ = "app_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Forecast(Base):
    """A fitted year-end forecast, keyed by the figures it was fitted on (`fingerprint`).

    Models are fitted when data change, not when a page loads: a revised figure gives a new
    fingerprint and so a new row; rows for earlier data stay, so `--known-at` reports reuse them.
    """

    __tablename__ = "forecasts"
    indicator: Mapped[str] = mapped_column(ForeignKey("indicators.code"), primary_key=True)
    region: Mapped[str] = mapped_column(ForeignKey("regions.code"), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    forecast_value: Mapped[float | None] = mapped_column(Float)
    forecast_low: Mapped[float | None] = mapped_column(Float)
    forecast_high: Mapped[float | None] = mapped_column(Float)
    forecast_growth: Mapped[float | None] = mapped_column(Float)
    forecast_sd: Mapped[float | None] = mapped_column(Float)
    forecast_method: Mapped[str] = mapped_column(String(32))
    fitted_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Alert(Base):
    """One problem found by the alert rules, from opened to resolved (see domain/lifecycle.py).

    At most one active (open or acknowledged) alert per fingerprint: a partial unique index.
    """

    __tablename__ = "alerts"
    __table_args__ = (
        Index(
            "uq_alerts_active_fingerprint",
            "fingerprint",
            unique=True,
            sqlite_where=text("state <> 'resolved'"),
            postgresql_where=text("state <> 'resolved'"),
        ),
        Index("ix_alerts_state", "state"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    fingerprint: Mapped[str] = mapped_column(String(300))
    rule: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(8))  # red | yellow | info
    state: Mapped[str] = mapped_column(String(16))  # open | acknowledged | resolved
    indicator: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    departments: Mapped[list[Any]] = mapped_column(JSON, default=list)
    days_overdue: Mapped[int | None] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    note: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AlertEvent(Base):
    """Every transition of an alert: opened, escalated, deescalated, acknowledged, resolved."""

    __tablename__ = "alert_events"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    kind: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))  # the state after the event
    severity: Mapped[str] = mapped_column(String(8))
    by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text, default="")


class DigestSend(Base):
    """The weekly digest ledger: one row per (week, recipient), committed before and after each send."""

    __tablename__ = "digest_sends"
    __table_args__ = (UniqueConstraint("week", "recipient"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    week: Mapped[str] = mapped_column(String(10))  # ISO week, e.g. 2021-W29
    recipient: Mapped[str] = mapped_column(String(80))  # "group" or "department:<code>"
    addresses: Mapped[list[Any]] = mapped_column(JSON, default=list)
    subject: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16))  # sending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    error: Mapped[str | None] = mapped_column(Text)


class User(Base):
    """A person who signs in to the board; disabled, never deleted, so the audit trail keeps its names."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # admin | group | reporter | viewer
    department: Mapped[str | None] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(300))  # Argon2id, never the password
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    password_changed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AuditEntry(Base):
    """The append-only security audit trail: who did what, from where, to what, with which outcome."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    role: Mapped[str | None] = mapped_column(String(16))
    department: Mapped[str | None] = mapped_column(String(64))
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    object: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(16))  # success | failure | denied
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# The 重点项目 and 督办 models share the metadata: import them so that Base.metadata is complete.
from monitor.storage.project_models import (  # noqa: E402
    Project,
    ProjectProblem,
    ProjectProblemEvent,
    ProjectProgress,
    Task,
    TaskReport,
)

__all__ += ["Project", "ProjectProblem", "ProjectProblemEvent", "ProjectProgress", "Task", "TaskReport"]
