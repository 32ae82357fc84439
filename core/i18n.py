"""Languages: locale choice, text stored per language, and locale-aware formatting."""

from flask import current_app, has_request_context, request, session
from flask_babel import format_decimal, get_locale

# Each language by its own name; Tamazight is Standard Moroccan Tamazight (zgh) in Tifinagh.
LANGUAGE_NAMES = {
    "ar": "العربية",
    "fr": "Français",
    "en": "English",
    "es": "Español",
    "zgh": "ⵜⴰⵎⴰⵣⵉⵖⵜ",
}
RTL_LANGUAGES = {"ar"}
# When a text is missing in the reader's language, try these in order.
FALLBACK_ORDER = ["fr", "ar", "en", "es", "zgh"]


def select_locale():
    """The language chosen with the switcher, else the browser's best match."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands (flask demo): the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.args.get("lang") or session.get("lang") or request.cookies.get("lang")
    if chosen in languages:
        return chosen
    return browser_language(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def browser_language(languages):
    """The browser's most wanted language we have, by its primary subtag: a browser asking for
    "zgh-MA, fr;q=0.5" or "ar-MA, fr;q=0.5" gets Tamazight or Arabic, not French."""
    for value, _quality in request.accept_languages:  # highest quality first
        primary = value.replace("_", "-").split("-")[0].lower()
        if primary in languages:
            return primary
    return None


def current_language():
    """The language code of the request ("ar", "fr", "en", "es" or "zgh")."""
    locale = get_locale()
    return locale.language if locale is not None else "fr"


def is_rtl(language=None):
    return (language or current_language()) in RTL_LANGUAGES


def localized(texts, language=None):
    """Pick a text stored per language ({"ar": ..., "fr": ...}) with a fallback."""
    if not texts:
        return ""
    if isinstance(texts, str):
        return texts
    language = language or current_language()
    if texts.get(language):
        return texts[language]
    for other in FALLBACK_ORDER:
        if texts.get(other):
            return texts[other]
    return next((value for value in texts.values() if value), "")


def clean_translations(texts):
    """Keep only known languages and non-empty, stripped values."""
    return {
        language: value.strip()
        for language, value in (texts or {}).items()
        if language in LANGUAGE_NAMES and value and value.strip()
    }


def as_translations(value):
    """Text per language from a dict, or from one text typed in a single language (Arabic
    script goes under "ar", anything else under "fr"): how older callers and files give it."""
    if isinstance(value, dict):
        return clean_translations(value)
    text = (value or "").strip()
    if not text:
        return {}
    arabic = any("\u0600" <= char <= "\u06ff" for char in text)
    return {"ar" if arabic else "fr": text}


def format_number(value):
    return format_decimal(value)


def template_globals():
    language = current_language()
    return {
        "current_language": language,
        "text_direction": "rtl" if is_rtl(language) else "ltr",
        "language_names": LANGUAGE_NAMES,
        "localized": localized,
    }


def remember_language():
    """Store ?lang= in the session so the choice survives the next pages."""
    chosen = request.args.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        session["lang"] = chosen
