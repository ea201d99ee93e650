"""The official's batch page: scoped choices, start, progress polled by htmx, ownership, ZIP.

The queue's workers read the database through their own connection, which cannot see this
test's rolled-back rows: here the renders end as recorded failures, which is enough to follow
the page flow (the renders themselves are covered by test_batch.py on a committed database).
"""

from __future__ import annotations

import time
import zipfile
from io import BytesIO

from tests.reports.stored import company_like_example, submitted_assessment


def test_official_starts_follows_and_downloads_a_batch(client, db_session, make_company, make_user, login,
                                                       post_form):
    inside = company_like_example(make_company, name="园区内企业", park="家居产业园")
    outside = company_like_example(make_company, name="园区外企业", park="化工园区")
    for company in (inside, outside):
        submitted_assessment(db_session, company)
    official = make_user(role="official", regions=["家居产业园"])
    login(client, official)
    page = client.get("/reports/batches").get_data(as_text=True)
    assert "园区内企业" in page and "园区外企业" not in page

    refused = post_form(client, "/reports/batches", {"mode": "companies", "company_ids": [outside.id],
                                                      "lang": "zh_CN"}, page="/reports/batches")
    assert refused.status_code == 200 and "field-errors" in refused.get_data(as_text=True)
    response = post_form(client, "/reports/batches", {"mode": "companies", "company_ids": [inside.id],
                                                       "lang": "zh_CN"}, page="/reports/batches")
    assert response.status_code == 302
    batch_url = response.headers["Location"]
    assert "共 1 份" in client.get(batch_url).get_data(as_text=True)

    deadline = time.monotonic() + 60
    fragment = client.get(batch_url + "/progress").get_data(as_text=True)
    while "下载 ZIP" not in fragment and time.monotonic() < deadline:
        assert 'hx-trigger="every 1s"' in fragment
        time.sleep(0.3)
        fragment = client.get(batch_url + "/progress").get_data(as_text=True)
    assert "下载 ZIP" in fragment and "园区内企业" in fragment

    with client.get(batch_url + "/reports.zip") as archive:
        assert archive.status_code == 200 and archive.mimetype == "application/zip"
        with zipfile.ZipFile(BytesIO(archive.data)) as contents:
            assert contents.read("errors.txt").decode().startswith("园区内企业: ")

    login(client, make_user(role="official", regions=["家居产业园"]))
    assert client.get(batch_url).status_code == 404


def test_batch_form_asks_for_a_company(client, make_user, login, post_form):
    login(client, make_user(role="official"))
    response = post_form(client, "/reports/batches", {"mode": "companies", "lang": "zh_CN"},
                         page="/reports/batches")
    assert response.status_code == 200
    assert "请至少勾选一家企业。" in response.get_data(as_text=True)


def test_industry_tags_follow_the_page_language(client, make_user, login):
    login(client, make_user(role="official", locale=None))
    with client.session_transaction() as browser:
        browser["locale"] = "en"
    page = client.get("/reports/batches").get_data(as_text=True)
    assert ">Custom furniture</option>" in page and "定制家居" not in page
