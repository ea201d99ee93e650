"""The only way the PDF renderer may load anything: data: URIs and a few bundled files.

WeasyPrint's default fetcher follows every URL it meets (http, file://, redirects), so a
company name carrying ``<img src=http://...>`` would make the server call out, and
``<a rel=attachment href=file:///...>`` would embed a local file. This fetcher refuses all of
that: http(s) and other schemes are refused before any socket is opened, ``file:`` URLs are
served only when they name one of the allow-listed assets under ``static/``.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_ROOT = Path(__file__).resolve().parent.parent / "static"

#: Bundled assets a report may reference, relative to ``static/``.
REPORT_ASSETS = ("css/report.css",)


class RefusedURL(ValueError):
    """A URL the report renderer does not load (WeasyPrint logs it and carries on)."""


class AssetFetcher(URLFetcher):
    """Serves ``data:`` URIs and allow-listed files; refuses everything else."""

    def __init__(self, assets: Iterable[Path]):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
        self._assets = {path.resolve(): path.read_bytes() for path in assets}

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "file":
            return self._bundled(url)
        if scheme != "data":
            raise RefusedURL(f"refused URL outside the report bundle: {url[:80]}")
        return super().fetch(url, headers)

    def _bundled(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"refused remote file URL: {url[:80]}")
        path = Path(unquote(parts.path)).resolve()
        body = self._assets.get(path)
        if body is None:
            raise RefusedURL(f"refused file outside the report bundle: {url[:80]}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": mime})


def report_fetcher() -> AssetFetcher:
    """A fetcher for the bundled report assets (read once, kept in memory)."""
    return AssetFetcher(STATIC_ROOT / name for name in REPORT_ASSETS)
