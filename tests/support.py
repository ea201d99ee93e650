"""Helpers for tests: valid credit codes and the CSRF token of a rendered page."""

from __future__ import annotations

import re

from diagnosis.core.uscc import check_character, org_code_check_character

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def credit_code(seq: int, prefix: str = "91341522") -> str:
    """A valid unified social credit code (both check characters right) numbered `seq`."""
    org_body = f"{seq:08d}"
    body = prefix + org_body + org_code_check_character(org_body)
    return body + check_character(body)


def csrf_from(html: str) -> str:
    """The CSRF token of the first form in a page."""
    match = CSRF_INPUT.search(html)
    if match is None:
        raise AssertionError("no csrf_token input in the page")
    return match.group(1)
