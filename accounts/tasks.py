"""The accounts' scheduled work: expired API tokens, password-reset and invitation links, and
device provisioning links are cleaned up."""

from datetime import timedelta

from accounts.models import AccountToken, ApiToken, Device
from core.extensions import db
from core.queue import periodic

KEEP_EXPIRED = timedelta(days=1)  # a day to tell "expired" from "unknown" in the logs


@periodic("accounts_expired_tokens", minute="17")
def delete_expired_tokens(now):
    return (
        db.session.query(ApiToken)
        .filter(ApiToken.expires_at < now - KEEP_EXPIRED)
        .delete(synchronize_session=False)
    )


@periodic("accounts_expired_links", minute="19")
def delete_expired_links(now):
    """Reset and invitation links past their expiry (used or not) are deleted; a phone's unused
    provisioning link is forgotten (the device stays, waiting for a new QR code). Returns how
    many links went."""
    cutoff = now - KEEP_EXPIRED
    account_links = (
        db.session.query(AccountToken)
        .filter(AccountToken.expires_at < cutoff)
        .delete(synchronize_session=False)
    )
    device_links = (
        db.session.query(Device)
        .filter(Device.link_hash.is_not(None), Device.link_expires_at < cutoff)
        .update({Device.link_hash: None, Device.link_expires_at: None}, synchronize_session=False)
    )
    return account_links + device_links
