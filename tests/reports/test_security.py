"""Hostile company text renders as text, and no request leaves the renderer."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from weasyprint import HTML

from reports.document import build_document
from reports.fetcher import STATIC_ROOT, RefusedURL, report_fetcher
from reports.render import render_html, render_pdf
from tests.reports.conftest import poppler


@pytest.fixture
def listener():
    """A local HTTP server that records every request path it receives."""
    seen: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server hook name
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def payloads(base: str) -> str:
    return (f'<img src="{base}/img"><link rel="stylesheet" href="{base}/css">'
            f'<div style="background:url({base}/bg)">x</div><a rel="attachment" href="file:///etc/passwd">a</a>'
            f"<style>@import url({base}/import);</style>")


def test_user_text_is_escaped_and_fetches_nothing(listener, make_source, bundle, tmp_path):
    base, seen = listener
    hostile = payloads(base)
    source = make_source("verified", company={"id": 1, "name": "恶意企业" + hostile,
                                               "credit_code": "91341522MA2TEST12X",
                                               "industry_code": "2110", "park": hostile},
                         answers={**make_source("self").answers, "pain_text": hostile})
    context = build_document(source, bundle, "zh_CN")
    html = render_html(context)
    assert hostile not in html
    assert "&lt;img src=&#34;" + base in html
    pdf = tmp_path / "hostile.pdf"
    pdf.write_bytes(render_pdf(context))
    assert seen == []
    assert poppler("pdfdetach", "-list", str(pdf)).strip() == "0 embedded files"
    assert "恶意企业<img" in poppler("pdftotext", str(pdf), "-").replace("\n", "")


def test_fetcher_refuses_network_and_unlisted_files_even_in_raw_html(listener, tmp_path):
    base, seen = listener
    raw = f"<html><body>{payloads(base)}<img src='file:///etc/hostname'></body></html>"
    pdf = tmp_path / "raw.pdf"
    HTML(string=raw, base_url=STATIC_ROOT.as_uri() + "/", url_fetcher=report_fetcher()).write_pdf(pdf)
    assert seen == []
    assert poppler("pdfdetach", "-list", str(pdf)).strip() == "0 embedded files"


def test_fetcher_serves_only_the_allow_list_and_data_uris():
    fetcher = report_fetcher()
    css = fetcher.fetch((STATIC_ROOT / "css" / "report.css").as_uri())
    assert css.content_type == "text/css" and b"@page" in css.read()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    for url in ("http://127.0.0.1:9/x", "https://example.com/", "ftp://example.com/x",
                (STATIC_ROOT / "js" / "htmx.min.js").as_uri(), "file:///etc/passwd",
                (STATIC_ROOT / "css" / ".." / ".." / "app.py").as_uri(), "file://otherhost/static/css/report.css"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_listener_does_see_a_renderer_without_the_restricted_fetcher(listener):
    """The control: WeasyPrint's default fetcher calls out, so the zero counts above mean something."""
    base, seen = listener
    HTML(string=f"<html><body>{payloads(base)}</body></html>").write_pdf()
    assert "/img" in seen
