"""Login limits that cannot be turned against a user: a growing delay per account and address, known
devices unaffected by attacks from elsewhere, a per-address budget that counts failures only, the
count shared by every worker (the database), and a dead limiter store is no 500."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from diagnosis.config import ConfigError, load_config
from diagnosis.store.accounts import LoginFailure, User
from tests.conftest import ROOT, TEST_PASSWORD, TEST_PASSWORD_HASH
from tests.support import csrf_from

OWNER = "10.0.0.1"
ATTACKER = "10.0.0.66"


def log_in(client, post_form, email, password=TEST_PASSWORD, address=OWNER):
    return post_form(client, "/login", {"email": email, "password": password},
                     environ_base={"REMOTE_ADDR": address})


def add_failures(db, count, account, address, ago=timedelta(0), device=None):
    at = datetime.now(UTC) - ago
    db.add_all(LoginFailure(account=account, address=address, device=device, at=at) for _ in range(count))
    db.flush()


def age_failures(db, seconds):
    db.expire_all()
    for failure in db.scalars(select(LoginFailure)):
        failure.at = datetime.now(UTC) - timedelta(seconds=seconds)
    db.flush()


def failure_count(db):
    db.expire_all()
    return db.scalar(select(func.count()).select_from(LoginFailure))


def test_wrong_passwords_slow_the_pair_down_with_a_growing_delay(client, make_user, post_form, db_session,
                                                                 app):
    user = make_user(role="official")
    for _attempt in range(app.config["LOGIN_FREE_FAILURES_PER_PAIR"]):
        wrong = log_in(client, post_form, user.email, "wrong password")
        assert wrong.status_code == 200 and "账号或密码不正确" in wrong.get_data(as_text=True)
    slowed = log_in(client, post_form, user.email)
    assert slowed.status_code == 429 and slowed.headers["Retry-After"] == "2"
    assert "请 2 秒后再试" in slowed.get_data(as_text=True)
    age_failures(db_session, 3)
    assert "账号或密码不正确" in log_in(client, post_form, user.email, "wrong again").get_data(as_text=True)
    assert "请 4 秒后再试" in log_in(client, post_form, user.email).get_data(as_text=True)


def test_an_attack_from_elsewhere_does_not_stop_the_owner(client, app, make_user, post_form):
    user = make_user(role="official")
    attacker = app.test_client()
    for attempt in range(6):
        log_in(attacker, post_form, user.email, f"guess {attempt}", address=ATTACKER)
    assert log_in(client, post_form, user.email).status_code == 302


def test_a_known_device_logs_in_while_the_account_is_attacked(client, app, make_user, post_form, db_session,
                                                             csrf_token):
    user = make_user(role="official")
    assert log_in(client, post_form, user.email).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    attacker = app.test_client()
    for attempt in range(6):  # from the owner's own address too (one factory's NAT)
        log_in(attacker, post_form, user.email, f"guess {attempt}", address=OWNER)
    for seq in range(app.config["LOGIN_FREE_FAILURES_PER_ACCOUNT"]):
        add_failures(db_session, 1, user.email, f"192.0.2.{seq}")
    new_device = log_in(app.test_client(), post_form, user.email, address="10.0.0.99")
    assert new_device.status_code == 429
    assert log_in(client, post_form, user.email).status_code == 302


def test_a_known_device_is_slowed_by_its_own_failures(client, app, make_user, post_form, csrf_token):
    user = make_user(role="official")
    assert log_in(client, post_form, user.email).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    for _attempt in range(app.config["LOGIN_FREE_FAILURES_PER_DEVICE"]):
        assert log_in(client, post_form, user.email, "typo password").status_code == 200
    assert log_in(client, post_form, user.email).status_code == 429


def test_a_device_cookie_of_another_account_or_forged_is_no_known_device(client, app, make_user, post_form,
                                                                         csrf_token, db_session):
    owner, other = make_user(role="official"), make_user(role="official")
    assert log_in(client, post_form, owner.email).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    add_failures(db_session, app.config["LOGIN_FREE_FAILURES_PER_ACCOUNT"], other.email, ATTACKER)
    assert log_in(client, post_form, other.email).status_code == 429
    forged = app.test_client()
    forged.set_cookie(app.config["LOGIN_DEVICE_COOKIE_NAME"], "not-a-signed-value")
    assert log_in(forged, post_form, other.email).status_code == 429


def test_the_address_budget_counts_failures_not_successes(app, make_user, post_form, db_session, client,
                                                          csrf_token):
    clients, emails = [], []
    for _seq in range(25):
        browser, email = app.test_client(), make_user(role="company").email
        assert log_in(browser, post_form, email).status_code == 302
        clients.append(browser)
        emails.append(email)
    add_failures(db_session, app.config["LOGIN_FREE_FAILURES_PER_ADDRESS"], "someone@example.cn", OWNER,
                 ago=timedelta(seconds=1))
    assert log_in(client, post_form, make_user(role="company").email).status_code == 429
    known, email = clients[0], emails[0]
    known.post("/logout", data={"csrf_token": csrf_token(known)})
    assert log_in(known, post_form, email).status_code == 302


def test_a_login_forgets_the_pairs_failures(client, make_user, post_form, db_session, app, csrf_token):
    user = make_user(role="official")
    free = app.config["LOGIN_FREE_FAILURES_PER_PAIR"]
    for _attempt in range(free):
        log_in(client, post_form, user.email, "wrong password")
    age_failures(db_session, 5)
    assert log_in(client, post_form, user.email).status_code == 302
    assert failure_count(db_session) == 0
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    fresh = app.test_client()  # not a known device: the pair's count starts again
    for _attempt in range(free):
        assert log_in(fresh, post_form, user.email, "wrong password").status_code == 200
    assert log_in(fresh, post_form, user.email).status_code == 429


def test_refused_attempts_are_not_counted_and_old_failures_are_pruned(client, make_user, post_form,
                                                                      db_session, app):
    user = make_user(role="official")
    window = app.config["LOGIN_FAILURE_WINDOW"]
    add_failures(db_session, 50, user.email, OWNER, ago=window + timedelta(minutes=1))
    assert "账号或密码不正确" in log_in(client, post_form, user.email, "wrong").get_data(as_text=True)
    assert failure_count(db_session) == 1
    add_failures(db_session, app.config["LOGIN_FREE_FAILURES_PER_PAIR"], user.email, OWNER)
    before = failure_count(db_session)
    assert log_in(client, post_form, user.email).status_code == 429
    assert failure_count(db_session) == before


def test_concurrent_attempts_get_no_more_password_checks_than_one_at_a_time(committed_app):
    """Eight clients race on one account at the last free failure: every worker sees the others'
    attempts in the database, so at most one gets its password checked; each check is counted."""
    free = committed_app.config["LOGIN_FREE_FAILURES_PER_PAIR"]
    with Session(committed_app.extensions["db_engine"]) as db:
        db.add(User(email="target@example.cn", name="目标", role="official", password_hash=TEST_PASSWORD_HASH,
                    regions=[], active=True))
        add_failures(db, free - 1, "target@example.cn", "127.0.0.1", ago=timedelta(seconds=30))
        db.commit()
    browsers = [committed_app.test_client() for _ in range(8)]
    tokens = [csrf_from(browser.get("/login").get_data(as_text=True)) for browser in browsers]
    start = threading.Barrier(len(browsers))
    statuses: list[int] = []

    def attempt(browser, token):
        start.wait()
        response = browser.post("/login", data={"email": "target@example.cn", "password": "wrong password",
                                                "csrf_token": token})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=attempt, args=pair) for pair in zip(browsers, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(statuses) <= {200, 429} and len(statuses) == len(browsers)
    assert statuses.count(200) <= 1
    with Session(committed_app.extensions["db_engine"]) as db:
        counted = db.scalar(select(func.count()).select_from(LoginFailure))
    assert counted == free - 1 + statuses.count(200)


def test_proxy_count_is_read_from_the_environment_as_a_number(tmp_path):
    assert load_config(tmp_path, environ={"PROXY_FIX_X_FOR": "2"})["PROXY_FIX_X_FOR"] == 2
    assert load_config(tmp_path, environ={})["PROXY_FIX_X_FOR"] == 0


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "²"])
def test_a_bad_proxy_count_stops_the_start_with_its_name(tmp_path, value):
    with pytest.raises(ConfigError, match="PROXY_FIX_X_FOR"):
        load_config(tmp_path, environ={"PROXY_FIX_X_FOR": value})


DEAD_REDIS_SCRIPT = """
import json, logging, sys
logging.basicConfig(level=logging.WARNING)
from app import create_app
from tests.support import csrf_from
from tests.web.test_company_registration import valid_form

app = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE_URL": sys.argv[1],
                  "DIAGNOSIS_STORAGE": sys.argv[2], "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"})
client = app.test_client()
token = csrf_from(client.get("/register").get_data(as_text=True))
registered = client.post("/register", data={**valid_form(), "csrf_token": token})
other = app.test_client()
token = csrf_from(other.get("/login").get_data(as_text=True))
login = other.post("/login", data={"email": "nobody@example.cn", "password": "x" * 12, "csrf_token": token})
print(json.dumps([registered.status_code, login.status_code]))
"""


def test_with_the_limiter_store_down_registration_and_login_still_answer(committed_url, tmp_path):
    """Own process: the limiter is one object per process, and this one is pointed at a dead Redis."""
    result = subprocess.run([sys.executable, "-c", DEAD_REDIS_SCRIPT, committed_url, str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [302, 200]
    assert "Rate limit storage unreachable" in result.stderr
