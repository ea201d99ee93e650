"""The account's API tokens page: create (a name and a lifetime; the value is shown once), list with
created / expires / last used, revoke. A plain HTML page with WTForms and CSRF, like the others."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from diagnosis.store import tokens
from diagnosis.store.db import session
from diagnosis.web.fields import STRIP

bp = Blueprint("api_tokens", __name__, url_prefix="/account/tokens")

LIFETIMES = (30, 90, 180, 365)


class TokenForm(FlaskForm):
    name = StringField(_l("名称"), filters=[STRIP], description=_l("用于区分令牌，例如“省平台月报”。"),
                       validators=[DataRequired(_l("请填写令牌名称。")),
                                   Length(max=100, message=_l("名称最多 100 个字。"))])
    days = SelectField(_l("有效期"), coerce=int, default=90,
                       choices=[SelectChoice(days, _l("%(n)s 天", n=days)) for days in LIFETIMES],
                       invalid_choice_message=_l("请从列表中选择有效期。"))
    submit = SubmitField(_l("创建令牌"))


class RevokeForm(FlaskForm):
    submit = SubmitField(_l("撤销"))


def render(form: TokenForm, created: str | None = None, status: int = 200) -> tuple[str, int]:
    return render_template("api/tokens.html", form=form, revoke_form=RevokeForm(),
                           tokens=tokens.tokens_of(session(), current_user), created=created,
                           now=datetime.now(UTC), aware=tokens.aware), status


@bp.get("")
@login_required
def index() -> tuple[str, int]:
    return render(TokenForm(formdata=None))


@bp.post("")
@login_required
def create() -> tuple[str, int]:
    """The new token's value is in this response only (pages are never cached: no-store)."""
    form = TokenForm()
    if not form.validate_on_submit():
        return render(form, status=422)
    _token, value = tokens.create_token(session(), current_user, form.name.data or "", form.days.data)
    return render(TokenForm(formdata=None), created=value)


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> Response:
    if not RevokeForm().validate_on_submit():
        abort(400)
    if not tokens.revoke(session(), current_user, token_id):
        abort(404)
    flash(_("令牌已撤销，使用它的请求将被拒绝。"), "success")
    return redirect(url_for(".index"), 303)
