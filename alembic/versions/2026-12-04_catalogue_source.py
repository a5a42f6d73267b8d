"""The catalogue's 数据来源 and reporting levels: indicators.source and indicators.regions, departments.external.

Existing rows take the values a catalogue without these keys means (source = "" i.e. the lead
department, every region level reports, no department external); `monitor init` then writes the
catalogue's own values.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 01:10:00
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_ALL_LEVELS = '["district", "street", "peer"]'


def upgrade() -> None:
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=64), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("regions", sa.JSON(), nullable=False, server_default=sa.text(f"'{_ALL_LEVELS}'")))
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("external", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.drop_column("external")
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_column("regions")
        batch_op.drop_column("source")
