"""The notification service: channels, the HTTP SMS gateway, muting, and the outbox states."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import select

from accounts import messaging
from accounts.messaging import Recipient, choose_channel
from accounts.models import OutboundMessage
from core import queue
from core.extensions import db


@pytest.mark.parametrize(
    ("recipient", "required", "channel"),
    [
        (Recipient(email="a@x.ma", phone="0600", notify_by="email"), False, "email"),
        (Recipient(email="a@x.ma", phone="0600", notify_by="sms"), False, "sms"),
        (Recipient(email=None, phone="0600", notify_by="email"), False, "sms"),
        (Recipient(email="a@x.ma", phone=None, notify_by="sms"), False, "email"),
        (Recipient(email="a@x.ma", phone="0600", notify_by="none"), False, None),
        (Recipient(email="a@x.ma", phone="0600", notify_by="none"), True, "email"),
        (Recipient(email=None, phone=None, notify_by="email"), True, None),
    ],
)
def test_the_channel_follows_the_persons_choice(recipient, required, channel):
    assert choose_channel(recipient, required=required) == channel


class Gateway(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Gateway.received.append((self.headers.get("Authorization"), json.loads(body)))
        self.send_response(202)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sms_gateway():
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Gateway.received = []
    yield f"http://127.0.0.1:{server.server_port}/send"
    server.shutdown()
    server.server_close()


def test_sms_go_through_the_http_gateway_when_one_is_set(app, sms_gateway):
    app.config.update(SMS_GATEWAY_URL=sms_gateway, SMS_GATEWAY_TOKEN="secret", SMS_SENDER="SOUK")
    person = Recipient(name="Hind", phone="0612345678", language="ar", notify_by="sms")
    with app.test_request_context():
        message = messaging.notify("badge_issued", person, {"holder": "Hind", "site": "S"})
        db.session.commit()
        assert messaging.send_committed() == 1
    db.session.rollback()
    assert queue.run_pending() == 1  # a worker sends it
    db.session.refresh(message)
    assert message.state == "sent"
    [(authorization, body)] = Gateway.received
    assert authorization == "Bearer secret"
    assert body["to"] == "0612345678" and body["from"] == "SOUK"
    assert body["text"] == message.body_text and "Hind" in body["text"]


def test_without_a_gateway_an_sms_waits_to_be_sent_by_hand(app, make_user, client, login):
    person = Recipient(name="Hind", phone="0612345678", notify_by="sms")
    with app.test_request_context():
        message = messaging.notify("badge_issued", person, {"holder": "Hind", "site": "S"})
        db.session.commit()
        assert messaging.send_committed() == 1
    db.session.rollback()
    assert queue.run_pending() == 1
    db.session.refresh(message)
    assert (message.state, message.attempts) == ("queued", 0)
    login(make_user("organiser"))
    assert client.post(f"/outbox/{message.id}/sent").status_code == 302
    db.session.refresh(message)
    assert message.state == "sent" and message.sent_by_id is not None


def test_nothing_is_queued_while_muted(app):
    with app.test_request_context(), messaging.muted():
        assert messaging.notify("badge_issued", Recipient(email="a@x.ma"), {"holder": "A"}) is None
    assert db.session.scalar(select(OutboundMessage.id)) is None


def test_an_email_has_plain_text_and_html_in_the_recipients_language(app):
    person = Recipient(name="Luis", email="luis@x.es", language="es")
    with app.test_request_context():
        message = messaging.notify(
            "password_reset",
            person,
            {"user": person, "link": "https://souk.example/r/abc", "code": "123456", "hours": 2},
        )
    assert message.subject == "Su contraseña de Souk"
    assert "Hola, Luis:" in message.body_text
    assert '<a href="https://souk.example/r/abc">' in message.body_html
    assert 'lang="es"' in message.body_html
