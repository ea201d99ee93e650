"""Single reports rendered in the background (report_renders); batch items can be cancelled and
record when they reached the queue (queued_at).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OLD_STATES = "state IN ('queued', 'rendered', 'failed')"
NEW_STATES = "state IN ('queued', 'rendered', 'failed', 'cancelled')"


def upgrade() -> None:
    op.create_table(
        "report_renders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(OLD_STATES, name=op.f("ck_report_renders_state")),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE",
                                name=op.f("fk_report_renders_assessment_id_assessments")),
        sa.ForeignKeyConstraint(["snapshot_id"], ["result_snapshots.id"], ondelete="CASCADE",
                                name=op.f("fk_report_renders_snapshot_id_result_snapshots")),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_report_renders_requested_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_renders")),
        sa.UniqueConstraint("snapshot_id", "lang", name=op.f("uq_report_renders_snapshot_id")),
    )
    op.create_index(op.f("ix_report_renders_assessment_id"), "report_renders", ["assessment_id"])
    op.create_index(op.f("ix_report_renders_requested_by_id"), "report_renders", ["requested_by_id"])
    with op.batch_alter_table("report_batch_items") as batch:
        batch.add_column(sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True))
        batch.drop_constraint(op.f("ck_report_batch_items_state"), type_="check")
        batch.create_check_constraint(op.f("ck_report_batch_items_state"), NEW_STATES)


def downgrade() -> None:
    op.execute("UPDATE report_batch_items SET state = 'failed', error = 'cancelled' "
               "WHERE state = 'cancelled'")
    with op.batch_alter_table("report_batch_items") as batch:
        batch.drop_constraint(op.f("ck_report_batch_items_state"), type_="check")
        batch.create_check_constraint(op.f("ck_report_batch_items_state"), OLD_STATES)
        batch.drop_column("queued_at")
    op.drop_index(op.f("ix_report_renders_requested_by_id"), table_name="report_renders")
    op.drop_index(op.f("ix_report_renders_assessment_id"), table_name="report_renders")
    op.drop_table("report_renders")
