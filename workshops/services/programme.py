"""The programme: workshops in rooms of a site, with speakers, inside the site's hours."""

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
        .options(selectinload(Workshop.speakers), joinedload(Workshop.site))
    )
    if site is not None:
        query = query.where(Workshop.site_id == site.id)
    if audience is not None:
        query = query.where(Workshop.audience == audience)
    workshops = db.session.scalars(query.order_by(Workshop.starts_at, Workshop.room)).all()
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
        if other.site_id == values["site"].id and fold(other.room) == fold(values["room"]):
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
    values["room"] = " ".join((values.get("room") or "").split())[:120]
    values["speakers"] = clean_speakers(values.get("speakers"))
    values["format"] = values.get("format") or "workshop"
    values["audience"] = values.get("audience") or "public"
    site = values.get("site")
    if site is None or site.edition_id != edition.id:
        raise RuleBroken(_("Choose a site of this edition."), field="site")
    if values.get("starts_at") is None or values.get("ends_at") is None:
        raise RuleBroken(_("Give the start and end times."), field="starts_at")
    return values


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
