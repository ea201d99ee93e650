"""`flask translations ...`: keep the zh_CN and en catalogs complete.

Msgids are Chinese, so the zh_CN catalog is the identity; `fill-identity` writes it. `check` lists the
messages of a fresh extraction that a catalog lacks or leaves untranslated (what the i18n test asserts).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po
from flask.cli import AppGroup

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"
LOCALES = ("zh_CN", "en")
#: The keywords `make translations-update` extracts: Babel's defaults plus the lazy ones.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "pgettext": ((1, "c"), 2),
    "lazy_pgettext": ((1, "c"), 2),
}

translations_cli = AppGroup("translations", help="Translation catalogs (zh_CN, en).")


def extract_messages(root: Path = ROOT) -> Catalog:
    """The messages babel.cfg selects, extracted from the working tree."""
    with (root / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    catalog = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def read_catalog(locale: str) -> Catalog:
    with po_path(locale).open("rb") as po_file:
        return read_po(po_file, locale=locale)


def missing_translations(template: Iterable, catalog: Catalog) -> list[str]:
    """Msgids of `template` that `catalog` lacks, leaves empty or marks fuzzy."""
    missing = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        strings = found.string if found is not None else None
        values = strings if isinstance(strings, tuple) else (strings,)
        if found is None or found.fuzzy or not all(values):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def write_catalog(locale: str, catalog: Catalog) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=110)
    po_path(locale).write_bytes(buffer.getvalue())


def identity(message) -> str | tuple[str, ...]:
    """The zh_CN translation of a message: its msgid (Chinese has one plural form, the singular)."""
    return message.id if isinstance(message.id, str) else (message.id[0],)


@translations_cli.command("fill-identity")
def fill_identity() -> None:
    """Give every untranslated zh_CN message its msgid (the msgids are Chinese)."""
    catalog = read_catalog("zh_CN")
    filled = 0
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and (not all(strings) or message.fuzzy):
            message.string = identity(message)
            message.flags.discard("fuzzy")
            filled += 1
    write_catalog("zh_CN", catalog)
    click.echo(f"zh_CN: {filled} messages filled")


@translations_cli.command("check")
def check() -> None:
    """List messages missing from a catalog; exit 1 when any is."""
    template = extract_messages()
    failed = False
    for locale in LOCALES:
        for msgid in missing_translations(template, read_catalog(locale)):
            click.echo(f"{po_path(locale).relative_to(ROOT)}: {msgid}")
            failed = True
    if failed:
        sys.exit(1)
