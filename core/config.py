"""Configuration: defaults, then the instance folder's config.py, then the environment."""

import logging
import os
import secrets
import shlex
import sys
from pathlib import Path

log = logging.getLogger(__name__)

# Published in the repository: never signs anything (load_secret_key refuses it).
DEVELOPMENT_SECRET = "development-only-secret-change-me"


class DefaultConfig:
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = None  # set from the instance folder when empty
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT = "5 per 5 minutes"  # failures per account and client address
    LOGIN_ADDRESS_LIMIT = "20 per 5 minutes"  # failures per client address, any username
    LOGIN_ACCOUNT_LIMIT = "20 per 5 minutes"  # failures per account, every address
    PROXY_HOPS = 0  # trusted proxies in front (X-Forwarded-For / X-Forwarded-Proto)
    PUBLIC_FORM_LIMIT = "20 per hour"
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Africa/Casablanca"
    LANGUAGES = ["ar", "fr", "en", "es", "zgh"]
    GEOCODER = "gazetteer"  # or "nominatim" where the server has internet
    GEOCODER_USER_AGENT = "souk-mobile-markets"
    API_TOKEN_HOURS = 24 * 14
    ARGON2_PROFILE = "RFC_9106_LOW_MEMORY"  # argon2.profiles name
    # E-mail through SMTP (Flask-Mailman); SMS through core.sms (none: sent by hand).
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_DEFAULT_SENDER = "Souk <no-reply@localhost>"
    MAIL_TIMEOUT = 10
    MESSAGE_MAX_ATTEMPTS = 5
    SMS_GATEWAY_URL = None
    RESET_LINK_HOURS = 2
    INVITATION_DAYS = 7
    RESET_LIMIT = "5 per hour"
    # apiflask
    SPEC_PATH = None
    DOCS_PATH = None
    VALIDATION_ERROR_STATUS_CODE = 400
    HTTP_ERROR_SCHEMA = {
        "type": "object",
        "properties": {
            "error": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                "required": ["code", "message"],
            }
        },
    }
    VALIDATION_ERROR_SCHEMA = HTTP_ERROR_SCHEMA
    INFO = {"description": "Field API of the Souk mobile markets (see API.md)."}
    DOCS_UI = "redoc"
    # Background jobs (core/queue.py): Redis in deployments, an SQLite file in instance/ otherwise.
    QUEUE_URL = ""  # redis://127.0.0.1:6379/1, or empty for instance/queue.db
    JOB_LEASE_SECONDS = 300  # a job without a heartbeat for this long is queued again
    JOB_RESULT_DAYS = 7  # job files are deleted after this many days
    STORAGE_ROOT = ""  # job files; empty for instance/files
    STORAGE_URL = ""  # s3://bucket/prefix for S3-compatible object storage (core/storage.py)
    STORAGE_PRESIGNED_DOWNLOADS = False  # downloads redirect to a 5-minute presigned URL
    BADGES_PER_CHUNK = 60  # badges a worker renders at a time (a multiple of 4)
    IMPORT_PREVIEW_ROWS = 300  # a CSV import with more rows is previewed by a job
    BULK_MESSAGES_PER_CHUNK = 50  # cooperatives a worker writes to at a time


ENVIRONMENT_KEYS = [
    "SECRET_KEY",
    "DATABASE_URL",
    "RATELIMIT_STORAGE_URI",
    "GEOCODER",
    "PREFERRED_URL_SCHEME",
    "SERVER_NAME",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_USE_TLS",
    "MAIL_USE_SSL",
    "MAIL_DEFAULT_SENDER",
    "SMS_GATEWAY_URL",
    "SMS_GATEWAY_TOKEN",
    "SMS_SENDER",
    "QUEUE_URL",
    "JOB_LEASE_SECONDS",
    "JOB_RESULT_DAYS",
    "STORAGE_ROOT",
    "STORAGE_URL",
    "STORAGE_PRESIGNED_DOWNLOADS",
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "BADGES_PER_CHUNK",
    "IMPORT_PREVIEW_ROWS",
    "BULK_MESSAGES_PER_CHUNK",
    "PROXY_HOPS",
]
INTEGER_KEYS = {"MAIL_PORT"}
BOOLEAN_KEYS = {"MAIL_USE_TLS", "MAIL_USE_SSL", "STORAGE_PRESIGNED_DOWNLOADS"}


def load_environment(config):
    """Copy the deployment's environment variables into the Flask config."""
    for key in ENVIRONMENT_KEYS:
        value = os.environ.get(key)
        if value:
            if key in INTEGER_KEYS:
                value = int(value)
            elif key in BOOLEAN_KEYS:
                value = value.strip().lower() in ("1", "true", "yes", "on")
            config["SQLALCHEMY_DATABASE_URI" if key == "DATABASE_URL" else key] = value
    url = config.get("SQLALCHEMY_DATABASE_URI") or ""
    if url.startswith("postgres://"):
        config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + url[len("postgresql://") :]


def is_development(app):
    return os.environ.get("SOUK_ENV") == "development"


def load_secret_key(app):
    """The key that signs sessions: never the published one.

    Tests bring their own. In development a missing key is generated once and kept in the
    instance folder; anywhere else (whatever FLASK_DEBUG says) the app refuses to start.
    """
    key = app.config.get("SECRET_KEY")
    if key and key != DEVELOPMENT_SECRET:
        return
    if app.testing:
        app.config["SECRET_KEY"] = secrets.token_urlsafe(48)
        return
    if not is_development(app):
        raise RuntimeError(
            "Set SECRET_KEY in the environment: outside development (SOUK_ENV=development) "
            "the app does not start without its own secret."
        )
    app.config["SECRET_KEY"] = instance_secret(Path(app.instance_path) / "secret_key")


def instance_secret(path):
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key + "\n")
    return key


def gunicorn_workers():
    """The worker count gunicorn was started with (1 when it cannot tell)."""
    arguments = shlex.split(os.environ.get("GUNICORN_CMD_ARGS", "")) + sys.argv[1:]
    count = os.environ.get("WEB_CONCURRENCY") or "1"
    for index, argument in enumerate(arguments):
        if argument in ("-w", "--workers") and index + 1 < len(arguments):
            count = arguments[index + 1]
        elif argument.startswith("--workers="):
            count = argument.split("=", 1)[1]
        elif argument.startswith("-w") and argument[2:].isdigit():
            count = argument[2:]
    return int(count) if str(count).isdigit() else 1


def check_limiter_storage(app):
    """Throttling kept in one worker's memory is as loose as the number of workers: refuse it."""
    if app.testing or not app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        return
    if "gunicorn" not in Path(sys.argv[0]).name and not os.environ.get("GUNICORN_CMD_ARGS"):
        return
    workers = gunicorn_workers()
    if workers > 1 and not is_development(app):
        raise RuntimeError(
            f"RATELIMIT_STORAGE_URI is memory:// with {workers} workers: each worker would "
            "count on its own. Set RATELIMIT_STORAGE_URI=redis://... (see README, Deploying)."
        )
    warning = (
        "WARNING: throttling state lives in this worker's memory (RATELIMIT_STORAGE_URI="
        "memory://); with several workers or machines use Redis."
    )
    log.warning(warning)
    print(warning, file=sys.stderr)  # loud even where logging is not configured
