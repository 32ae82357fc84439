"""Market planning rules: editions, their status, and their sites in several cities."""

import re

from flask_babel import gettext as _
from sqlalchemy import and_

from accounts.activity import record_activity
from core.errors import Conflict, Forbidden, NotFound, RuleBroken
from core.extensions import db
from core.i18n import (
    FALLBACK_ORDER,
    as_translations,
    clean_translations,
    current_language,
    localized,
)
from markets import gazetteer
from markets.models import EDITION_STATUSES, GATE_ROLES, TAKING_STATUSES, Edition, Site
from markets.tokens import create_signing_key

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Which status may follow which: forward only, and back from open to published (a pause).
STATUS_MOVES = {
    "draft": {"published"},
    "published": {"draft", "open"},
    "open": {"published", "closed"},
    "closed": set(),
}
EDITION_FIELDS = (
    "slug",
    "number",
    "names",
    "slogans",
    "organiser",
    "partners",
    "visitor_target",
    "commission_basis_points",
    "starts_on",
    "ends_on",
    "previous_id",
)
SITE_FIELDS = (
    "slug",
    "city",
    "names",
    "venue",
    "address",
    "area_m2",
    "opens_on",
    "closes_on",
    "opens_minute",
    "closes_minute",
    "visitor_target",
    "gates",
    "latitude",
    "longitude",
)


def get_edition(slug):
    edition = db.session.query(Edition).filter_by(slug=slug).first()
    if edition is None:
        raise NotFound(_("No edition called %(slug)s.", slug=slug), code="unknown_edition")
    return edition


def get_visible_edition(slug, viewer=None):
    """An edition as the public sees it: drafts exist only for organisers."""
    edition = get_edition(slug)
    is_organiser = viewer is not None and getattr(viewer, "role", None) == "organiser"
    if not edition.is_public and not is_organiser:
        raise NotFound(_("No edition called %(slug)s.", slug=slug), code="unknown_edition")
    return edition


def get_site(edition, slug):
    site = edition.site(slug)
    if site is None:
        raise NotFound(
            _("No site called %(slug)s in this edition.", slug=slug), code="unknown_site"
        )
    return site


def load_edition_site(slug, site_slug):
    """(edition, site) named in a page's URL, or NotFound: the loader every feature's site page uses."""
    edition = get_edition(slug)
    return edition, get_site(edition, site_slug)


def list_editions(public_only=False):
    query = db.session.query(Edition).order_by(Edition.starts_on.desc(), Edition.id.desc())
    if public_only:
        query = query.filter(Edition.is_public)
    return query.all()


def check_slug(slug):
    if not slug or not SLUG_PATTERN.match(slug) or len(slug) > 80:
        raise RuleBroken(
            _("Use lower-case letters, digits and dashes (e.g. fes-meknes-2022)."), field="slug"
        )


def check_edition_values(values, edition=None):
    check_slug(values["slug"])
    duplicate = db.session.query(Edition.id).filter(Edition.slug == values["slug"])
    if edition is not None:
        duplicate = duplicate.filter(Edition.id != edition.id)
    if duplicate.first():
        raise Conflict(_("This slug is already used by another edition."), field="slug")
    if not clean_translations(values["names"]):
        raise RuleBroken(_("Give the edition a name in at least one language."), field="names")
    if values["visitor_target"] is None or values["visitor_target"] <= 0:
        raise RuleBroken(_("The visitor target must be a positive number."), field="visitor_target")
    if values["number"] is None or values["number"] <= 0:
        raise RuleBroken(_("The edition number must be a positive number."), field="number")
    if not 0 <= (values["commission_basis_points"] or 0) <= 10000:
        raise RuleBroken(
            _("The commission rate must be between 0 and 100 %."), field="commission_basis_points"
        )
    if values["ends_on"] < values["starts_on"]:
        raise RuleBroken(_("The edition cannot end before it starts."), field="ends_on")


def create_edition(values, actor):
    values = {field: values.get(field) for field in EDITION_FIELDS}
    values["names"] = clean_translations(values["names"])
    values["slogans"] = clean_translations(values.get("slogans"))
    values["organiser"] = as_translations(values.get("organiser"))
    values["partners"] = as_translations(values.get("partners"))
    values["commission_basis_points"] = values["commission_basis_points"] or 0
    check_edition_values(values)
    edition = Edition(status="draft", **values)
    db.session.add(edition)
    db.session.flush()
    create_signing_key(edition)
    return edition


def update_edition(edition, values, actor):
    if edition.is_closed:
        raise Forbidden(_("A closed edition can no longer be changed."))
    merged = {field: values.get(field, getattr(edition, field)) for field in EDITION_FIELDS}
    merged["names"] = clean_translations(merged["names"])
    merged["slogans"] = clean_translations(merged["slogans"])
    merged["organiser"] = as_translations(merged["organiser"])
    merged["partners"] = as_translations(merged["partners"])
    if edition.takes_field_work and (merged["slug"], merged["starts_on"]) != (
        edition.slug,
        edition.starts_on,
    ):
        raise Forbidden(_("An open edition keeps its slug and start date."))
    check_edition_values(merged, edition)
    for site in edition.sites:
        if site.opens_on < merged["starts_on"] or site.closes_on > merged["ends_on"]:
            raise RuleBroken(
                _(
                    "The site %(site)s would fall outside the edition's dates.",
                    site=localized(site.names) or site.city,
                ),
                field="ends_on",
            )
    for field, value in merged.items():
        setattr(edition, field, value)
    db.session.flush()
    return edition


def change_status(edition, new_status, actor, reason=""):
    if new_status not in EDITION_STATUSES:
        raise RuleBroken(_("Unknown status."))
    if new_status not in STATUS_MOVES[edition.status]:
        raise RuleBroken(
            _(
                "An edition cannot go from %(old)s to %(new)s.",
                old=status_label(edition.status),
                new=status_label(new_status),
            )
        )
    if new_status in TAKING_STATUSES and not edition.sites:
        raise RuleBroken(_("Add at least one site before publishing the edition."))
    old_status = edition.status
    edition.status = new_status
    db.session.flush()
    record_activity(
        actor,
        "edition.status",
        edition,
        # A name people read (never the slug), in the registry's language: a service must not
        # fix the request's locale.
        label=localized(edition.names, FALLBACK_ORDER[0]),
        reason=reason,
        edition_id=edition.id,
        old=old_status,
        new=new_status,
    )
    return edition


def status_label(status):
    labels = {
        "draft": _("draft"),
        "published": _("published"),
        "open": _("open"),
        "closed": _("closed"),
    }
    return labels.get(status, status)


def parse_gates(text, site=None):
    """The gates typed on the site form, one per line (or comma separated), by their names.

    A line naming a gate the site has (by its name in any language, or its internal code)
    keeps that gate with its names and role; any other line makes a new gate named so in the
    organiser's language, whose internal code is made from the name ("gate-2" when the name
    has no Latin letters). A list (from code, not the form) holds codes or gate dicts; a bare
    code gets the names "Gate 1", "Gate 2"... Returns [{"code", "names"}] for Site.gates.
    """
    if isinstance(text, list):  # from code (demo, imports, tests): codes or gate dicts
        lines = [item if isinstance(item, dict) else {"code": str(item).strip()} for item in text]
    else:
        lines = re.split(r"[,\n;]+", text or "")
    existing = list(site.gate_list) if site is not None else []
    gates, codes = [], set()
    for line in lines:
        if isinstance(line, dict):  # already {"code", "names", "role"} (demo, imports)
            if not SLUG_PATTERN.match(line["code"] or ""):
                raise RuleBroken(_("Gate names use letters, digits and dashes."), field="gates")
            if line["code"] not in codes:
                codes.add(line["code"])
                gates.append(line)
            continue
        line = str(line).strip()
        if not line or len(line) > 80:
            if line:
                raise RuleBroken(_("A gate name has at most 80 characters."), field="gates")
            continue
        gate = next((gate for gate in existing if names_gate(gate, line)), None)
        if gate is not None:
            item = {"code": gate.code}
        else:
            item = {"code": gate_code(line, existing, codes), "names": {current_language(): line}}
        if item["code"] not in codes:
            codes.add(item["code"])
            gates.append(item)
    return gates


def update_gates(site, rows, actor):
    """Rename, re-role, add or remove the gates of a site: rows of {"code" (None for a new
    gate), "names": {language: name}, "role", "remove"}. Codes of kept gates never change (the
    phones and the scans speak them); a new gate's code is made from its name."""
    if site.edition.status == "closed":
        raise Forbidden(_("A closed edition can no longer be changed."))
    existing = list(site.gate_list)
    gates, taken = [], set()
    for row in rows:
        names = clean_translations(row.get("names"))
        if row.get("remove") or (row.get("code") is None and not names):
            continue
        if not names:
            raise RuleBroken(_("Name every gate in at least one language."), field="gates")
        if any(len(name) > 80 for name in names.values()):
            raise RuleBroken(_("A gate name has at most 80 characters."), field="gates")
        role = row.get("role") or "both"
        if role not in GATE_ROLES:
            raise RuleBroken(_("A gate is for entries, exits or both."), field="gates")
        code = row.get("code")
        if code is None or site.gate(code) is None:
            code = gate_code(localized(names, "fr"), existing, taken)
        taken.add(code)
        gates.append({"code": code, "names": names, "role": role})
    if not gates:
        raise RuleBroken(_("Name at least one gate."), field="gates")
    site.gates = gates  # kept gates take the names and roles given here
    db.session.flush()
    return site


def names_gate(gate, text):
    folded = text.casefold()
    return gate.code == text.lower() or any(
        name.casefold() == folded for name in (gate.names or {}).values()
    )


def gate_code(name, existing, taken):
    """An internal code for a new gate: its name as a slug, else gate-<n>."""
    used = taken | {gate.code for gate in existing}
    code = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if code and SLUG_PATTERN.match(code) and len(code) <= 80 and code not in used:
        return code
    number = len(used) + 1
    while f"gate-{number}" in used:
        number += 1
    return f"gate-{number}"


def check_site_values(edition, values, site=None):
    check_slug(values["slug"])
    if any(other.slug == values["slug"] and other is not site for other in edition.sites):
        raise Conflict(_("This edition already has a site with this slug."), field="slug")
    if values["area_m2"] is None or values["area_m2"] <= 0:
        raise RuleBroken(_("The stall area must be a positive number of m²."), field="area_m2")
    if values["visitor_target"] is None or values["visitor_target"] <= 0:
        raise RuleBroken(_("The visitor target must be a positive number."), field="visitor_target")
    if values["closes_on"] < values["opens_on"]:
        raise RuleBroken(_("The site cannot close before it opens."), field="closes_on")
    if values["opens_on"] < edition.starts_on or values["closes_on"] > edition.ends_on:
        raise RuleBroken(
            _("The site's dates must lie within the edition's dates."), field="opens_on"
        )
    if not 0 <= values["opens_minute"] < values["closes_minute"] <= 1440:
        raise RuleBroken(
            _("The daily closing time must come after the opening time."), field="closes_minute"
        )
    if not values["gates"]:
        raise RuleBroken(_("Name at least one gate."), field="gates")
    check_venue_free(edition, values, site)


def check_venue_free(edition, values, site=None):
    """Two editions may not use the same venue of a city on overlapping days (the venue is the
    same when it has the same name in any language)."""
    names = {text.casefold() for text in (values["venue"] or {}).values()}
    if not names:
        return
    neighbours = (
        db.session.query(Site)
        .join(Edition)
        .filter(
            Edition.id != edition.id,
            Site.city == values["city"],
            and_(Site.opens_on <= values["closes_on"], Site.closes_on >= values["opens_on"]),
        )
        .all()
    )
    for other in neighbours:
        if names & {text.casefold() for text in (other.venue or {}).values()}:
            raise Conflict(
                _(
                    "The venue is already used by the edition %(edition)s on these days.",
                    edition=localized(other.edition.names) or other.edition.slug,
                ),
                field="venue",
            )


def check_chosen_province(code, place):
    """A province chosen from the list must be the city's (the city places a site or a
    cooperative, with its coordinates): the choice is a check of the city, never a second truth."""
    if code and code != place.province_code:
        raise RuleBroken(
            _(
                "%(city)s is in the province of %(expected)s, not %(province)s.",
                city=place.name,
                expected=gazetteer.province_label(place.province_code, FALLBACK_ORDER[0]),
                province=gazetteer.province_label(code, FALLBACK_ORDER[0]),
            ),
            field="province_code",
        )


def place_site(values, chosen_province=None):
    """Fill province and coordinates from the geocoder; an unknown city is an error."""
    place = gazetteer.find_place(values["city"])
    if place is None:
        raise RuleBroken(_("Unknown city: choose one from the list."), field="city")
    check_chosen_province(chosen_province, place)
    values["city"] = place.name
    values["province"] = place.province
    values["province_code"] = place.province_code
    if values.get("latitude") is None or values.get("longitude") is None:
        values["latitude"], values["longitude"] = gazetteer.locate(place.name) or (
            place.latitude,
            place.longitude,
        )
    return values


def create_site(edition, values, actor):
    if edition.is_closed:
        raise Forbidden(_("A closed edition can no longer be changed."))
    chosen_province = values.get("chosen_province")
    values = {field: values.get(field) for field in SITE_FIELDS}
    values["names"] = clean_translations(values["names"]) or {"fr": values["city"]}
    values["gates"] = parse_gates(values["gates"])
    values["venue"] = as_translations(values["venue"])
    values["address"] = (values["address"] or "").strip()
    place_site(values, chosen_province)
    check_site_values(edition, values)
    site = Site(edition=edition, **values)
    db.session.add(site)
    db.session.flush()
    return site


def update_site(site, values, actor):
    edition = site.edition
    if edition.is_closed:
        raise Forbidden(_("A closed edition can no longer be changed."))
    merged = {field: values.get(field, getattr(site, field)) for field in SITE_FIELDS}
    merged["names"] = clean_translations(merged["names"]) or {"fr": merged["city"]}
    merged["gates"] = parse_gates(merged["gates"], site)
    merged["venue"] = as_translations(merged["venue"])
    if merged["city"] != site.city:
        merged["latitude"] = merged["longitude"] = None
    place_site(merged, values.get("chosen_province"))
    check_site_values(edition, merged, site)
    for field, value in merged.items():
        setattr(site, field, value)
    db.session.flush()
    return site


def site_distances(edition):
    """[(site, other site, km)] for every pair of sites of an edition."""
    sites = edition.sites
    return [
        (
            first,
            second,
            gazetteer.distance_km(
                (first.latitude, first.longitude), (second.latitude, second.longitude)
            ),
        )
        for index, first in enumerate(sites)
        for second in sites[index + 1 :]
    ]


def minutes_to_text(minutes):
    return "24:00" if minutes == 1440 else f"{minutes // 60:02d}:{minutes % 60:02d}"


def text_to_minutes(text):
    if text in ("24:00", "24:00:00"):
        return 1440
    hours, minutes = (int(part) for part in text.split(":")[:2])
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise ValueError("not a time of day")
    return hours * 60 + minutes
