"""The field app of the gates: the scanner shell, its service worker, manifest and offline page.

The shell (/scanner, /offline) is the same HTML for every person and language: it carries the
texts of every language and no data, so that the service worker keeps one copy and a language
switch never breaks the offline start. The data (a bearer token, the editions, sites, gates and
keys) comes from GET /scanner/session (signed-in volunteer or organiser) or
GET /api/v1/field/session (a provisioned phone's device token).
"""

import hashlib
import json
from pathlib import Path

from flask import current_app, jsonify, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounts.views import field_page_token
from core.assets import file_version
from core.i18n import LANGUAGE_NAMES
from visitors import bp
from visitors.services.field import scanner_editions

ROOT = Path(__file__).resolve().parent.parent
STAFF = ("volunteer", "organiser")
APP_NAME = _l("Souk gate scanner")
DISPLAY_SECONDS = (2, 3, 5, 8)
MODULES = ("field-queue.js", "field-attention.js", "field-window.js")

# Every text of the shell, by key; the shell carries them in every language.
FIELD_TEXTS = {
    "brand": _l("Souk"),
    "language": _l("Language"),
    "title": _l("Gate scanner"),
    "online": _l("Online"),
    "offline": _l("Offline: scans are kept on this phone"),
    "synced": _l("Everything is synced"),
    "pending": _l("Waiting to sync: %(count)s", count="{count}"),
    "noAccessTitle": _l("This phone cannot scan yet"),
    "noAccess": _l(
        "Sign in as a volunteer, or open on this phone the link of the QR code an organiser made for it."
    ),
    "signIn": _l("Sign in"),
    "where": _l("Where are you scanning?"),
    "market": _l("Market"),
    "site": _l("Site"),
    "gate": _l("Gate"),
    "start": _l("Start scanning"),
    "needsJs": _l("The scanner needs JavaScript."),
    "changePlace": _l("Change place"),
    "ready": _l("Ready: scan a code"),
    "code": _l("Code"),
    "codePlaceholder": _l("Scan or type a code, then Enter"),
    "check": _l("Check"),
    "tallyCount": _l("Counted today at this site on this phone"),
    "tallyHelp": _l("Tap +1 for each visitor who comes in without a ticket."),
    "camera": _l("Scan with the camera"),
    "syncTitle": _l("Sending to the server"),
    "sentToday": _l("Sent today"),
    "waiting": _l("Waiting"),
    "lastSync": _l("Last sync"),
    "errors": _l("Refused by the server"),
    "lastScans": _l("Last scans"),
    "settings": _l("Settings"),
    "displayTime": _l("Show each verdict for"),
    "displayNever": _l("Until the next scan"),
    "soundOn": _l("Sound and vibration"),
    "direction": _l("Direction of the scans"),
    "directionIn": _l("Coming in"),
    "directionOut": _l("Going out"),
    "roleEntry": _l("entry"),
    "roleExit": _l("exit"),
    "accepted": _l("Welcome! First entry"),
    "reentry": _l("Already entered: re-entry"),
    "exhibitor": _l("Exhibitor badge: valid here"),
    "invalid": _l("Invalid code: refuse"),
    "revoked": _l("Revoked code: refuse"),
    "wrong_edition": _l("Code of another edition: refuse"),
    "wrong_site": _l("Badge for another site: refuse"),
    "not_open": _l("The site is not open now"),
    "rejected": _l("Scan not understood: try again"),
    "queued": _l("Valid signature: saved, will sync"),
    "queuedReentry": _l("Valid, seen before here: re-entry (will sync)"),
    "offlineExhibitor": _l("Exhibitor badge (checked offline): will sync"),
    "tallied": _l("+1 counted"),
    "cameraError": _l("The camera cannot be used: type or scan codes in the field."),
    "chooseSite": _l("Choose the site and gate first."),
    "authError": _l("Your session expired: sign in again while online."),
    "failed": _l("The server refused this scan."),
    "firstEntryAt": _l("First entered at %(time)s", time="{time}"),
    "exhibitorDetail": _l(
        "%(cooperative)s · stall %(stall)s · %(site)s",
        cooperative="{cooperative}",
        stall="{stall}",
        site="{site}",
    ),
    "revokedHelp": _l(
        "Do not let in. Send the person to the information desk: a new free ticket takes a minute."
    ),
    "invalidHelp": _l(
        "Do not let in. Ask for the ticket again, or send the person to the desk for a free ticket."
    ),
    "wrongSiteHelp": _l(
        "This badge is for another site: send the exhibitor to the organisers' desk."
    ),
    "wrongEditionHelp": _l("This code is from another market: a free ticket is made at the desk."),
    "notOpenHelp": _l("Entries are only scanned during the opening hours of the site."),
    "deviceRevoked": _l(
        "This phone's access was withdrawn by the organisers. Its unsent scans are kept on it: an organiser can sign in on this phone to send them."
    ),
    "devicePhone": _l("Phone: %(name)s", name="{name}"),
    "offlineTitle": _l("No network"),
    "offlineText": _l(
        "This page needs the network. The gate scanner works without it: scans are kept on the phone and sent later."
    ),
    "openScanner": _l("Open the gate scanner"),
}
for _seconds in DISPLAY_SECONDS:
    FIELD_TEXTS[f"seconds{_seconds}"] = _l("%(count)s seconds", count=_seconds)


def field_texts():
    """{language: {key: text}} for every language of the app."""
    texts = {}
    for language in LANGUAGE_NAMES:
        with force_locale(language):
            texts[language] = {key: str(text) for key, text in FIELD_TEXTS.items()}
    return texts


def shell_response(template, **context):
    response = current_app.make_response(render_template(template, texts=field_texts(), **context))
    # The same shell for everyone (no person's data in it): public, revalidated at each load.
    response.headers["Cache-Control"] = "public, no-cache"
    response.headers["Vary"] = "Accept-Encoding"
    return response


def zxing_version():
    with open(ROOT / "node_modules" / "zxing-wasm" / "package.json", encoding="utf-8") as handle:
        return json.load(handle)["version"]


def scanner_urls():
    zxing = zxing_version()
    return {
        "scans": url_for("visitors_api.record_scans"),
        "tallies": url_for("visitors_api.record_tallies"),
        "keys": url_for("visitors_api.edition_keys", slug="EDITION"),
        "session": url_for("visitors.scanner_session"),
        "deviceSession": url_for("visitors_api.field_session"),
        "heartbeat": url_for("visitors_api.field_heartbeat"),
        "worker": url_for("visitors.field_worker"),
        "zxing": url_for(
            "visitors.vendor", package="zxing-wasm", filename="dist/es/reader/index.js", v=zxing
        ),
        "zxingWasm": url_for("visitors.vendor", package="zxing-wasm", filename="dist/reader/"),
        "zxingVersion": zxing,
    }


@bp.get("/scanner")
def scanner():
    config = {"urls": scanner_urls(), "displaySeconds": 3, "appVersion": shell_version()}
    return shell_response("visitors/scanner.html", config=config)


@bp.get("/offline")
def offline():
    return shell_response("visitors/offline.html")


def json_error(status, code, message):
    response = jsonify({"error": {"code": code, "message": str(message)}})
    response.status_code = status
    return response


@bp.get("/scanner/session")
def scanner_session():
    """A bearer token and the editions for a signed-in volunteer or organiser (JSON errors).
    It reuses the session's token while it is good (field_page_token): reading it twice
    writes nothing new."""
    if not current_user.is_authenticated:
        return json_error(401, "unauthorized", _("Sign in to use the scanner."))
    if current_user.role not in STAFF:
        return json_error(403, "forbidden", _("Your role may not do this."))
    token, expires_at = field_page_token()  # the session's token while it is good
    response = jsonify(
        {
            "token": token,
            "expires_at": expires_at.isoformat() + "Z",
            "user": current_user.full_name or current_user.username,
            "role": current_user.role,
            "device": None,
            "editions": scanner_editions(),
        }
    )
    response.headers["Cache-Control"] = "no-store, private"
    return response


# ---------------------------------------------------------------- installable app


def shell_files():
    """Static files of the shell: versioned URLs the service worker keeps."""
    names = ["css/souk.css", "css/field.css", "js/field-lang.js", "js/scanner.js"]
    names += ["icons/souk.svg", "icons/souk-192.png"]
    urls = [url_for("static", filename=name) for name in names]
    # Modules scanner.js imports by their plain URLs (an import cannot carry our ?v=).
    urls += [f"/static/js/{name}" for name in MODULES if (ROOT / "static" / "js" / name).exists()]
    return urls


def shell_version():
    """Changes whenever a file, template or translation of the shell changes, or the
    deployment's FIELD_RELEASE (a new release can force a new shell on every phone)."""
    digest = hashlib.sha256(str(current_app.config.get("FIELD_RELEASE", "")).encode())
    for path in sorted(
        [*(ROOT / "static" / "js").glob("*.js"), *(ROOT / "static" / "css").glob("*.css")]
        + [
            ROOT / "templates" / "visitors" / name
            for name in ("field_base.html", "scanner.html", "offline.html")
        ]
        + [ROOT / "visitors" / "field.py"]
        # The shell carries its texts in every language.
        + sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.mo"))
    ):
        digest.update(str(file_version(path)).encode())
    return digest.hexdigest()[:12]


@bp.get("/field-sw.js")
def field_worker():
    """The service worker, at the root so that its scope is the whole site."""
    field = {
        "version": shell_version(),
        "shell": [url_for("visitors.scanner"), url_for("visitors.offline"), *shell_files()],
        "pages": [url_for("visitors.scanner"), url_for("visitors.offline")],
        "offline": url_for("visitors.offline"),
        "home": url_for("markets.calendar"),
    }
    source = (ROOT / "static" / "js" / "field-sw.js").read_text(encoding="utf-8")
    body = f"const FIELD = {json.dumps(field)};\n{source}"
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    icons = [
        {
            "src": url_for("static", filename="icons/souk.svg"),
            "sizes": "any",
            "type": "image/svg+xml",
        },
        {
            "src": url_for("static", filename="icons/souk-192.png"),
            "sizes": "192x192",
            "type": "image/png",
        },
        {
            "src": url_for("static", filename="icons/souk-512.png"),
            "sizes": "512x512",
            "type": "image/png",
        },
        {
            "src": url_for("static", filename="icons/souk-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    body = {
        "name": str(APP_NAME),
        "short_name": "Souk",
        "id": url_for("visitors.scanner"),
        "start_url": url_for("visitors.scanner"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f6f7f4",
        "theme_color": "#1b7f5c",
        "icons": icons,
    }
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json"
    )
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/favicon.ico")
def favicon():
    response = current_app.send_static_file("icons/favicon.ico")
    response.headers["Cache-Control"] = "public, max-age=604800"
    return response
