"""Initial schema: catalogue tables, observations with real-time periods, imports, job runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 18:27:03.912171
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op
from monitor.storage.models import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_meta")),
    )
    op.create_table(
        "departments",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_departments")),
    )
    op.create_table(
        "imports",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("department", sa.String(length=64), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("revised", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    with op.batch_alter_table("imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_imports_sha256"), ["sha256"], unique=False)
        batch_op.create_index(
            "uq_imports_accepted_sha256",
            ["sha256"],
            unique=True,
            sqlite_where=sa.text("status = 'accepted'"),
            postgresql_where=sa.text("status = 'accepted'"),
        )

    op.create_table(
        "indicator_sets",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_indicator_sets")),
    )
    op.create_table(
        "indicators",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("measure", sa.String(length=16), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("growth_basis", sa.String(length=16), nullable=False),
        sa.Column("lag_months", sa.Integer(), nullable=False),
        sa.Column("first_month", sa.Integer(), nullable=False),
        sa.Column("due_day", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_indicators")),
    )
    op.create_table(
        "job_runs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("started_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
    )
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_runs_job"), ["job"], unique=False)

    op.create_table(
        "regions",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("parent", sa.String(length=64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_regions")),
    )
    op.create_table(
        "categories",
        sa.Column("set_code", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_code"], ["indicator_sets.code"], name=op.f("fk_categories_set_code_indicator_sets")
        ),
        sa.PrimaryKeyConstraint("set_code", "code", name=op.f("pk_categories")),
    )
    op.create_table(
        "indicator_departments",
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("department", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department"], ["departments.code"], name=op.f("fk_indicator_departments_department_departments")
        ),
        sa.ForeignKeyConstraint(
            ["indicator"], ["indicators.code"], name=op.f("fk_indicator_departments_indicator_indicators")
        ),
        sa.PrimaryKeyConstraint("indicator", "department", name=op.f("pk_indicator_departments")),
    )
    op.create_table(
        "observations",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("yoy", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("known_from", UtcDateTime(timezone=True), nullable=False),
        sa.Column("known_to", UtcDateTime(timezone=True), nullable=True),
        sa.Column("import_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name=op.f("fk_observations_import_id_imports")),
        sa.ForeignKeyConstraint(["indicator"], ["indicators.code"], name=op.f("fk_observations_indicator_indicators")),
        sa.ForeignKeyConstraint(["region"], ["regions.code"], name=op.f("fk_observations_region_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observations")),
    )
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_observations_import_id"), ["import_id"], unique=False)
        batch_op.create_index("ix_observations_series", ["indicator", "region", "year"], unique=False)
        batch_op.create_index("ix_observations_year", ["year", "indicator"], unique=False)
        batch_op.create_index(
            "uq_observations_current",
            ["indicator", "region", "period"],
            unique=True,
            sqlite_where=sa.text("known_to IS NULL"),
            postgresql_where=sa.text("known_to IS NULL"),
        )

    op.create_table(
        "targets",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=64), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("tolerance", sa.Float(), nullable=True),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["indicator"], ["indicators.code"], name=op.f("fk_targets_indicator_indicators")),
        sa.ForeignKeyConstraint(["region"], ["regions.code"], name=op.f("fk_targets_region_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_targets")),
        sa.UniqueConstraint("year", "region", "indicator", name=op.f("uq_targets_year_region_indicator")),
    )
    op.create_table(
        "category_members",
        sa.Column("set_code", sa.String(length=64), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("category_code", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator"], ["indicators.code"], name=op.f("fk_category_members_indicator_indicators")
        ),
        sa.ForeignKeyConstraint(
            ["set_code", "category_code"],
            ["categories.set_code", "categories.code"],
            name=op.f("fk_category_members_set_code_categories"),
        ),
        sa.PrimaryKeyConstraint("set_code", "indicator", name=op.f("pk_category_members")),
    )


def downgrade() -> None:
    op.drop_table("category_members")
    op.drop_table("targets")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_observations_current",
            sqlite_where=sa.text("known_to IS NULL"),
            postgresql_where=sa.text("known_to IS NULL"),
        )
        batch_op.drop_index("ix_observations_year")
        batch_op.drop_index("ix_observations_series")
        batch_op.drop_index(batch_op.f("ix_observations_import_id"))

    op.drop_table("observations")
    op.drop_table("indicator_departments")
    op.drop_table("categories")
    op.drop_table("regions")
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_runs_job"))

    op.drop_table("job_runs")
    op.drop_table("indicators")
    op.drop_table("indicator_sets")
    with op.batch_alter_table("imports", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_imports_accepted_sha256",
            sqlite_where=sa.text("status = 'accepted'"),
            postgresql_where=sa.text("status = 'accepted'"),
        )
        batch_op.drop_index(batch_op.f("ix_imports_sha256"))

    op.drop_table("imports")
    op.drop_table("departments")
    op.drop_table("app_meta")
