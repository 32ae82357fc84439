"""The activity log: an append-only record of who did what, when, to what, and why.

Services call record_activity() in the same transaction as the change it records, so an entry
exists exactly when the change was saved. Entries are never updated or deleted.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from accounts.models import ActivityEntry
from core.extensions import db

# Every action the log knows, with the words people read (the key is never shown).
ACTIONS = {
    "edition.status": _l("Edition status changed"),
    "site.status": _l("Site status changed"),
    "application.decision": _l("Application decided"),
    "allocation.run": _l("Stalls allocated"),
    "allocation.edit": _l("Stall edited by hand"),
    "allocation.clear": _l("Allocation cleared"),
    "allocation.restore": _l("Previous allocation restored"),
    "stall.delete": _l("Stall deleted"),
    "badge.revoke": _l("Badge revoked"),
    "badge.reissue": _l("Badge reissued"),
    "stock.adjust": _l("Stock adjusted"),
    "sale.void": _l("Sale voided"),
    "sale.refund": _l("Sale refunded"),
    "payout.paid": _l("Payout paid"),
    "certificate.withdraw": _l("Certificate withdrawn"),
    "user.create": _l("User created"),
    "user.invite": _l("User invited"),
    "user.join": _l("Invitation accepted"),
    "user.activate": _l("User reactivated"),
    "user.deactivate": _l("User deactivated"),
    "user.password": _l("Password changed"),
    "device.change": _l("Device changed"),
}


def action_label(action):
    return ACTIONS.get(action, _l("Other change"))


def record_activity(
    actor, action, subject, label="", reason="", edition_id=None, cooperative_id=None, **details
):
    """Append one entry; `subject` is the model changed (its table and id are kept)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown activity action {action!r}")
    entry = ActivityEntry(
        actor_id=getattr(actor, "id", None),
        actor_name=(getattr(actor, "full_name", "") or getattr(actor, "username", "")) or "",
        action=action,
        subject_type=getattr(subject, "__tablename__", type(subject).__name__.lower()),
        subject_id=getattr(subject, "id", None),
        subject_label=str(label or "")[:300],
        edition_id=edition_id if edition_id is not None else getattr(subject, "edition_id", None),
        cooperative_id=(
            cooperative_id
            if cooperative_id is not None
            else getattr(subject, "cooperative_id", None)
        ),
        reason=(reason or "").strip(),
        details={key: value for key, value in details.items() if value is not None},
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def activity_query(edition_id=None, cooperative_id=None, action=None, actor_id=None, since=None):
    """Entries newest first, filtered by edition, cooperative, action, actor and date."""
    query = select(ActivityEntry)
    if edition_id is not None:
        query = query.where(ActivityEntry.edition_id == edition_id)
    if cooperative_id is not None:
        query = query.where(ActivityEntry.cooperative_id == cooperative_id)
    if action:
        query = query.where(ActivityEntry.action == action)
    if actor_id:
        query = query.where(ActivityEntry.actor_id == actor_id)
    if since is not None:
        query = query.where(ActivityEntry.created_at >= since)
    return query.order_by(ActivityEntry.created_at.desc(), ActivityEntry.id.desc())


def list_activity(limit=500, **filters):
    return db.session.scalars(activity_query(**filters).limit(limit)).all()


@event.listens_for(Session, "before_flush")
def _keep_log_append_only(session, flush_context, instances):
    for instance in list(session.dirty) + list(session.deleted):
        if isinstance(instance, ActivityEntry) and (
            instance in session.deleted or session.is_modified(instance)
        ):
            raise RuntimeError("The activity log is append-only.")
