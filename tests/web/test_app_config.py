"""Configuration: defaults → instance/config.py → environment → override; the secret key rules; the
factory does no database I/O; `flask db upgrade` builds the schema."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect

from diagnosis.config import ConfigError, load_config


def test_defaults_use_sqlite_in_the_instance_folder_and_memory_rate_limits(tmp_path):
    config = load_config(tmp_path, environ={})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'diagnosis.db'}"
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["SESSION_COOKIE_SECURE"] is False and config["SESSION_COOKIE_HTTPONLY"] is True
    assert "家居产业园" in config["PARKS"]


def test_development_secret_key_is_generated_once_and_kept(tmp_path):
    first = load_config(tmp_path, environ={})["SECRET_KEY"]
    second = load_config(tmp_path, environ={})["SECRET_KEY"]
    assert len(first) == 64 and first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(tmp_path, environ={"DIAGNOSIS_ENV": "production"})
    assert not (tmp_path / "secret_key").exists()


def test_production_with_a_secret_key_uses_secure_cookies(tmp_path):
    config = load_config(tmp_path, environ={"DIAGNOSIS_ENV": "production", "SECRET_KEY": "s" * 40})
    assert config["SESSION_COOKIE_SECURE"] is True and config["REMEMBER_COOKIE_SECURE"] is True


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="DIAGNOSIS_ENV"):
        load_config(tmp_path, environ={"DIAGNOSIS_ENV": "staging"})


def test_instance_file_then_environment_then_override(tmp_path):
    (tmp_path / "config.py").write_text(
        'PARKS = ["甲园区", "乙园区"]\nREDIS_URL = "redis://file:6379/0"\n'
        'SECRET_KEY = "from-file"\nlower = 1\n',
        encoding="utf-8",
    )
    environ = {"REDIS_URL": "redis://127.0.0.1:6379/3", "DATABASE_URL": "postgres://u@db:5432/x"}
    config = load_config(tmp_path, {"SECRET_KEY": "from-override"}, environ=environ)
    assert config["PARKS"] == ("甲园区", "乙园区")
    assert config["REDIS_URL"] == "redis://127.0.0.1:6379/3"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    assert config["DATABASE_URL"] == "postgresql+psycopg://u@db:5432/x"
    assert config["SECRET_KEY"] == "from-override"
    assert "lower" not in config


def test_the_factory_does_not_touch_the_database(tmp_path):
    from app import create_app

    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    app = create_app({"SECRET_KEY": "k", "DATABASE_URL": unreachable, "DIAGNOSIS_STORAGE": str(tmp_path)})
    assert app.config["DATABASE_URL"] == unreachable
    assert "auth.login" in {rule.endpoint for rule in app.url_map.iter_rules()}


def test_trusted_proxies_are_configurable(tmp_path):
    from werkzeug.middleware.proxy_fix import ProxyFix

    from app import create_app

    direct = create_app({"SECRET_KEY": "k", "DIAGNOSIS_STORAGE": str(tmp_path)})
    proxied = create_app({"SECRET_KEY": "k", "DIAGNOSIS_STORAGE": str(tmp_path), "PROXY_FIX_X_FOR": 1})
    assert not isinstance(direct.wsgi_app, ProxyFix)
    assert isinstance(proxied.wsgi_app, ProxyFix) and proxied.wsgi_app.x_for == 1


def test_db_upgrade_command_builds_a_fresh_database(tmp_path):
    from app import create_app

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    app = create_app({"SECRET_KEY": "k", "DATABASE_URL": url})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    engine = create_engine(url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"users", "companies", "provider_orgs", "alembic_version"} <= tables


def test_questionnaires_default_to_the_repository_tree_and_can_be_moved(tmp_path):
    from diagnosis.config import REPOSITORY_QUESTIONNAIRES

    assert load_config(tmp_path, environ={})["QUESTIONNAIRES_DIR"] == str(REPOSITORY_QUESTIONNAIRES)
    moved = load_config(tmp_path, environ={"QUESTIONNAIRES_DIR": str(tmp_path)})
    assert moved["QUESTIONNAIRES_DIR"] == str(tmp_path)


def test_a_missing_questionnaire_directory_is_refused_by_name(tmp_path):
    with pytest.raises(ConfigError, match="QUESTIONNAIRES_DIR"):
        load_config(tmp_path, environ={"QUESTIONNAIRES_DIR": str(tmp_path / "absent")})


def test_the_app_serves_the_bundle_of_its_setting_and_a_broken_one_stops_the_start(tmp_path):
    import shutil

    from app import create_app
    from diagnosis.config import REPOSITORY_QUESTIONNAIRES
    from diagnosis.web.bundle import current_bundle

    good, broken = tmp_path / "good", tmp_path / "broken"
    for copy in (good, broken):
        shutil.copytree(REPOSITORY_QUESTIONNAIRES, copy)
    (broken / "models" / "sme2024.yaml").write_text("not: [a model", encoding="utf-8")
    settings = {"SECRET_KEY": "k", "DIAGNOSIS_STORAGE": str(tmp_path)}
    app = create_app({**settings, "QUESTIONNAIRES_DIR": str(good)})
    with app.app_context():
        assert current_bundle().root == good.resolve()
    stops = r"broken/models/sme2024.yaml: line 2: invalid YAML.*\n1 problem\(s\) in "
    with pytest.raises(SystemExit, match=stops):
        create_app({**settings, "QUESTIONNAIRES_DIR": str(broken)})


def test_production_answers_with_strict_transport_security_and_development_does_not(tmp_path):
    from app import create_app

    settings = {"SECRET_KEY": "s" * 40, "DIAGNOSIS_STORAGE": str(tmp_path),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}"}
    production = create_app({**settings, "DIAGNOSIS_ENV": "production"}).test_client()
    development = create_app({**settings, "DIAGNOSIS_ENV": "development"}).test_client()
    for url in ("/login", "/no-such-page", "/static/css/app.css"):
        with production.get(url) as response:
            assert response.headers["Strict-Transport-Security"] == "max-age=31536000", url
        with development.get(url) as response:
            assert "Strict-Transport-Security" not in response.headers, url
