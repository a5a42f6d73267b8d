"""Observation storage for bulk work: bytewise codes, and only the indexes the real-time rule needs.

On PostgreSQL the code columns get `COLLATE "C"` (they were compared under the database's locale).
The four indexes (current, series, import_id, primary key) become three, two of them partial:
`uq_observations_current` (indicator, region, year, period) over current versions and
`ix_observations_history` (indicator, region, year) over closed ones; `ix_observations_import_id`
goes (only the alert rules' look-up of figures from imports with warnings used it, a filtered scan
now). Every row and revision is kept: only the column collation and the indexes change.
Downgrade restores revision 0006's schema.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 01:10:00
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_CODES = (("indicator", 64), ("region", 64), ("period", 16))
_CURRENT = sa.text("known_to IS NULL")
_CLOSED = sa.text("known_to IS NOT NULL")


def _collate(collation: str | None) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite compares text bytewise already
    for name, length in _CODES:
        op.alter_column(
            "observations",
            name,
            existing_type=sa.String(length=length),
            type_=sa.String(length=length, collation=collation),
            existing_nullable=False,
        )


def upgrade() -> None:
    op.drop_index("uq_observations_current", table_name="observations")
    op.drop_index("ix_observations_series", table_name="observations")
    op.drop_index("ix_observations_import_id", table_name="observations")
    _collate("C")
    op.create_index(
        "uq_observations_current",
        "observations",
        ["indicator", "region", "year", "period"],
        unique=True,
        sqlite_where=_CURRENT,
        postgresql_where=_CURRENT,
    )
    op.create_index(
        "ix_observations_history",
        "observations",
        ["indicator", "region", "year"],
        sqlite_where=_CLOSED,
        postgresql_where=_CLOSED,
    )


def downgrade() -> None:
    op.drop_index("ix_observations_history", table_name="observations")
    op.drop_index("uq_observations_current", table_name="observations")
    _collate(None)
    op.create_index("ix_observations_import_id", "observations", ["import_id"])
    op.create_index("ix_observations_series", "observations", ["indicator", "region", "year"])
    op.create_index(
        "uq_observations_current",
        "observations",
        ["indicator", "region", "period"],
        unique=True,
        sqlite_where=_CURRENT,
        postgresql_where=_CURRENT,
    )
