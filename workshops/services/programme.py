"""The programme: workshops in rooms of a site, with speakers, inside the site's hours."""

import re

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from core.errors import Forbidden, NotFound, RuleBroken
from core.extensions import db
from core.i18n import clean_translations, localized
from core.timeutil import show_datetime, to_local
from markets.models import Edition
from workshops.models import (
    AUDIENCES,
    FORMATS,
    TOPICS,
    Attendance,
    Registration,
    Room,
    Speaker,
    Workshop,
)
from workshops.services.locking import lock_workshop
from workshops.services.registration import fill_free_seats

WORKSHOP_FIELDS = (
    "site",
    "titles",
    "descriptions",
    "topic",
    "format",
    "room",
    "capacity",
    "starts_at",
    "ends_at",
    "audience",
    "speakers",
)


def get_workshop(workshop_id, edition=None):
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None or (edition is not None and workshop.edition_id != edition.id):
        raise NotFound(_("No such workshop."), code="unknown_workshop")
    return workshop


def list_workshops(edition, site=None, day=None, audience=None):
    """The edition's workshops in time order; ``day`` is a local date."""
    query = (
        select(Workshop)
        .where(Workshop.edition_id == edition.id)
        .options(
            selectinload(Workshop.speakers),
            joinedload(Workshop.site),
            joinedload(Workshop.place),
        )
    )
    if site is not None:
        query = query.where(Workshop.site_id == site.id)
    if audience is not None:
        query = query.where(Workshop.audience == audience)
    workshops = db.session.scalars(query.order_by(Workshop.starts_at, Workshop.room_id)).all()
    if day is not None:
        workshops = [w for w in workshops if to_local(w.starts_at).date() == day]
    return workshops


def seats_taken(workshop_ids):
    """{workshop id: registered seats} in one query."""
    if not workshop_ids:
        return {}
    rows = db.session.execute(
        select(Registration.workshop_id, func.count())
        .where(Registration.workshop_id.in_(workshop_ids), Registration.status == "registered")
        .group_by(Registration.workshop_id)
    )
    return dict(rows.all())


def fold(text):
    return " ".join((text or "").split()).casefold()


def clean_speakers(speakers):
    cleaned = []
    for speaker in speakers or []:
        name = " ".join((speaker.get("name") or "").split())
        if not name:
            continue
        if any(fold(name) == fold(other["name"]) for other in cleaned):
            raise RuleBroken(
                _("%(name)s is listed twice as a speaker.", name=name), field="speakers"
            )
        cleaned.append(
            {
                "name": name[:200],
                "organisation": (speaker.get("organisation") or "").strip()[:200],
                "bio": (speaker.get("bio") or "").strip(),
            }
        )
    return cleaned


def check_choices(values):
    if not values["titles"]:
        raise RuleBroken(_("Give the workshop a title in at least one language."), field="titles")
    if values["topic"] not in TOPICS:
        raise RuleBroken(_("Choose a topic from the list."), field="topic")
    if values["format"] not in FORMATS:
        raise RuleBroken(_("Choose a format from the list."), field="format")
    if values["audience"] not in AUDIENCES:
        raise RuleBroken(_("Choose the audience from the list."), field="audience")
    if not values["room"]:
        raise RuleBroken(_("Name the room or tent."), field="room")
    if not values["capacity"] or values["capacity"] <= 0:
        raise RuleBroken(_("The capacity must be a positive number of seats."), field="capacity")


def check_inside_opening_hours(site, starts_at, ends_at):
    """Start and end on the same day of the site's dates, within its daily hours (local time)."""
    if ends_at <= starts_at:
        raise RuleBroken(_("The workshop must end after it starts."), field="ends_at")
    day = to_local(starts_at).date()
    if not site.opens_on <= day <= site.closes_on:
        raise RuleBroken(
            _(
                "The site is open from %(first)s to %(last)s only.",
                first=site.opens_on,
                last=site.closes_on,
            ),
            code="outside_opening_hours",
            field="starts_at",
        )
    if starts_at < site.opens_at(day) or ends_at > site.closes_at(day):
        raise RuleBroken(
            _(
                "The site is open from %(opens)s to %(closes)s: the workshop must fit in these hours.",
                opens=minutes_text(site.opens_minute),
                closes=minutes_text(site.closes_minute),
            ),
            code="outside_opening_hours",
            field="starts_at",
        )


def minutes_text(minutes):
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def overlapping(edition, starts_at, ends_at, workshop=None):
    query = select(Workshop).where(
        Workshop.edition_id == edition.id,
        Workshop.starts_at < ends_at,
        Workshop.ends_at > starts_at,
    )
    if workshop is not None and workshop.id is not None:
        query = query.where(Workshop.id != workshop.id)
    return db.session.scalars(query).all()


def check_no_double_booking(edition, values, workshop=None):
    """No room of a site and no speaker of the edition in two workshops at the same time."""
    others = overlapping(edition, values["starts_at"], values["ends_at"], workshop)
    for other in others:
        if other.site_id == values["site"].id and other.place is values["room"]:
            raise RuleBroken(
                _("The room %(room)s is already booked at this time.", room=other.room),
                code="room_booked",
                field="room",
            )
    names = {fold(speaker["name"]) for speaker in values["speakers"]}
    if names and others:
        clash = db.session.scalars(
            select(Speaker).where(
                Speaker.workshop_id.in_([other.id for other in others]),
                Speaker.name_key.in_(names),
            )
        ).first()
        if clash is not None:
            raise RuleBroken(
                _("%(name)s already speaks at another workshop at this time.", name=clash.name),
                code="speaker_booked",
                field="speakers",
            )


def prepared_values(edition, values):
    values = dict(values)
    values["titles"] = clean_translations(values.get("titles"))
    values["descriptions"] = clean_translations(values.get("descriptions"))
    values["speakers"] = clean_speakers(values.get("speakers"))
    values["format"] = values.get("format") or "workshop"
    values["audience"] = values.get("audience") or "public"
    site = values.get("site")
    if site is None or site.edition_id != edition.id:
        raise RuleBroken(_("Choose a site of this edition."), field="site")
    if values.get("starts_at") is None or values.get("ends_at") is None:
        raise RuleBroken(_("Give the start and end times."), field="starts_at")
    values["room"] = resolve_room(site, values.get("room"))
    return values


def site_rooms(site):
    return db.session.scalars(
        select(Room).where(Room.site_id == site.id).order_by(Room.position, Room.id)
    ).all()


def edition_room(edition, room_id):
    """The room an organiser picked from the list (its id, as the form posts it): one of the
    edition's rooms, else a clear refusal (the site check follows in resolve_room)."""
    try:
        room = db.session.get(Room, int(room_id))
    except (TypeError, ValueError):
        room = None
    if room is None or room.site is None or room.site.edition_id != edition.id:
        raise RuleBroken(_("Choose a room of this site."), field="room")
    return room


def names_room(room, text):
    folded = fold(text)
    return room.code == text.lower() or any(
        fold(name) == folded for name in (room.names or {}).values()
    )


def room_code(name, existing):
    """An internal code for a new room: its name as a slug, else room-<n>."""
    used = {room.code for room in existing}
    code = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:80]
    if code and code not in used:
        return code
    number = len(used) + 1
    while f"room-{number}" in used:
        number += 1
    return f"room-{number}"


def text_language(text):
    """The language a typed room name is stored under: Arabic or Tifinagh by its letters, else
    French (the organiser completes the other languages on the rooms page). Babel is not asked:
    it would pin the locale of the whole app context (tests, jobs) at this call."""
    if re.search(r"[\u0600-\u06ff]", text):
        return "ar"
    if re.search(r"[\u2d30-\u2d7f]", text):
        return "zgh"
    return "fr"


def resolve_room(site, room):
    """The room of the site a workshop is in: a Room, or a text that names one of the site's
    rooms in any language (or its code); any other text makes a new room named so in the
    organiser's language, whose internal code is made from the name (as gates are)."""
    if isinstance(room, Room):
        if room.site_id is not None and room.site_id != site.id:
            raise RuleBroken(_("Choose a room of this site."), field="room")
        return room
    text = " ".join((room or "").split())[:120]
    if not text:
        return None
    existing = site_rooms(site)
    found = next((other for other in existing if names_room(other, text)), None)
    if found is not None:
        return found
    room = Room(
        site_id=site.id,
        code=room_code(text, existing),
        names={text_language(text): text},
        position=len(existing),
    )
    db.session.add(room)
    return room


def update_rooms(site, rows, actor):
    """Rename, add or remove the rooms of a site: rows of {"code" (None for a new room),
    "names": {language: name}, "remove"}. Codes of kept rooms never change; a room that
    workshops are in cannot be removed."""
    check_editable(site.edition)
    existing = site_rooms(site)
    by_code = {room.code: room for room in existing}
    kept = []
    for row in rows:
        names = clean_translations(row.get("names"))
        room = by_code.get(row.get("code")) if row.get("code") else None
        if row.get("remove"):
            if room is not None:
                used = db.session.scalar(
                    select(func.count()).select_from(Workshop).where(Workshop.room_id == room.id)
                )
                if used:
                    raise RuleBroken(
                        _("Workshops take place in %(room)s: move them first.", room=room.name),
                        code="room_in_use",
                        field="rooms",
                    )
                db.session.delete(room)
            continue
        if not names:
            if room is None:
                continue
            raise RuleBroken(_("Name every room in at least one language."), field="rooms")
        if any(len(name) > 120 for name in names.values()):
            raise RuleBroken(_("A room name has at most 120 characters."), field="rooms")
        for other in kept:
            if any(fold(a) == fold(b) for a in other.names.values() for b in names.values()):
                raise RuleBroken(
                    _("Two rooms are named %(name)s.", name=localized(names)), field="rooms"
                )
        if room is None:
            room = Room(
                site_id=site.id,
                code=room_code(localized(names, "fr"), existing + kept),
            )
            db.session.add(room)
        room.names = names
        room.position = len(kept)
        kept.append(room)
    db.session.flush()
    return kept


def lock_edition(edition):
    """Serialise programme changes of an edition (double bookings are checked under it)."""
    db.session.execute(select(Edition.id).where(Edition.id == edition.id).with_for_update())


def check_editable(edition):
    if edition.is_closed:
        raise Forbidden(_("A closed edition can no longer be changed."))


def apply_speakers(workshop, speakers):
    workshop.speakers = [
        Speaker(position=index, name_key=fold(speaker["name"]), **speaker)
        for index, speaker in enumerate(speakers)
    ]


def create_workshop(edition, values, actor):
    check_editable(edition)
    values = prepared_values(edition, values)
    check_choices(values)
    check_inside_opening_hours(values["site"], values["starts_at"], values["ends_at"])
    lock_edition(edition)
    check_no_double_booking(edition, values)
    speakers = values.pop("speakers")
    workshop = Workshop(edition_id=edition.id, **values)
    apply_speakers(workshop, speakers)
    db.session.add(workshop)
    db.session.flush()
    return workshop


def update_workshop(workshop, values, actor):
    """Change a workshop; more seats promote people from the waiting list."""
    edition = workshop.edition
    check_editable(edition)
    current = {field: getattr(workshop, field) for field in WORKSHOP_FIELDS if field != "speakers"}
    current["speakers"] = [
        {"name": s.name, "organisation": s.organisation, "bio": s.bio} for s in workshop.speakers
    ]
    merged = prepared_values(edition, {**current, **values})
    check_choices(merged)
    check_inside_opening_hours(merged["site"], merged["starts_at"], merged["ends_at"])
    lock_edition(edition)
    workshop = lock_workshop(workshop.id)
    check_no_double_booking(edition, merged, workshop)
    taken = seats_taken([workshop.id]).get(workshop.id, 0)
    if merged["capacity"] < taken:
        raise RuleBroken(
            _("%(count)s people are registered: the capacity cannot be lower.", count=taken),
            code="capacity_below_registered",
            field="capacity",
        )
    apply_speakers(workshop, merged.pop("speakers"))
    for field, value in merged.items():
        setattr(workshop, field, value)
    db.session.flush()
    fill_free_seats(workshop)
    return workshop


def delete_workshop(workshop, actor):
    check_editable(workshop.edition)
    used = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.workshop_id == workshop.id)
    ) or db.session.scalar(
        select(func.count()).select_from(Attendance).where(Attendance.workshop_id == workshop.id)
    )
    if used:
        raise RuleBroken(
            _("People registered for this workshop: cancel their registrations first."),
            code="workshop_in_use",
        )
    db.session.delete(workshop)
    db.session.flush()


def workshop_doors(edition):
    """{site slug: [[checkpoint, label]]}: the workshop doors a volunteer can scan at."""
    doors = {}
    for workshop in list_workshops(edition):
        label = f"{show_datetime(workshop.starts_at, 'short')} · {localized(workshop.titles)} ({workshop.room})"
        doors.setdefault(workshop.site.slug, []).append([f"workshop:{workshop.id}", label])
    return doors
