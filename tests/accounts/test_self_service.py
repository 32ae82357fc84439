"""Password reset, invitations and messages, against a real SMTP server (aiosmtpd)."""

import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from accounts import messaging
from accounts.models import AccountToken, ActivityEntry, OutboundMessage, User
from core import queue
from core.errors import RuleBroken
from core.extensions import db
from core.timeutil import utc_now
from tests.conftest import PASSWORD

NEW_PASSWORD = "a-brand-new-password"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_config(app_config, mail_config):
    return {**app_config, **mail_config}


def link_in(mail):
    text = mail.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://localhost(/\S+)", text).group(1)


def run_queue():
    """What a worker does: take the queued tasks (the messages handed over after the commit)."""
    db.session.rollback()  # no transaction of the test keeps the worker waiting on SQLite
    return queue.run_pending()


def sign_in(client, username, password):
    return client.post("/login", data={"username": username, "password": password})


def test_reset_story_end_to_end_in_the_users_language(app, client, make_user, smtp_inbox):
    user = make_user("volunteer", username="amina")
    user.email, user.language = "amina@example.ma", "ar"
    db.session.commit()

    response = client.post("/password/forgot", data={"identifier": "Amina@Example.ma"})
    assert response.status_code == 302 and response.headers["Location"] == "/password/sent"
    assert smtp_inbox.messages == []  # the request only queued it; a worker sends it
    assert run_queue() == 1
    assert len(smtp_inbox.messages) == 1
    mail = smtp_inbox.messages[0]
    assert mail["To"] == "amina@example.ma"
    assert mail["Subject"].strip() == "كلمة المرور الخاصة بك في سوق"
    assert "مرحبًا" in mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    link = link_in(mail)
    assert link.startswith("/password/reset/")

    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert sign_in(client, "amina", PASSWORD).status_code == 200  # the old one is refused
    assert sign_in(client, "amina", NEW_PASSWORD).status_code == 302

    used = client.get(f"{link}?lang=en")
    assert used.status_code == 410
    assert "This link has already been used." in used.get_data(as_text=True)
    entries = db.session.scalars(select(ActivityEntry)).all()
    assert [(entry.action, entry.actor_id) for entry in entries] == [("user.password", user.id)]


def test_an_expired_link_is_refused_with_a_clear_page(app, client, make_user, smtp_inbox):
    user = make_user("volunteer", username="karim")
    user.email = "karim@example.ma"
    db.session.commit()
    client.post("/password/forgot", data={"identifier": "karim"})
    run_queue()
    link = link_in(smtp_inbox.messages[0])
    db.session.execute(
        AccountToken.__table__.update().values(expires_at=utc_now() - timedelta(minutes=1))
    )
    db.session.commit()
    response = client.get(f"{link}?lang=en")
    assert response.status_code == 410
    assert "This link has expired. Ask for a new one." in response.get_data(as_text=True)
    assert client.post(link, data={"password": NEW_PASSWORD}).status_code == 410
    assert sign_in(client, "karim", NEW_PASSWORD).status_code == 200


def test_an_unknown_account_gets_the_same_answer_and_no_message(app, client, make_user, smtp_inbox):
    make_user("volunteer", username="known")
    answers = [
        client.post("/password/forgot", data={"identifier": name}) for name in ("known", "nobody")
    ]
    assert [(a.status_code, a.headers["Location"]) for a in answers] == [
        (302, "/password/sent"),
        (302, "/password/sent"),
    ]
    # "known" has no e-mail or phone: nothing can be sent to it either.
    assert smtp_inbox.messages == []
    assert db.session.scalar(select(OutboundMessage.id)) is None


def test_known_and_unknown_accounts_answer_without_sending_in_the_request(
    app, client, make_user, smtp_inbox
):
    """No SMTP conversation inside the request: a known account's answer takes no longer."""
    user = make_user("volunteer", username="salma")
    user.email = "salma@example.ma"
    db.session.commit()
    answers = [
        client.post("/password/forgot", data={"identifier": name}) for name in ("salma", "nobody")
    ]
    assert [(a.status_code, a.headers["Location"]) for a in answers] == [
        (302, "/password/sent"),
        (302, "/password/sent"),
    ]
    assert smtp_inbox.messages == []  # both answers given, nothing sent yet
    assert queue.huey.pending_count() == 1
    assert run_queue() == 1
    assert [mail["To"] for mail in smtp_inbox.messages] == ["salma@example.ma"]


def test_a_real_worker_sends_the_message(app, make_user, smtp_inbox):
    user = make_user("volunteer", username="idriss")
    user.email = "idriss@example.ma"
    db.session.commit()
    with app.test_request_context():
        messaging.notify("badge_issued", user, {"holder": "I", "site": "S", "link": "L"})
        db.session.commit()
    assert messaging.send_committed() == 1
    db.session.rollback()
    env = {
        **os.environ,
        "FLASK_APP": "app:create_app",
        "SOUK_ENV": "development",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "QUEUE_URL": app.config["QUEUE_URL"],
        "STORAGE_ROOT": app.config["STORAGE_ROOT"],
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_inbox.port),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "jobs", "worker", "-w", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        # the server has the mail a moment before the worker commits that it was sent
        deadline, state = time.monotonic() + 60, None
        while state != "sent" and time.monotonic() < deadline:
            time.sleep(0.2)
            state = db.session.scalar(select(OutboundMessage.state))
            db.session.rollback()
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert [mail["To"] for mail in smtp_inbox.messages] == ["idriss@example.ma"]
    assert state == "sent"


def test_reset_requests_are_throttled(app, client):
    statuses = [
        client.post("/password/forgot", data={"identifier": f"x{n}"}).status_code for n in range(6)
    ]
    assert statuses == [302] * 5 + [429]


def test_reset_by_sms_code_waits_in_the_outbox_without_a_gateway(app, client, make_user):
    user = make_user("cashier", username="said")
    user.phone, user.notify_by = "+212 6 61 23 45 67", "sms"
    db.session.commit()
    client.post("/password/forgot", data={"identifier": "0661234567"})
    message = db.session.scalars(select(OutboundMessage)).one()
    assert (message.channel, message.state, message.address) == (
        "sms",
        "queued",
        "+212 6 61 23 45 67",
    )
    code = re.search(r"\b(\d{6})\b", message.body_text).group(1)
    wrong = "000000" if code != "000000" else "111111"
    data = {"identifier": "said", "code": wrong, "password": NEW_PASSWORD}
    assert client.post("/password/code", data=data).status_code == 422
    data["code"] = code
    assert client.post("/password/code", data=data).status_code == 302
    assert sign_in(client, "said", NEW_PASSWORD).status_code == 302
    assert client.post("/password/code", data=data).status_code == 422  # used up


def test_an_sms_code_allows_only_a_few_tries(app, make_user):
    from accounts import self_service

    user = make_user("cashier", username="nadia")
    user.phone = "0662000000"
    db.session.commit()
    with app.test_request_context():
        self_service.request_password_reset("nadia", lambda token: f"http://x/{token}")
        db.session.commit()
    code = re.search(r"\b(\d{6})\b", db.session.scalars(select(OutboundMessage)).one().body_text)
    for _ in range(5):
        with pytest.raises(RuleBroken):
            self_service.reset_password_with_code("nadia", "999999x", NEW_PASSWORD)
    with pytest.raises(RuleBroken):
        self_service.reset_password_with_code("nadia", code.group(1), NEW_PASSWORD)


def test_invitation_end_to_end(app, client, make_user, login, smtp_inbox):
    organiser = make_user("organiser", username="boss")
    login(organiser)
    response = client.post(
        "/people",
        data={
            "full_name": "Youssef",
            "email": "youssef@example.ma",
            "role": "volunteer",
            "language": "fr",
        },
    )
    assert response.status_code == 302
    run_queue()
    mail = smtp_inbox.messages[0]
    assert mail["To"] == "youssef@example.ma" and mail["Subject"] == "Vous êtes invité sur Souk"
    link = link_in(mail)
    client.post("/logout")

    assert client.get(link).status_code == 200
    response = client.post(link, data={"username": "youssef", "password": NEW_PASSWORD})
    assert response.status_code == 302
    user = db.session.scalars(select(User).filter_by(username="youssef")).one()
    assert (user.role, user.email, user.full_name, user.language) == (
        "volunteer",
        "youssef@example.ma",
        "Youssef",
        "fr",
    )
    assert client.get("/account").status_code == 200  # signed in straight away
    assert client.get(link).status_code == 410
    actions = db.session.execute(
        select(ActivityEntry.action, ActivityEntry.actor_id).order_by(ActivityEntry.id)
    ).all()
    assert actions == [("user.invite", organiser.id), ("user.join", user.id)]


def test_a_cooperative_invites_its_own_members(app, client, make_user, login, smtp_inbox):
    coop_user = make_user("cooperative", username="annahla")
    login(coop_user)
    response = client.post(
        "/people",
        data={
            "full_name": "Fatima",
            "email": "fatima@example.ma",
            "role": "organiser",
            "language": "ar",
        },
    )
    assert response.status_code == 302
    invitation = db.session.scalars(select(AccountToken)).one()
    assert (invitation.role, invitation.cooperative_id) == ("cooperative", coop_user.cooperative_id)
    page = client.get("/people").get_data(as_text=True)
    assert "annahla" in page and "Fatima" in page


def test_no_message_leaves_for_a_request_that_rolled_back(app, client, make_user, smtp_inbox):
    user = make_user("volunteer", username="hafsa")
    user.email = "hafsa@example.ma"
    db.session.commit()
    app._got_first_request = False  # let the test add its two routes

    @app.post("/test-notify-then-fail")
    def notify_then_fail():
        messaging.notify("badge_issued", user, {"holder": "H", "site": "S", "link": "L"})
        raise RuleBroken("no")

    @app.post("/test-notify")
    def notify_ok():
        messaging.notify("badge_issued", user, {"holder": "H", "site": "S", "link": "L"})
        return "ok"

    assert client.post("/test-notify-then-fail").status_code == 422
    assert run_queue() == 0
    assert smtp_inbox.messages == []
    assert db.session.scalar(select(OutboundMessage.id)) is None
    # The same call in a request that succeeds does send.
    assert client.post("/test-notify").status_code == 200
    assert run_queue() == 1
    assert len(smtp_inbox.messages) == 1


def test_smtp_down_then_up_never_loses_a_message(app, make_user, smtp_inbox):
    user = make_user("volunteer", username="omar")
    user.email = "omar@example.ma"
    db.session.commit()
    smtp_inbox.stop()
    with app.test_request_context():
        message = messaging.notify("badge_issued", user, {"holder": "O", "site": "S", "link": "L"})
        db.session.commit()
    assert messaging.send_committed() == 1  # handed to the queue
    assert run_queue() == 2  # the try fails; its retry, taken early, waits in the schedule
    assert queue.huey.scheduled_count() == 1
    db.session.refresh(message)
    assert (message.state, message.attempts) == ("retried", 1)
    assert message.next_attempt_at > utc_now()
    assert messaging.send_due_messages() == 0  # not yet due

    smtp_inbox.start()
    assert messaging.send_due_messages(now=utc_now() + timedelta(hours=1)) == 1
    db.session.refresh(message)
    assert (message.state, message.attempts) == ("sent", 2)
    assert [mail["To"] for mail in smtp_inbox.messages] == ["omar@example.ma"]


def test_after_the_last_try_a_message_shows_failed_and_can_be_resent(
    app, client, make_user, login, smtp_inbox
):
    app.config["MESSAGE_MAX_ATTEMPTS"] = 2
    user = make_user("organiser", username="lead")
    user.email = "lead@example.ma"
    db.session.commit()
    smtp_inbox.stop()
    with app.test_request_context():
        message = messaging.notify("badge_issued", user, {"holder": "L", "site": "S", "link": "L"})
        db.session.commit()
    messaging.send_committed()
    run_queue()
    messaging.send_due_messages(now=utc_now() + timedelta(days=1))
    db.session.refresh(message)
    assert (message.state, message.attempts) == ("failed", 2)

    login(user)
    page = client.get("/outbox?state=failed").get_data(as_text=True)
    assert "lead@example.ma" in page and f"/outbox/{message.id}/resend" in page
    smtp_inbox.start()
    assert client.post(f"/outbox/{message.id}/resend").status_code == 302
    run_queue()
    db.session.refresh(message)
    assert message.state == "sent"
    assert len(smtp_inbox.messages) == 1


def test_own_contact_details_language_and_channel(app, client, make_user, login):
    user = make_user("cashier", username="rachid")
    login(user)
    response = client.post(
        "/account",
        data={
            "part": "contact",
            "full_name": "Rachid B.",
            "email": "",
            "phone": "0611223344",
            "language": "es",
            "notify_by": "email",
        },
    )
    assert response.status_code == 422  # e-mail wanted but none given
    response = client.post(
        "/account",
        data={
            "part": "contact",
            "full_name": "Rachid B.",
            "email": "",
            "phone": "0611223344",
            "language": "es",
            "notify_by": "sms",
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.full_name, user.phone, user.language, user.notify_by) == (
        "Rachid B.",
        "0611223344",
        "es",
        "sms",
    )
