"""The closing parts of a report: the confirmation block and every answer."""

from __future__ import annotations

from reports.wording import Wording


def confirmation(w: Wording, source) -> dict:
    """Who confirms the report, with what statement, and where they sign."""
    company = {"role": w._("企业（盖章）"), "name": source.company.get("name", "")}
    if source.kind == "verified" and source.provider:
        return {
            "heading": w._("确认与签字"),
            "statements": [
                w._("诊断服务机构已对企业填报的信息进行现场核验，本报告的评价结果以核验后的答案为准。"),
                w._("企业已阅读本报告，确认报告所载信息与现场核验情况一致。"),
            ],
            "parties": [company,
                        {"role": w._("诊断服务机构（盖章）"), "name": source.provider.get("org", "")},
                        {"role": w._("诊断师"), "name": source.provider.get("diagnostician", "")}],
        }
    return {
        "heading": w._("确认与签字"),
        "statements": [
            w._("本报告依据企业自行填报的信息生成，未经现场核验。"),
            w._("企业承诺所填报的信息真实、准确、完整。"),
        ],
        "parties": [company, {"role": w._("企业负责人"), "name": ""}],
    }


def answers_appendix(w: Wording, source, result: dict) -> dict:
    """Every answer that counted, section by section, in questionnaire order."""
    ignored = {item.get("question") for item in result.get("ignored_answers", [])}
    sections = []
    for section in w.instrument.sections:
        rows = [{"question": w.pick(question.text),
                 "answer": w.answer(question.id, source.answers[question.id])}
                for question in section.questions
                if question.id in source.answers and question.id not in ignored]
        if rows:
            sections.append({"title": w.pick(section.title), "rows": rows})
    note = (w._("以下为现场核验后的答案；调整过的题目见“现场核验调整记录”。") if source.kind == "verified"
            else w._("以下为企业填报的答案。"))
    return {"sections": sections, "note": note}
