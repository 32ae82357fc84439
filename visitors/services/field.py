"""What the field app needs to work offline: open editions, their sites, gates, doors and keys."""

from flask_babel import force_locale

from core.checkpoints import checkpoint_kind
from core.extensions import db
from core.i18n import LANGUAGE_NAMES, localized
from core.timeutil import iso_utc
from markets import tokens
from markets.models import Edition
from visitors.models import FirstEntry, Scan
from visitors.services.scanning import load_badges


def workshop_doors(edition):
    """{site slug: [{"checkpoint", "labels": {language: label}}]}: workshop doors to scan at,
    labelled in every language (the phone shows the one it was set to)."""
    list_doors = checkpoint_kind("workshop")["list_doors"]
    doors = {}
    for language in LANGUAGE_NAMES:
        with force_locale(language):
            for site_slug, items in list_doors(edition).items():
                by_checkpoint = doors.setdefault(site_slug, {})
                for checkpoint, label in items:
                    door = by_checkpoint.setdefault(
                        checkpoint, {"checkpoint": checkpoint, "labels": {}}
                    )
                    door["labels"][language] = label
    return {site_slug: list(items.values()) for site_slug, items in doors.items()}


def gate_json(gate):
    return {"code": gate.code, "names": gate.names, "role": gate.role}


def scanner_editions(only=None):
    """The open editions (or the one edition of a provisioned phone), as the scanner keeps them."""
    query = db.session.query(Edition).filter(Edition.takes_field_work).order_by(Edition.starts_on)
    if only is not None:
        query = query.filter(Edition.id == only)
    editions = query.all()
    return [edition_for_scanner(edition) for edition in editions]


def edition_for_scanner(edition):
    doors = workshop_doors(edition)
    return {
        "slug": edition.slug,
        "names": edition.names,
        "keys": tokens.public_keys(edition),
        "revoked": tokens.revoked_token_ids(edition),
        "sites": [
            {
                "slug": site.slug,
                "names": site.names,
                "gates": [gate_json(gate) for gate in site.gate_list],
                "doors": doors.get(site.slug, []),
                "opens_on": site.opens_on.isoformat(),
                "closes_on": site.closes_on.isoformat(),
                "opens_minute": site.opens_minute,
                "closes_minute": site.closes_minute,
                "windows": site_windows(site),
            }
            for site in edition.sites
        ],
    }


def site_windows(site):
    """The site's opening windows as the scanner checks them offline: [[opens, closes)] in UTC,
    computed by the site's own rules (the phone repeats none of them)."""
    return [[iso_utc(opens), iso_utc(closes)] for opens, closes in site.opening_windows()]


def describe_results(results):
    """Add what a volunteer needs to the answer of a batch: the exhibitor's cooperative, stall
    and site, or the time a re-entering ticket first entered (API.md allows added fields)."""
    wanted = {
        r["id"]: r for r in results if r.get("status") in ("exhibitor", "wrong_site", "reentry")
    }
    if not wanted:
        return results
    scans = db.session.query(Scan).filter(Scan.client_id.in_(list(wanted))).all()
    badges = load_badges(sorted({scan.token_id for scan in scans if scan.kind == "exhibitor"}))
    for scan in scans:
        result = wanted[scan.client_id]
        if scan.kind == "exhibitor" and scan.token_id in badges:
            result["exhibitor"] = exhibitor_json(badges[scan.token_id])
        elif result["status"] == "reentry" and scan.site_id:
            first = (
                db.session.query(FirstEntry.entered_at)
                .filter_by(site_id=scan.site_id, token_id=scan.token_id)
                .scalar()
            )
            result["first_entry_at"] = iso_utc(first)
    return results


def exhibitor_json(badge):
    cooperative = badge.cooperative
    names = {}
    if cooperative is not None:
        names = {"ar": cooperative.name_ar or cooperative.name_latin}
        names.update(
            {
                language: cooperative.name_latin or cooperative.name_ar
                for language in ("fr", "en", "es")
            }
        )
    return {
        "cooperative": localized(names),
        "cooperative_names": names,
        "stall": badge.stall.code if badge.stall is not None else None,
        "site": badge.site.slug,
        "site_names": badge.site.names,
    }
