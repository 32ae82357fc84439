"""Light on data: compressed responses and versioned static URLs cached for a year.

`url_for("static", filename=...)` gains `?v=<hash of the file>`; a request carrying that
version is answered with a year-long immutable Cache-Control, so a phone downloads a file
once per version and the next load costs nothing. HTML, JSON, JS, CSS, SVG and WebAssembly
are compressed with brotli (or gzip) by Flask-Compress.
"""

import hashlib
from pathlib import Path

from flask import current_app, request
from flask_compress import Compress

YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR}, immutable"
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "image/svg+xml",
    "application/wasm",
    "text/csv",
]
# Endpoints whose files are named by version (?v=): cached for a year.
VERSIONED_ENDPOINTS = {"static", "visitors.vendor"}

compress = Compress()
_versions = {}


def file_version(path):
    """A short hash of a file's content, recomputed when the file changes."""
    path = Path(path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    cached = _versions.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    version = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    _versions[path] = (stamp, version)
    return version


def static_version(filename):
    return file_version(Path(current_app.static_folder) / filename)


def add_static_version(endpoint, values):
    if endpoint == "static" and "v" not in values and values.get("filename"):
        version = static_version(values["filename"])
        if version:
            values["v"] = version


def cache_versioned_files(response):
    if (
        request.endpoint in VERSIONED_ENDPOINTS
        and request.args.get("v")
        and response.status_code == 200
    ):
        response.headers["Cache-Control"] = IMMUTABLE
    return response


def register_assets(app):
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "deflate"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    app.url_defaults(add_static_version)
    app.after_request(cache_versioned_files)
    compress.init_app(app)
