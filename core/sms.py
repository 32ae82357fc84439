"""SMS gateways: a small interface, an HTTP adapter, and none (the outbox page) by default.

Configured by environment variables: SMS_GATEWAY_URL (the provider's endpoint; unset means no
gateway, messages wait in the outbox to be sent by hand), SMS_GATEWAY_TOKEN (sent as a bearer
token) and SMS_SENDER (the sender name or number).
"""

import json
import urllib.request
from abc import ABC, abstractmethod

from flask import current_app


class SmsGateway(ABC):
    """Sends one text to one phone number, raising on any failure (one adapter per provider)."""

    @abstractmethod
    def send(self, phone, text):
        """Hand the text to the provider."""


class HttpSmsGateway(SmsGateway):
    """POSTs {"to", "from", "text"} as JSON; any 2xx answer means the provider took it."""

    def __init__(self, url, token=None, sender=None, timeout=10):
        self.url = url
        self.token = token
        self.sender = sender
        self.timeout = timeout

    def send(self, phone, text):
        body = json.dumps({"to": phone, "from": self.sender or "", "text": text}).encode()
        request = urllib.request.Request(
            self.url, data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            if not 200 <= response.status < 300:
                raise OSError(f"SMS gateway answered {response.status}")


def gateway():
    """The configured gateway, or None when SMS are sent by hand from the outbox."""
    custom = current_app.extensions.get("souk_sms_gateway")
    if custom is not None:
        return custom
    url = current_app.config.get("SMS_GATEWAY_URL")
    if not url:
        return None
    return HttpSmsGateway(
        url,
        token=current_app.config.get("SMS_GATEWAY_TOKEN"),
        sender=current_app.config.get("SMS_SENDER"),
        timeout=current_app.config.get("SMS_GATEWAY_TIMEOUT", 10),
    )
