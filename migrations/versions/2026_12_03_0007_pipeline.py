"""The officials' pipeline: projects with progress, recognitions and documents; yearly targets; the
roster's and registration's dates on companies; the company, levels and current flags copied onto
result snapshots, and the recommendations each snapshot stands for (filled in for existing rows).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from diagnosis.core.pipeline_catalogue import catalogue

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('recommendation_id', sa.String(length=64), nullable=True),
    sa.Column('provider_org_id', sa.Integer(), nullable=True),
    sa.Column('planned_investment', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('planned_finish_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('investment_to_date', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('planned', 'in_progress', 'completed', 'stopped')", name=op.f('ck_projects_status')),
    sa.CheckConstraint('investment_to_date >= 0', name=op.f('ck_projects_investment_to_date')),
    sa.CheckConstraint('planned_finish_on >= start_on', name=op.f('ck_projects_finish_after_start')),
    sa.CheckConstraint('planned_investment >= 0', name=op.f('ck_projects_planned_investment')),
    sa.CheckConstraint('quantity IS NULL OR quantity > 0', name=op.f('ck_projects_quantity')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_projects_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_projects_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['provider_org_id'], ['provider_orgs.id'], name=op.f('fk_projects_provider_org_id_provider_orgs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_projects_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_projects_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_projects_provider_org_id'), ['provider_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_projects_status'), ['status'], unique=False)

    op.create_table('target_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('value >= 0', name=op.f('ck_target_values_value')),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_target_values_set_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target_values'))
    )
    with op.batch_alter_table('target_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_target_values_year'), ['year'], unique=False)

    op.create_table('project_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('investment_to_date', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('planned', 'in_progress', 'completed', 'stopped')", name=op.f('ck_project_progress_status')),
    sa.CheckConstraint('investment_to_date >= 0', name=op.f('ck_project_progress_investment_to_date')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_progress_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_project_progress_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_progress'))
    )
    with op.batch_alter_table('project_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_progress_project_id'), ['project_id'], unique=False)

    op.create_table('project_recognitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('recognised_on', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_project_recognitions_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_recognitions_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_project_recognitions_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_recognitions'))
    )
    with op.batch_alter_table('project_recognitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_recognitions_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_recognitions_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_recognitions_recognised_on'), ['recognised_on'], unique=False)

    op.create_table('snapshot_recommendations',
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.String(length=64), nullable=False),
    sa.Column('project_kind', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['snapshot_id'], ['result_snapshots.id'], name=op.f('fk_snapshot_recommendations_snapshot_id_result_snapshots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('snapshot_id', 'recommendation_id', name=op.f('pk_snapshot_recommendations'))
    )
    with op.batch_alter_table('snapshot_recommendations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_snapshot_recommendations_project_kind'), ['project_kind'], unique=False)

    op.create_table('project_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('progress_id', sa.Integer(), nullable=True),
    sa.Column('recognition_id', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['progress_id'], ['project_progress.id'], name=op.f('fk_project_documents_progress_id_project_progress'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_documents_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recognition_id'], ['project_recognitions.id'], name=op.f('fk_project_documents_recognition_id_project_recognitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_project_documents_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_documents'))
    )
    with op.batch_alter_table('project_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_documents_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_documents_sha256'), ['sha256'], unique=False)

    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('imported_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('registered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('employees',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.alter_column('revenue_band',
               existing_type=sa.VARCHAR(length=16),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_companies_registered_at'), ['registered_at'], unique=False)

    with op.batch_alter_table('result_snapshots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('company_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('sme_level', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cmmm_level', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('is_current', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('is_latest', sa.Boolean(), server_default=sa.false(), nullable=False))
    backfill()
    with op.batch_alter_table('result_snapshots', schema=None) as batch_op:
        batch_op.alter_column('company_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_result_snapshots_company_id'), ['company_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_result_snapshots_company_id_companies'), 'companies', ['company_id'], ['id'], ondelete='CASCADE')


def backfill() -> None:
    """Existing snapshots get their company, levels, flags and recommendations; companies with a user
    count as registered when they were created (the roster did not exist before)."""
    bind = op.get_bind()
    bind.execute(sa.text("UPDATE companies SET registered_at = created_at WHERE EXISTS "
                         "(SELECT 1 FROM users WHERE users.company_id = companies.id)"))
    snapshots = sa.table("result_snapshots", sa.column("id"), sa.column("assessment_id"), sa.column("kind"),
                         sa.column("result", sa.JSON), sa.column("created_at"), sa.column("company_id"),
                         sa.column("sme_level"), sa.column("cmmm_level"), sa.column("is_current"),
                         sa.column("is_latest"))
    recommendations = sa.table("snapshot_recommendations", sa.column("snapshot_id"),
                               sa.column("recommendation_id"), sa.column("project_kind"))
    companies = dict(bind.execute(sa.text("SELECT id, company_id FROM assessments")).all())
    rows = bind.execute(sa.select(snapshots.c.id, snapshots.c.assessment_id, snapshots.c.kind, snapshots.c.result)
                        .order_by(snapshots.c.created_at, snapshots.c.id)).all()
    current: dict[tuple[int, str], int] = {}
    latest: dict[int, int] = {}
    pipeline = catalogue()
    for snapshot_id, assessment_id, kind, result in rows:
        company_id = companies[assessment_id]
        current[(company_id, kind)] = latest[company_id] = snapshot_id
        bind.execute(snapshots.update().where(snapshots.c.id == snapshot_id).values(
            company_id=company_id, sme_level=(result.get("sme") or {}).get("level"),
            cmmm_level=(result.get("cmmm") or {}).get("level")))
        recs = {rec["id"]: rec["kind"] for rec in result.get("recommendations", [])
                if pipeline.becomes_project(rec["kind"])}
        if recs:
            bind.execute(recommendations.insert(), [
                {"snapshot_id": snapshot_id, "recommendation_id": rec_id,
                 "project_kind": pipeline.kind_for_recommendation(rec_id, rec_kind)}
                for rec_id, rec_kind in recs.items()])
    if current:
        bind.execute(snapshots.update().where(snapshots.c.id.in_(current.values())).values(is_current=True))
        bind.execute(snapshots.update().where(snapshots.c.id.in_(latest.values())).values(is_latest=True))



def downgrade() -> None:
    with op.batch_alter_table('result_snapshots', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_result_snapshots_company_id_companies'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_result_snapshots_company_id'))
        batch_op.drop_column('is_latest')
        batch_op.drop_column('is_current')
        batch_op.drop_column('cmmm_level')
        batch_op.drop_column('sme_level')
        batch_op.drop_column('company_id')

    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_companies_registered_at'))
        batch_op.alter_column('revenue_band',
               existing_type=sa.VARCHAR(length=16),
               nullable=False)
        batch_op.alter_column('employees',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('registered_at')
        batch_op.drop_column('imported_at')

    with op.batch_alter_table('project_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_documents_sha256'))
        batch_op.drop_index(batch_op.f('ix_project_documents_project_id'))

    op.drop_table('project_documents')
    with op.batch_alter_table('snapshot_recommendations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_snapshot_recommendations_project_kind'))

    op.drop_table('snapshot_recommendations')
    with op.batch_alter_table('project_recognitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_recognitions_recognised_on'))
        batch_op.drop_index(batch_op.f('ix_project_recognitions_project_id'))
        batch_op.drop_index(batch_op.f('ix_project_recognitions_company_id'))

    op.drop_table('project_recognitions')
    with op.batch_alter_table('project_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_progress_project_id'))

    op.drop_table('project_progress')
    with op.batch_alter_table('target_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_target_values_year'))

    op.drop_table('target_values')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_projects_status'))
        batch_op.drop_index(batch_op.f('ix_projects_provider_org_id'))
        batch_op.drop_index(batch_op.f('ix_projects_kind'))
        batch_op.drop_index(batch_op.f('ix_projects_created_at'))
        batch_op.drop_index(batch_op.f('ix_projects_company_id'))

    op.drop_table('projects')
