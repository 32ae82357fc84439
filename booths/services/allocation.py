"""Allocation of approved applications to the stalls of a site.

The rules, in `plan_allocation` (pure, deterministic, property-tested):
- a stall of the requested type (standard 3×3, double 6×3, demonstration 6×6) with every
  amenity the cooperative needs, in the zone of its sector (food together, crafts together,
  demonstrations apart);
- pinned stalls are never moved (their occupant keeps them, an empty pinned stall stays empty);
- provinces take turns: the next stall goes to the province with the fewest stalls so far, so
  no province crowds out the others while some are waiting;
- among fitting stalls, the one with the fewest amenities nobody asked for, then by code;
- what does not fit is waitlisted with its reason.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from accounts.activity import record_activity
from accounts.models import ActivityEntry
from booths.models import Application, Stall, zone_for
from booths.services.badges import (
    issue_badges,
    issue_site_application_badges,
    revoke_application_badges,
    sync_badge_stalls,
)
from core.errors import Forbidden, RuleBroken
from core.extensions import db
from core.i18n import FALLBACK_ORDER, localized
from core.timeutil import utc_now


@dataclass(frozen=True)
class StallSlot:
    id: int
    code: str
    zone: str
    stall_type: str
    amenities: frozenset
    pinned: bool = False
    application_id: int | None = None


@dataclass(frozen=True)
class Candidate:
    id: int
    province: str
    zone: str
    stall_type: str
    needs: frozenset
    order: tuple = ()  # first come, first served within a province


@dataclass
class AllocationPlan:
    assignments: dict = field(default_factory=dict)  # application id → stall id
    waitlist: dict = field(default_factory=dict)  # application id → reason code
    kept: dict = field(default_factory=dict)  # pinned: application id → stall id


def fits(slot, candidate):
    return (
        slot.zone == candidate.zone
        and slot.stall_type == candidate.stall_type
        and candidate.needs <= slot.amenities
    )


def waitlist_reason(slots, candidate):
    """Why nothing fits: no such stall in the zone, none with the amenities, or all taken."""
    same_kind = [
        slot
        for slot in slots
        if slot.zone == candidate.zone and slot.stall_type == candidate.stall_type
    ]
    if not same_kind:
        return "no_stall_of_type"
    if not any(candidate.needs <= slot.amenities for slot in same_kind):
        return "no_stall_with_amenities"
    return "all_taken"


def plan_allocation(slots, candidates):
    """Assign candidates to slots; returns an AllocationPlan (pure and deterministic)."""
    result = AllocationPlan()
    slots = sorted(slots, key=lambda slot: slot.code)
    candidate_ids = {candidate.id for candidate in candidates}
    placed_per_province = defaultdict(int)
    by_id = {candidate.id: candidate for candidate in candidates}
    for slot in slots:
        if slot.pinned and slot.application_id in candidate_ids:
            result.kept[slot.application_id] = slot.id
            placed_per_province[by_id[slot.application_id].province] += 1
    free = defaultdict(list)  # (zone, type) → [slot], by code
    for slot in slots:
        if not slot.pinned:
            free[(slot.zone, slot.stall_type)].append(slot)
    queues = defaultdict(list)
    for candidate in sorted(candidates, key=lambda item: (item.order, item.id)):
        if candidate.id not in result.kept:
            queues[candidate.province].append(candidate)
    for province in queues:
        queues[province].reverse()  # pop() from the end = first come
    while queues:
        province = min(queues, key=lambda name: (placed_per_province[name], name))
        candidate = queues[province].pop()
        if not queues[province]:
            del queues[province]
        pool = free[(candidate.zone, candidate.stall_type)]
        best = min(
            (slot for slot in pool if candidate.needs <= slot.amenities),
            key=lambda slot: (len(slot.amenities - candidate.needs), slot.code),
            default=None,
        )
        if best is None:
            result.waitlist[candidate.id] = waitlist_reason(slots, candidate)
            continue
        pool.remove(best)
        result.assignments[candidate.id] = best.id
        placed_per_province[province] += 1
    return result


def reason_text(code, application):
    zones = {"food": _("food"), "crafts": _("crafts"), "demonstration": _("demonstration")}
    types = {
        "standard": _("standard (3 × 3 m)"),
        "double": _("double (6 × 3 m)"),
        "demonstration": _("demonstration space"),
    }
    zone = zones[zone_for(application.cooperative.main_sector, application.stall_type)]
    kind = types[application.stall_type]
    if code == "no_stall_of_type":
        return _("The floor plan has no %(kind)s stall in the %(zone)s zone.", kind=kind, zone=zone)
    if code == "no_stall_with_amenities":
        return _(
            "No %(kind)s stall in the %(zone)s zone has everything asked for (%(needs)s).",
            kind=kind,
            zone=zone,
            needs=", ".join(need_label(need) for need in application.needs),
        )
    return _("Every %(kind)s stall of the %(zone)s zone is taken.", kind=kind, zone=zone)


def need_label(need):
    labels = {
        "electricity": _("electricity"),
        "water": _("water"),
        "shade": _("shade"),
        "ground_access": _("ground access"),
    }
    return labels.get(need, need)


def slot_of(stall):
    return StallSlot(
        id=stall.id,
        code=stall.code,
        zone=stall.zone,
        stall_type=stall.stall_type,
        amenities=frozenset(stall.amenities or ()),
        pinned=stall.pinned,
        application_id=stall.application_id,
    )


def candidate_of(application):
    return Candidate(
        id=application.id,
        province=application.cooperative.province,
        zone=zone_for(application.cooperative.main_sector, application.stall_type),
        stall_type=application.stall_type,
        needs=frozenset(application.needs or ()),
        order=(application.created_at, application.id),
    )


def allocation_candidates(site):
    """Approved applications, and those the last run waitlisted for want of a stall."""
    return (
        db.session.query(Application)
        .filter(
            Application.site_id == site.id,
            (Application.status == "approved")
            | ((Application.status == "waitlisted") & Application.waitlisted_by_allocation),
        )
        .options(db.joinedload(Application.cooperative))
        .with_for_update(of=Application)
        .all()
    )


def allocate_stalls(site, actor):
    """Run the allocation for a site; returns the AllocationPlan it applied."""

    if site.edition.is_closed:
        raise Forbidden(_("A closed edition can no longer be changed."))
    stalls = (
        db.session.query(Stall).filter_by(site_id=site.id).with_for_update().order_by(Stall.code)
    ).all()
    if not stalls:
        raise RuleBroken(_("The site has no stall yet: generate its floor plan first."))
    applications = allocation_candidates(site)
    snapshot = allocation_snapshot(site)
    result = plan_allocation(
        [slot_of(stall) for stall in stalls], [candidate_of(a) for a in applications]
    )
    stall_by_id = {stall.id: stall for stall in stalls}
    for stall in stalls:
        if not stall.pinned:
            stall.application_id = None
    db.session.flush()
    now = utc_now()
    for application in applications:
        if application.id in result.waitlist:
            application.status = "waitlisted"
            application.waitlisted_by_allocation = True
            application.reason = reason_text(result.waitlist[application.id], application)
            application.decided_at = now
            revoke_application_badges(application, actor, "waitlisted by the allocation")
            continue
        stall_id = result.assignments.get(application.id) or result.kept.get(application.id)
        stall_by_id[stall_id].application_id = application.id
        if application.status != "approved":
            application.status, application.reason = "approved", ""
            application.waitlisted_by_allocation = False
            application.decided_at = now
    db.session.flush()
    sync_badge_stalls(site)
    placed = [a.id for a in applications if a.id not in result.waitlist]
    issue_site_application_badges(site, placed, actor)
    record_activity(
        actor,
        "allocation.run",
        site,
        label=localized(site.names, FALLBACK_ORDER[0]),
        previous=snapshot,
        placed=len(result.assignments),
        waitlisted=len(result.waitlist),
    )
    return result


def misfit_reason(slot, application):
    """Why an application cannot take a stall (a Stall or a StallSlot), or None when it fits."""
    candidate = candidate_of(application)
    if not isinstance(slot, StallSlot):
        slot = slot_of(slot)
    if slot.zone != candidate.zone:
        return _("Stall %(code)s is not in the zone of this cooperative's sector.", code=slot.code)
    if slot.stall_type != candidate.stall_type:
        return _("Stall %(code)s does not have the size asked for.", code=slot.code)
    if not candidate.needs <= slot.amenities:
        return _("Stall %(code)s lacks an amenity the cooperative needs.", code=slot.code)
    return None


def assign_stall(stall, application, actor):
    """Place an approved application on a stall by hand; the stall is pinned."""

    if application.site_id != stall.site_id or application.status != "approved":
        raise RuleBroken(
            _("Only an approved application of this site can take a stall."),
            code="not_approved",
            field="application_id",
        )
    locked = db.session.query(Stall).filter_by(id=stall.id).with_for_update().one()
    if locked.application_id not in (None, application.id):
        raise RuleBroken(
            _("Stall %(code)s is already taken: free it first.", code=locked.code),
            code="stall_taken",
            field="application_id",
        )
    reason = misfit_reason(locked, application)
    if reason:
        raise RuleBroken(reason, code="misfit", field="application_id")
    db.session.query(Stall).filter(
        Stall.application_id == application.id, Stall.id != locked.id
    ).update({"application_id": None, "pinned": False}, synchronize_session="fetch")
    db.session.flush()
    locked.application_id = application.id
    locked.pinned = True
    db.session.flush()
    sync_badge_stalls(locked.site)
    issue_badges(db.session.get(Application, application.id), actor)
    record_activity(
        actor,
        "allocation.edit",
        locked,
        label=locked.code,
        edition_id=locked.site.edition_id,
        cooperative_id=application.cooperative_id,
        application=application.id,
    )
    return locked


def free_stall(stall, actor):
    """Take the occupant off a stall and unpin it."""

    previous = stall.application
    stall.application_id = None
    stall.pinned = False
    db.session.flush()
    sync_badge_stalls(stall.site)
    record_activity(
        actor,
        "allocation.edit",
        stall,
        label=stall.code,
        edition_id=stall.site.edition_id,
        cooperative_id=previous.cooperative_id if previous else None,
        freed=True,
    )
    return stall


def set_stall_pinned(stall, pinned, actor):
    stall.pinned = bool(pinned)
    db.session.flush()
    return stall


def clear_allocation(site, actor, reason=""):
    """Free every stall that is not pinned (the previous allocation is kept for an undo)."""

    record_activity(
        actor,
        "allocation.clear",
        site,
        label=localized(site.names, FALLBACK_ORDER[0]),
        reason=reason,
        previous=allocation_snapshot(site),
    )
    db.session.query(Stall).filter(Stall.site_id == site.id, Stall.pinned.is_(False)).update(
        {"application_id": None}, synchronize_session=False
    )
    db.session.flush()
    sync_badge_stalls(site)


def allocation_snapshot(site):
    """{stall id: [application id, pinned]} of the site's occupied stalls, kept in the log."""
    rows = db.session.execute(
        select(Stall.id, Stall.application_id, Stall.pinned).where(
            Stall.site_id == site.id, Stall.application_id.isnot(None)
        )
    )
    return {str(row.id): [row.application_id, bool(row.pinned)] for row in rows}


def last_allocation_snapshot(site):
    """The log entry holding the allocation before the last run or clear, or None."""
    return db.session.scalars(
        select(ActivityEntry)
        .where(
            ActivityEntry.subject_type == "sites",
            ActivityEntry.subject_id == site.id,
            ActivityEntry.action.in_(("allocation.run", "allocation.clear")),
        )
        .order_by(ActivityEntry.id.desc())
        .limit(1)
    ).first()


def restore_allocation(site, actor):
    """Undo the last run or clear: put back every approved application on its former stall."""
    if site.edition.status == "closed":
        raise Forbidden(_("A closed edition can no longer be changed."))
    entry = last_allocation_snapshot(site)
    if entry is None or "previous" not in entry.details:
        raise RuleBroken(_("There is no previous allocation to restore."), code="no_snapshot")
    stalls = {
        stall.id: stall
        for stall in db.session.query(Stall).filter_by(site_id=site.id).with_for_update()
    }
    approved = {
        application_id
        for (application_id,) in db.session.query(Application.id).filter(
            Application.site_id == site.id, Application.status == "approved"
        )
    }
    for stall in stalls.values():
        stall.application_id, stall.pinned = None, False
    db.session.flush()
    restored = 0
    for stall_id, (application_id, pinned) in entry.details["previous"].items():
        stall = stalls.get(int(stall_id))
        if stall is not None and application_id in approved:
            stall.application_id, stall.pinned = application_id, pinned
            restored += 1
    db.session.flush()
    sync_badge_stalls(site)
    record_activity(
        actor,
        "allocation.restore",
        site,
        label=localized(site.names, FALLBACK_ORDER[0]),
        restored=restored,
        entry=entry.id,
    )
    return restored
