"""Configuration: defaults in code, then instance/config.py, then environment variables, then overrides.

The result is validated once in `load_config`; runtime settings that officials may edit later belong in
the database, not here.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("development", "production")
#: Variables read from the environment (the only configuration channel besides instance/).
ENV_VARIABLES = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DIAGNOSIS_STORAGE", "DIAGNOSIS_ENV",
                 "QUESTIONNAIRES_DIR", "PROXY_FIX_X_FOR")
#: The questionnaire tree this repository ships.
REPOSITORY_QUESTIONNAIRES = Path(__file__).resolve().parents[1] / "questionnaires"

#: The district's parks, towns and streets; officials' regions and companies' parks use these names.
DEFAULT_PARKS = (
    "经济开发区",
    "家居产业园",
    "化工园区",
    "史河街道",
    "平岗街道",
    "孙岗乡",
    "三元镇",
    "姚李镇",
    "洪集镇",
)


class ConfigError(RuntimeError):
    """The configuration cannot run: the message says which setting and why."""


def default_config(instance_path: Path) -> dict[str, Any]:
    """Settings that work on a fresh machine (SQLite in instance/, in-memory rate limits)."""
    return {
        "DIAGNOSIS_ENV": "development",
        "SECRET_KEY": None,
        "DATABASE_URL": f"sqlite:///{instance_path / 'diagnosis.db'}",
        "REDIS_URL": None,
        "DIAGNOSIS_STORAGE": str(instance_path / "storage"),
        #: The questionnaires, scoring models and catalogues the app serves (loaded once at start).
        "QUESTIONNAIRES_DIR": str(REPOSITORY_QUESTIONNAIRES),
        #: The report queue: Redis when REDIS_URL is set, else this SQLite file (default: in storage).
        "HUEY_QUEUE": "diagnosis-reports",
        "HUEY_FILE": None,
        "PARKS": DEFAULT_PARKS,
        "LANGUAGES": ("zh_CN", "en"),
        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        # Login throttle (diagnosis/web/auth/throttle.py): failed logins are kept in the database for
        # the window, so every worker counts them. Past a key's free failures each further attempt
        # waits LOGIN_DELAY_FIRST_SECONDS after the last failure, doubling per failure up to
        # LOGIN_DELAY_MAX_SECONDS: a slow-down, never a lock. Successes are not counted.
        "LOGIN_FAILURE_WINDOW": timedelta(hours=1),
        "LOGIN_DELAY_FIRST_SECONDS": 2,
        "LOGIN_DELAY_MAX_SECONDS": 300,
        #: Per account and address (without a known-device cookie).
        "LOGIN_FREE_FAILURES_PER_PAIR": 3,
        #: Per account, from all addresses without a known-device cookie (an attack from many places).
        "LOGIN_FREE_FAILURES_PER_ACCOUNT": 10,
        #: Per address, all accounts (without a known-device cookie): one factory's NAT stays below it.
        "LOGIN_FREE_FAILURES_PER_ADDRESS": 100,
        #: Per known-device cookie: a device that logged in to the account before is slowed only by
        #: its own failures, never by an attack from elsewhere.
        "LOGIN_FREE_FAILURES_PER_DEVICE": 3,
        "LOGIN_DEVICE_COOKIE_NAME": "known_device",
        "LOGIN_DEVICE_COOKIE_DURATION": timedelta(days=180),
        #: Flask-Limiter, registration only. A limiter store that is down (Redis) is logged and the
        #: request let through (in-memory counting until it is back), never a 500.
        "REGISTER_LIMIT_PER_ADDRESS": "10 per hour",
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        #: Also the longest a login lasts: the server refuses older sessions and remember-me cookies.
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        #: Number of trusted reverse proxies in front of the app (X-Forwarded-For/-Proto); 0 = none.
        #: Behind a proxy set it (environment or instance/config.py), or every client has the proxy's
        #: address and shares one login budget.
        "PROXY_FIX_X_FOR": 0,
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        # Evidence uploads (diagnosis/evidence.py): per file, per request (the upload route's own
        # body limit in place of MAX_CONTENT_LENGTH, see diagnosis/web/guards.py), and what an
        # image may be: its pixel count before decoding (decompression bombs), the long side it is
        # shrunk to and the JPEG quality it is written with.
        "EVIDENCE_MAX_FILE_BYTES": 15 * 1024 * 1024,
        "EVIDENCE_MAX_FILES": 10,
        "EVIDENCE_MAX_REQUEST_BYTES": 64 * 1024 * 1024,
        "EVIDENCE_MAX_PIXELS": 50_000_000,
        "EVIDENCE_MAX_SIDE": 2560,
        "EVIDENCE_JPEG_QUALITY": 85,
    }


def read_instance_file(path: Path) -> dict[str, Any]:
    """The UPPERCASE names defined in instance/config.py, or nothing when the file is absent."""
    if not path.is_file():
        return {}
    namespace: dict[str, Any] = {"__file__": str(path)}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    return {key: value for key, value in namespace.items() if key.isupper()}


def read_environment(environ: os._Environ[str] | dict[str, str]) -> dict[str, Any]:
    return {name: environ[name] for name in ENV_VARIABLES if environ.get(name)}


def normalize_database_url(url: str) -> str:
    """Accept the usual postgres:// spellings and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def proxy_count(value: object) -> int:
    """PROXY_FIX_X_FOR as a number of proxies (the environment gives a string)."""
    text = str(value).strip()
    if isinstance(value, bool) or not (text.isascii() and text.isdigit()):
        raise ConfigError(
            f"PROXY_FIX_X_FOR must be a whole number of trusted proxies (0 = none), got {value!r}"
        )
    return int(text)


def development_secret_key(instance_path: Path) -> str:
    """Read instance/secret_key, creating it with a random key the first time."""
    key_file = instance_path / "secret_key"
    if not key_file.is_file():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


def finish(config: dict[str, Any], instance_path: Path) -> dict[str, Any]:
    """Validate and derive the settings that depend on others."""
    env = config["DIAGNOSIS_ENV"]
    if env not in ENVIRONMENTS:
        raise ConfigError(f"DIAGNOSIS_ENV must be one of {', '.join(ENVIRONMENTS)}, got {env!r}")
    production = env == "production"
    if not config.get("SECRET_KEY"):
        if production:
            raise ConfigError("SECRET_KEY must be set when DIAGNOSIS_ENV=production")
        config["SECRET_KEY"] = development_secret_key(instance_path)
    config["DATABASE_URL"] = normalize_database_url(config["DATABASE_URL"])
    config["PROXY_FIX_X_FOR"] = proxy_count(config["PROXY_FIX_X_FOR"])
    if not Path(config["QUESTIONNAIRES_DIR"]).is_dir():
        raise ConfigError(f"QUESTIONNAIRES_DIR is not a directory: {config['QUESTIONNAIRES_DIR']}")
    config["HUEY_FILE"] = config["HUEY_FILE"] or str(Path(config["DIAGNOSIS_STORAGE"]) / "huey.db")
    config.setdefault("SESSION_COOKIE_SECURE", production)
    config.setdefault("REMEMBER_COOKIE_SECURE", production)
    config.setdefault("RATELIMIT_STORAGE_URI", config["REDIS_URL"] or "memory://")
    config["PARKS"] = tuple(config["PARKS"])
    return config


def load_config(
    instance_path: Path,
    override: dict[str, Any] | None = None,
    environ: os._Environ[str] | dict[str, str] | None = None,
) -> dict[str, Any]:
    """Defaults → instance/config.py → environment variables → override, validated.

    :param instance_path: the Flask instance folder (holds config.py, secret_key, the SQLite file)
    :param override: settings passed to the app factory (tests)
    :param environ: the environment to read, os.environ by default
    :raise ConfigError: when a setting is missing or invalid
    """
    config = default_config(instance_path)
    config.update(read_instance_file(instance_path / "config.py"))
    config.update(read_environment(os.environ if environ is None else environ))
    config.update(override or {})
    return finish(config, instance_path)
