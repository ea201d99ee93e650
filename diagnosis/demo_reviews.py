"""The demo's on-site reviews, played through the real review functions.

The demo provider's organisation gets one company per work-list state (diagnosis/store/worklist.py):
awaiting the self-assessment, self-assessed, visit planned, review in progress, returned for
evidence, signed off, confirmed, disputed; a second organisation gets two, so the quality page has
something to compare. The reviews use the services the pages use (review, round, response,
recommendation edits, evidence checks), so the demo holds what the workflow stores.

Each story is played now, phase by phase (visit, the company's answer to a round, sign-off, the
company's response), and what a phase wrote is dated to when it happened in the story (`Clock`):
the audit trail, the rounds and the days from assignment to sign-off read like weeks of work.
Deterministic: the same district and random seed give the same reviews.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from diagnosis import evidence as files
from diagnosis.demo_answers import AnswerMaker, document_pdf, site_photo
from diagnosis.store import reviews
from diagnosis.store.accounts import User, create_user, user_by_email, utcnow
from diagnosis.store.assessments import Answer, Assessment, AuditEvent, ResultSnapshot
from diagnosis.store.assignments import assign, plan_visit
from diagnosis.store.companies import Company
from diagnosis.web.bundle import diagnose_for
from diagnosis.web.evidence.views import audited, limits, storage_root
from diagnosis.web.respond import service as respond
from diagnosis.web.review import service as review
from diagnosis.web.review_recs import service as recs

CHUNK = 500
LEAD, MEMBER, OTHER = "provider@demo.test", "diagnostician@demo.test", "lingyang@demo.test"


@dataclass(frozen=True)
class Story:
    """One company's review. Days are counted back from today (a negative visit is ahead)."""

    state: str
    org: int  # index into the provider organisations
    diagnostician: str | None
    assigned: int
    visit: int | None = None
    #: the visit sends questions back; the company answered them this many days ago
    answered: int | None = None
    signed: int | None = None
    responded: int | None = None
    adjust: int = 0
    extras: bool = False  # evidence files, findings and recommendation edits


#: In the order companies are handed out: the demo company account's company plays the first.
STORIES = (
    Story("signed_off", 0, LEAD, 24, visit=17, answered=13, signed=10, adjust=3, extras=True),
    Story("confirmed", 0, MEMBER, 40, visit=33, signed=31, responded=28, adjust=2, extras=True),
    Story("disputed", 0, LEAD, 35, visit=26, signed=22, responded=19, adjust=2, extras=True),
    Story("returned", 0, MEMBER, 20, visit=6, adjust=1),
    Story("in_progress", 0, LEAD, 14, visit=1, adjust=1),
    Story("visit_planned", 0, MEMBER, 10, visit=-3),
    Story("self_assessed", 0, None, 5),
    Story("confirmed", 1, OTHER, 45, visit=30, signed=25, responded=20, adjust=1),
    Story("in_progress", 1, OTHER, 12, visit=2),
)
WAITING = (Story("awaiting_self_assessment", 0, None, 8), Story("awaiting_self_assessment", 0, None, 3))

#: Why an answer was changed on site, by question type: (reason code, the diagnostician's words).
REASONS = {
    "scenario_level": ("site_differs", "现场查看：该场景只在一条产线试点，尚未覆盖主要产线，按低一级核定。"),
    "single": ("evidence_differs", "系统截图与业务单据显示实际应用范围小于填报，按抽查结果核定。"),
    "yes_no": ("no_evidence", "现场未能出示相关系统或记录，暂按未开展核定。"),
    "percent": ("site_differs", "按现场抽查的设备台账重新计算，比例低于填报。"),
    "multi": ("misunderstood", "企业把人工填写的电子表格当作系统自动采集，该项不计入。"),
}
NEEDS_EVIDENCE = "请补充近三个月的系统截图或设备台账（照片或 PDF 均可）。"
ROUND_NOTE = "请在一周内补充以下题目的佐证材料，上传后点击“提交给服务商”。"
FINDINGS = (("major", "设备联网率偏低，生产数据仍靠班组长手工汇总，建议优先建设设备数据采集。"),
            ("minor", "质量检验记录为纸质台账，追溯一批次产品需要半天以上。"))
DISPUTE = "对部分调整有异议：相关系统已于上月上线，现场演示时车间网络故障未能展示，请安排复核。"
CONFIRM = "核定结果与我们的实际情况一致，感谢诊断团队。"
ON_SITE = "企业未作答，现场与生产负责人核实后补充。"
DISMISSED = "企业已与设备厂商签约实施该项目，无需重复建议。"
REPHASED = "企业资金计划集中在下半年，建议调整实施阶段。"
OWN_RECOMMENDATION = ("建立设备点检电子台账",
                      "用扫码点检替代纸质点检表，点检记录自动汇总到设备管理系统，为后续预测性维护积累数据。",
                      "现场发现点检记录缺失较多，投入小、见效快。")


def seed_reviews(session: Session, bundle, rng: random.Random, companies: list[Company],
                 org_ids: list[int], official_id: int | None) -> dict[str, int]:
    """Play the stories on the district's companies: submitted ones for the stories that need a
    self-assessment (as many as there are), others for the waiting ones.

    :return: how many companies per state.
    """
    submitted, waiting = _candidates(session, companies)
    played: dict[str, int] = {}
    pairs = [*zip(STORIES, submitted, strict=False), *zip(WAITING, waiting, strict=False)]
    for story, company in pairs:
        Player(session, bundle, rng, company, org_ids[story.org], official_id).play(story)
        played[story.state] = played.get(story.state, 0) + 1
    return played


def _candidates(session: Session, companies: list[Company]) -> tuple[list[Company], list[Company]]:
    """The companies with a submitted assessment, and the other registered ones (not those only
    listed in the roster), in district order: as many as the stories need (read in chunks, so a
    district of any size costs a query or two)."""
    submitted: list[Company] = []
    others: list[Company] = []
    for start in range(0, len(companies), CHUNK):
        chunk = companies[start:start + CHUNK]
        done = set(session.scalars(select(Assessment.company_id).where(
            Assessment.company_id.in_([c.id for c in chunk]), Assessment.status == "submitted")))
        submitted += [c for c in chunk if c.id in done]
        others += [c for c in chunk if c.id not in done and c.registered_at is not None]
        if len(submitted) >= len(STORIES) and len(others) >= len(WAITING):
            break
    return submitted, others


class Player:
    """Plays one story on one company."""

    def __init__(self, session: Session, bundle, rng: random.Random, company: Company, org_id: int,
                 official_id: int | None):
        self.db, self.bundle, self.rng, self.company = session, bundle, rng, company
        self.org_id, self.official_id = org_id, official_id
        #: None for a company without a submitted assessment (its story has no visit)
        self.assessment: Any = session.scalar(select(Assessment).where(
            Assessment.company_id == company.id, Assessment.status == "submitted"))

    def play(self, story: Story) -> None:
        assignment = assign(self.db, self.company, self.org_id, self.official_id)
        assert assignment is not None
        assignment.assigned_at = utcnow() - timedelta(days=story.assigned)
        diagnostician = user_by_email(self.db, story.diagnostician) if story.diagnostician else None
        if story.visit is None or diagnostician is None or self.assessment is None:
            return
        if story.visit < 0:
            plan_visit(self.db, assignment, diagnostician.id, (utcnow() - timedelta(days=story.visit)).date())
            return
        start = max(_aware(self.assessment.submitted_at), assignment.assigned_at)
        clock = Clock(self.db, self.assessment, start)
        with clock.phase(story.visit) as moment:
            plan_visit(self.db, assignment, diagnostician.id, moment.date())
            self.visit(story, diagnostician)
        if story.answered is not None:
            with clock.phase(story.answered):
                self.answer_round()
        if story.signed is not None:
            with clock.phase(story.signed):
                self.sign_off(story, diagnostician)
        if story.responded is not None:
            with clock.phase(story.responded):
                self.respond(story.state)

    def state(self) -> review.ReviewState:
        return review.load(self.db, self.assessment, self.bundle)

    def visit(self, story: Story, diagnostician: User) -> None:
        """Adjust some answers, mark some for evidence, accept the rest; findings and files."""
        state = self.state()
        changes = adjustments(state, self.bundle, story.adjust, self.rng)
        for question, value in changes:
            code, text = REASONS[question.type]
            state = self.act(state, question, review.Action("adjust", value, code, text), diagnostician)
        wanted = 2 if story.state == "returned" else 1 if story.answered is not None else 0
        asked = evidence_questions(state, {q.id for q, _v in changes}, wanted)
        for question in asked:
            state = self.act(state, question, review.Action("needs_evidence", reason_text=NEEDS_EVIDENCE),
                             diagnostician)
        sections = state.instrument.sections
        for section in sections[:1] if story.state == "in_progress" else sections:
            _count, state = review.accept_rest(self.db, state, section, diagnostician.id)
        if story.extras:
            self.findings(state, diagnostician)
            self.files([q for q, _v in changes], diagnostician)
        if asked:
            review.send_back(self.db, state, ROUND_NOTE, diagnostician.id)

    def act(self, state: review.ReviewState, question, action: review.Action,
            diagnostician: User) -> review.ReviewState:
        outcome, state = review.act(self.db, state, question, action, diagnostician.id)
        _expect(outcome.ok, outcome)
        return state

    def findings(self, state: review.ReviewState, diagnostician: User) -> None:
        """Findings written as the review page writes them (diagnosis/web/review/findings.py)."""
        for section, (severity, text) in zip(state.instrument.sections, FINDINGS, strict=False):
            finding = reviews.Finding(assessment_id=self.assessment.id, section_id=section.id,
                                      severity=severity, text=text, author_id=diagnostician.id,
                                      created_at=utcnow())
            self.db.add(finding)
            self.db.flush()
            reviews.record(self.db, self.assessment.id, diagnostician.id, None,
                           {"finding": finding.id, "section": section.id, "severity": severity, "text": text})

    def files(self, adjusted: list[Any], diagnostician: User) -> None:
        """A photo taken on site for the first adjusted answer, a document for the second."""
        if adjusted:
            attach(self.db, self.assessment, adjusted[0].id, "现场照片.jpg", site_photo(self.company.id),
                   "verified", diagnostician.id)
        if len(adjusted) > 1:
            attach(self.db, self.assessment, adjusted[1].id, "系统台账.pdf",
                   document_pdf(f"Equipment ledger, company {self.company.id}"), "verified", diagnostician.id)

    def answer_round(self) -> None:
        """The company adds a document to each question sent back and hands the round back."""
        user = company_user(self.db, self.company)
        state = respond.load(self.db, self.assessment, self.bundle)
        for question in respond.round_questions(state):
            attach(self.db, self.assessment, question.id, "补充材料.pdf",
                   document_pdf(f"Supporting document, question {question.id}"), "company", user.id)
        respond.close_round(self.db, self.assessment, user.id)

    def sign_off(self, story: Story, diagnostician: User) -> None:
        """Accept what came back, answer on site what a changed answer newly asks, edit the
        recommendations, sign off."""
        state = self.state()
        for question in state.instrument.questions():
            qid = question.id
            if qid in state.visible and qid not in state.items and qid in state.company:
                state = self.act(state, question, review.Action("accept"), diagnostician)
        maker = AnswerMaker(state.instrument, self.rng)
        for item in review.open_items(state):
            question = state.instrument.question(item.question_id)
            value = maker.fill([question.id])[question.id]
            state = self.act(state, question, review.Action("adjust", value, "answered_on_site", ON_SITE),
                             diagnostician)
        if story.extras:
            edit_recommendations(self.db, self.assessment, self.bundle, diagnostician.id)
        outcome = review.sign_off(self.db, state, self.bundle, diagnostician.id)
        _expect(not outcome.open, outcome.open)

    def respond(self, state: str) -> None:
        user = company_user(self.db, self.company)
        answer = "disputed" if state == "disputed" else "confirmed"
        respond.respond(self.db, self.assessment, answer, DISPUTE if answer == "disputed" else CONFIRM,
                        user.id)


def adjustments(state: review.ReviewState, bundle, count: int,
                rng: random.Random) -> list[tuple[Any, Any]]:
    """Up to ``count`` answers a diagnostician would lower on site, with the lower value, in
    questionnaire order: picked at random among the visible answered questions of a type REASONS
    covers whose change lowers the SME points (tried in turn, a diagnose() each)."""
    candidates = []
    for question in state.instrument.questions():
        value = state.company.get(question.id)
        lower = lowered(question, value) if question.id in state.visible else None
        if lower is not None and question.type in REASONS:
            candidates.append((question, lower))
    points = review.live_result(state, bundle)["sme"]["points"]
    picked: list[int] = []
    for index in rng.sample(range(len(candidates)), len(candidates)):
        if len(picked) >= count:
            break
        question, value = candidates[index]
        result = diagnose_for(state.assessment, {**state.answers, question.id: value}, bundle)
        if result["sme"]["points"] < points:
            picked.append(index)
    return [candidates[index] for index in sorted(picked)]


def lowered(question, value: Any) -> Any:
    """A plausibly lower answer than ``value``, or None when there is none."""
    if value is None:
        return None
    if question.type == "scenario_level":
        return value - 1 if value >= 1 else None
    if question.type == "single":
        ids = [option.id for option in question.options]
        return ids[ids.index(value) - 1] if value in ids and ids.index(value) > 0 else None
    if question.type == "yes_no":
        return False if value is True else None
    if question.type == "percent":
        return max(0, value - 20) if value >= 20 else None
    if question.type == "multi":
        kept = [option for option in value if option not in question.exclusive]
        return kept[:-1] if len(kept) >= 2 else None
    return None


def evidence_questions(state: review.ReviewState, exclude: set[str], count: int) -> list[Any]:
    """The first ``count`` required, answered, still unreviewed questions (not in ``exclude``), those
    with an evidence hint in the questionnaire first."""
    found = [q for q in state.instrument.questions()
             if q.required and q.id in state.visible and q.id in state.company and q.id not in exclude
             and q.id not in state.items]
    return sorted(found, key=lambda question: question.evidence is None)[:count]


def edit_recommendations(session: Session, assessment, bundle, user_id: int) -> None:
    """Dismiss the engine's last recommendation, move the first one's phase, add one of our own."""
    state = recs.load(session, assessment, bundle, "zh_CN")
    standing = [row for row in state.rows if not row.dismissed]
    if len(standing) >= 2:
        recs.edit_row(session, state, user_id, standing[-1], "dismiss", DISMISSED)
        first = standing[0]
        phase = next((p for p in state.phases if p != first.phase), first.phase)
        recs.edit_row(session, state, user_id, first, "change", REPHASED, priority=first.priority,
                      phase=phase)
    title, detail, reason = OWN_RECOMMENDATION
    recs.add(session, state, user_id, key=None, title=title, detail=detail, priority=0.6,
             phase=state.phases[0], reason=reason)


def attach(session: Session, assessment, question_id: str, name: str, data: bytes, side: str,
           user_id: int) -> None:
    """A file checked and stored as an upload is (diagnosis/web/evidence/views.py), listed under the
    question and audited."""
    checked = files.check(name, data, limits())
    files.store(storage_root(), checked)
    item = reviews.Evidence(assessment_id=assessment.id, question_id=question_id, sha256=checked.sha256,
                            original_name=checked.name, content_type=checked.content_type, size=checked.size,
                            source=side, uploaded_by_id=user_id, uploaded_at=utcnow())
    session.add(item)
    session.flush()
    reviews.record(session, assessment.id, user_id, None, audited(item), question_id=question_id)


def company_user(session: Session, company: Company) -> User:
    """The company's first user; a contact account (no known password) for a company without one."""
    user = session.scalar(select(User).where(User.company_id == company.id).order_by(User.id).limit(1))
    if user is None:
        user = create_user(session, email=f"{company.credit_code.lower()}@company.demo.test",
                           name=company.contact_name, password=secrets.token_urlsafe(24), role="company",
                           company_id=company.id)
    return user


def _expect(ok: bool, detail: Any) -> None:
    if not ok:
        raise RuntimeError(f"demo review refused: {detail}")


#: The timestamps a review phase writes, per model.
STAMPS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (AuditEvent, ("at",)), (Answer, ("updated_at",)), (reviews.ReviewItem, ("updated_at",)),
    (reviews.Review, ("started_at", "returned_at", "signed_off_at", "responded_at")),
    (reviews.ReviewRound, ("sent_at", "answered_at")), (reviews.Finding, ("created_at",)),
    (reviews.Evidence, ("uploaded_at",)), (reviews.RecommendationEdit, ("at",)),
    (ResultSnapshot, ("created_at",)), (Assessment, ("verified_at",)))


class Clock:
    """Dates what each phase of a story wrote to when it happened: ``days`` ago, and never before
    the phase before it (the first: never before ``start``)."""

    def __init__(self, session: Session, assessment: Assessment, start: datetime):
        self.db, self.assessment, self.moment = session, assessment, start

    @contextmanager
    def phase(self, days: int) -> Iterator[datetime]:
        self.moment = max(utcnow() - timedelta(days=days), self.moment + timedelta(hours=1))
        mark = utcnow()
        yield self.moment
        self.db.flush()
        for model, columns in STAMPS:
            key = model.id if model is Assessment else model.assessment_id
            row: Any
            for row in self.db.scalars(select(model).where(key == self.assessment.id)):
                for column in columns:
                    value = getattr(row, column)
                    if value is not None and _aware(value) >= mark:
                        setattr(row, column, self.moment + (_aware(value) - mark))
        self.db.flush()


def _aware(moment: datetime) -> datetime:
    """SQLite keeps no offset; every time stored is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
