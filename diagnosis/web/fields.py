"""Small form pieces shared by the feature forms."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

MIN_PASSWORD_LENGTH = 10


def STRIP(value: str | None) -> str | None:  # noqa: N802 - used like a constant in `filters=[STRIP]`
    return value.strip() if isinstance(value, str) else value


def new_password_field() -> PasswordField:
    return PasswordField(
        _l("密码"),
        validators=[
            DataRequired(_l("请设置密码。")),
            Length(min=MIN_PASSWORD_LENGTH, max=200, message=_l("密码至少 10 位。")),
        ],
        description=_l("至少 10 位。"),
    )


def confirm_password_field() -> PasswordField:
    return PasswordField(
        _l("确认密码"),
        validators=[DataRequired(_l("请再次输入密码。")), EqualTo("password", _l("两次输入的密码不一致。"))],
    )


class WholeNumberField(IntegerField):
    """An integer field whose conversion error speaks our language; an empty value is left to the
    required validator."""

    def process_formdata(self, valuelist: list[str]) -> None:
        text = valuelist[0].strip() if valuelist else ""
        if not text:
            self.data = None
            return
        try:
            self.data = int(text)
        except ValueError as error:
            self.data = None
            raise ValueError(_("请填写整数，例如 120。")) from error
