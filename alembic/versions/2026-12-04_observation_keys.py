"""Observations keyed by integers: indicator and region numbers and a period key, no surrogate id.

Indicators and regions get `num` (numbered in code order here; the catalogue sync numbers new ones
after the highest, never reusing one). `observations` is rebuilt as (indicator_id, region_id,
period_key = year * 1000 + kind * 100 + number, value, yoy, note, known_from, known_to, import_id,
is_sample): every version of every figure is copied in one INSERT ... SELECT, revision chains
included (a version is its key and known_from). `year` and `period_end` follow from the key and
are no longer stored. The two partial indexes are rebuilt on the integer key after the copy.
Downgrade restores revision 0007's table, rows and revisions.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 04:20:00
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

import sqlalchemy as sa

from alembic import op
from monitor.errors import DatabaseError
from monitor.storage.base import UtcDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_CURRENT = sa.text("known_to IS NULL")
_CLOSED = sa.text("known_to IS NOT NULL")
_COPIED = "value, yoy, note, known_from, known_to, import_id, is_sample"
_PERIOD_KEY = (
    "CAST(substr(o.period, 1, 4) AS INTEGER) * 1000 + CASE "
    "WHEN length(o.period) = 4 THEN 301 "
    "WHEN substr(o.period, 6, 1) = 'Q' THEN 100 + CAST(substr(o.period, 7) AS INTEGER) "
    "WHEN substr(o.period, 6, 1) = 'W' THEN 200 + CAST(substr(o.period, 7) AS INTEGER) "
    "ELSE CAST(substr(o.period, 6, 2) AS INTEGER) END"
)
_CHUNK = 10_000


def _number(table: str, kind: sa.types.TypeEngine[int]) -> None:
    op.add_column(table, sa.Column("num", kind, nullable=True))
    op.execute(f"UPDATE {table} SET num = (SELECT count(*) FROM {table} AS t2 WHERE t2.code <= {table}.code)")
    with op.batch_alter_table(table) as batch:
        batch.alter_column("num", existing_type=kind, nullable=False)
        batch.create_unique_constraint(f"uq_{table}_num", ["num"])


def _indexes(current: list[str], history: list[str]) -> None:
    op.create_index("uq_observations_current", "observations", current, unique=True,
                    sqlite_where=_CURRENT, postgresql_where=_CURRENT)  # fmt: skip
    op.create_index("ix_observations_history", "observations", history,
                    sqlite_where=_CLOSED, postgresql_where=_CLOSED)  # fmt: skip


def _refuse_orphans() -> None:
    """Stop before any change if a figure names a code the catalogue tables lack (it would be lost)."""
    orphans = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT DISTINCT 'indicator ' || o.indicator FROM observations AS o "
                "WHERE NOT EXISTS (SELECT 1 FROM indicators AS i WHERE i.code = o.indicator) UNION "
                "SELECT DISTINCT 'region ' || o.region FROM observations AS o "
                "WHERE NOT EXISTS (SELECT 1 FROM regions AS r WHERE r.code = o.region)"
            )
        )
        .scalars()
        .all()
    )
    if orphans:
        shown = "、".join(sorted(orphans)[:10])
        raise DatabaseError(
            f"数据库中有 {len(orphans)} 个代码不在指标或地区表中（{shown}）：这些数据无法迁移，未做任何更改。"
            "请先把这些代码加回 indicators.toml 并运行 monitor init，再升级"
        )


def upgrade() -> None:
    _refuse_orphans()
    _number("regions", sa.Integer())
    _number("indicators", sa.SmallInteger())
    op.create_table(
        "observations_keyed",
        sa.Column("indicator_id", sa.SmallInteger(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("period_key", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("yoy", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("known_from", UtcDateTime(timezone=True), nullable=False),
        sa.Column("known_to", UtcDateTime(timezone=True), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
    )
    op.execute(
        f"INSERT INTO observations_keyed (indicator_id, region_id, period_key, {_COPIED}) "
        f"SELECT i.num, r.num, {_PERIOD_KEY}, o.value, o.yoy, o.note, o.known_from, o.known_to, o.import_id, "
        "o.is_sample FROM observations AS o JOIN indicators AS i ON i.code = o.indicator "
        "JOIN regions AS r ON r.code = o.region"
    )
    op.drop_table("observations")
    op.rename_table("observations_keyed", "observations")
    _indexes(["indicator_id", "region_id", "period_key"], ["indicator_id", "region_id", "period_key"])


def _old_period(key: int) -> tuple[str, int, date]:
    """Canonical text, year and end date of a period key (as revision 0007 stored them)."""
    year, rest = divmod(key, 1000)
    kind, n = divmod(rest, 100)
    if kind == 0:
        return f"{year}-{n:02d}", year, date(year, n, calendar.monthrange(year, n)[1])
    if kind == 1:
        return f"{year}-Q{n}", year, date(year, 3 * n, calendar.monthrange(year, 3 * n)[1])
    if kind == 2:
        return f"{year}-W{n:02d}", year, date.fromisocalendar(year, n, 7)
    return f"{year}", year, date(year, 12, 31)


def downgrade() -> None:
    old = op.create_table(
        "observations_coded",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("indicator", sa.String(64).with_variant(sa.String(64, collation="C"), "postgresql"), nullable=False),
        sa.Column("region", sa.String(64).with_variant(sa.String(64, collation="C"), "postgresql"), nullable=False),
        sa.Column("period", sa.String(16).with_variant(sa.String(16, collation="C"), "postgresql"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("yoy", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("known_from", UtcDateTime(timezone=True), nullable=False),
        sa.Column("known_to", UtcDateTime(timezone=True), nullable=True),
        sa.Column("import_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_observations"),
    )
    bind = op.get_bind()
    stored = bind.execute(
        sa.text(
            "SELECT i.code, r.code, o.period_key, o.value, o.yoy, o.note, o.known_from, o.known_to, o.import_id, "
            "o.is_sample "
            "FROM observations AS o JOIN indicators AS i ON i.num = o.indicator_id "
            "JOIN regions AS r ON r.num = o.region_id ORDER BY o.indicator_id, o.region_id, o.period_key, o.known_from"
        ).columns(known_from=UtcDateTime(), known_to=UtcDateTime())
    )
    names = ["value", "yoy", "note", "known_from", "known_to", "import_id", "is_sample"]
    while batch := stored.fetchmany(_CHUNK):
        rows: list[dict[str, Any]] = []
        for indicator, region, key, *rest in batch:
            period, year, end = _old_period(int(key))
            rows.append({"indicator": indicator, "region": region, "period": period, "year": year,
                         "period_end": end, **dict(zip(names, rest, strict=True))})  # fmt: skip
        bind.execute(old.insert(), rows)
    op.drop_table("observations")
    op.rename_table("observations_coded", "observations")
    _indexes(["indicator", "region", "year", "period"], ["indicator", "region", "year"])
    for table in ("indicators", "regions"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(f"uq_{table}_num", type_="unique")
            batch_op.drop_column("num")
