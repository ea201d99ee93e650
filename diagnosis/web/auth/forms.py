from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length

from diagnosis.web.fields import STRIP


class LoginForm(FlaskForm):
    email = EmailField(
        _l("邮箱"), filters=[STRIP], validators=[DataRequired(_l("请输入邮箱。")), Length(max=254)]
    )
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码。")), Length(max=200)])
    remember = BooleanField(_l("在此设备上保持登录"))
    submit = SubmitField(_l("登录"))
