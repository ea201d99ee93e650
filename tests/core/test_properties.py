"""Property tests over the real instrument: any valid answers score; raising one answer never lowers
SME points, the SME level or the CMMM overall score; the same input gives the same output."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnosis.core.bundle import load_bundle
from diagnosis.core.engine import diagnose

BUNDLE = load_bundle()
INSTRUMENT = BUNDLE.active_instrument()
SATISFACTION_ORDER = ["none", "partial", "most", "full"]
PROFILE = st.fixed_dictionaries(
    {},
    optional={
        "industry_code": st.sampled_from(["2110", "2021", "2614", "3011", "3251", "1941", "3311"]),
        "employees": st.integers(0, 5000),
        "above_designated_size": st.booleans(),
        "revenue_band": st.sampled_from(["lt_5m", "5m_20m", "20m_100m", "100m_400m", "ge_400m"]),
    },
)


def value_strategy(question):
    kind = question.type
    if kind == "single":
        return st.sampled_from(sorted(question.option_ids))
    if kind == "multi":
        normal = sorted(question.option_ids - question.exclusive)
        some = st.lists(st.sampled_from(normal), unique=True, min_size=1)
        if not question.exclusive:
            return some
        return some | st.sampled_from(sorted(question.exclusive)).map(lambda option: [option])
    if kind == "yes_no":
        return st.booleans()
    if kind == "integer":
        low = int(question.min or 0)
        return st.integers(low, int(question.max) if question.max is not None else low + 100_000)
    if kind in ("decimal", "percent"):
        low = question.min or 0
        high = question.max if question.max is not None else low + 1e6
        return st.floats(low, high, allow_nan=False, allow_infinity=False)
    if kind == "scenario_level":
        return st.integers(0, 4)
    return st.text(max_size=question.max_length)


ANSWERS = st.fixed_dictionaries({}, optional={q.id: value_strategy(q) for q in INSTRUMENT.questions()})
SCORED_SINGLE = {  # single questions the SME model scores: options from worst to best
    item_question: sorted(points, key=points.__getitem__)
    for item_question, points in (
        (
            "sme_planning",
            {"none": 0, "learning": 1, "plan": 2, "retrofits": 3, "transformed": 4, "exporting": 5},
        ),
        ("sme_it_coverage", {"none": 0, "one": 1, "two_plus": 2, "over_80": 3, "all": 4}),
        ("sme_energy_trend", {"up": 0, "flat": 1, "down": 2}),
        ("sme_quality_trend", {"down": 0, "flat": 1, "up": 2}),
        ("sme_productivity_trend", {"down": 0, "flat": 1, "up": 2}),
        ("sme_cost_trend", {"up": 0, "flat": 1, "down": 2}),
    )
}


def better(order, current):
    position = order.index(current) if current in order else -1
    return order[position + 1] if position + 1 < len(order) else None


def raises(answers):
    """Every single-answer change that is 'higher': scenario level, satisfaction, extra option, trend."""
    for question in INSTRUMENT.questions():
        current = answers.get(question.id)
        if question.type == "scenario_level" and (current or 0) < 4:
            yield question.id, (current or 0) + 1
        elif question.type == "single" and question.option_ids == set(SATISFACTION_ORDER):
            if (value := better(SATISFACTION_ORDER, current)) is not None:
                yield question.id, value
        elif (
            question.id in SCORED_SINGLE
            and (value := better(SCORED_SINGLE[question.id], current)) is not None
        ):
            yield question.id, value
        elif question.type == "multi" and not question.exclusive.intersection(current or ()):
            for option in sorted(question.option_ids - question.exclusive - set(current or ())):
                yield question.id, [*(current or ()), option]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(answers=ANSWERS, profile=PROFILE)
def test_any_valid_answer_set_scores_and_is_reproducible(answers, profile):
    result = diagnose(BUNDLE, answers, profile)
    assert 0 <= result["sme"]["points"] <= 100 and 0 <= result["sme"]["level"] <= 4
    assert result["cmmm"]["assessed"] is False or 0 <= result["cmmm"]["overall"] <= 5
    assert all(entry["value"] is None or 0 <= entry["value"] <= 100 for entry in result["radar"])
    assert json.dumps(diagnose(BUNDLE, answers, profile)) == json.dumps(result)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(answers=ANSWERS, profile=PROFILE, data=st.data())
def test_raising_one_answer_never_lowers_the_scores(answers, profile, data):
    qid, value = data.draw(st.sampled_from(list(raises(answers))))
    before = diagnose(BUNDLE, answers, profile)
    after = diagnose(BUNDLE, {**answers, qid: value}, profile)
    assert after["sme"]["points"] >= before["sme"]["points"]
    assert after["sme"]["level"] >= before["sme"]["level"]
    if before["cmmm"]["assessed"]:
        assert after["cmmm"]["overall"] >= before["cmmm"]["overall"]
        assert after["cmmm"]["level"] >= before["cmmm"]["level"]
