"""Signed QR tokens (API.md, *QR tokens*).

A token is the text ``SK1.`` followed by base64url(payload + signature) where the payload is
15 bytes: version (1), kind (1: ``V`` visitor, ``E`` exhibitor, ``C`` certificate), key id (4,
which names the edition's key pair), token id (8 random bytes) and 1 spare byte for flags.
The signature is Ed25519 over the payload (64 bytes). The text is 107 characters: it fits a QR
code of version 7 at error-correction level M (122 bytes).
"""

import base64
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from core.extensions import db
from markets.models import RevokedToken, SigningKey

PREFIX = "SK1."
VERSION = 1
KINDS = {"V": "visitor", "E": "exhibitor", "C": "certificate"}
PAYLOAD_LENGTH = 15
SIGNATURE_LENGTH = 64


class TokenInvalid(Exception):
    """Not one of our codes, altered, or signed by a key we do not know."""


@dataclass(frozen=True)
class VerifiedToken:
    kind: str  # "V", "E" or "C"
    token_id: str  # 16 hex characters
    edition_id: int
    kid: str


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def unb64url(text):
    padding = "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(text + padding)


def new_token_id():
    return secrets.token_hex(8)


def create_signing_key(edition):
    """Make a fresh key pair for an edition (flushes, does not commit)."""
    private = Ed25519PrivateKey.generate()
    key = SigningKey(
        kid=secrets.token_hex(4),
        edition_id=edition.id,
        private_key=private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
        public_key=private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
    )
    db.session.add(key)
    db.session.flush()
    return key


def current_signing_key(edition):
    key = (
        db.session.query(SigningKey)
        .filter_by(edition_id=edition.id)
        .order_by(SigningKey.id.desc())
        .first()
    )
    return key or create_signing_key(edition)


def sign_token(edition, kind, token_id=None, key=None):
    """Return (token_id, code) for a new signed token of this edition.

    ``key`` lets bulk callers pass the edition's current SigningKey they already loaded.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown token kind {kind!r}")
    key = key or current_signing_key(edition)
    token_id = token_id or new_token_id()
    payload = bytes([VERSION, ord(kind)]) + bytes.fromhex(key.kid) + bytes.fromhex(token_id) + b"\0"
    private = Ed25519PrivateKey.from_private_bytes(key.private_key)
    return token_id, PREFIX + b64url(payload + private.sign(payload))


def parse_token(code):
    """Split a code into (payload fields, payload bytes, signature); raise TokenInvalid."""
    if not isinstance(code, str) or not code.startswith(PREFIX) or len(code) > 200:
        raise TokenInvalid("not a Souk code")
    try:
        raw = unb64url(code[len(PREFIX) :].strip())
    except (ValueError, TypeError) as error:
        raise TokenInvalid("unreadable") from error
    if len(raw) != PAYLOAD_LENGTH + SIGNATURE_LENGTH:
        raise TokenInvalid("wrong length")
    payload, signature = raw[:PAYLOAD_LENGTH], raw[PAYLOAD_LENGTH:]
    if payload[0] != VERSION or chr(payload[1]) not in KINDS:
        raise TokenInvalid("unknown version or kind")
    return chr(payload[1]), payload[2:6].hex(), payload[6:14].hex(), payload, signature


def verify_token(code, keys_by_kid=None):
    """Check a code's signature against our keys; returns a VerifiedToken or raises TokenInvalid.

    ``keys_by_kid`` lets hot paths pass the keys they already loaded ({kid: SigningKey}).
    """
    kind, kid, token_id, payload, signature = parse_token(code)
    key = keys_by_kid.get(kid) if keys_by_kid is not None else None
    if key is None:
        key = db.session.query(SigningKey).filter_by(kid=kid).first()
    if key is None:
        raise TokenInvalid("unknown key")
    try:
        Ed25519PublicKey.from_public_bytes(key.public_key).verify(signature, payload)
    except InvalidSignature as error:
        raise TokenInvalid("bad signature") from error
    return VerifiedToken(kind=kind, token_id=token_id, edition_id=key.edition_id, kid=kid)


def revoke_token(edition, token_id, reason=""):
    if db.session.get(RevokedToken, token_id) is None:
        db.session.add(RevokedToken(token_id=token_id, edition_id=edition.id, reason=reason))
        db.session.flush()


def is_revoked(token_id):
    return db.session.get(RevokedToken, token_id) is not None


def public_keys(edition):
    keys = db.session.query(SigningKey).filter_by(edition_id=edition.id).order_by(SigningKey.id)
    return [
        {"kid": key.kid, "alg": "Ed25519", "public_key": b64url(key.public_key)} for key in keys
    ]


def revoked_token_ids(edition):
    rows = db.session.query(RevokedToken.token_id).filter_by(edition_id=edition.id)
    return sorted(token_id for (token_id,) in rows)
