"""Report batches and their items (batch state in the database, not in files).

Revision ID: 0003_report_batches
Revises: 0002_assessments
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_report_batches"
down_revision = "0002_assessments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=24), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("filter", sa.JSON(), nullable=False),
        sa.Column("directory", sa.String(length=1000), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("archive", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('rendering', 'finished')", name=op.f("ck_report_batches_status")),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_report_batches_requested_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_batches")),
        sa.UniqueConstraint("token", name=op.f("uq_report_batches_token")),
    )
    op.create_index(op.f("ix_report_batches_requested_by_id"), "report_batches", ["requested_by_id"])
    op.create_table(
        "report_batch_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("company_name", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("state IN ('queued', 'rendered', 'failed')", name=op.f("ck_report_batch_items_state")),
        sa.ForeignKeyConstraint(["batch_id"], ["report_batches.id"], ondelete="CASCADE",
                                name=op.f("fk_report_batch_items_batch_id_report_batches")),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="SET NULL",
                                name=op.f("fk_report_batch_items_assessment_id_assessments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_batch_items")),
    )
    op.create_index(op.f("ix_report_batch_items_batch_id"), "report_batch_items", ["batch_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_report_batch_items_batch_id"), table_name="report_batch_items")
    op.drop_table("report_batch_items")
    op.drop_index(op.f("ix_report_batches_requested_by_id"), table_name="report_batches")
    op.drop_table("report_batches")
