"""The 月度通报 (monthly briefing PDF): the month's figures (diagnosis/pipeline/monthly.py, the numbers of
the dashboard and the 调度表's summary) -> plain context -> templates/report/briefing.html -> PDF.

Rendered like the diagnosis reports (reports/render.py): the reports' Jinja environment with
autoescape, the report stylesheet and fonts, the locked-down URL fetcher, charts from reports/charts.py.
"""

from __future__ import annotations

import hashlib
from typing import Any

from babel.dates import format_date
from sqlalchemy.orm import Session

from diagnosis.pipeline.figures import CMMM_LEVELS, COVERAGE, SME_LEVELS, Filters
from diagnosis.pipeline.monthly import MonthlyFigures, monthly_figures
from reports import charts
from reports.charts import plain_number
from reports.document import page_footer_css
from reports.render import environment, html_to_pdf, translations
from reports.wording import Wording


def make_briefing(session: Session, filters: Filters, lang: str) -> bytes:
    """The PDF of ``filters.month`` (which must be set)."""
    context = briefing_context(monthly_figures(session, filters, lang), lang)
    html = environment(lang).get_template("report/briefing.html").render(**context)
    return html_to_pdf(html, context["meta"]["number"])


def rate_text(rate: float | None) -> str:
    """A completion rate as the 通报 and the tests write it: one decimal and a percent sign."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def briefing_context(figures: MonthlyFigures, lang: str) -> dict[str, Any]:
    w = Wording(None, None, lang, translations(lang))
    filters = figures.filters
    roster = figures.coverage["roster"]
    return {
        "lang": lang,
        "html_lang": "zh-CN" if lang == "zh_CN" else lang,
        "page_footer_css": page_footer_css(w),
        "meta": _meta(w, figures),
        "targets": [{"title": row.title, "unit": row.unit, "goal": plain_number(row.goal),
                     "new": plain_number(row.new), "cumulative": plain_number(row.cumulative),
                     "rate": rate_text(row.rate), "in_progress": plain_number(row.in_progress),
                     "planned": plain_number(row.planned), "potential": plain_number(row.potential)}
                    for row in figures.targets],
        "coverage": [{"label": label, "count": figures.coverage[key],
                      "share": rate_text(figures.coverage[key] / roster if roster else None)}
                     for key, label in _coverage_labels(w).items()],
        "levels": _levels(w, figures),
        "recognised": [{"rank": rank, "name": company.name, "park": company.park,
                        "recognitions": w._("、").join(company.recognitions),
                        "investment": plain_number(company.investment)}
                       for rank, company in enumerate(figures.recognised, 1)],
        "charts": _charts(w, figures),
        "scope": _scope(w, filters),
    }


def _meta(w: Wording, figures: MonthlyFigures) -> dict[str, str]:
    filters = figures.filters
    scope = repr((filters.parks, filters.park, filters.industry_codes, filters.provider_org_id))
    digest = hashlib.sha256(scope.encode("utf-8")).hexdigest()[:8]
    return {
        "number": f"ZGSZ-TB-{filters.year:04d}{figures.month:02d}-{digest}",
        "title": w._("智改数转工作月度通报"),
        "month": w._("%(year)s年%(month)s月", year=filters.year, month=figures.month),
        "issuer": w._("区科技经信局 · 智改数转诊断服务"),
        "period": w._("统计期：%(first)s 至 %(last)s",
                      first=format_date(figures.month_first, format="long", locale=w.lang),
                      last=format_date(figures.month_last, format="long", locale=w.lang)),
        "created": f"{figures.month_last:%Y-%m-%d}T00:00:00Z",
    }


def _scope(w: Wording, filters: Filters) -> str:
    parks = [filters.park] if filters.park else list(filters.parks or ())
    scope = w._("范围：%(parks)s", parks=w._("、").join(parks)) if parks else w._("范围：全区")
    narrower = [label for chosen, label in ((filters.industry_codes is not None, w._("所选行业")),
                                            (filters.provider_org_id is not None, w._("所选服务商")))
                if chosen]
    return scope + (w._("（%(more)s）", more=w._("，").join(narrower)) if narrower else "")


def _coverage_labels(w: Wording) -> dict[str, str]:
    labels = {"roster": w._("名录企业"), "registered": w._("已注册"), "self_assessed": w._("已自评"),
              "verified": w._("已核验")}
    return {key: labels[key] for key in COVERAGE}


def _levels(w: Wording, figures: MonthlyFigures) -> list[dict[str, Any]]:
    tables = []
    for model, names, title in (("sme", SME_LEVELS, w._("中小企业数字化水平等级分布")),
                                ("cmmm", CMMM_LEVELS, w._("智能制造能力成熟度等级分布"))):
        counts = figures.levels[model]
        tables.append({"model": model, "title": title,
                       "levels": [w._("%(n)s 级", n=name) for name in names],
                       "rows": [{"label": w._("自评") if kind == "self" else w._("核验"),
                                 "counts": [counts[kind][name] for name in names]}
                                for kind in ("self", "verified")]})
    return tables


def _charts(w: Wording, figures: MonthlyFigures) -> dict[str, Any]:
    progress = [charts.Bar(row.title, round(row.rate * 100, 1), row.rate >= 1)
                for row in figures.targets if row.rate is not None]
    drawn = {"progress": charts.briefing_progress_chart("briefing-progress", w._("年度目标完成率"), progress)}
    for table in _levels(w, figures):
        series = [(row["label"], row["counts"]) for row in table["rows"]]
        drawn[table["model"]] = charts.paired_columns_chart(f"briefing-{table['model']}", table["title"],
                                                            table["levels"], series, w._("等级"))
    return drawn
