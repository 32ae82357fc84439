"""The accounts' scheduled work: expired API tokens are deleted."""

from datetime import timedelta

from accounts.models import ApiToken
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
