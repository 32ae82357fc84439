"""Attendance: unique visitors and entries per site, day and hour, tallies included, and the
projection toward the targets (API.md, *Attendance*).

Read from the hourly counters (a few hundred rows per edition whatever the number of scans).
A day's ``visitors`` are the ticket holders whose first entry at the site fell that day plus
that day's tallies, so that the days add up to the site's unique visitors.
"""

from datetime import date, datetime, time, timedelta

from core.extensions import db
from core.timeutil import local_to_utc_naive, to_local, utc_now
from visitors.models import AttendanceHour


def zero():
    return {"visitors": 0, "entries": 0, "tallied": 0}


def add_into(total, visitors, entries, tallied):
    total["visitors"] += visitors + tallied
    total["entries"] += entries + tallied
    total["tallied"] += tallied


def counter_rows(edition):
    return db.session.execute(
        db.select(
            AttendanceHour.site_id,
            AttendanceHour.hour,
            AttendanceHour.visitors,
            AttendanceHour.entries,
            AttendanceHour.tallied,
            AttendanceHour.edition_visitors,
        ).where(AttendanceHour.edition_id == edition.id)
    ).all()


def attendance_summary(edition, now=None):
    """The JSON of GET /api/v1/editions/<edition>/attendance, with hours per day as extra."""
    now = now or utc_now()
    per_site = {site.id: {"total": zero(), "days": {}} for site in edition.sites}
    ticket_holders = 0  # each ticket once for the whole edition, whatever the sites it visited
    for site_id, hour, visitors, entries, tallied, edition_visitors in counter_rows(edition):
        if site_id not in per_site:
            continue
        ticket_holders += edition_visitors
        local = to_local(hour)
        bucket = per_site[site_id]
        add_into(bucket["total"], visitors, entries, tallied)
        day = bucket["days"].setdefault(local.date(), {"total": zero(), "hours": {}})
        add_into(day["total"], visitors, entries, tallied)
        add_into(day["hours"].setdefault(local.hour, zero()), visitors, entries, tallied)
    sites, edition_total, expected_total = [], zero(), 0
    for site in edition.sites:
        bucket = per_site[site.id]
        for key, value in bucket["total"].items():
            edition_total[key] += value
        expected = project_site(site, bucket["total"]["visitors"], now)
        expected_total += expected
        sites.append(site_json(site, bucket, expected))
    # A ticket is valid at every site: the edition counts each ticket holder once, and its
    # projection scales the sites' projections to that count.
    site_visitors = edition_total["visitors"]
    edition_total["visitors"] = ticket_holders + edition_total["tallied"]
    if site_visitors:
        expected_total = round(expected_total * edition_total["visitors"] / site_visitors)
    return {
        "edition": edition.slug,
        "target": edition.visitor_target,
        **edition_total,
        "sites": sites,
        "projection": {
            "expected_total": expected_total,
            "on_track": expected_total >= edition.visitor_target,
            "as_of": now.replace(microsecond=0).isoformat() + "Z",
        },
    }


def site_json(site, bucket, expected):
    days = sorted(set(site.days) | set(bucket["days"]))
    return {
        "site": site.slug,
        "target": site.visitor_target,
        **bucket["total"],
        "days": [day_json(day, bucket["days"].get(day)) for day in days],
        "projection": {
            "expected_total": expected,
            "on_track": expected >= site.visitor_target,
        },
    }


def day_json(day, counted):
    counted = counted or {"total": zero(), "hours": {}}
    return {
        "date": day.isoformat(),
        **counted["total"],
        "hours": [{"hour": hour, **counted["hours"][hour]} for hour in sorted(counted["hours"])],
    }


# ---------------------------------------------------------------- projection


def open_minutes_between(site, start_utc, end_utc):
    """Minutes of the site's opening hours (local time) between two naive UTC moments."""
    if end_utc <= start_utc:
        return 0
    total = 0
    for day in site.days:
        overlap = min(site.closes_at(day), end_utc) - max(site.opens_at(day), start_utc)
        total += max(0, int(overlap.total_seconds() // 60))
    return total


def project_site(site, visitors, now):
    """Expected visitors at closing at the pace so far (by opening minutes elapsed)."""
    start = local_to_utc_naive(datetime.combine(site.opens_on, time()))
    end = local_to_utc_naive(datetime.combine(site.closes_on + timedelta(days=1), time()))
    total = open_minutes_between(site, start, end)
    elapsed = open_minutes_between(site, start, min(now, end))
    if elapsed <= 0 or elapsed >= total:
        return visitors
    return round(visitors * total / elapsed)


def hourly_series(summary_site, day):
    """[(hour label, entries)] for one site and local day, every opening hour shown."""
    wanted = day.isoformat() if isinstance(day, date) else day
    found = next((d for d in summary_site["days"] if d["date"] == wanted), None)
    hours = {item["hour"]: item for item in (found or {}).get("hours", [])}
    return [(f"{hour:02d}", hours.get(hour, {}).get("entries", 0)) for hour in range(24)]


def local_today(now=None):
    return to_local(now or utc_now()).date()
