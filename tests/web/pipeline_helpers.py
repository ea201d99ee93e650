"""Reading the dashboard as a browser would: every number's link, and the total its list shows."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

NUMBER_LINK = re.compile(r'<a class="num" href="(/pipeline/list\?[^"]+)">([^<]*)</a>')
LIST_TOTAL = re.compile(r'class="members-total" data-total="([^"]*)"')


def number_links(page: str) -> list[tuple[str, str]]:
    """(url, number shown) of every number on the page."""
    return [(html.unescape(url), text.strip()) for url, text in NUMBER_LINK.findall(page)]


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def numbers_by_cell(page: str, park: str | None = None) -> dict[str, str]:
    """The numbers of the page's own filters (a breakdown row narrows to a park or a provider)."""
    found = {}
    for url, text in number_links(page):
        args = query(url)
        if "provider" not in args and args.get("park") == park:
            found[args["cell"]] = text
    return found


def list_total(page: str) -> str:
    match = LIST_TOTAL.search(page)
    assert match is not None, "no total on the list page"
    return match.group(1)
