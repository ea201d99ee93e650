"""A question's optional `short` label (the subject of a reason) is read and checked by the loader."""

from __future__ import annotations

from tests.core.builders import copy_tree, edit, text
from tests.core.test_loader import BASE, load, problems_after, question


def test_a_short_label_is_loaded_and_optional(tmp_path):
    root = copy_tree(tmp_path)
    edit(root.parent / BASE, lambda d: question(d, "robots").update(short=text("机器人", "Robots")))
    instrument, problems = load(root)
    assert problems == []
    assert instrument.question("robots").short == {"zh_CN": "机器人", "en": "Robots"}
    assert instrument.question("wifi").short is None


def test_a_short_label_needs_both_languages(tmp_path):
    problems = problems_after(tmp_path, BASE,
                              lambda d: question(d, "robots").update(short={"zh_CN": "机器人"}))
    assert [(p.path, p.reason) for p in problems] == [("questions[2].short.en", "missing translation")]
