"""The dashboard's data: the filters an official chose (within their parks), every figure of the page
from the grouped functions of diagnosis/pipeline/figures.py, and the URL of the list behind each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import SelectChoice

from diagnosis.pipeline import figures
from diagnosis.pipeline.figures import Cell, Filters, TargetFigures
from diagnosis.pipeline.monthly import default_month
from diagnosis.store.accounts import ProviderOrg, User
from diagnosis.store.quality import OrgQuality, provider_quality
from diagnosis.store.targets import YearTarget, year_targets
from diagnosis.web.bundle import current_bundle
from diagnosis.web.i18n import current_language
from diagnosis.web.pipeline.forms import FilterForm
from reports.selection import industry_codes


def scope_parks(user: User) -> tuple[str, ...] | None:
    """The parks an official covers; None: the whole district (no regions, or an admin)."""
    return tuple(user.regions) if user.role == "official" and user.regions else None


def fill_choices(form: FilterForm, session: Session, parks: tuple[str, ...] | None,
                 all_parks: tuple[str, ...]) -> None:
    lang = current_language()
    everything = SelectChoice("", _("全部"))
    form.park.choices = [everything, *(SelectChoice(park, park) for park in parks or all_parks)]
    labels = current_bundle().industries.tag_labels
    form.tag.choices = [everything, *(SelectChoice(tag, text.get(lang) or text.get("zh_CN") or tag)
                                      for tag, text in labels.items())]
    orgs = session.execute(select(ProviderOrg.id, ProviderOrg.name).order_by(ProviderOrg.name)).all()
    form.provider.choices = [everything, *(SelectChoice(str(org_id), name) for org_id, name in orgs)]
    form.month.choices = [SelectChoice("", _("默认")),
                          *(SelectChoice(str(month), _("%(n)s 月", n=month)) for month in range(1, 13))]


def chosen_filters(form: FilterForm, parks: tuple[str, ...] | None, today: date) -> Filters:
    """The form's choice inside the user's parks: a park outside them narrows to nothing. An empty
    year field shows the year the page counts."""
    year = form.year.data or today.year
    form.year.data = year
    tag = form.tag.data
    return Filters(
        year=year, parks=parks, park=form.park.data or None,
        industry_codes=tuple(industry_codes(current_bundle(), tag)) if tag else None,
        provider_org_id=int(form.provider.data) if form.provider.data else None,
        month=int(form.month.data) if form.month.data else default_month(year, today))


def filter_args(form: FilterForm, filters: Filters) -> dict[str, Any]:
    """The query string that repeats the filters (on every number's link and the export buttons)."""
    args = {"year": filters.year, "park": form.park.data, "tag": form.tag.data,
            "provider": form.provider.data}
    return {key: value for key, value in args.items() if value}


def cell_linker(args: dict[str, Any]) -> Callable[..., str]:
    """``cell_url(group, key, stage="", **narrower)``: the list behind a number; ``narrower`` replaces
    filters (a breakdown row's park or provider)."""

    def cell_url(group: str, key: str, stage: str = "", **narrower: Any) -> str:
        return url_for("pipeline.members", cell=str(Cell(group, key, stage)), **{**args, **narrower})

    return cell_url


@dataclass(frozen=True)
class MonthRow:
    month: int
    #: YYYY-MM, the stage of the month cells.
    stage: str
    new: float
    cumulative: float
    rate: float | None


@dataclass(frozen=True)
class Board:
    filters: Filters
    goals: dict[str, YearTarget]
    targets: list[TargetFigures]
    coverage: dict[str, int]
    levels: dict[str, dict[str, dict[str, int]]]
    by_park: dict[Any, dict[str, int]]
    by_provider: dict[Any, dict[str, int]]
    org_names: dict[int, str]
    quality: list[OrgQuality]

    @property
    def quality_by_org(self) -> dict[int, OrgQuality]:
        return {org.org_id: org for org in self.quality}

    def months(self, figure: TargetFigures, today: date) -> list[MonthRow]:
        """The year's months up to this one (all twelve for another year)."""
        last = default_month(self.filters.year, today)
        year = self.filters.year
        return [MonthRow(month, f"{year:04d}-{month:02d}", new, cumulative, figure.rate(cumulative))
                for month, (new, cumulative) in figure.months.items() if month <= last]


def build_board(session: Session, filters: Filters) -> Board:
    """Every figure of the dashboard in a fixed number of grouped queries, whatever the district's size."""
    goals = year_targets(session, filters.year)
    table = figures.company_counts(session, filters)
    total = table.total()
    targets = figures.dashboard_targets(session, filters, {key: goal.value for key, goal in goals.items()},
                                        total)
    by_provider = {org: figures.coverage_of(counts) for org, counts in table.by("provider_org_id").items()}
    names = dict(session.execute(select(ProviderOrg.id, ProviderOrg.name)
                                 .where(ProviderOrg.id.in_(list(by_provider)))).all()) if by_provider else {}
    return Board(
        filters=filters, goals=goals, targets=targets, coverage=figures.coverage_of(total),
        levels=figures.levels_of(total),
        by_park={park: figures.coverage_of(counts) for park, counts in table.by("park").items()},
        by_provider=by_provider, org_names=names,
        quality=provider_quality(session, quality_parks(filters)))


def quality_parks(filters: Filters) -> list[str] | None:
    """The parks the quality summary counts: the chosen park when it is the user's, else their parks."""
    if filters.park is None:
        return None if filters.parks is None else list(filters.parks)
    return [filters.park] if filters.parks is None or filters.park in filters.parks else []


def rate_text(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"
