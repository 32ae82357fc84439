"""Configuration: defaults, then the instance folder's config.py, then the environment."""

import os

DEVELOPMENT_SECRET = "development-only-secret-change-me"


class DefaultConfig:
    SECRET_KEY = DEVELOPMENT_SECRET
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
    LOGIN_LIMIT = "5 per 5 minutes"
    PUBLIC_FORM_LIMIT = "20 per hour"
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Africa/Casablanca"
    LANGUAGES = ["ar", "fr", "en", "es"]
    GEOCODER = "gazetteer"  # or "nominatim" where the server has internet
    GEOCODER_USER_AGENT = "souk-mobile-markets"
    API_TOKEN_HOURS = 24 * 14
    ARGON2_PROFILE = "RFC_9106_LOW_MEMORY"  # argon2.profiles name
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
    BADGES_PER_CHUNK = 60  # badges a worker renders at a time (a multiple of 4)


ENVIRONMENT_KEYS = [
    "SECRET_KEY",
    "DATABASE_URL",
    "RATELIMIT_STORAGE_URI",
    "GEOCODER",
    "PREFERRED_URL_SCHEME",
    "SERVER_NAME",
    "QUEUE_URL",
    "JOB_LEASE_SECONDS",
    "JOB_RESULT_DAYS",
    "STORAGE_ROOT",
    "BADGES_PER_CHUNK",
]


def load_environment(config):
    """Copy the deployment's environment variables into the Flask config."""
    for key in ENVIRONMENT_KEYS:
        value = os.environ.get(key)
        if value:
            config["SQLALCHEMY_DATABASE_URI" if key == "DATABASE_URL" else key] = value
    url = config.get("SQLALCHEMY_DATABASE_URI") or ""
    if url.startswith("postgres://"):
        config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + url[len("postgresql://") :]
