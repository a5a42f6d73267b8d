"""Stored year-end forecasts; observations without foreign keys and without the year index.

Foreign keys on observations are checked row by row by PostgreSQL and made a large import three
times slower; the import path validates every code against the synced catalogue, which never
deletes an indicator, region or import. `ix_observations_year` served no query.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 02:50:00
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op
from monitor.storage.models import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


_OBSERVATION_FKS = (
    ("fk_observations_import_id_imports", "imports", ["import_id"], ["id"]),
    ("fk_observations_indicator_indicators", "indicators", ["indicator"], ["code"]),
    ("fk_observations_region_regions", "regions", ["region"], ["code"]),
)


def upgrade() -> None:
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index("ix_observations_year")
        for name, _table, _local, _remote in _OBSERVATION_FKS:
            batch_op.drop_constraint(name, type_="foreignkey")
    op.create_table(
        "forecasts",
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("forecast_value", sa.Float(), nullable=True),
        sa.Column("forecast_low", sa.Float(), nullable=True),
        sa.Column("forecast_high", sa.Float(), nullable=True),
        sa.Column("forecast_growth", sa.Float(), nullable=True),
        sa.Column("forecast_sd", sa.Float(), nullable=True),
        sa.Column("forecast_method", sa.String(length=32), nullable=False),
        sa.Column("fitted_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["indicator"], ["indicators.code"], name=op.f("fk_forecasts_indicator_indicators")),
        sa.ForeignKeyConstraint(["region"], ["regions.code"], name=op.f("fk_forecasts_region_regions")),
        sa.PrimaryKeyConstraint("indicator", "region", "period", "fingerprint", name=op.f("pk_forecasts")),
    )


def downgrade() -> None:
    op.drop_table("forecasts")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        for name, table, local, remote in _OBSERVATION_FKS:
            batch_op.create_foreign_key(name, table, local, remote)
        batch_op.create_index("ix_observations_year", ["year", "indicator"], unique=False)
