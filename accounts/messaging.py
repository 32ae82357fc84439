"""The notification service: features call notify(); messages leave only after the commit.

notify() renders the message in the recipient's language and adds it to the outbox table in
the caller's transaction, so a rolled-back request leaves no message behind. Once the request
(or CLI command) has committed, send_committed() hands each message that transaction queued to
the job queue (core/queue.py): a worker sends it, never the request. A failed delivery stays in
the outbox (state "retried"), the queue tries it again after the outbox's back-off, and the
periodic task "messages_send" (or `flask messages send`) picks up whatever is due, until the
last try marks it "failed"; a person may resend it from the outbox page. Nothing is ever
dropped, and a message is claimed before it is sent, so two workers never send it twice.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_mailman import EmailMultiAlternatives
from markupsafe import Markup, escape
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from accounts.models import OutboundMessage
from core import sms
from core.extensions import db
from core.queue import huey, periodic, run_in_app
from core.timeutil import utc_now

log = logging.getLogger(__name__)

PENDING_KEY = "souk_new_messages"
COMMITTED_KEY = "souk_committed_messages"
_muted = ContextVar("souk_messages_muted", default=False)
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
CLAIM_LEASE = timedelta(minutes=5)  # a message being sent is not taken by another worker


@dataclass
class Recipient:
    """Whoever a message goes to: a user, a cooperative's contact, a visitor's phone."""

    name: str = ""
    email: str | None = None
    phone: str | None = None
    language: str = "fr"
    notify_by: str = "email"  # email, sms or none
    user_id: int | None = None


def page_link(endpoint, **values):
    """The absolute address of a page for a message ("" where no address can be built: scheduled
    work without SERVER_NAME has no request to take the host from)."""
    try:
        return url_for(endpoint, _external=True, **values)
    except RuntimeError:
        return ""


def recipient_of(person):
    """A Recipient from a user (or anything with the same attributes)."""
    if isinstance(person, Recipient):
        return person
    return Recipient(
        name=getattr(person, "full_name", "") or getattr(person, "username", "") or "",
        email=getattr(person, "email", None),
        phone=getattr(person, "phone", None),
        language=getattr(person, "language", None) or "fr",
        notify_by=getattr(person, "notify_by", None) or "email",
        user_id=getattr(person, "id", None) if hasattr(person, "session_version") else None,
    )


def choose_channel(recipient, required=False):
    """The channel the person asked for, else the one they can be reached on.

    `required` messages (a reset, an invitation) go even to people who asked for none.
    """
    preferred = recipient.notify_by
    if preferred == "none" and not required:
        return None
    if preferred == "sms" and recipient.phone:
        return "sms"
    if recipient.email:
        return "email"
    if recipient.phone:
        return "sms"
    return None


def notify(
    event_name,
    person,
    context=None,
    *,
    channel=None,
    required=False,
    edition_id=None,
    cooperative_id=None,
    attachment=None,
):
    """Queue the message of an event for one person; returns the outbox row, or None.

    Templates: messages/<event>.txt (first line: the subject; the rest: the text of the e-mail
    or SMS; the HTML e-mail is built from its paragraphs). `attachment` is (name, type, bytes).
    """
    if _muted.get():
        return None
    recipient = recipient_of(person)
    channel = channel or choose_channel(recipient, required=required)
    if channel is None:
        return None
    address = recipient.email if channel == "email" else recipient.phone
    if not address:
        return None
    language = recipient.language if recipient.language in current_app.config["LANGUAGES"] else "fr"
    subject, text, html = render_message(event_name, language, recipient, context or {})
    message = OutboundMessage(
        event=event_name,
        channel=channel,
        recipient_user_id=recipient.user_id,
        recipient_name=recipient.name[:200],
        address=address,
        language=language,
        subject=subject[:300],
        body_text=text,
        body_html=html if channel == "email" else None,
        edition_id=edition_id,
        cooperative_id=cooperative_id,
        state="queued",
        next_attempt_at=utc_now(),
    )
    if attachment is not None and channel == "email":
        message.attachment_name, message.attachment_type, message.attachment = attachment
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault(PENDING_KEY, []).append(message.id)
    return message


@contextmanager
def muted():
    """Queue no message inside this block."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def mute_messages(context=None):
    """Demo step: from here on, queue nothing (the demo's history tells nobody)."""
    _muted.set(True)


def unmute_messages(context=None):
    _muted.set(False)


def render_message(event_name, language, recipient, context):
    """Subject, plain text and HTML of an event's message in one language."""
    with force_locale(language):
        rendered = render_template(
            f"messages/{event_name}.txt", recipient=recipient, language=language, **context
        ).strip()
        subject, _newline, text = rendered.partition("\n")
        text = "\n\n".join(part.strip() for part in text.split("\n\n") if part.strip())
        html = render_template(
            "messages/email.html",
            subject=subject,
            paragraphs=[linkify(part) for part in text.split("\n\n")],
            language=language,
            direction="rtl" if language == "ar" else "ltr",
        )
    return subject.strip(), text, html


def linkify(paragraph):
    """A paragraph of plain text as HTML, with its web addresses as links."""
    words = []
    for word in paragraph.split(" "):
        if word.startswith(("http://", "https://")):
            words.append(Markup('<a href="{0}">{0}</a>').format(word))
        else:
            words.append(escape(word))
    return Markup(" ").join(words).replace("\n", Markup("<br>\n"))


# ---------------------------------------------------------------- after the commit


@event.listens_for(Session, "after_commit")
def _remember_committed(session):
    pending = session.info.pop(PENDING_KEY, None)
    if pending:
        session.info.setdefault(COMMITTED_KEY, []).extend(pending)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session):
    session.info.pop(PENDING_KEY, None)


def send_committed():
    """Hand what the last committed transaction queued to the job queue; returns how many.

    When the queue cannot be reached the message simply stays queued in the outbox, and the
    periodic task (or `flask messages send`) sends it later."""
    ids = db.session.info.pop(COMMITTED_KEY, None)
    if not ids:
        return 0
    handed = 0
    for message_id in ids:
        try:
            send_message_task(message_id)
            handed += 1
        except Exception as error:  # noqa: BLE001 - the broker is down: the outbox keeps it
            log.warning("Could not queue message %s: %s", message_id, error)
    return handed


@huey.task(context=True)
@run_in_app
def send_message_task(message_id, task=None):
    """The queue's task: one try of one message, then the next try scheduled after its back-off."""
    sent = send_message(message_id)
    if not sent:
        schedule_retry(message_id)
    return sent


def schedule_retry(message_id):
    message = db.session.get(OutboundMessage, message_id)
    due = message.next_attempt_at if message is not None and message.state == "retried" else None
    db.session.rollback()
    if due is None:
        return
    delay = max(0.0, (due - utc_now()).total_seconds())
    try:
        send_message_task.schedule((message_id,), delay=delay)
    except Exception as error:  # noqa: BLE001 - the periodic task will find it due
        log.warning("Could not schedule message %s again: %s", message_id, error)


def send_due_messages(now=None, limit=200):
    """Retry queued and retried messages whose time has come; returns how many went out."""
    now = now or utc_now()
    ids = db.session.scalars(
        select(OutboundMessage.id)
        .where(
            OutboundMessage.state.in_(("queued", "retried")),
            or_(OutboundMessage.next_attempt_at.is_(None), OutboundMessage.next_attempt_at <= now),
        )
        .order_by(OutboundMessage.id)
        .limit(limit)
    ).all()
    db.session.commit()
    return sum(send_message(message_id, now=now) for message_id in ids)


@periodic("messages_send", minute="*")
def send_due_messages_task(now):
    """Every minute: what is due (a queue that was down, a retry whose time has come)."""
    return send_due_messages(now)


def claim_message(message_id, now):
    """Take a due message for one try (a conditional UPDATE: one worker wins)."""
    claimed = db.session.execute(
        update(OutboundMessage)
        .where(
            OutboundMessage.id == message_id,
            OutboundMessage.state.in_(("queued", "retried")),
            or_(OutboundMessage.next_attempt_at.is_(None), OutboundMessage.next_attempt_at <= now),
        )
        .values(next_attempt_at=now + CLAIM_LEASE)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def send_message(message_id, now=None):
    """Try one message once; commits its new state. Returns 1 when it went out."""
    now = now or utc_now()
    message = db.session.get(OutboundMessage, message_id)
    if message is None or message.state not in ("queued", "retried"):
        db.session.commit()
        return 0
    if message.channel == "sms" and sms.gateway() is None:
        # No gateway: the message waits in the outbox for a person to send it by hand.
        message.next_attempt_at = None
        db.session.commit()
        return 0
    if not claim_message(message_id, now):
        return 0
    message = db.session.get(OutboundMessage, message_id)
    db.session.refresh(message)
    try:
        deliver(message)
    except Exception as error:  # noqa: BLE001 - any failure of the transport keeps the message
        record_failure(message, error)
        db.session.commit()
        return 0
    message.state = "sent"
    message.sent_at = utc_now()
    message.last_error = ""
    message.next_attempt_at = None
    message.attempts += 1
    db.session.commit()
    return 1


def deliver(message):
    if message.channel == "sms":
        sms.gateway().send(message.address, message.body_text)
        return
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=current_app.config.get("MAIL_DEFAULT_SENDER"),
        to=[message.address],
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    if message.attachment is not None:
        email.attach(message.attachment_name, message.attachment, message.attachment_type)
    email.send()


def record_failure(message, error):
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:500]
    tries = current_app.config.get("MESSAGE_MAX_ATTEMPTS", len(RETRY_DELAYS) + 1)
    if message.attempts >= tries:
        message.state = "failed"
        message.next_attempt_at = None
    else:
        message.state = "retried"
        delay = RETRY_DELAYS[min(message.attempts - 1, len(RETRY_DELAYS) - 1)]
        message.next_attempt_at = utc_now() + delay
    log.warning("Message %s not sent (try %s): %s", message.id, message.attempts, error)


# ---------------------------------------------------------------- outbox actions


def resend_message(message, actor):
    """Put a failed message back in the queue for a fresh round of tries."""
    if message.state == "sent":
        return message
    message.state = "queued"
    message.attempts = 0
    message.next_attempt_at = utc_now()
    db.session.flush()
    db.session.info.setdefault(PENDING_KEY, []).append(message.id)
    return message


def mark_message_sent(message, actor):
    """An SMS sent by hand (no gateway configured)."""
    if message.state != "sent":
        message.state = "sent"
        message.sent_at = utc_now()
        message.sent_by_id = actor.id
        message.next_attempt_at = None
        db.session.flush()
    return message


def outbox_query(state=None, channel=None, edition_id=None, cooperative_id=None):
    query = select(OutboundMessage)
    if state:
        query = query.where(OutboundMessage.state == state)
    if channel:
        query = query.where(OutboundMessage.channel == channel)
    if edition_id is not None:
        query = query.where(OutboundMessage.edition_id == edition_id)
    if cooperative_id is not None:
        query = query.where(OutboundMessage.cooperative_id == cooperative_id)
    return query.order_by(OutboundMessage.created_at.desc(), OutboundMessage.id.desc())
