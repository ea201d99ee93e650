"""Accounts: provider organisations, companies, users.

Revision ID: 0001_accounts
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_accounts"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "provider_orgs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_orgs")),
        sa.UniqueConstraint("name", name=op.f("uq_provider_orgs_name")),
    )
    op.create_table(
        "companies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("industry_code", sa.String(length=4), nullable=False),
        sa.Column("park", sa.String(length=40), nullable=False),
        sa.Column("above_designated_size", sa.Boolean(), nullable=False),
        sa.Column("employees", sa.Integer(), nullable=False),
        sa.Column("revenue_band", sa.String(length=16), nullable=False),
        sa.Column("contact_name", sa.String(length=100), nullable=False),
        sa.Column("contact_phone", sa.String(length=40), nullable=False),
        sa.Column("provider_org_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "revenue_band IN ('lt_5m', '5m_20m', '20m_100m', '100m_400m', 'ge_400m')",
            name=op.f("ck_companies_revenue_band"),
        ),
        sa.CheckConstraint("employees >= 0", name=op.f("ck_companies_employees")),
        sa.ForeignKeyConstraint(
            ["provider_org_id"], ["provider_orgs.id"], name=op.f("fk_companies_provider_org_id_provider_orgs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_companies")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_companies_credit_code")),
    )
    op.create_index(op.f("ix_companies_industry_code"), "companies", ["industry_code"])
    op.create_index(op.f("ix_companies_park"), "companies", ["park"])
    op.create_index(op.f("ix_companies_provider_org_id"), "companies", ["provider_org_id"])
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("provider_org_id", sa.Integer(), nullable=True),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('company', 'provider', 'official', 'admin')", name=op.f("ck_users_role")),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_users_company_id_companies")),
        sa.ForeignKeyConstraint(
            ["provider_org_id"], ["provider_orgs.id"], name=op.f("fk_users_provider_org_id_provider_orgs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_index(op.f("ix_users_company_id"), "users", ["company_id"])
    op.create_index(op.f("ix_users_provider_org_id"), "users", ["provider_org_id"])


def downgrade() -> None:
    op.drop_table("users")
    op.drop_table("companies")
    op.drop_table("provider_orgs")
