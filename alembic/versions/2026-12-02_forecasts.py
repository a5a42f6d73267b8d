"""Stored year-end forecasts, keyed by the figures they were fitted on.

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


def upgrade() -> None:
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
