"""The cooperative registry: registration, review of the partnership agreement, search."""

import re
import secrets

from flask_babel import gettext as _
from sqlalchemy import or_

from accounts.models import User
from accounts.services import create_user
from booths.identifiers import (
    check_identity,
    clean_digits,
    clean_odco_number,
    court_code_for,
    find_court,
)
from booths.models import (
    AGREEMENT_STATUSES,
    COOPERATIVE_FILE_COLUMNS,
    COOPERATIVE_FORM_FIELDS,
    LEGAL_FORMS,
    SECTORS,
    AgreementChange,
    Application,
    Cooperative,
)
from core.errors import Conflict, NotFound, RuleBroken
from core.extensions import db
from markets import gazetteer, territory
from markets.models import Site
from markets.services import check_chosen_province

# Which agreement status may follow which.
AGREEMENT_MOVES = {
    "applicant": {"under_review"},
    "under_review": {"applicant", "signed"},
    "signed": {"suspended"},
    "suspended": {"signed"},
}
PHONE_PATTERN = re.compile(r"^\+?[0-9 .\-]{8,20}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ARABIC_PATTERN = re.compile(r"[\u0600-\u06FF]")


def get_cooperative(cooperative_id):
    cooperative = db.session.get(Cooperative, cooperative_id)
    if cooperative is None:
        raise NotFound(_("No such cooperative."), code="unknown_cooperative")
    return cooperative


def clean_cooperative_values(values):
    """Strip texts, normalise the registration number and sectors; returns a new dict."""
    clean = {field: values.get(field) for field in COOPERATIVE_FORM_FIELDS}
    clean["chosen_province"] = values.get("chosen_province") or None
    for field in ("name_ar", "name_latin", "city", "products", "contact_name", "phone"):
        clean[field] = (clean[field] or "").strip()
    clean["registration_number"] = (clean["registration_number"] or "").strip().upper()
    clean["email"] = (clean["email"] or "").strip().lower() or None
    clean["bank_account"] = clean_digits(clean["bank_account"]) or None
    clean["ice"] = clean_digits(clean["ice"]) or None
    clean["odco_number"] = clean_odco_number(clean["odco_number"]) or None
    clean["registration_court"] = court_code_for(clean["registration_court"]) or None
    clean["legal_form"] = clean["legal_form"] or "cooperative"
    sectors = clean["sectors"] or []
    if isinstance(sectors, str):
        sectors = re.split(r"[|,;/]+", sectors)
    clean["sectors"] = list(dict.fromkeys(item.strip() for item in sectors if item.strip()))
    for field in ("members", "women_members", "young_members"):
        clean[field] = clean[field] if clean[field] is not None else 0
    return clean


def check_cooperative_values(values, cooperative=None):
    """Raise a RuleBroken/Conflict naming the field at fault; fill province and coordinates."""
    if not values["name_latin"]:
        raise RuleBroken(_("Give the name in Latin script."), field="name_latin")
    if values["name_ar"] and not ARABIC_PATTERN.search(values["name_ar"]):
        raise RuleBroken(_("The Arabic name must be written in Arabic script."), field="name_ar")
    if values["legal_form"] not in LEGAL_FORMS:
        raise RuleBroken(_("Unknown legal form."), field="legal_form")
    check_registration_number(values["registration_number"], cooperative)
    place = gazetteer.find_place(values["city"])
    if place is None:
        raise RuleBroken(_("Unknown city: choose one from the list."), field="city")
    check_chosen_province(values.pop("chosen_province", None), place)
    values.update(
        city=place.name,
        province=place.province,
        province_code=place.province_code,
        latitude=place.latitude,
        longitude=place.longitude,
    )
    if not values["sectors"]:
        raise RuleBroken(_("Choose at least one sector."), field="sectors")
    unknown = [sector for sector in values["sectors"] if sector not in SECTORS]
    if unknown:
        raise RuleBroken(
            _("Unknown sector: %(sectors)s.", sectors=", ".join(unknown)), field="sectors"
        )
    values["main_sector"] = values["sectors"][0]
    check_member_counts(values)
    if values["phone"] and not PHONE_PATTERN.match(values["phone"]):
        raise RuleBroken(_("Write the phone number with digits, e.g. 0612345678."), field="phone")
    if values["email"] and not EMAIL_PATTERN.match(values["email"]):
        raise RuleBroken(_("This e-mail address does not look right."), field="email")
    check_identity(values)
    return values


def check_registration_number(number, cooperative=None):
    if not number or len(number) > 60:
        raise RuleBroken(_("Give the registration number."), field="registration_number")
    duplicate = db.session.query(Cooperative.id).filter(Cooperative.registration_number == number)
    if cooperative is not None:
        duplicate = duplicate.filter(Cooperative.id != cooperative.id)
    if duplicate.first():
        raise Conflict(
            _(
                "A cooperative with the registration number %(number)s is already registered.",
                number=number,
            ),
            code="duplicate_registration_number",
            field="registration_number",
        )


def check_member_counts(values):
    members, women, young = values["members"], values["women_members"], values["young_members"]
    if any(not isinstance(count, int) or count < 0 for count in (members, women, young)):
        raise RuleBroken(_("Member counts are whole numbers, 0 or more."), field="members")
    if women > members:
        raise RuleBroken(
            _("There cannot be more women members than members."), field="women_members"
        )
    if young > members:
        raise RuleBroken(
            _("There cannot be more members under 35 than members."), field="young_members"
        )


def record_agreement_change(cooperative, old, new, actor, note=""):
    db.session.add(
        AgreementChange(
            cooperative=cooperative,
            from_status=old,
            to_status=new,
            note=note or "",
            actor_id=actor.id if actor is not None else None,
        )
    )


def register_cooperative(values, actor=None, status="applicant"):
    """A new cooperative in the registry (public self-registration, an organiser, an import)."""
    if status not in AGREEMENT_STATUSES:
        raise RuleBroken(_("Unknown agreement status."), field="agreement_status")
    values = check_cooperative_values(clean_cooperative_values(values))
    cooperative = Cooperative(agreement_status=status, **values)
    db.session.add(cooperative)
    record_agreement_change(cooperative, None, status, actor)
    db.session.flush()
    return cooperative


def update_cooperative(cooperative, values, actor):
    merged = {
        field: values.get(field, getattr(cooperative, field)) for field in COOPERATIVE_FORM_FIELDS
    } | {"chosen_province": values.get("chosen_province")}
    merged = check_cooperative_values(clean_cooperative_values(merged), cooperative)
    for field, value in merged.items():
        setattr(cooperative, field, value)
    db.session.flush()
    return cooperative


def change_agreement_status(cooperative, new_status, actor, note=""):
    """Move the agreement forward (or back); signing gives the cooperative a user account.

    Returns the new account's (username, password) when one was created, else None.
    """
    locked = db.session.query(Cooperative).filter_by(id=cooperative.id).with_for_update().one()
    old = locked.agreement_status
    if new_status not in AGREEMENT_MOVES.get(old, set()):
        raise RuleBroken(
            _(
                "The agreement cannot go from %(old)s to %(new)s.",
                old=agreement_label(old),
                new=agreement_label(new_status),
            ),
            code="bad_agreement_move",
        )
    locked.agreement_status = new_status
    record_agreement_change(locked, old, new_status, actor, note)
    db.session.flush()
    if new_status == "signed":
        return ensure_cooperative_account(locked)
    return None


def ensure_cooperative_account(cooperative):
    """Create the cooperative's user account if it has none; returns (username, password)."""
    if db.session.query(User.id).filter_by(cooperative_id=cooperative.id).first():
        return None
    base = re.sub(r"[^a-z0-9]+", "-", cooperative.registration_number.lower()).strip("-")
    username = base or f"coop-{cooperative.id}"
    suffix = 1
    while db.session.query(User.id).filter_by(username=username).first():
        suffix += 1
        username = f"{base}-{suffix}"
    password = secrets.token_urlsafe(12)
    create_user(
        username,
        password,
        "cooperative",
        full_name=cooperative.contact_name,
        email=cooperative.email,
        cooperative=cooperative,
    )
    return username, password


def agreement_label(status):
    labels = {
        "applicant": _("applicant"),
        "under_review": _("under review"),
        "signed": _("signed"),
        "suspended": _("suspended"),
    }
    return labels.get(status, status)


def cooperative_matches(text):
    """The condition a cooperative meets when a person looks for it by words: part of its
    Latin or Arabic name, registration number, city or products."""
    pattern = f"%{text.strip()}%"
    return or_(
        Cooperative.name_latin.ilike(pattern),
        Cooperative.name_ar.like(pattern),
        Cooperative.registration_number.ilike(pattern),
        Cooperative.city.ilike(pattern),
        Cooperative.products.ilike(pattern),
    )


def search_cooperatives(text="", sector=None, province=None, status=None, edition=None):
    """A query of cooperatives matching the filters, ordered by Latin name."""
    query = db.session.query(Cooperative)
    if text and text.strip():
        query = query.filter(cooperative_matches(text))
    if sector:
        # Sectors are a JSON list; the main sector is indexed, the others matched as text.
        query = query.filter(
            or_(
                Cooperative.main_sector == sector,
                db.cast(Cooperative.sectors, db.String).like(f'%"{sector}"%'),
            )
        )
    if province:  # a code, or a province's name (links written before the codes)
        code = (
            province if territory.find_province(province) else territory.province_code_for(province)
        )
        query = query.filter(Cooperative.province_code == code)
    if status:
        query = query.filter(Cooperative.agreement_status == status)
    if edition is not None:
        applied = (
            db.session.query(Application.cooperative_id)
            .join(Site, Application.site_id == Site.id)
            .filter(Site.edition_id == edition.id)
        )
        query = query.filter(Cooperative.id.in_(applied))
    return query.order_by(Cooperative.name_latin, Cooperative.id)


def export_cell(cooperative, field):
    """A column as the file holds it: sectors joined, the court by its name (read back on import)."""
    if field == "sectors":
        return "|".join(cooperative.sectors)
    if field == "registration_court":
        court = find_court(cooperative.registration_court)
        return court.name_fr if court else ""
    return getattr(cooperative, field)


def cooperative_export_rows(cooperatives):
    for cooperative in cooperatives:
        yield [export_cell(cooperative, field) for field in COOPERATIVE_FILE_COLUMNS]


def cooperative_choices():
    """[(id, Latin name)] of every cooperative, by name: whom a cooperative user may act for."""
    rows = db.session.query(Cooperative.id, Cooperative.name_latin).order_by(Cooperative.name_latin)
    return [(cooperative_id, name) for cooperative_id, name in rows]


def find_cooperative(cooperative_id):
    """The cooperative with this id, or None."""
    return db.session.get(Cooperative, cooperative_id)


def find_cooperative_by_registration_number(registration_number):
    """The cooperative with this registration number, or None."""
    return db.session.query(Cooperative).filter_by(registration_number=registration_number).first()
