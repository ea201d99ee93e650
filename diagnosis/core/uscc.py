"""Unified social credit code (统一社会信用代码, GB 32100-2015) checks.

Returns codes, never sentences: the web layer words them. Error codes: ``length``, ``charset``
(with the 1-based position), ``check_char`` (expected vs given). Warning codes: ``authority`` (a
registration authority code outside the standard table), ``org_code`` (the embedded organisation code
fails its own GB 11714 check, which some post-2015 registrations do).
"""

from __future__ import annotations

from dataclasses import dataclass, field

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
LENGTH = 18
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
#: Registration authorities in the standard's table: 机构编制, 民政, 工商/市场监管, 其他.
STANDARD_AUTHORITIES = frozenset("159Y")
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class UsccProblem:
    """One finding. `position` is 1-based; `expected`/`given` are set for check characters."""

    code: str
    position: int | None = None
    expected: str | None = None
    given: str | None = None


@dataclass(frozen=True)
class UsccCheck:
    valid: bool
    errors: list[str]
    warnings: list[str]
    normalized: str
    details: list[UsccProblem] = field(default_factory=list)


def normalize(code: str) -> str:
    """Upper case without surrounding or inner blanks (codes are often pasted with spaces)."""
    return "".join(code.split()).upper()


def check_character(body: str) -> str:
    """The GB 32100 check character for the first 17 characters (ISO 7064 MOD 31-3 style)."""
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_code_check_character(body: str) -> str:
    """The GB 11714 check character for the 8 body characters of an organisation code."""
    values = [int(char, 36) for char in body]
    remainder = 11 - sum(v * w for v, w in zip(values, ORG_CODE_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def _structure_problems(code: str) -> list[UsccProblem]:
    if len(code) != LENGTH:
        return [UsccProblem("length", expected=str(LENGTH), given=str(len(code)))]
    return [
        UsccProblem("charset", position=index + 1, given=char)
        for index, char in enumerate(code)
        if char not in ALPHABET
    ]


def _warnings(code: str) -> list[UsccProblem]:
    found = []
    if code[0] not in STANDARD_AUTHORITIES:
        found.append(UsccProblem("authority", position=1, given=code[0]))
    org_body, org_check = code[8:16], code[16]
    expected = org_code_check_character(org_body)
    if expected != org_check:
        found.append(UsccProblem("org_code", position=17, expected=expected, given=org_check))
    return found


def check_uscc(code: str) -> UsccCheck:
    """Check a unified social credit code.

    :param code: the code as typed; blanks are removed and letters upper-cased first
    :return: the verdict with error and warning codes; `normalized` is the cleaned code
    """
    normalized = normalize(code)
    errors = _structure_problems(normalized)
    warnings: list[UsccProblem] = []
    if not errors:
        expected = check_character(normalized[:17])
        if expected != normalized[17]:
            errors.append(UsccProblem("check_char", position=18, expected=expected, given=normalized[17]))
        warnings = _warnings(normalized)
    return UsccCheck(
        valid=not errors,
        errors=[p.code for p in errors],
        warnings=[p.code for p in warnings],
        normalized=normalized,
        details=errors + warnings,
    )
