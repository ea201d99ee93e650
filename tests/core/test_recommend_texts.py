"""Company-facing catalogue texts: no internal notes, nothing from another province, nothing from
another industry (a furniture maker is never offered 危化品运输 or 窑炉)."""

from __future__ import annotations

import pytest

from tests.core.recommend_fixtures import real_catalogues

INTERNAL = ("参考值", "可调整", "部分版本", "江苏", "浙江", "合肥",
            "reference)", "editable", "Jiangsu", "Hefei")
# a term -> the industries whose texts may use it
INDUSTRY_TERMS = {
    "危化": {"chemicals"}, "罐区": {"chemicals"}, "管廊": {"chemicals"}, "窑": {"cement", "glass"},
    "熟料": {"cement"}, "生料": {"cement"}, "冷端": {"glass"}, "熔炼": {"copper"}, "带材": {"copper"},
    "羽绒": {"down"}, "拆单": {"furniture"}, "板件": {"furniture"}, "封边": {"furniture"},
    "门店": {"furniture"}, "导热油": {"panels"}, "热压": {"panels"}, "甲醛": {"panels"},
}
SUFFIXES = ("", ".why", ".how")


def company_texts(rec_id: str) -> str:
    texts = real_catalogues().texts
    return " ".join(texts[rec_id + suffix]["zh_CN"] for suffix in SUFFIXES if rec_id + suffix in texts)


def test_no_internal_note_in_any_company_facing_text():
    for key, text in real_catalogues().texts.items():
        if key.endswith(".edition"):
            continue  # the edition applied is named on purpose (design: the report names the edition)
        for language in ("zh_CN", "en"):
            assert not [word for word in INTERNAL if word in text[language]], (key, text[language])


@pytest.mark.parametrize("group", ["scenarios", "actions"])
def test_texts_fit_every_industry_the_entry_is_offered_to(group):
    catalogues = real_catalogues()
    tags = {tag for candidate in getattr(catalogues, group).candidates for tag in (candidate.fit or {})}
    for candidate in getattr(catalogues, group).candidates:
        offered = set(candidate.fit or tags)  # fit: all -> every industry
        text = company_texts(candidate.rec_id)
        for term, industries in INDUSTRY_TERMS.items():
            assert term not in text or offered <= industries, (candidate.rec_id, term,
                                                               sorted(offered - industries))
