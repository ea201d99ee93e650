"""The walker of tests/web/test_hostile_input.py: the hostile values, the form reader that fills a
page's forms as a user would, and `Walk`, which sends every route of the URL map every probe as one
role and collects the requests that reached a 500 (see that module for what it sends)."""

from __future__ import annotations

import html
import io
import itertools
import re
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

from diagnosis.web.extensions import limiter
from tests.support import credit_code, csrf_from

ROLES = ("anonymous", "company", "provider", "official", "admin")

#: Path segments for `<int:...>` arguments.
HOSTILE_INTS = ("2147483648", "9223372036854775808", "18446744073709551616", "²", "１２", "0", "-1")
#: Path segments for every other argument (quoted when the URL is built).
HOSTILE_SEGMENTS = ("\x00", "a\r\nb", "²", "9" * 5000, "长" * 300, "..", "%")
#: Field and query values; "list" and "file" are wrong types rather than strings.
HOSTILE_VALUES: dict[str, Any] = {
    "nul": "a\x00b",
    "crlf": "/\r\nX",
    "control": "\x01\x1b[0m\x7f",
    "superscript": "²",
    "fullwidth": "１２",
    "int31": "2147483648",
    "int64": "18446744073709551616",
    "digits": "9" * 5000,
    "long": "长" * 300,
    "long_email": "a" * 250 + "@example.cn",
    "blank": "   ",
    "empty": "",
    "list": ["1", "2"],
    "file": "file",
}
#: Values put into one field of a form otherwise filled as a user would (the rest passes validation,
#: so the hostile value reaches what the view does with it).
FIELD_PROBES = ("nul", "crlf", "control", "superscript", "int64", "digits", "long", "long_email", "blank",
                "list")
#: Names every request carries besides those the pages use (views read some without a form field).
COMMON_NAMES = ("next", "lang", "locale", "row", "go", "email", "password", "name", "q")
#: Names that are not input (the CSRF token is always the session's own).
SKIPPED_NAMES = frozenset({"csrf_token"})

PLACEHOLDER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
HTMX_ATTRIBUTE = re.compile(r'\bhx-(?:get|post)="([^"]+)"')
#: The values also sent as a JSON body (no view reads one: these check that nothing breaks on it).
JSON_PROBES = ("nul", "crlf", "long")
NAME_ATTRIBUTE = re.compile(r'<(?:input|select|textarea|button)\b[^>]*?\bname="([^"]+)"')
URL_ATTRIBUTE = re.compile(r'\b(?:href|action|hx-get|hx-post)="([^"]+)"')


@dataclass
class Probe:
    method: str
    url: str
    label: str
    values: dict[str, Any] = field(default_factory=dict)
    htmx: bool = False
    #: The values sent as a JSON body instead of a form (the CSRF token in its header).
    json: bool = False

    def describe(self, role: str) -> str:
        url = self.url if len(self.url) <= 120 else self.url[:120] + f"…({len(self.url)} chars)"
        kind = " htmx" if self.htmx else " as JSON" if self.json else ""
        return f"{role}: {self.method} {url} [{self.label}]{kind}"


def shown(value: Any) -> str:
    """A hostile value as a failure line shows it (long ones cut)."""
    if isinstance(value, str) and len(value) > 20:
        return repr(value[:20]) + f"…({len(value)} chars)"
    return "a file" if value == "file" else repr(value)


def segments(rule: Any) -> list[tuple[str, str]]:
    """(converter, argument) of each placeholder of a rule, in order."""
    return [(converter or "default", name) for converter, name in PLACEHOLDER.findall(rule.rule)]


def build(rule: Any, values: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        value = values[match.group(2)]
        return value if match.group(1) == "path" else quote(value, safe="")

    return PLACEHOLDER.sub(fill, rule.rule)


def names_in(page: str) -> set[str]:
    """The input names of a page's forms and the query names of its links and htmx requests."""
    names = set(NAME_ATTRIBUTE.findall(page))
    for url in URL_ATTRIBUTE.findall(page):
        names.update(key for key, _value in parse_qsl(urlsplit(html.unescape(url)).query))
    return names - SKIPPED_NAMES


#: A plausible value for an empty input, by input type (else by name), so that a form validates.
PLAUSIBLE = {"email": "walker{n}@example.cn", "password": "Walker-passes-every-check-7",
             "tel": "0564-1234567", "number": "1"}
_plausible_numbers = itertools.count(1)


def plausible(kind: str, name: str) -> str:
    if "credit_code" in name:
        return credit_code(900000 + next(_plausible_numbers))
    if "phone" in name:
        return PLAUSIBLE["tel"]
    return PLAUSIBLE.get(kind, "测试").format(n=next(_plausible_numbers))


@dataclass
class Form:
    """A form of a page as the browser would send it: its target and its values by name."""

    method: str
    action: str
    values: dict[str, list[str]] = field(default_factory=dict)
    #: The inputs that were empty, with their type: made up again for each request (an e-mail or a
    #: credit code registered by one request is taken for the next).
    made_up: dict[str, str] = field(default_factory=dict)

    def filled(self) -> dict[str, Any]:
        return {**self.values, **{name: plausible(kind, name) for name, kind in self.made_up.items()}}


class FormReader(HTMLParser):
    """The forms of a page, each filled as a user would: own values kept, empty ones made up; a
    select keeps its selected option, else takes its last (the largest revenue band agrees with
    "above designated size", the first radio), a radio group its checked or first button."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.chosen = False
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form":
            action = urljoin(self.url, html.unescape(attributes.get("action") or self.url))
            self.form = Form(attributes.get("method", "get").upper(), action)
            self.forms.append(self.form)
        elif self.form is not None:
            self.read_field(tag, attributes)

    def read_field(self, tag: str, attributes: dict[str, str]) -> None:
        if self.form is None:
            return
        values = self.form.values
        if tag == "option" and self.select is not None:
            value = attributes.get("value", "")
            if value and not self.chosen:
                values[self.select] = [value]
                self.chosen = "selected" in attributes
            return
        name = attributes.get("name")
        if name is None or name in SKIPPED_NAMES:
            return
        if tag == "input":
            kind = attributes.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in attributes or (kind == "radio" and name not in values):
                    values[name] = [attributes.get("value", "on")]
            elif kind not in ("submit", "button", "file"):
                values[name] = [attributes.get("value", "")]
                if not values[name][0]:
                    self.form.made_up[name] = kind
        elif tag == "select":
            self.select, self.chosen = name, False
        elif tag == "textarea":
            self.textarea = name
            values[name] = [""]
            self.form.made_up[name] = "text"

    def handle_data(self, data: str) -> None:
        if self.textarea is not None and self.form is not None and data.strip():
            self.form.values[self.textarea] = [data]
            self.form.made_up.pop(self.textarea, None)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_in(page: str, url: str) -> list[Form]:
    reader = FormReader(url)
    reader.feed(page)
    return [form for form in reader.forms if form.values]


def form_data(names: set[str], value: Any) -> dict[str, Any]:
    if value == "file":
        return {name: (io.BytesIO(b"\x00\xff not text"), "answer.txt") for name in names}
    return dict.fromkeys(names, value)


def where(error: BaseException) -> str:
    """The innermost frame of the project's own code in the exception's traceback."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if "/work/" in frame.filename and "/.venv/" not in frame.filename]
    frame = frames[-1] if frames else traceback.extract_tb(error.__traceback__)[-1]
    return f"{frame.filename.rsplit('/work/main/', 1)[-1]}:{frame.lineno}"


class Walk:
    """One role's walk over the URL map; `failures` lists each request that answered 500 or raised."""

    def __init__(self, app: Any, client: Any, user: Any, valid: dict[str, list[str]],
                 sign_in: Callable[[Any, Any], None]) -> None:
        self.app, self.client, self.user, self.valid, self.sign_in = app, client, user, valid, sign_in
        self.role = user.role if user is not None else "anonymous"
        self.token: str | None = None
        self.failures: list[str] = []
        self.names: set[str] = set(COMMON_NAMES)
        self.forms: dict[tuple[str, str, tuple[str, ...]], Form] = {}
        #: Paths the pages call through htmx: probed with its header too (views answer it apart).
        self.htmx_paths: set[str] = set()

    def rules(self) -> list[Any]:
        return sorted(self.app.url_map.iter_rules(), key=lambda rule: rule.rule)

    def valid_urls(self, rule: Any) -> list[str]:
        """The rule with real values: one URL per real value of its first multi-valued argument."""
        arguments = [name for _converter, name in segments(rule)]
        choices = {name: self.valid.get(name, ["1"]) for name in arguments}
        spread = next((name for name in arguments if len(choices[name]) > 1), None)
        first = {name: values[0] for name, values in choices.items()}
        if spread is None:
            return [build(rule, first)]
        return [build(rule, {**first, spread: value}) for value in choices[spread]]

    def prepare(self) -> None:
        """Be the walk's user again (a probe may have logged out, or registered and logged in) and
        make sure the CSRF token is the session's."""
        limiter.reset()
        if self.user is not None:
            self.sign_in(self.client, self.user)
        with self.client.session_transaction() as session:
            if self.user is None:
                session.pop("_user_id", None)
            has_token = "csrf_token" in session
        if self.token is None or not has_token:
            with self.client.get("/login" if self.user is None else "/", follow_redirects=True) as page:
                self.token = csrf_from(page.get_data(as_text=True))

    def send(self, probe: Probe) -> str | None:
        """Send one probe, note it when it fails; the page's HTML, if it is one."""
        self.prepare()
        headers = {"HX-Request": "true"} if probe.htmx else {}
        try:
            if probe.method == "GET":
                query = {k: v for k, v in probe.values.items() if not isinstance(v, tuple)}
                response = self.client.get(probe.url, query_string=query, headers=headers)
            elif probe.json:
                response = self.client.post(probe.url, json=probe.values, headers={"X-CSRFToken": self.token})
            else:
                data = {**probe.values, "csrf_token": self.token}
                response = self.client.post(probe.url, data=data, headers=headers)
        except Exception as error:  # noqa: BLE001 - every exception is a finding, reported with its request
            self.failures.append(f"{probe.describe(self.role)} -> {type(error).__name__}: "
                                 f"{str(error).splitlines()[0][:200]} at {where(error)}")
            return None
        with response:
            if response.status_code >= 500:
                self.failures.append(f"{probe.describe(self.role)} -> {response.status_code}")
            return response.get_data(as_text=True) if response.mimetype == "text/html" else None

    def harvest(self) -> None:
        """GET every route with real values (itself a check) and gather the names its pages use."""
        for rule in self.rules():
            if "GET" not in rule.methods:
                continue
            for url in self.valid_urls(rule):
                page = self.send(Probe("GET", url, "real ids"))
                if page is not None:
                    self.names |= names_in(page)
                    self.htmx_paths |= {urlsplit(html.unescape(target)).path
                                        for target in HTMX_ATTRIBUTE.findall(page)}
                    for form in forms_in(page, "http://localhost" + url):
                        self.forms.setdefault((form.method, form.action, tuple(sorted(form.values))), form)

    def path_probes(self, rule: Any, method: str) -> Iterator[Probe]:
        base = {name: values[0] for name, values in
                ((name, self.valid.get(name, ["1"])) for _converter, name in segments(rule))}
        for converter, name in segments(rule):
            hostile = HOSTILE_INTS if converter == "int" else HOSTILE_SEGMENTS
            for value in hostile:
                yield Probe(method, build(rule, {**base, name: value}), f"{name} = {shown(value)}")

    def value_probes(self, rule: Any, method: str) -> Iterator[Probe]:
        for url in self.valid_urls(rule):
            for key, value in HOSTILE_VALUES.items():
                label = f"{shown(value)} in all {len(self.names)} names"
                yield Probe(method, url, label, form_data(self.names, value))
                if url in self.htmx_paths:
                    yield Probe(method, url, label, form_data(self.names, value), htmx=True)
                if method == "POST" and key in JSON_PROBES:
                    yield Probe(method, url, label, dict.fromkeys(self.names, value), json=True)

    def form_probes(self) -> Iterator[Probe]:
        """Each form filled as a user would, then with one field at a time hostile."""
        for form in self.forms.values():
            target = urlsplit(form.action)
            url = target.path + (f"?{target.query}" if target.query else "")
            yield Probe(form.method, url, "the form filled", form.filled())
            for name, label in itertools.product(sorted(form.values), FIELD_PROBES):
                value = HOSTILE_VALUES[label]
                yield Probe(form.method, url, f"{name} = {shown(value)}, the rest filled",
                            {**form.filled(), name: value})

    def check_signed_in(self) -> None:
        """The walk of a role really runs as that role (its pages offer to log out)."""
        if self.user is not None:
            self.prepare()
            with self.client.get("/", follow_redirects=True) as page:
                assert 'action="/logout"' in page.get_data(as_text=True), f"{self.role} is not signed in"

    def run(self) -> list[str]:
        self.check_signed_in()
        self.harvest()
        for probe in self.form_probes():
            self.send(probe)
        rules = self.rules()
        for method in ("GET", "POST"):
            for rule in rules:
                if method not in rule.methods:
                    continue
                for probe in (*self.path_probes(rule, method), *self.value_probes(rule, method)):
                    self.send(probe)
        return self.failures
