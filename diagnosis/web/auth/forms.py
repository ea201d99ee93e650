from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, Label, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length

from diagnosis.web.fields import STRIP, confirm_password_field, new_password_field


class LoginForm(FlaskForm):
    email = EmailField(
        _l("邮箱"), filters=[STRIP], validators=[DataRequired(_l("请输入邮箱。")), Length(max=254)]
    )
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码。")), Length(max=200)])
    remember = BooleanField(_l("在此设备上保持登录"))
    submit = SubmitField(_l("登录"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("当前密码"), validators=[DataRequired(_l("请输入当前密码。")), Length(max=200)]
    )
    password = new_password_field()
    confirm = confirm_password_field()
    submit = SubmitField(_l("修改密码"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.password.label = Label(self.password.id, _l("新密码"))
        self.confirm.label = Label(self.confirm.id, _l("再次输入新密码"))
