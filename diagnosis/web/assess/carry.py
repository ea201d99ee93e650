"""Re-assessment: next year's draft starts from the company's last submitted answers.

Rules (issue 11, item 7):

- The origin is the company's newest submitted or verified assessment of the same questionnaire
  (store.latest_completed, scoped by company).
- A verified origin gives the answers the provider verified (store.reviews.verified_answers: the
  company's answer unless adjusted on site, none where marked not applicable): they are the ones a
  provider signed, so the company starts from the checked state rather than from its own claim.
- Only answers still valid under today's questionnaire are copied: a question that no longer
  exists, whose type changed, or whose saved value is no longer one of its options or within its
  range is dropped (the server loads only today's version of a questionnaire, so "changed" is
  judged against today's definition). Answers to questions hidden by today's profile or answers
  are dropped too.
- Constraints are not a reason to drop: a carried answer that contradicts another is marked at the
  field like any other and blocks the submit until the company fixes it.
- Each copied answer stays marked "carried over" until the company saves it (even unchanged) or
  confirms its section.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from diagnosis.core.answers import validate_answers
from diagnosis.store import assessments as store
from diagnosis.store import reviews
from diagnosis.web.bundle import profile_for


def origin_for(session: Session, company, bundle) -> store.Assessment | None:
    """The assessment a new draft of ``company`` could start from, if any."""
    return store.latest_completed(session, company.id, bundle.active_instrument().id)


def answers_to_carry(session: Session, origin: store.Assessment, company, bundle) -> dict[str, Any]:
    """The origin's answers (verified ones when it was verified) still valid and shown today."""
    if origin.status == "verified":
        source = reviews.verified_answers(session, origin.id)
    else:
        source = store.company_answers(session, origin.id)
    check = validate_answers(bundle.active_instrument(), source, profile_for(company, bundle))
    return check.values


def carry(session: Session, draft: store.Assessment, origin: store.Assessment, company, bundle,
          user_id: int | None) -> int:
    """Copy the answers into the new ``draft``; the number copied."""
    values = answers_to_carry(session, origin, company, bundle)
    store.carry_answers(session, draft, values, origin.id, user_id)
    return len(values)


def carried_questions(session: Session, assessment_id: int, rows: dict[str, store.StoredAnswer]
                      ) -> frozenset[str]:
    """The questions whose answer is still the one carried over (not yet saved or confirmed)."""
    revision = store.carried_revision(session, assessment_id)
    if revision is None:
        return frozenset()
    return frozenset(qid for qid, row in rows.items() if row.revision == revision)
