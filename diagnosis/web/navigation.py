"""The header navigation: one list, each entry shown to the roles named."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any
    roles: tuple[str, ...]
    #: Endpoint prefixes whose pages highlight this entry (the endpoint's blueprint by default).
    section: str | tuple[str, ...] = ""

    def active_for(self, endpoint: str | None) -> bool:
        prefixes = self.section or self.endpoint.split(".")[0] + "."
        return endpoint is not None and endpoint.startswith(prefixes)


NAV_ITEMS = [
    NavItem("assess.index", _l("自诊断"), ("company",)),
    NavItem("company.own", _l("企业信息"), ("company",), section="company."),
    NavItem("projects.own", _l("项目"), ("company",), section="projects."),
    NavItem("worklist.index", _l("工作台"), ("provider",), section=("worklist.", "review.", "review_recs.")),
    NavItem("pipeline.dashboard", _l("工作调度"), ("official", "admin"), section=("pipeline.", "exports.")),
    NavItem("assign.index", _l("分配服务商"), ("official", "admin")),
    NavItem("quality.index", _l("服务商质量"), ("official", "admin")),
    NavItem("reports.batch_new", _l("批量报告"), ("official", "admin"), section="reports.batch"),
    NavItem("roster.upload", _l("企业名录"), ("official", "admin")),
    NavItem("admin.users", _l("用户"), ("admin",), section="admin.user"),
    NavItem("admin.provider_orgs", _l("服务商"), ("admin",), section="admin.provider_orgs"),
]


def nav_for(user: Any, endpoint: str | None) -> list[dict[str, Any]]:
    """The entries `user` sees, as {url, label, active} for the template."""
    if not user.is_authenticated:
        return []
    return [
        {"url": url_for(item.endpoint), "label": item.label, "active": item.active_for(endpoint)}
        for item in NAV_ITEMS
        if user.role in item.roles
    ]
