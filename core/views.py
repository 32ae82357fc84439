"""Small helpers shared by the HTML views of every feature."""

from urllib.parse import urlparse

from flask import flash
from flask_babel import gettext as _


def copy_error_to_form(form, error):
    """Show a service's DomainError next to the field it concerns (or above the form)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)


def is_safe_redirect(target):
    if not target:
        return False
    parsed = urlparse(target)
    return not parsed.netloc and not parsed.scheme and target.startswith("/")


def flash_saved():
    flash(_("Saved."), "success")
