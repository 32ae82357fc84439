"""Small helpers shared by the HTML views of every feature."""

from urllib.parse import urlparse

from flask import flash, request
from flask_babel import gettext as _

SEARCH_LENGTH = 80  # a person's search on a list page: a name, a code or a few words


def search_words():
    """The words of a list page's search box (?q=), trimmed to what a search holds."""
    return request.args.get("q", "").strip()[:SEARCH_LENGTH]


def copy_error_to_form(form, error):
    """Show a service's DomainError next to the field it concerns (or above the form)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)


def is_safe_redirect(target):
    """A path on this site only. Browsers read `//host`, `/\\host` and paths with control
    characters as another site, so those are refused with the absolute URLs."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(character) < 32 or ord(character) == 127 for character in target):
        return False
    parsed = urlparse(target)
    return not parsed.netloc and not parsed.scheme


def return_url(within):
    """Where an action taken on a page of a list returns: the form's `next_url` (that page, its
    filters kept) when it is a page under `within`, else `within`."""
    next_url = request.form.get("next_url")
    if is_safe_redirect(next_url) and next_url.startswith(within):
        return next_url
    return within


def flash_saved():
    flash(_("Saved."), "success")
