"""Zeren's one settings module: everything that varies comes from the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Generic classes of Django (ModelAdmin[Model], QuerySet[Model]) subscriptable at run time, as
# the type checker (mypy --strict) reads them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(
        f"环境变量 {name} 应为 true 或 false，实际为 {value!r} / "
        f"{name} must be true or false, got {value!r}"
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"环境变量 {name} 应为整数，实际为 {value!r} / {name} must be an integer, got {value!r}"
        ) from None


DATA_DIR = Path(env_str("ZEREN_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)


def _secret_key() -> str:
    given = env_str("ZEREN_SECRET_KEY")
    if given:
        return given
    # Generated once into the data directory, so sessions survive restarts.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("ZEREN_DEBUG", False)
ALLOWED_HOSTS = [
    h.strip() for h in env_str("ZEREN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in env_str("ZEREN_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
SITE_URL = env_str("ZEREN_SITE_URL", "http://127.0.0.1:8000")


def transport_settings(site_url: str) -> dict[str, object]:
    """HSTS and secure cookies are on exactly when the site is served over https."""
    https = site_url.lower().startswith("https://")
    return {
        "SECURE_HSTS_SECONDS": 31536000 if https else 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": https,
        "SECURE_HSTS_PRELOAD": https,
        "SECURE_SSL_REDIRECT": https and env_bool("ZEREN_SSL_REDIRECT", True),
        "SESSION_COOKIE_SECURE": https or env_bool("ZEREN_SECURE_COOKIES", False),
        "CSRF_COOKIE_SECURE": https or env_bool("ZEREN_SECURE_COOKIES", False),
    }


_transport = transport_settings(SITE_URL)
SECURE_HSTS_SECONDS = int(_transport["SECURE_HSTS_SECONDS"])  # type: ignore[call-overload]
SECURE_HSTS_INCLUDE_SUBDOMAINS = bool(_transport["SECURE_HSTS_INCLUDE_SUBDOMAINS"])
SECURE_HSTS_PRELOAD = bool(_transport["SECURE_HSTS_PRELOAD"])
SECURE_SSL_REDIRECT = bool(_transport["SECURE_SSL_REDIRECT"])
SESSION_COOKIE_SECURE = bool(_transport["SESSION_COOKIE_SECURE"])
CSRF_COOKIE_SECURE = bool(_transport["CSRF_COOKIE_SECURE"])
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
if env_bool("ZEREN_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "zeren.audit",
    "zeren.jobs",
    "zeren.accounts",
    "zeren.frameworks",
    "zeren.campaigns",
    "zeren.assessments",
    "zeren.documents",
    "zeren.intake",
    "zeren.reviews",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "zeren.security",
    "zeren.ops",
    "zeren.reports",
    "zeren.api",
]

MIDDLEWARE = [
    "zeren.ops.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "zeren.security.middleware.RequestContextMiddleware",
    "zeren.security.middleware.SecurityHeadersMiddleware",
    "zeren.security.middleware.IdleTimeoutMiddleware",
    "zeren.security.middleware.SingleSessionMiddleware",
    "zeren.security.middleware.SecondFactorMiddleware",
    "zeren.security.middleware.PasswordExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "zeren.urls"
WSGI_APPLICATION = "zeren.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "zeren.security.context_processors.security",
            ],
        },
    }
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {
            "default": dj_database_url.parse(
                DATABASE_URL, conn_max_age=600, conn_health_checks=True
            )
        }
    except Exception as exc:  # dj_database_url raises several kinds
        raise ImproperlyConfigured(
            f"DATABASE_URL 无法解析：{exc} / DATABASE_URL cannot be parsed: {exc}"
        ) from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "zeren.sqlite3"),
            "OPTIONS": {
                # WAL lets readers proceed while one writer writes; IMMEDIATE avoids
                # upgrade deadlocks between concurrent writers.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # A file, not :memory:, so the browser tests' live-server threads get connections
            # of their own (an in-memory database is one connection shared across threads).
            "TEST": {"NAME": str(DATA_DIR / "test-zeren.sqlite3")},
            # Keep connections: closing SQLite's last connection checkpoints and deletes the WAL,
            # about 15 ms of I/O on every request otherwise.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["zeren.security.backends.UsernameOrEmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # older hashes, upgraded at next login
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "zeren.security.passwords.CharacterClassesValidator"},
    {"NAME": "zeren.security.passwords.NotContainingUsernameValidator"},
    {"NAME": "zeren.security.passwords.NotRecentlyUsedValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# 身份鉴别: lockout, expiry, sessions, second factor (docs/security.md).
ZEREN_LOCKOUT_FAILURES = env_int("ZEREN_LOCKOUT_FAILURES", 5)
ZEREN_LOCKOUT_MINUTES = env_int("ZEREN_LOCKOUT_MINUTES", 15)
ZEREN_PASSWORD_MAX_AGE_DAYS = env_int("ZEREN_PASSWORD_MAX_AGE_DAYS", 90)
ZEREN_PASSWORD_HISTORY = 5
ZEREN_SESSION_IDLE_MINUTES = env_int("ZEREN_SESSION_IDLE_MINUTES", 15)
ZEREN_SINGLE_SESSION = env_bool("ZEREN_SINGLE_SESSION", False)
ZEREN_REQUIRE_OTP = env_bool("ZEREN_REQUIRE_OTP", True)
ZEREN_OTP_FOR_ENTERPRISE_ADMINS = env_bool("ZEREN_OTP_FOR_ENTERPRISE_ADMINS", False)
ZEREN_AUDIT_RETENTION_DAYS = max(180, env_int("ZEREN_AUDIT_RETENTION_DAYS", 180))
OTP_TOTP_ISSUER = "Zeren"
# An absolute limit beside the idle timeout: a working day.
SESSION_COOKIE_AGE = env_int("ZEREN_SESSION_HOURS", 10) * 3600
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # zeren.js reads it for fetch()

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "zeren" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)


def _s3_storage() -> dict[str, object] | None:
    """S3-compatible object storage when ZEREN_S3_BUCKET is set; every setting it needs is checked."""
    bucket = env_str("ZEREN_S3_BUCKET")
    if not bucket:
        return None
    missing = [
        name
        for name in ("ZEREN_S3_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
        if not env_str(name)
    ]
    if missing:
        names = "、".join(missing)
        raise ImproperlyConfigured(
            f"已设置 ZEREN_S3_BUCKET，但缺少 {names} / ZEREN_S3_BUCKET is set but "
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing"
        )
    endpoint = env_str("ZEREN_S3_ENDPOINT_URL")
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"ZEREN_S3_ENDPOINT_URL 应以 http:// 或 https:// 开头，实际为 {endpoint!r} / "
            f"ZEREN_S3_ENDPOINT_URL must start with http:// or https://, got {endpoint!r}"
        )
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint or None,
            "region_name": env_str("ZEREN_S3_REGION"),
            "access_key": env_str("AWS_ACCESS_KEY_ID"),
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY"),
            # Private objects; every download goes through Zeren's access check.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            # Keys are content hashes or random names: overwriting is writing the same bytes.
            "file_overwrite": True,
            # A file read through the storage spills to a temporary file past 2 MB.
            "max_memory_size": 2 * 1024 * 1024,
            # A store that is down answers within seconds, so the user can retry.
            "client_config": Config(
                connect_timeout=5,
                read_timeout=60,
                retries={"max_attempts": 3, "mode": "standard"},
                s3={"addressing_style": "path"},
            ),
        },
    }


STORAGES = {
    "default": _s3_storage()
    or {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "files")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Job workers (zeren/jobs/worker.py): a running job whose worker has not beaten its heartbeat
# for the lease is taken back; a failing job is retried with a doubling back-off.
ZEREN_JOB_LEASE_SECONDS = env_int("ZEREN_JOB_LEASE_SECONDS", 60)
ZEREN_JOB_TIME_LIMIT = env_int("ZEREN_JOB_TIME_LIMIT", 1800)
ZEREN_JOB_MAX_ATTEMPTS = env_int("ZEREN_JOB_MAX_ATTEMPTS", 3)
ZEREN_JOB_RETRY_SECONDS = env_int("ZEREN_JOB_RETRY_SECONDS", 30)

# /metrics: with a token, only `Authorization: Bearer <token>`; without one, loopback only.
ZEREN_METRICS_TOKEN = env_str("ZEREN_METRICS_TOKEN")
# Where each app-server process leaves its request counts for /metrics to add up.
ZEREN_METRICS_DIR = env_str("ZEREN_METRICS_DIR")

TASKS = {
    "default": {
        "BACKEND": env_str("ZEREN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Uploads stream to disk in chunks; nothing is held whole in memory.
ZEREN_MAX_UPLOAD_MB = env_int("ZEREN_MAX_UPLOAD_MB", 200)
# Peer figures (median, best) are shown only for groups of at least this many other enterprises.
ZEREN_PEER_MIN_GROUP = max(3, env_int("ZEREN_PEER_MIN_GROUP", 5))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "tmp")
# REST API: requests per token (ninja's rate syntax: number/s|m|h|d).
ZEREN_API_RATE = env_str("ZEREN_API_RATE", "600/m")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)

EMAIL_BACKEND = env_str("ZEREN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("ZEREN_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("ZEREN_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("ZEREN_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("ZEREN_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("ZEREN_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("ZEREN_EMAIL_FROM", "zeren@localhost")

# Redis, when configured, holds the cache and the sessions (so any app server serves anyone):
# sessions are read from Redis and written through to the database, so losing Redis loses no
# one's login. Without it, each process has its own memory cache and sessions are in the database.
ZEREN_REDIS_URL = env_str("ZEREN_REDIS_URL")
if ZEREN_REDIS_URL:
    if not ZEREN_REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"ZEREN_REDIS_URL 应以 redis://、rediss:// 或 unix:// 开头，实际为 {ZEREN_REDIS_URL!r} / "
            f"ZEREN_REDIS_URL must start with redis://, rediss:// or unix://, got {ZEREN_REDIS_URL!r}"
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": ZEREN_REDIS_URL,
            "KEY_PREFIX": env_str("ZEREN_REDIS_PREFIX", "zeren"),
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 5, "socket_timeout": 5},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # the file preview alone allows framing by this site
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Stored files readable by the service's user alone.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("ZEREN_LOG_LEVEL", "INFO")},
}
CSRF_FAILURE_VIEW = "zeren.lib.errors.csrf_failure"
