"""Companies: the registered enterprises and the profile the diagnosis engine reads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, SmallInteger, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from diagnosis.store.accounts import User, utcnow
from diagnosis.store.db import Base

REVENUE_BANDS = ("lt_5m", "5m_20m", "20m_100m", "100m_400m", "ge_400m")
EMPLOYEES_MAX = 1_000_000


class Company(Base):
    __tablename__ = "companies"
    __table_args__ = (
        CheckConstraint(
            "revenue_band IN ('lt_5m', '5m_20m', '20m_100m', '100m_400m', 'ge_400m')", name="revenue_band"
        ),
        CheckConstraint("employees >= 0", name="employees"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Unified social credit code (统一社会信用代码), 18 characters, normalised to upper case.
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    #: GB/T 4754-2017 four-digit class (小类) code.
    industry_code: Mapped[str] = mapped_column(String(4), index=True)
    #: One of the PARKS setting's names.
    park: Mapped[str] = mapped_column(String(40), index=True)
    #: 规模以上工业企业 (annual revenue of 20 million yuan or more).
    above_designated_size: Mapped[bool] = mapped_column(Boolean)
    #: None for a company imported from the roster that has not registered yet (it fills them in).
    employees: Mapped[int | None] = mapped_column(Integer)
    revenue_band: Mapped[str | None] = mapped_column(String(16))
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_phone: Mapped[str] = mapped_column(String(40))
    #: The provider organisation assigned to diagnose this company on site, if any.
    provider_org_id: Mapped[int | None] = mapped_column(ForeignKey("provider_orgs.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: When the district's roster listed it (roster import); None for a company that only registered.
    imported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: When its first user registered (taking over a roster record keeps the record); None: not yet.
    registered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # Its standing in the pipeline, derived from its snapshots and projects and kept current on write
    # by diagnosis/store/standing.py, so the dashboard counts a province in one pass over this table.
    #: Levels of its current self-assessed / verified snapshot (0 when the model gave none); None: no
    #: such snapshot.
    self_sme_level: Mapped[int | None] = mapped_column(SmallInteger)
    self_cmmm_level: Mapped[int | None] = mapped_column(SmallInteger)
    verified_sme_level: Mapped[int | None] = mapped_column(SmallInteger)
    verified_cmmm_level: Mapped[int | None] = mapped_column(SmallInteger)
    #: The project kinds its latest snapshot recommends, and those of its projects not stopped, as
    #: ",kind,kind," ("" for none; standing.kinds_text).
    recommended_kinds: Mapped[str] = mapped_column(String(400), default="", server_default="")
    started_kinds: Mapped[str] = mapped_column(String(400), default="", server_default="")

    users: Mapped[list[User]] = relationship(back_populates="company")

    @property
    def profile(self) -> dict[str, Any]:
        """The stored fields the engine's conditions read (source `profile`), before the bundle adds
        the industry tags (`Bundle.profile`)."""
        return {
            "industry_code": self.industry_code,
            "employees": self.employees,
            "above_designated_size": self.above_designated_size,
            "revenue_band": self.revenue_band,
            "park": self.park,
        }


def company_by_credit_code(db: Session, credit_code: str) -> Company | None:
    return db.scalar(select(Company).where(Company.credit_code == credit_code.strip().upper()))
