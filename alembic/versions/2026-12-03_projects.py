"""重点项目 and 重点工作任务督办: the project register, weekly progress with revisions, the 项目服务清单
(problems and their events), the numbered tasks and their monthly reports.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 18:35:53.723589
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op
from monitor.storage.models import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tasks",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("lead", sa.String(length=100), nullable=False),
        sa.Column("co", sa.JSON(), nullable=False),
        sa.Column("departments", sa.JSON(), nullable=False),
        sa.Column("goal_kind", sa.String(length=8), nullable=False),
        sa.Column("goal_value", sa.Float(), nullable=True),
        sa.Column("goal_unit", sa.String(length=16), nullable=False),
        sa.Column("goal_text", sa.Text(), nullable=False),
        sa.Column("milestones", sa.JSON(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_doc", sa.String(length=64), nullable=False),
        sa.Column("lead_note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_tasks")),
    )
    op.create_table(
        "project_problems",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("department", sa.String(length=64), nullable=True),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("import_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name=op.f("fk_project_problems_import_id_imports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_problems")),
    )
    op.create_table(
        "project_progress",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("week", sa.Integer(), nullable=False),
        sa.Column("week_end", sa.Date(), nullable=False),
        sa.Column("weekly", sa.Float(), nullable=True),
        sa.Column("cumulative", sa.Float(), nullable=True),
        sa.Column("image", sa.Text(), nullable=False),
        sa.Column("start_actual", sa.Date(), nullable=True),
        sa.Column("finish_actual", sa.Date(), nullable=True),
        sa.Column("import_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("known_from", UtcDateTime(timezone=True), nullable=False),
        sa.Column("known_to", UtcDateTime(timezone=True), nullable=True),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name=op.f("fk_project_progress_import_id_imports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_progress")),
    )
    with op.batch_alter_table("project_progress", schema=None) as batch_op:
        batch_op.create_index("ix_project_progress_key", ["year", "code", "week"], unique=False)

    op.create_table(
        "projects",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("nature", sa.String(length=16), nullable=False),
        sa.Column("street", sa.String(length=64), nullable=True),
        sa.Column("total_investment", sa.Float(), nullable=True),
        sa.Column("annual_plan", sa.Float(), nullable=False),
        sa.Column("monthly_plan", sa.JSON(), nullable=True),
        sa.Column("start_planned", sa.Date(), nullable=True),
        sa.Column("finish_planned", sa.Date(), nullable=True),
        sa.Column("leader", sa.String(length=100), nullable=False),
        sa.Column("department", sa.String(length=64), nullable=False),
        sa.Column("agent", sa.String(length=100), nullable=False),
        sa.Column("import_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["department"], ["departments.code"], name=op.f("fk_projects_department_departments")),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name=op.f("fk_projects_import_id_imports")),
        sa.PrimaryKeyConstraint("year", "code", name=op.f("pk_projects")),
    )
    op.create_table(
        "task_reports",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("task", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("reported_by", sa.String(length=100), nullable=False),
        sa.Column("known_from", UtcDateTime(timezone=True), nullable=False),
        sa.Column("known_to", UtcDateTime(timezone=True), nullable=True),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["task"], ["tasks.code"], name=op.f("fk_task_reports_task_tasks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_reports")),
    )
    with op.batch_alter_table("task_reports", schema=None) as batch_op:
        batch_op.create_index("ix_task_reports_key", ["task", "period"], unique=False)

    op.create_table(
        "project_problem_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("problem_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["problem_id"], ["project_problems.id"], name=op.f("fk_project_problem_events_problem_id_project_problems")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_problem_events")),
    )
    with op.batch_alter_table("project_problem_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_problem_events_problem_id"), ["problem_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("project_problem_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_problem_events_problem_id"))

    op.drop_table("project_problem_events")
    with op.batch_alter_table("task_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_task_reports_key")

    op.drop_table("task_reports")
    op.drop_table("projects")
    with op.batch_alter_table("project_progress", schema=None) as batch_op:
        batch_op.drop_index("ix_project_progress_key")

    op.drop_table("project_progress")
    op.drop_table("project_problems")
    op.drop_table("tasks")
