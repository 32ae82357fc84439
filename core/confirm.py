"""Confirm, then act: a destructive POST first shows what it will do, and acts only when the
person confirms it (with a reason where the domain needs one).

    page = confirmation_needed(_("Revoke this badge?"), _("It will read revoked at every gate."),
                               reason_required=True, cancel_url=...)
    if page:
        return page          # nothing was done
    services.revoke_badge(badge, current_user, reason=confirmed_reason())
"""

from flask import render_template, request

CONFIRM_FIELD = "confirmed"


def confirmed_reason():
    return (request.form.get("reason") or "").strip()


def confirmation_needed(
    title,
    consequence,
    *,
    reason_required=False,
    reason_label=None,
    undo=None,
    cancel_url=None,
    button=None,
):
    """None when this POST carries the confirmation; else the confirmation page to return."""
    reason = confirmed_reason()
    confirmed = request.form.get(CONFIRM_FIELD) == "1"
    if confirmed and (reason or not reason_required):
        return None
    carried = [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in (CONFIRM_FIELD, "reason", "csrf_token")
    ]
    missing_reason = confirmed and reason_required and not reason
    page = render_template(
        "confirm.html",
        title=title,
        consequence=consequence,
        reason_required=reason_required,
        reason_label=reason_label,
        reason=reason,
        missing_reason=missing_reason,
        undo=undo,
        carried=carried,
        action=request.full_path if request.query_string else request.path,
        cancel_url=cancel_url or request.referrer or "/",
        button=button,
    )
    return page, (422 if missing_reason else 200)
