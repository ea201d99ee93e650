"""A company's standing in the pipeline kept on its row (diagnosis/store/standing.py): the levels of its
current self-assessed and verified snapshots, the project kinds its latest snapshot recommends and
those of its projects not stopped (filled in for existing companies).

Revision ID: 0009
Revises: 0008_api_tokens
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008_api_tokens'
branch_labels = None
depends_on = None

LEVELS = ('self_sme_level', 'self_cmmm_level', 'verified_sme_level', 'verified_cmmm_level')
KINDS = ('recommended_kinds', 'started_kinds')


def upgrade() -> None:
    with op.batch_alter_table('companies', schema=None) as batch_op:
        for name in LEVELS:
            batch_op.add_column(sa.Column(name, sa.SmallInteger(), nullable=True))
        for name in KINDS:
            batch_op.add_column(sa.Column(name, sa.String(length=400), server_default='', nullable=False))
    backfill()


def backfill() -> None:
    """The standing of every company with a snapshot or a project, as standing.refresh derives it."""
    bind = op.get_bind()
    companies = sa.table('companies', sa.column('id'), *(sa.column(name) for name in LEVELS + KINDS))
    values: dict[int, dict] = {}

    def standing(company_id: int) -> dict:
        return values.setdefault(company_id, {'company': company_id, **dict.fromkeys(LEVELS),
                                              **{name: set() for name in KINDS}})

    for company_id, kind, sme, cmmm in bind.execute(sa.text(
            "SELECT company_id, kind, sme_level, cmmm_level FROM result_snapshots "
            "WHERE is_current AND kind IN ('self', 'verified')")):
        standing(company_id).update({f'{kind}_sme_level': sme or 0, f'{kind}_cmmm_level': cmmm or 0})
    for column, query in (
            ("recommended_kinds", "SELECT DISTINCT s.company_id, r.project_kind FROM result_snapshots s "
                                  "JOIN snapshot_recommendations r ON r.snapshot_id = s.id "
                                  "WHERE s.is_latest"),
            ('started_kinds', "SELECT DISTINCT company_id, kind FROM projects WHERE status <> 'stopped'")):
        for company_id, kind in bind.execute(sa.text(query)):
            standing(company_id)[column].add(kind)
    rows = [{**row, **{name: f",{','.join(sorted(row[name]))}," if row[name] else '' for name in KINDS}}
            for row in values.values()]
    statement = companies.update().where(companies.c.id == sa.bindparam('company'))
    for start in range(0, len(rows), 5000):
        bind.execute(statement, rows[start:start + 5000])


def downgrade() -> None:
    with op.batch_alter_table('companies', schema=None) as batch_op:
        for name in LEVELS + KINDS:
            batch_op.drop_column(name)
