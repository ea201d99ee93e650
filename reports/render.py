"""Report context (plain data) -> HTML (Jinja) -> PDF (WeasyPrint).

The reports have their own Jinja environment, one per language with the Babel catalog
installed, so a batch worker or the CLI can render without a Flask request. Autoescape is on:
every company-supplied string reaches the PDF as text.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from babel.support import NullTranslations, Translations
from weasyprint import CSS, HTML

from reports.fetcher import STATIC_ROOT, report_fetcher

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"


@dataclass(frozen=True)
class RenderOptions:
    """How a PDF is written.

    ``tagged`` writes PDF/UA-1 (a tagged, accessible structure tree). It renders correctly
    (same pages, fonts and text) but adds ~65 KiB and ~15 % render time to a full report,
    which pushes it past the 400 KiB budget; so it is opt-in (``report render --tagged``).
    """

    tagged: bool = False
    uncompressed: bool = False

    @property
    def pdf_variant(self) -> str | None:
        return "pdf/ua-1" if self.tagged else None


DEFAULT_OPTIONS = RenderOptions()


def translations(lang: str) -> NullTranslations:
    """The Babel catalog for ``lang``; the Chinese msgids are the zh_CN text itself."""
    check_language(lang)
    if lang == DEFAULT_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [lang])


def check_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported report language {lang!r}; use one of {', '.join(LANGUAGES)}")


@lru_cache(maxsize=len(LANGUAGES))
def environment(lang: str) -> jinja2.Environment:
    """A Jinja environment for one language (cached: installing catalogs is not thread-safe)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # The i18n extension adds install_gettext_translations to the environment at run time.
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


def render_html(context: dict) -> str:
    """The report's HTML for a context built by :func:`reports.document.build_document`."""
    template = environment(context["lang"]).get_template("report/report.html")
    return template.render(**context)


@lru_cache(maxsize=1)
def _stylesheet() -> CSS:
    return CSS(filename=str(STATIC_ROOT / "css" / "report.css"), url_fetcher=_fetcher())


@lru_cache(maxsize=1)
def _fetcher():
    return report_fetcher()


def html_to_pdf(html: str, identifier: str, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
    """Write the PDF. ``identifier`` (the report number) makes the file id reproducible."""
    with _collector_paused():
        document = HTML(string=html, base_url=STATIC_ROOT.as_uri() + "/", url_fetcher=_fetcher())
        return document.write_pdf(
            stylesheets=[_stylesheet()],
            pdf_variant=options.pdf_variant,
            pdf_identifier=identifier.encode("utf-8"),
            uncompressed_pdf=options.uncompressed,
        )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Run a render without Python's cyclic garbage collector, then collect its young objects once.

    A report allocates some hundred thousand boxes and style dicts; the collector's repeated
    passes over them (and over every long-lived object) took ~15 % of a render. Reference
    counting still frees most of it on the way; the cycles go in the one collection after.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


def render_pdf(context: dict, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
    """Context to PDF bytes: the same context always gives the same bytes."""
    return html_to_pdf(render_html(context), context["meta"]["number"], options)
