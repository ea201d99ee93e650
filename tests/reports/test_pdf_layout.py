"""What a reader sees in the rendered PDF, read back with poppler: the cover names the models by
their titles, numbers sit in Chinese text with one even space, no page is left nearly empty, the
priorities read as on the result page, and the recommendations beyond the cap are one compact list."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from reports.document import ProviderEdit, build_document
from reports.render import render_pdf
from tests.reports.conftest import pdf_layout, poppler

#: Fewer non-blank text lines than this (header and footer included) is a near-empty page.
MIN_LINES = 20
NUMBER = re.compile(r"^[（(]?[-+]?\d[\d,.]*%?$")
HAN = re.compile(r"[\u4e00-\u9fff]")
PDFS = [("self", "furniture_2110", "zh_CN"), ("verified", "furniture_2110", "zh_CN"),
        ("self", "furniture_2110", "en"), ("self", "panels_2021", "zh_CN")]


@pytest.fixture(scope="module")
def pdfs(make_source, bundle, tmp_path_factory) -> dict[tuple[str, str, str], Path]:
    folder = tmp_path_factory.mktemp("layout")
    paths = {}
    for kind, name, lang in PDFS:
        path = folder / f"{kind}-{name}-{lang}.pdf"
        path.write_bytes(render_pdf(build_document(make_source(kind, name=name), bundle, lang)))
        paths[kind, name, lang] = path
    return paths


def pages(path: Path) -> list[str]:
    return poppler("pdftotext", "-layout", str(path), "-").split("\f")[:-1]


def words_by_line(path: Path) -> list[list[tuple[float, float, float, str]]]:
    """Each text line's words as (x_min, x_max, height, text)."""
    layout = poppler("pdftotext", "-bbox-layout", str(path), "-")
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
    return [[(float(x0), float(x1), float(y1) - float(y0), html.unescape(text))
             for x0, y0, x1, y1, text in word.findall(line)]
            for line in re.findall(r"<line [^>]*>(.*?)</line>", layout, re.S)]


def test_cover_names_the_models_by_title_and_version_not_by_id(pdfs, make_source, bundle):
    cover = pages(pdfs["self", "furniture_2110", "zh_CN"])[0]
    models = make_source().result["models"]
    for header in (bundle.sme_model.header, bundle.cmmm_model.header, bundle.radar_model.header):
        assert header.title["zh_CN"] in cover
        assert models[header.key].split(" (")[0] not in cover  # "miit-sme-2024.56"
    assert "中小企业数字化水平评测（2024 版），版本 2024.56" in cover
    assert "建议目录，版本 2026.2" in cover
    for internal in [*models["catalogues"], "synthesis", "unconfirmed", "self-check", "("]:
        assert internal not in cover, internal
    english = pages(pdfs["self", "furniture_2110", "en"])[0]
    assert bundle.sme_model.header.title["en"] in english and "miit-sme" not in english


def test_numbers_in_chinese_text_have_one_even_space(pdfs):
    """Justified lines widened the spaces around numbers to half an em ("得分  72.5  分")."""
    path = pdfs["self", "furniture_2110", "zh_CN"]
    gaps = [(right[0] - left[1]) / left[2]
            for line in words_by_line(path) for left, right in zip(line, line[1:], strict=False)
            if _number_beside_han(left[3], right[3])]
    assert len(gaps) > 50
    assert max(gaps) < 0.2, f"a space beside a number is {max(gaps):.2f} em wide"
    # The appendix is left out: there a space and a margin part a question from its answer.
    text = poppler("pdftotext", str(path), "-").rsplit("附录：问卷答案", 1)[0]
    assert not re.search(r"\d {2,}|\S {2,}\d", text)
    assert not re.search(r"[。：；，] +[\u4e00-\u9fff]", text), "a space after Chinese punctuation"


def _number_beside_han(left: str, right: str) -> bool:
    return bool((NUMBER.match(left) and HAN.match(right)) or (HAN.search(left[-1:]) and NUMBER.match(right)))


@pytest.mark.parametrize("which", PDFS)
def test_no_page_but_the_last_is_nearly_empty(pdfs, which):
    counts = [len([line for line in page.splitlines() if line.strip()]) for page in pages(pdfs[which])]
    short = [number for number, count in enumerate(counts[2:-1], start=3) if count < MIN_LINES]
    assert not short, f"pages {short} have fewer than {MIN_LINES} lines: {counts}"


def test_folded_recommendations_are_one_compact_list(pdfs, make_source, bundle):
    source = make_source()
    folded = {rec["id"] for rec in source.result["recommendations"] if rec.get("folded")}
    assert folded, "the fixture should have recommendations beyond the cap"
    context = build_document(source, bundle, "zh_CN")
    assert {action["id"] for action in context["advice"]["folded"]} == folded
    columns, _ = pdf_layout(pdfs["self", "furniture_2110", "zh_CN"])
    body = columns.rsplit("附录：问卷答案", 1)[0]
    assert f"另有{len(folded)}项其他建议" in body
    for action in context["advice"]["folded"]:
        title = re.sub(r"\s", "", action["title"])
        assert body.count(title) == 1, title  # one table row: no card, not in the roadmap
        if action["how"]:
            assert re.sub(r"\s", "", action["how"]) not in body
    for action in context["summary"]["top_actions"]:
        assert action["id"] not in folded
        assert body.count(re.sub(r"\s", "", action["title"])) >= 3  # summary, card, roadmap


def test_verified_report_keeps_what_the_provider_changed_in_full(make_source, bundle):
    source = make_source("verified")
    folded = next(rec for rec in source.result["recommendations"] if rec.get("folded"))
    raised = ProviderEdit(folded["id"], "change", 0.95, "0-6", None, None, "园区已立项")
    edits = {**source.recommendation_edits, folded["id"]: raised}
    context = build_document(make_source("verified", recommendation_edits=edits), bundle, "zh_CN")
    assert folded["id"] not in {action["id"] for action in context["advice"]["folded"]}
    assert folded["id"] == context["summary"]["top_actions"][0]["id"]


@pytest.mark.parametrize("which", PDFS)
def test_no_internal_note_anywhere(pdfs, make_source, bundle, which):
    """The models' notes and the editions' bracketed remarks are for the maintainers, not the reader."""
    kind, name, lang = which
    text = re.sub(r"\s", "", poppler("pdftotext", str(pdfs[which]), "-"))
    models = make_source(kind, name=name).result["models"]
    editions = [*(value for key, value in models.items() if key != "catalogues"),
                *models["catalogues"].values()]
    remarks = [edition.split(" (", 1)[1] for edition in editions if " (" in edition]
    notes = [header.notes[lang] for header in (bundle.sme_model.header, bundle.cmmm_model.header)]
    assert remarks and notes
    for note in [*remarks, *notes]:
        # 20 characters: a remark may open with the circular's number, which the levels block cites
        assert re.sub(r"\s", "", note)[:20] not in text, note
