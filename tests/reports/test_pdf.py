"""Real PDFs from WeasyPrint, checked with poppler: fonts, text, pages, reproducibility, a PNG."""

from __future__ import annotations

import re

import pytest
from babel.numbers import format_decimal

from reports.document import build_document
from reports.render import RenderOptions, render_pdf
from tests.reports.conftest import ARTIFACTS, poppler


@pytest.fixture(scope="module")
def verified_pdf(make_source, bundle, tmp_path_factory):
    pdf = render_pdf(build_document(make_source("verified"), bundle, "zh_CN"))
    path = tmp_path_factory.mktemp("pdf") / "verified.pdf"
    path.write_bytes(pdf)
    return path


def test_fonts_are_embedded_subsets_of_the_simplified_chinese_face(verified_pdf):
    rows = poppler("pdffonts", str(verified_pdf)).splitlines()[2:]
    assert rows, "no font in the PDF"
    for row in rows:
        name, emb, sub = row.split()[0], row.split()[-5], row.split()[-4]
        assert re.fullmatch(r"[A-Z]{6}\+Noto-Sans-CJK-SC(-Bold)?", name), name
        assert (emb, sub) == ("yes", "yes"), row
    assert "JP" not in " ".join(rows)


def test_text_holds_headings_and_figures(verified_pdf, make_source):
    text = poppler("pdftotext", "-layout", str(verified_pdf), "-")
    result = make_source("verified").result
    for heading in ("智改数转诊断报告", "目录", "一、诊断结论摘要", "二、中小企业数字化水平评测",
                    "三、智能制造能力成熟度自评", "四、同行业对比", "五、改进建议", "六、现场核验调整记录",
                    "确认与签字", "附录：问卷答案", "皖西定制家居有限公司", "合肥数智诊断服务有限公司"):
        assert heading in text, heading
    points = format_decimal(result["sme"]["points"], format="#,##0.#", locale="zh_CN")
    assert f"评测得分 {points} 分" in text.replace("\n", "")
    assert re.search(r"第 2 页 / 共 \d+ 页", text)


def test_page_count_is_in_range(verified_pdf):
    pages = int(re.search(r"Pages:\s+(\d+)", poppler("pdfinfo", str(verified_pdf))).group(1))
    assert 10 <= pages <= 30


def test_document_metadata_is_set_from_the_assessment(verified_pdf):
    info = poppler("pdfinfo", "-isodates", str(verified_pdf))
    assert "Title:           智改数转诊断报告 — 皖西定制家居有限公司" in info
    assert "CreationDate:    2026-03-18T06:30:00" in info


def test_tagged_variant_is_pdf_ua_with_the_same_text(make_source, bundle, verified_pdf, tmp_path):
    tagged = tmp_path / "tagged.pdf"
    tagged.write_bytes(render_pdf(build_document(make_source("verified"), bundle, "zh_CN"),
                                  RenderOptions(tagged=True)))
    assert "Tagged:          yes" in poppler("pdfinfo", str(tagged))
    assert poppler("pdftotext", str(tagged), "-") == poppler("pdftotext", str(verified_pdf), "-")
    assert poppler("pdffonts", str(tagged)).count("Noto-Sans-CJK-SC") == 1


def test_same_snapshot_gives_the_same_bytes(make_source, bundle, verified_pdf):
    again = render_pdf(build_document(make_source("verified"), bundle, "zh_CN"))
    assert again == verified_pdf.read_bytes()


def test_no_attachment_in_the_pdf(verified_pdf):
    assert poppler("pdfdetach", "-list", str(verified_pdf)).strip() == "0 embedded files"


def test_summary_page_renders_to_png(verified_pdf):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = ARTIFACTS / "verified-summary"
    poppler("pdftoppm", "-f", "3", "-l", "3", "-r", "80", "-png", "-singlefile", str(verified_pdf),
            str(prefix))
    png = prefix.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000


def test_english_report_uses_english_dates(make_source, bundle, tmp_path):
    path = tmp_path / "en.pdf"
    path.write_bytes(render_pdf(build_document(make_source("self"), bundle, "en")))
    assert "March 18, 2026" in poppler("pdftotext", str(path), "-")
