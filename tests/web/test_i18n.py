"""Translations: every message extracted from the tree is in both catalogs, placeholders agree, no
f-string sits inside a gettext call, and the language choice sticks (session, then per user)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from diagnosis.cli_i18n import LOCALES, extract_messages, identity, missing_translations, read_catalog

ROOT = Path(__file__).resolve().parents[2]
GETTEXT_NAMES = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "pgettext", "lazy_ngettext"}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.fixture(scope="module")
def extracted():
    return extract_messages(ROOT)


def test_extraction_sees_python_and_templates(extracted):
    files = {location[0] for message in extracted for location in message.locations}
    assert "templates/base.html" in files
    assert "diagnosis/web/company/forms.py" in files


@pytest.mark.parametrize("locale", LOCALES)
def test_every_extracted_message_is_translated(extracted, locale):
    missing = missing_translations(extracted, read_catalog(locale))
    assert missing == [], f"{len(missing)} untranslated in {locale} (run `make translations-update`)"


def test_zh_cn_catalog_is_the_identity():
    wrong = [m.id for m in read_catalog("zh_CN") if m.id and m.string and m.string != identity(m)]
    assert wrong == []


def test_english_translations_keep_the_placeholders():
    wrong = [
        m.id
        for m in read_catalog("en")
        if m.id
        and isinstance(m.id, str)
        and m.string
        and set(PLACEHOLDER.findall(m.id)) != set(PLACEHOLDER.findall(m.string))
    ]
    assert wrong == []


def _formatted_message_calls(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in GETTEXT_NAMES
        ):
            continue
        first = node.args[0] if node.args else None
        formatted = isinstance(first, ast.JoinedStr | ast.BinOp) or (
            isinstance(first, ast.Call)
            and isinstance(first.func, ast.Attribute)
            and first.func.attr == "format"
        )
        if formatted:
            found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_no_formatted_string_inside_a_gettext_call():
    sources = [ROOT / "app.py", *(ROOT / "diagnosis").rglob("*.py"), *(ROOT / "reports").rglob("*.py")]
    offenders = [hit for path in sources for hit in _formatted_message_calls(path)]
    assert offenders == []


def test_the_scan_catches_formatting_inside_gettext(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        'name = "x"\nok = _("你好 %(name)s", name=name)\na = _(f"你好 {name}")\nb = _l("你好 %s" % name)\n'
        'c = gettext("你好 {}".format(name))\n',
        encoding="utf-8",
    )
    assert _formatted_message_calls(sample, tmp_path) == ["sample.py:3", "sample.py:4", "sample.py:5"]


def test_chinese_is_the_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page and "登录" in page


def test_anonymous_choice_is_kept_in_the_session(client, post_form):
    response = post_form(client, "/language", {"locale": "en", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Log in" in page and "Keep me logged in" in page


def test_unknown_locale_and_foreign_next_are_ignored(client, post_form):
    response = post_form(client, "/language", {"locale": "fr", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert '<html lang="zh-CN">' in client.get("/login").get_data(as_text=True)


def test_logged_in_choice_is_stored_on_the_user(client, make_user, login, post_form, db_session, app):
    user = make_user(role="official")
    login(client, user)
    post_form(client, "/language", {"locale": "en"})
    db_session.refresh(user)
    assert user.locale == "en"
    with app.test_client() as other_browser:
        login(other_browser, user)
        assert "Log out" in other_browser.get("/", follow_redirects=True).get_data(as_text=True)
