"""Response headers that protect every answer (issue 10): cookies, caching, CSP, HSTS."""

from flask import current_app, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

# No inline script anywhere: every script is a file of ours. The scanner decodes QR codes with
# WebAssembly (zxing-wasm), hence 'wasm-unsafe-eval'. <style> blocks are refused as well; only
# style attributes stay allowed (SVG charts and plans colour their shapes with them).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "style-src-elem 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000; includeSubDomains"
PRIVATE = "private, no-store"
# The browsable API description loads ReDoc's own scripts: it keeps its default headers.
NO_CSP_ENDPOINTS = {"openapi.docs"}


def served_over_https():
    return request.is_secure or current_app.config.get("PREFERRED_URL_SCHEME") == "https"


class SessionCookies(SecureCookieSessionInterface):
    """The signed session cookie, Secure whenever the request came over https."""

    def get_cookie_secure(self, app):
        return bool(app.config["SESSION_COOKIE_SECURE"]) or served_over_https()


def secure_cookies(response):
    """Every cookie Secure over https (session, remember-me, language), whichever set it."""
    cookies = response.headers.getlist("Set-Cookie")
    if not cookies:
        return
    response.headers.remove("Set-Cookie")
    for cookie in cookies:
        if "; secure" not in cookie.lower():
            cookie += "; Secure"
        response.headers.add("Set-Cookie", cookie)


def is_personal(response):
    """An answer for one signed-in person (page or API), or a file to download."""
    if "attachment" in response.headers.get("Content-Disposition", ""):
        return True
    if request.headers.get("Authorization"):
        return True
    return request.endpoint != "static" and current_user.is_authenticated


def protect_response(response):
    if served_over_https():
        secure_cookies(response)
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    cache = response.headers.get("Cache-Control", "")
    decided = any(word in cache for word in ("public", "private", "no-store"))
    if not decided and is_personal(response):
        response.headers["Cache-Control"] = PRIVATE
    if request.endpoint not in NO_CSP_ENDPOINTS:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    return response
