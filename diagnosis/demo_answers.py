"""Plausible synthetic answers for the demo district, driven by one "maturity" figure per company,
and the evidence files of its on-site reviews (a workshop photo, a one-page PDF).

Generic by question type (options are written worst first, so a mature company picks later
options), with a few linked answers that keep the questionnaire's constraints (networked <= digitised
<= total equipment, robots <= digitised, integrated systems among those in use, spend from revenue)
and the CMMM level statements harder to meet the higher the level.
"""

from __future__ import annotations

import io
import math
import random
from typing import Any

from PIL import Image, ImageDraw

#: Revenue (万元) ranges per revenue band, for revenue_wan.
REVENUE_WAN = {"lt_5m": (80, 500), "5m_20m": (500, 2000), "20m_100m": (2000, 10000),
               "100m_400m": (10000, 40000), "ge_400m": (40000, 150000)}
SATISFACTION = ("none", "partial", "most", "full")
PAIN_TEXTS = ("订单交期不稳定，生产计划靠经验排产。", "设备数据无法自动采集，统计靠人工报表。",
              "能耗偏高，缺少分车间计量。", "质量问题追溯困难，返工率较高。", "招工难，熟练工人流失。")


def clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


class AnswerMaker:
    def __init__(self, instrument, rng: random.Random):
        self.instrument = instrument
        self.rng = rng

    def maturity(self, employees: int) -> float:
        """0..1: larger companies tend to be further along."""
        size = math.log10(max(employees, 1)) / 12
        return clip(self.rng.betavariate(2, 2.6) + size - 0.1, 0.02, 0.98)

    def answers(self, profile: dict, maturity: float) -> dict[str, Any]:
        """An answer for every question; the caller drops those hidden by their conditions."""
        values: dict[str, Any] = {}
        for question in self.instrument.questions():
            value = self.linked(question.id, profile, maturity, values)
            if value is None:
                value = self.generic(question, maturity)
            if value is not None:
                values[question.id] = value
        return values

    def linked(self, qid: str, profile: dict, m: float, values: dict) -> Any:
        """Counts that depend on the profile or on earlier answers; None for other questions."""
        rng = self.rng
        employees = profile.get("employees") or 50
        if qid == "equip_total":
            return max(5, int(employees * rng.uniform(0.2, 0.7)))
        if qid == "equip_digital":
            return int(values.get("equip_total", 10) * clip(m + rng.gauss(0, 0.1), 0.05, 1))
        if qid == "equip_networked":
            return int(values.get("equip_digital", 5) * clip(m + rng.gauss(0, 0.15), 0, 1))
        if qid == "key_process_total":
            return rng.randint(4, 20)
        if qid == "key_process_nc":
            return int(values.get("key_process_total", 8) * clip(m + rng.gauss(0, 0.15), 0, 1))
        if qid == "robots_in_use":
            robots = int(employees * 0.03 * m * m * rng.uniform(0.5, 1.5))
            return min(robots, values.get("equip_digital", robots))
        if qid == "systems_integrated":
            in_use = [system for system in values.get("systems_in_use", []) if system != "none"]
            picked = [system for system in in_use if rng.random() < 0.2 + 0.7 * m]
            return picked if len(picked) >= 2 else ["none"]
        if qid == "revenue_wan":
            low, high = REVENUE_WAN.get(profile.get("revenue_band", ""), (500, 2000))
            return round(rng.uniform(low, high), 1)
        if qid == "digital_spend_wan":
            return round(values.get("revenue_wan", 1000) * (0.002 + 0.02 * m), 1)
        if qid == "pain_text":
            return rng.choice(PAIN_TEXTS)
        if qid.startswith("cmmm_") and "_l" in qid:
            level = int(qid.rsplit("_l", 1)[1])
            score = m * 5.5 - level + rng.gauss(0, 0.8)
            return SATISFACTION[int(clip(math.floor(score + 1.5), 0, 3))]
        return None

    def generic(self, question, m: float) -> Any:
        rng = self.rng
        kind = question.type
        if kind == "single":
            ids = [option.id for option in question.options]
            return ids[int(clip(round(m * (len(ids) - 1) + rng.gauss(0, 0.7)), 0, len(ids) - 1))]
        if kind == "multi":
            return self.multi(question, m)
        if kind == "yes_no":
            return rng.random() < 0.15 + 0.7 * m
        if kind == "scenario_level":
            return int(clip(round(m * 4 + rng.gauss(0, 0.8)), 0, 4))
        if kind == "percent":
            return round(clip(100 * (m + rng.gauss(0, 0.15)), 0, 100))
        if kind in ("integer", "decimal"):
            low = question.min if question.min is not None else 0
            high = min(question.max if question.max is not None else low + 100, low + 100)
            value = low + (high - low) * clip(m + rng.gauss(0, 0.2), 0, 1)
            return int(value) if kind == "integer" else round(value, 1)
        return None

    def multi(self, question, m: float) -> list[str]:
        rng = self.rng
        choosable = [option.id for option in question.options if option.id not in question.exclusive]
        if question.exclusive and rng.random() < 0.6 * (1 - m) ** 3:
            return [sorted(question.exclusive)[0]]
        picked = [oid for oid in choosable if rng.random() < 0.1 + 0.7 * m]
        return picked or [rng.choice(choosable)]

    def fill(self, missing: list[str]) -> dict[str, Any]:
        """The plainest valid answer for required questions the generated set left open."""
        filled = {}
        for qid in missing:
            question = self.instrument.question(qid)
            value = self.generic(question, 0.3)
            filled[qid] = value if value is not None else "无"
        return filled

    def partial(self, answers: dict[str, Any], share: float) -> dict[str, Any]:
        """The answers to the first ``share`` of the questions: a draft left half-way."""
        order = [q.id for q in self.instrument.questions() if q.id in answers]
        keep = set(order[:int(len(order) * share)])
        return {qid: value for qid, value in answers.items() if qid in keep}


def site_photo(seed: int) -> bytes:
    """A small generated JPEG, as if taken in a workshop: machines with status screens on a floor."""
    rng = random.Random(seed)
    image = Image.new("RGB", (800, 600), (206, 211, 215))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 420, 800, 600), fill=(118, 122, 126))
    for n in range(4):
        left, height = 40 + n * 190, rng.randint(150, 260)
        draw.rectangle((left, 420 - height, left + 150, 420), fill=(50 + 25 * n, 92, 128),
                       outline=(30, 34, 38), width=4)
        draw.rectangle((left + 20, 440 - height, left + 80, 480 - height),
                       fill=(40, 190, 110) if rng.random() < 0.6 else (210, 70, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def document_pdf(title: str) -> bytes:
    """A one-page PDF with one line of (ASCII) text: a stand-in for a scanned ledger."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 16 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
               b" /Contents 5 0 R >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
