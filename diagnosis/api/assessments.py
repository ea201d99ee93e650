"""A company's assessments through the API: start a draft, read and write its answers in the
answer-file format (README "Answer files"), submit. The same service functions as the pages
(diagnosis/web/assess/service.py): the same checks, the audit trail, the row lock.

Writing answers is all or nothing: every answer carries the revision it was read at (``revisions``,
0 for a question that had no answer); if any answer is invalid (422, each named ``json.answers.<id>``)
or was changed since (409, with the current value and revision beside the sent one), nothing is
saved. Answers to questions hidden by the conditions are ignored and listed, as in answer files;
``null`` removes an answer.
"""

from __future__ import annotations

from typing import Any

from flask import abort, json
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, Field

from diagnosis.store.db import session
from diagnosis.web.access import company_for_user_or_404, role_required
from diagnosis.web.assess import service
from diagnosis.web.assess.forms import error_message
from diagnosis.web.assess.views import own_assessment_or_404
from diagnosis.web.bundle import current_bundle
from diagnosis.web.guards import DATABASE_ID_MAX
from diagnosis.web.reports.downloads import schedule_reports

from .blueprint import bp
from .conventions import idempotent
from .problems import Refused, error_response
from .results import AssessmentOut, SnapshotOut
from .schemas import Body, whole


class StartIn(Body):
    from_last: bool = Field(False, description="Start from the company's last submitted answers")


class AnswersOut(BaseModel):
    questionnaire: dict[str, str]
    answers: dict[str, Any]
    revisions: dict[str, int]
    ignored_answers: list[dict[str, str]] = []


class AnswersIn(Body):
    answers: dict[str, Any] = Field(description="Question id → value, as in answer files; null removes")
    revisions: dict[str, whole(0, DATABASE_ID_MAX)] = Field(  # type: ignore[valid-type]
        default_factory=dict, description="Question id → the revision the answer was read at (0: none)")


def _locked() -> Refused:
    return Refused(409, _("此诊断已提交，答案不能再修改。"))


def _answers_out(state: service.State, ignored: list[str] = ()) -> AnswersOut:  # type: ignore[assignment]
    assessment = state.assessment
    return AnswersOut(
        questionnaire={"id": assessment.questionnaire_id, "version": assessment.questionnaire_version},
        answers=dict(state.answers), revisions={qid: row.revision for qid, row in state.rows.items()},
        ignored_answers=[{"question": qid, "reason": "hidden"} for qid in ignored])


@bp.post("/companies/<int:company_id>/assessments")
@role_required("company")
@idempotent
@bp.input(StartIn, location="json")
@bp.output(AssessmentOut, status_code=201)
@bp.doc(summary="Start a self-assessment (one open draft at a time)", responses=[401, 403, 404, 409])
def start(company_id: int, json_data: StartIn) -> tuple[AssessmentOut, int]:
    company = company_for_user_or_404(company_id)
    try:
        draft = service.start(session(), company, current_bundle(), current_user.id,
                              from_last=json_data.from_last)
    except service.DraftExists as exists:
        message = _("已有一份未提交的诊断（编号 %(id)s），请继续填写。", id=exists.draft.id)
        raise Refused(409, message) from exists
    return AssessmentOut.model_validate(draft, from_attributes=True), 201


@bp.get("/assessments/<int:assessment_id>/answers")
@role_required("company")
@bp.output(AnswersOut)
@bp.doc(summary="The company's answers with their revisions", responses=[401, 403, 404])
def answers(assessment_id: int) -> AnswersOut:
    assessment = own_assessment_or_404(assessment_id)
    return _answers_out(service.load_state(session(), assessment, current_bundle()))


def _apply(state: service.State, sent: AnswersIn) -> tuple[service.State, list, list, list]:
    """Save the sent answers in the questionnaire's order (an earlier answer may show a later question)."""
    invalid, conflicts, ignored = [], [], []
    for question in state.instrument.questions():
        if question.id not in sent.answers:
            continue
        outcome, state = service.save_answer(session(), state, question, sent.answers[question.id],
                                             sent.revisions.get(question.id, 0), current_user.id)
        if outcome.status == "invalid":
            invalid.append({"field": f"json.answers.{question.id}",
                            "reason": error_message(question, outcome.error, outcome.detail)})
        elif outcome.status == "conflict":
            conflicts.append({"question": question.id, "current": outcome.value, "revision": outcome.revision,
                              "yours": outcome.mine})
        elif outcome.status == "hidden":
            ignored.append(question.id)
    return state, invalid, conflicts, ignored


@bp.put("/assessments/<int:assessment_id>/answers")
@role_required("company")
@bp.input(AnswersIn, location="json")
@bp.output(AnswersOut)
@bp.doc(summary="Write answers (all or nothing, each with the revision it was read at)", responses={
    401: "No usable token", 403: "Not a company user", 404: "Not found",
    409: "Submitted already, or answers changed since: `conflicts` has both values", 422: "Validation error"})
def write_answers(assessment_id: int, json_data: AnswersIn) -> Any:
    assessment = own_assessment_or_404(assessment_id, lock=True)
    state = service.load_state(session(), assessment, current_bundle())
    if state.read_only:
        raise _locked()
    unknown = [qid for qid in json_data.answers if not state.instrument.has_question(qid)]
    if unknown:
        return error_response(422, [{"field": f"json.answers.{qid}", "reason": _("问卷中没有此题。")}
                                    for qid in unknown])
    state, invalid, conflicts, ignored = _apply(state, json_data)
    if invalid:
        return error_response(422, invalid)
    if conflicts:
        response = error_response(409, [{"field": f"json.answers.{item['question']}", "reason": _(
            "此题的答案已在别处修改，本次没有保存。")} for item in conflicts])
        return _with(response, conflicts=conflicts)
    return _answers_out(state, ignored)


def _with(response: Any, **extra: Any) -> Any:
    """The error response with more keys beside ``errors``."""
    response.set_data(json.dumps({**response.get_json(), **extra}))
    return response


@bp.post("/assessments/<int:assessment_id>/submit")
@role_required("company")
@bp.output(SnapshotOut, description="Submitted: the result snapshot")
@bp.doc(summary="Submit: score the answers and lock the draft", responses=[401, 403, 404, 409, 422])
def submit(assessment_id: int) -> SnapshotOut:
    assessment = own_assessment_or_404(assessment_id, lock=True)
    try:
        outcome = service.submit(session(), assessment, current_bundle(), current_user.id)
    except service.AssessmentLocked as error:
        raise _locked() from error
    if outcome.missing or outcome.broken:
        errors = [{"field": f"answers.{qid}", "reason": _("必答题未填写。")} for qid in outcome.missing]
        errors += [{"field": None, "reason": _("答案互相矛盾（%(id)s）。", id=cid)} for cid in outcome.broken]
        abort(error_response(422, errors))
    snapshot = outcome.snapshot
    body = SnapshotOut(assessment_id=assessment.id, snapshot_id=snapshot.id, kind=snapshot.kind,
                       created_at=snapshot.created_at, result=snapshot.result)
    session.commit()  # the snapshot is kept before its reports are queued (the workers read it)
    schedule_reports(assessment.id)
    return body
