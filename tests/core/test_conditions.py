import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diagnosis.core.conditions import AllOf, Leaf, parse_condition
from diagnosis.core.context import Context
from diagnosis.core.operators import OPERATORS, VALUE_KINDS
from diagnosis.core.problems import Problem, QuestionnaireError

CTX = Context(
    answers={"level": 3, "systems": ["erp", "mes"], "flag": True, "wifi": "partial"},
    facts={"rate": 0.31},
    profile={"industry_tags": ["furniture"], "employees": 320},
    scores={"sme.level": 2},
)


def parse_ok(data, allow_scores=True):
    condition, problems = parse_condition(data, "f.yaml", "show_if", allow_scores=allow_scores)
    assert problems == []
    return condition


@pytest.mark.parametrize(("data", "held"), [
    ({"answer": "level", "op": "eq", "value": 3}, True),
    ({"answer": "level", "op": "ne", "value": 3}, False),
    ({"answer": "level", "op": "lt", "value": 3}, False),
    ({"answer": "level", "op": "le", "value": 3}, True),
    ({"answer": "level", "op": "gt", "value": 2}, True),
    ({"answer": "level", "op": "ge", "value": 4}, False),
    ({"answer": "wifi", "op": "in", "value": ["partial", "full"]}, True),
    ({"answer": "wifi", "op": "not_in", "value": ["partial", "full"]}, False),
    ({"answer": "systems", "op": "contains", "value": "mes"}, True),
    ({"answer": "systems", "op": "contains_any", "value": ["plm", "erp"]}, True),
    ({"answer": "systems", "op": "contains_all", "value": ["erp", "plm"]}, False),
    ({"answer": "level", "op": "answered"}, True),
    ({"answer": "level", "op": "unanswered"}, False),
    ({"answer": "missing", "op": "unanswered"}, True),
    ({"answer": "missing", "op": "answered"}, False),
    ({"answer": "missing", "op": "ne", "value": 1}, False),
    ({"answer": "missing", "op": "not_in", "value": [1]}, False),
    ({"fact": "rate", "op": "lt", "value": 0.4}, True),
    ({"profile": "industry_tags", "op": "contains", "value": "furniture"}, True),
    ({"profile": "employees", "op": "ge", "value": 320}, True),
    ({"score": "sme.level", "op": "ge", "value": 2}, True),
    ({"answer": "flag", "op": "eq", "value": 1}, False),
    ({"answer": "wifi", "op": "lt", "value": 1}, False),
    ({"all": [{"answer": "level", "op": "ge", "value": 3},
              {"fact": "rate", "op": "lt", "value": 0.4}]}, True),
    ({"any": [{"answer": "level", "op": "ge", "value": 4},
              {"fact": "rate", "op": "lt", "value": 0.3}]}, False),
    ({"not": {"answer": "flag", "op": "eq", "value": True}}, False),
])
def test_operators_and_combinators(data, held):
    condition = parse_ok(data)
    assert condition.holds(CTX) is held
    assert condition.explain(CTX).held is held
    outcome = condition.judge(CTX, [])
    assert outcome is held or outcome is None


def test_entries_list_every_leaf_with_its_value():
    condition = parse_ok({"any": [{"answer": "level", "op": "ge", "value": 2},
                                  {"fact": "rate", "op": "lt", "value": 0.3}]})
    assert condition.entries(CTX) == [
        {"source": "answer", "ref": "level", "op": "ge", "threshold": 2, "value": 3, "held": True},
        {"source": "fact", "ref": "rate", "op": "lt", "threshold": 0.3, "value": 0.31, "held": False},
    ]


def test_list_thresholds_and_values_are_plain_lists():
    condition = parse_ok({"answer": "systems", "op": "contains_any", "value": ["plm"]})
    [entry] = condition.entries(CTX)
    assert entry["threshold"] == ["plm"] and entry["value"] == ["erp", "mes"] and entry["held"] is False


def test_leaves_walk_every_leaf_in_order():
    condition = parse_ok({"all": [{"answer": "a", "op": "answered"},
                                  {"not": {"any": [{"fact": "b", "op": "eq", "value": 1},
                                                   {"profile": "park", "op": "eq", "value": "x"}]}}]})
    assert [(leaf.source, leaf.ref) for leaf in condition.leaves()] == [
        ("answer", "a"), ("fact", "b"), ("profile", "park")]


def test_operator_registry_is_the_documented_vocabulary():
    assert sorted(OPERATORS) == sorted(
        "eq ne lt le gt ge in not_in contains contains_any contains_all answered unanswered".split())


@pytest.mark.parametrize(("data", "path", "reason"), [
    ({"answer": "a", "op": "like", "value": 1}, "show_if.op", "unknown operator 'like'"),
    ({"answer": "a", "op": "lt", "value": "x"}, "show_if.value", "must be a number"),
    ({"answer": "a", "op": "in", "value": []}, "show_if.value",
     "must be a non-empty list of strings, numbers or booleans"),
    ({"answer": "a", "op": "eq"}, "show_if", "operator 'eq' needs a value"),
    ({"answer": "a", "op": "answered", "value": 1}, "show_if.value", "operator 'answered' takes no value"),
    ({"answer": "a", "fact": "b", "op": "eq", "value": 1}, "show_if",
     "a leaf needs exactly one of answer, fact, profile, score"),
    ({"profile": "colour", "op": "eq", "value": 1}, "show_if.profile", "unknown profile field 'colour'"),
    ({"score": "sme.magic", "op": "eq", "value": 1}, "show_if.score", "unknown score 'sme.magic'"),
    ({"answer": "a", "op": "eq", "value": 1, "weight": 2}, "show_if.weight", "unknown key in a condition"),
    ({"all": []}, "show_if.all", "must be a non-empty list of conditions"),
    ({"all": [{"answer": "a", "op": "answered"}], "not": {}}, "show_if", "'all' cannot be combined with not"),
    ("yes", "show_if", "a condition must be a non-empty mapping"),
])
def test_parse_problems_name_the_path(data, path, reason):
    condition, problems = parse_condition(data, "f.yaml", "show_if")
    assert condition is None
    assert problems == [Problem("f.yaml", path, reason)]


def test_score_leaves_refused_where_scores_are_not_allowed():
    condition, problems = parse_condition({"score": "sme.level", "op": "ge", "value": 2}, "f.yaml", "q",
                                          allow_scores=False)
    assert condition is None
    assert [p.path for p in problems] == ["q.score"]


def test_all_problems_in_a_tree_are_reported_at_once():
    data = {"all": [{"answer": "a", "op": "bad", "value": 1}, {"fact": "b", "op": "lt", "value": "x"},
                    {"not": {"profile": "nope", "op": "eq", "value": 1}}]}
    _, problems = parse_condition(data, "f.yaml", "c")
    assert [p.path for p in problems] == ["c.all[0].op", "c.all[1].value", "c.all[2].not.profile"]


def test_problem_string_and_error_carry_all_problems():
    problems = [Problem("a.yaml", "x", "bad"), Problem("b.yaml", "y[1]", "worse")]
    assert str(problems[1]) == "b.yaml: y[1]: worse"
    error = QuestionnaireError(problems)
    assert error.problems == problems and "a.yaml: x: bad" in str(error)


def test_context_lookup_unknown_source_or_ref_is_none():
    assert CTX.lookup("answer", "level") == 3
    assert CTX.lookup("answer", "nope") is None
    assert CTX.lookup("weather", "level") is None


def test_conditions_are_hashable_values():
    first = parse_ok({"all": [{"answer": "systems", "op": "contains_any", "value": ["erp"]}]})
    assert first == AllOf((Leaf("answer", "systems", "contains_any", ("erp",)),))
    assert hash(first) == hash(AllOf((Leaf("answer", "systems", "contains_any", ("erp",)),)))


WORDS = st.sampled_from(["a", "b", "erp", "mes", "none", "1", ""])
SCALARS = st.one_of(WORDS, st.integers(-3, 3), st.floats(-3, 3, allow_nan=False), st.booleans())
ACTUALS = st.one_of(st.none(), SCALARS, st.lists(SCALARS, max_size=4), st.tuples(WORDS, WORDS))
EXPECTED = {
    "scalar": SCALARS,
    "number": st.one_of(st.integers(-3, 3), st.floats(-3, 3, allow_nan=False)),
    "list": st.one_of(st.lists(WORDS, min_size=1, max_size=3), st.lists(SCALARS, min_size=1, max_size=3)
                      ).map(tuple),
    None: st.none(),
}


@settings(max_examples=3000, deadline=None)
@given(data=st.data(), op=st.sampled_from(sorted(OPERATORS)), actual=ACTUALS)
def test_a_leaf_holds_as_its_operator_says(data, op, actual):
    """Leaves on text values use quicker equivalent tests: they must agree with OPERATORS."""
    expected = data.draw(EXPECTED[VALUE_KINDS[op]])
    leaf = Leaf("answer", "q", op, expected)
    reference = op == "unanswered" if actual is None else OPERATORS[op](actual, expected)
    ctx = Context(answers={} if actual is None else {"q": actual})
    assert leaf.holds(ctx) is reference
    assert leaf.explain(ctx).held is reference
    assert leaf.explain(ctx) == AllOf((leaf,)).explain(ctx)  # a leaf's own shortcut explains alike
    assert leaf.entries(ctx)[0]["held"] is reference
