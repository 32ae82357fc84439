"""Live gate operations: entries today and in the last hour, exits and occupancy, per gate,
per phone and per site (counted from the scan and tally rows of today, Moroccan time)."""

from datetime import datetime, time, timedelta

from sqlalchemy import case, func

from accounts.models import Device
from core.extensions import db
from core.timeutil import iso_utc, local_to_utc_naive, utc_now
from visitors.models import Scan, Tally
from visitors.services.attendance import local_today

ENTRY_STATUSES = ("accepted", "reentry")


def today_window(now=None):
    """(start of today in UTC, now) for Africa/Casablanca's today."""
    now = now or utc_now()
    start = local_to_utc_naive(datetime.combine(local_today(now), time(0, 0)))
    return start, now


def gate_operations(edition, now=None):
    """{"sites": [...], "gates": [...], "devices": [...], "updated_at"} for the live page."""
    start, now = today_window(now)
    hour_ago = now - timedelta(hours=1)
    scans = scan_counts(edition, start, hour_ago, now)
    tallies = tally_counts(edition, start, hour_ago, now)
    devices = {
        device.user_id: device
        for device in db.session.query(Device).filter_by(edition_id=edition.id)
    }
    gates, sites, phones = [], [], {}
    for site in edition.sites:
        totals = {"entries": 0, "exits": 0}
        for gate in site.gate_list:
            row = add_counts(
                scans.get((site.id, gate.code), {}), tallies.get((site.id, gate.code), {})
            )
            gates.append(
                {
                    "site": site.slug,
                    "site_names": site.names,
                    "gate": gate.code,
                    "names": gate.names,
                    "role": gate.role,
                    **row,
                }
            )
            totals["entries"] += row["entries_today"]
            totals["exits"] += row["exits_today"]
        sites.append(
            {
                "site": site.slug,
                "names": site.names,
                "entries_today": totals["entries"],
                "exits_today": totals["exits"],
                "occupancy": max(totals["entries"] - totals["exits"], 0),
            }
        )
    for (user_id, _site_id, _checkpoint), row in device_counts(
        edition, start, hour_ago, now
    ).items():
        device = devices.get(user_id)
        if device is None:
            continue
        phone = phones.setdefault(
            device.id,
            {
                "id": device.id,
                "name": device.name,
                "entries_today": 0,
                "entries_last_hour": 0,
                "exits_today": 0,
            },
        )
        for key in ("entries_today", "entries_last_hour", "exits_today"):
            phone[key] += row[key]
    return {
        "edition": edition.slug,
        "updated_at": iso_utc(now),
        "sites": sites,
        "gates": gates,
        "devices": sorted(phones.values(), key=lambda item: item["name"]),
    }


def counting_columns(moment, hour_ago):
    entry = (Scan.direction == "in") & Scan.status.in_(ENTRY_STATUSES)
    exit_ = (Scan.direction == "out") & (Scan.status == "accepted")
    return (
        func.sum(case((entry, 1), else_=0)),
        func.sum(case((entry & (moment >= hour_ago), 1), else_=0)),
        func.sum(case((exit_, 1), else_=0)),
    )


def scan_counts(edition, start, hour_ago, now):
    columns = counting_columns(Scan.scanned_at, hour_ago)
    rows = (
        db.session.query(Scan.site_id, Scan.checkpoint, *columns)
        .filter(Scan.edition_id == edition.id, Scan.scanned_at >= start, Scan.scanned_at <= now)
        .group_by(Scan.site_id, Scan.checkpoint)
    )
    return {(site, checkpoint): as_counts(values) for site, checkpoint, *values in rows}


def device_counts(edition, start, hour_ago, now):
    columns = counting_columns(Scan.scanned_at, hour_ago)
    rows = (
        db.session.query(Scan.user_id, Scan.site_id, Scan.checkpoint, *columns)
        .filter(Scan.edition_id == edition.id, Scan.scanned_at >= start, Scan.scanned_at <= now)
        .group_by(Scan.user_id, Scan.site_id, Scan.checkpoint)
    )
    return {(user, site, checkpoint): as_counts(values) for user, site, checkpoint, *values in rows}


def tally_counts(edition, start, hour_ago, now):
    rows = (
        db.session.query(
            Tally.site_id,
            Tally.checkpoint,
            func.sum(Tally.count),
            func.sum(case((Tally.counted_at >= hour_ago, Tally.count), else_=0)),
        )
        .filter(
            Tally.edition_id == edition.id,
            Tally.status == "accepted",
            Tally.counted_at >= start,
            Tally.counted_at <= now,
        )
        .group_by(Tally.site_id, Tally.checkpoint)
    )
    return {
        (site, checkpoint): {
            "entries_today": int(today or 0),
            "entries_last_hour": int(hour or 0),
            "exits_today": 0,
        }
        for site, checkpoint, today, hour in rows
    }


def as_counts(values):
    today, hour, exits = (int(value or 0) for value in values)
    return {"entries_today": today, "entries_last_hour": hour, "exits_today": exits}


def add_counts(*rows):
    total = {"entries_today": 0, "entries_last_hour": 0, "exits_today": 0}
    for row in rows:
        for key in total:
            total[key] += row.get(key, 0)
    return total
