"""Documents of the programme: the timetable grid and PDF, iCalendar feeds, certificates."""

from collections import OrderedDict
from datetime import UTC, timedelta

from flask import url_for
from icalendar import Calendar, Event

from core.i18n import localized
from core.pdf import render_pdf
from core.qr import qr_svg
from core.timeutil import to_local, utc_now
from workshops.labels import AUDIENCE_LABELS, FORMAT_LABELS, TOPIC_LABELS, label_globals

SLOT_MINUTES = 30


def timetable_grid(site, day, workshops, seats=None, trimmed=False):
    """A time grid for one site and day: rooms as columns, half-hour rows.

    Returns {"rooms": [...], "rows": [{"label": "10:00", "cells": [cell or None or "covered"]}]}
    where a cell is {"workshop", "rowspan", "registered"}; "covered" marks a slot that a
    workshop above already fills.
    """
    seats = seats or {}
    todays = [w for w in workshops if to_local(w.starts_at).date() == day]
    rooms = list(OrderedDict.fromkeys(sorted(w.room for w in todays)))
    first = site.opens_minute - site.opens_minute % SLOT_MINUTES
    last = site.closes_minute
    if trimmed and todays:
        # Print: only the rows from the first session to the last, so a day fits its page.
        local_minutes = [
            (to_local(w.starts_at).hour * 60 + to_local(w.starts_at).minute, w) for w in todays
        ]
        first = min(minute for minute, _ in local_minutes)
        first -= first % SLOT_MINUTES
        last = max(
            minute + int((w.ends_at - w.starts_at).total_seconds() // 60)
            for minute, w in local_minutes
        )
    minutes = list(range(first, last, SLOT_MINUTES))
    starts = {}
    for workshop in todays:
        start, end = to_local(workshop.starts_at), to_local(workshop.ends_at)
        start_minute = start.hour * 60 + start.minute
        end_minute = (end - start).total_seconds() // 60 + start_minute
        slot = start_minute - start_minute % SLOT_MINUTES
        span = max(1, int(-(-(end_minute - slot) // SLOT_MINUTES)))
        starts[(slot, workshop.room)] = (workshop, span)
    rows, covered = [], set()
    for minute in minutes:
        cells = []
        for room in rooms:
            if (minute, room) in starts:
                workshop, span = starts[(minute, room)]
                cells.append(
                    {"workshop": workshop, "rowspan": span, "registered": seats.get(workshop.id, 0)}
                )
                covered.update((minute + n * SLOT_MINUTES, room) for n in range(1, span))
            elif (minute, room) in covered:
                cells.append("covered")
            else:
                cells.append(None)
        rows.append({"label": f"{minute // 60:02d}:{minute % 60:02d}", "cells": cells})
    return {"rooms": rooms, "rows": rows, "workshops": todays}


def timetable_pdf(edition, site, days, workshops, seats):
    grids = [(day, timetable_grid(site, day, workshops, seats, trimmed=True)) for day in days]
    # A printed page per day that has sessions (no empty pages); one page when none has any.
    grids = [(day, grid) for day, grid in grids if grid["rooms"]] or grids[:1]
    return render_pdf(
        "pdf/workshops_timetable.html",
        edition=edition,
        site=site,
        grids=grids,
        now=utc_now(),
        **label_globals(),
    )


def calendar_feed(edition, workshops, name):
    """An iCalendar feed with the workshops in Africa/Casablanca time and a VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", "-//Souk//Workshops//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Africa/Casablanca")
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    stamp = utc_now().replace(tzinfo=UTC, microsecond=0)
    for workshop in workshops:
        calendar.add_component(workshop_event(edition, workshop, stamp))
    if workshops:
        first = min(to_local(w.starts_at).date() for w in workshops)
        last = max(to_local(w.ends_at).date() for w in workshops)
        calendar.add_missing_timezones(
            first_date=first - timedelta(days=1), last_date=last + timedelta(days=2)
        )
    return calendar.to_ical()


def workshop_event(edition, workshop, stamp):
    event = Event()
    event.add("uid", f"workshop-{workshop.id}@{edition.slug}.souk")
    event.add("dtstamp", stamp)
    event.add("dtstart", to_local(workshop.starts_at))
    event.add("dtend", to_local(workshop.ends_at))
    event.add("summary", localized(workshop.titles))
    site_name = localized(workshop.site.names) or workshop.site.city
    event.add("location", f"{workshop.room}, {site_name}, {workshop.site.city}")
    lines = [localized(workshop.descriptions)]
    lines.append(
        f"{TOPIC_LABELS[workshop.topic]} · {FORMAT_LABELS[workshop.format]} · {AUDIENCE_LABELS[workshop.audience]}"
    )
    for speaker in workshop.speakers:
        lines.append(", ".join(part for part in (speaker.name, speaker.organisation) if part))
    url = url_for("workshops.workshop_page", workshop_id=workshop.id, _external=True)
    lines.append(url)
    event.add("description", "\n".join(line for line in lines if line))
    event.add("url", url)
    event.add("categories", [str(TOPIC_LABELS[workshop.topic])])
    event.add("geo", (workshop.site.latitude, workshop.site.longitude))
    return event


def certificate_context(certificate):
    attendance = certificate.attendance
    workshop = attendance.workshop
    verify_url = url_for("workshops.verify_certificate", code=certificate.code, _external=True)
    hours = (workshop.ends_at - workshop.starts_at).total_seconds() / 3600
    return {
        "certificate": certificate,
        "attendance": attendance,
        "workshop": workshop,
        "cooperative": attendance.cooperative,
        "hours": hours,
        "verify_url": verify_url,
        "qr": qr_svg(verify_url),
        "survey_url": url_for("workshops.survey", key=attendance.key, _external=True),
    }


def certificates_pdf(certificates):
    return render_pdf(
        "pdf/workshops_certificate.html",
        pages=[certificate_context(certificate) for certificate in certificates],
        **label_globals(),
    )
