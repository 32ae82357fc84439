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
]
INTEGER_KEYS = {"MAIL_PORT"}
BOOLEAN_KEYS = {"MAIL_USE_TLS", "MAIL_USE_SSL"}


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
