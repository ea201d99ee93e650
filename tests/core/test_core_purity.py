"""diagnosis/core imports no framework (design invariant 1): scan every module's imports."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "diagnosis" / "core"
FORBIDDEN = {
    "flask",
    "flask_babel",
    "flask_login",
    "flask_wtf",
    "flask_limiter",
    "wtforms",
    "sqlalchemy",
    "alembic",
    "weasyprint",
    "jinja2",
    "huey",
    "redis",
    "pygal",
    "werkzeug",
}


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__":
            roots.add("__import__")
    return roots


def test_core_modules_import_no_framework():
    modules = sorted(CORE.rglob("*.py"))
    assert len(modules) > 10
    offenders = {
        str(path.relative_to(CORE)): sorted(imported_roots(path) & (FORBIDDEN | {"__import__"}))
        for path in modules
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_scan_sees_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import flask.json\nfrom sqlalchemy import select\nfrom . import sibling\n", encoding="utf-8"
    )
    assert imported_roots(sample) == {"flask", "sqlalchemy"}
