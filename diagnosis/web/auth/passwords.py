"""The rules for a new password (registration, admin-created accounts, password change).

Beyond the forms' length rule: not made of the user's own data (e-mail local part, name, company
name), and not guessable by zxcvbn's model of common passwords, words, keyboard walks, repeats and
dates (it is also given the user's data, so variations of it score low). Existing passwords (the
demo accounts' too) are never re-checked: the rules apply when a password is set through a form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask_babel import gettext as _
from zxcvbn import zxcvbn

#: zxcvbn's score (0-4) a new password needs: 3 is about 10^8 guesses, far beyond what the login
#: throttle lets through and slow to try offline against scrypt.
MIN_SCORE = 3
#: Shorter pieces of a user's data (a two-letter name part) would refuse too much by accident.
MIN_PIECE_LENGTH = 3
#: Parts of the local part split at . _ - + (zhang.wei → zhang) count from this length.
MIN_PART_LENGTH = 4
#: zxcvbn's analysis is costly on long input; the first characters decide the score anyway.
CHECKED_LENGTH = 100


def personal_pieces(email: str, *names: str | None) -> list[str]:
    """The user's data a password must not contain: the e-mail's local part (also split at . _ - +)
    and each name, lower-cased."""
    local = email.split("@", 1)[0].lower()
    wholes = [local, *((name or "").strip().lower() for name in names)]
    parts = [part for part in re.split(r"[._+\-]+", local) if len(part) >= MIN_PART_LENGTH]
    return [piece for piece in dict.fromkeys(wholes + parts) if len(piece) >= MIN_PIECE_LENGTH]


def password_problem(password: str, email: str, names: Iterable[str | None] = ()) -> str | None:
    """Why `password` may not be used by this user, or None when it may."""
    pieces = personal_pieces(email, *names)
    lowered = password.lower()
    if any(piece in lowered for piece in pieces):
        return _("密码不能包含您的邮箱用户名、姓名或企业名称。")
    if zxcvbn(password[:CHECKED_LENGTH], user_inputs=pieces)["score"] < MIN_SCORE:
        return _("密码太常见或太容易猜到（如 aaaaaaaaaa、password12），请换一个更长、更不规律的密码。")
    return None
