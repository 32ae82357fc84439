"""The outbox: every message with its state (queued, sent, failed, retried); resend or mark sent."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounts import bp, messaging
from accounts.models import MESSAGE_STATES, OutboundMessage
from core import sms
from core.access import roles_required
from core.errors import NotFound
from core.extensions import db
from core.menu import add_menu_item

add_menu_item("accounts.outbox", _l("Messages"), ["organiser"], order=92)

STATE_LABELS = {
    "queued": _l("Queued"),
    "sent": _l("Sent"),
    "failed": _l("Failed"),
    "retried": _l("Will be tried again"),
}
CHANNEL_LABELS = {"email": _l("E-mail"), "sms": _l("SMS")}


def get_message(message_id):
    message = db.session.get(OutboundMessage, message_id)
    if message is None:
        raise NotFound(_("No such message."))
    return message


@bp.get("/outbox")
@roles_required("organiser")
def outbox():
    state = request.args.get("state") if request.args.get("state") in MESSAGE_STATES else None
    channel = request.args.get("channel") if request.args.get("channel") in CHANNEL_LABELS else None
    messages = db.session.scalars(
        messaging.outbox_query(state=state, channel=channel).limit(500)
    ).all()
    return render_template(
        "accounts/outbox.html",
        messages=messages,
        state=state,
        channel=channel,
        state_labels=STATE_LABELS,
        channel_labels=CHANNEL_LABELS,
        sms_by_hand=sms.gateway() is None,
    )


@bp.post("/outbox/<int:message_id>/resend")
@roles_required("organiser")
def resend_message(message_id):
    messaging.resend_message(get_message(message_id), current_user)
    flash(_("The message is queued again."), "success")
    return redirect(url_for("accounts.outbox"))


@bp.post("/outbox/<int:message_id>/sent")
@roles_required("organiser")
def mark_message_sent(message_id):
    messaging.mark_message_sent(get_message(message_id), current_user)
    flash(_("Marked as sent."), "success")
    return redirect(url_for("accounts.outbox"))
