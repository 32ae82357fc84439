"""Exhibitor badges: one per representative, a QR code with an Ed25519-signed token (kind E)."""

import base64
import io

import qrcode
from flask_babel import gettext as _
from PIL import Image
from sqlalchemy import or_

from accounts.activity import record_activity
from accounts.messaging import page_link
from booths.models import Application, Badge, Cooperative, Stall
from booths.services.notices import tell_cooperative
from booths.services.registry import cooperative_matches
from core.errors import Forbidden, NotFound, RuleBroken
from core.extensions import db
from core.jobs import create_job
from core.pdf import render_pdf
from core.timeutil import utc_now
from markets import tokens

BADGE_KIND = "E"


def get_badge(badge_id):
    badge = db.session.get(Badge, badge_id)
    if badge is None:
        raise NotFound(_("No such badge."), code="unknown_badge")
    return badge


def new_badge(
    application, person_name, person_phone, role="representative", replaces=None, key=None
):
    """A badge with a freshly signed token; `key` is the edition's signing key when known."""
    site = application.site
    token_id, code = tokens.sign_token(site.edition, BADGE_KIND, key=key)
    stall_id = db.session.query(Stall.id).filter(Stall.application_id == application.id).scalar()
    badge = Badge(
        edition_id=site.edition_id,
        site_id=site.id,
        cooperative_id=application.cooperative_id,
        application_id=application.id,
        person_name=person_name,
        person_phone=person_phone or "",
        role=role,
        stall_id=stall_id,
        token_id=token_id,
        code=code,
        replaces_id=replaces.id if replaces is not None else None,
    )
    db.session.add(badge)
    return badge


def issue_badges(application, actor):
    """A badge for every representative of an approved application who has no valid one."""
    if application.status != "approved":
        raise RuleBroken(
            _("Badges are issued for approved applications only."), code="not_approved"
        )
    return issue_site_application_badges(application.site, [application.id], actor)


def issue_site_application_badges(site, application_ids, actor):
    """Badges for the representatives of these approved applications of one site who have no
    valid badge yet: a few set-based queries and one flush, whatever the number of people."""
    if not application_ids:
        return []
    applications = (
        db.session.query(Application)
        .filter(
            Application.id.in_(application_ids),
            Application.site_id == site.id,
            Application.status == "approved",
        )
        .order_by(Application.id)
        .all()
    )
    held = set(
        db.session.query(Badge.application_id, Badge.person_name).filter(
            Badge.application_id.in_(application_ids), Badge.revoked_at.is_(None)
        )
    )
    stall_of = dict(
        db.session.query(Stall.application_id, Stall.id).filter(
            Stall.application_id.in_(application_ids)
        )
    )
    key = tokens.current_signing_key(site.edition)
    badges = []
    for application in applications:
        for person in application.representatives:
            if (application.id, person["name"]) in held:
                continue
            held.add((application.id, person["name"]))
            token_id, code = tokens.sign_token(site.edition, BADGE_KIND, key=key)
            badges.append(
                Badge(
                    edition_id=site.edition_id,
                    site_id=site.id,
                    cooperative_id=application.cooperative_id,
                    application_id=application.id,
                    person_name=person["name"],
                    person_phone=person.get("phone", ""),
                    role="representative",
                    stall_id=stall_of.get(application.id),
                    token_id=token_id,
                    code=code,
                )
            )
    db.session.add_all(badges)
    db.session.flush()
    return badges


def revoke_badge(badge, actor, reason="", tell=True):
    """The badge's code scans as `revoked` from now on."""
    if badge.revoked_at is not None:
        raise RuleBroken(_("This badge is already revoked."), code="already_revoked")
    badge.revoked_at = utc_now()
    tokens.revoke_token(badge.edition, badge.token_id, (reason or "badge revoked")[:200])
    db.session.flush()
    record_activity(actor, "badge.revoke", badge, label=badge.person_name, reason=reason)
    if tell:
        tell_cooperative(
            "badge_revoked",
            badge.cooperative,
            {
                "holder": badge.person_name,
                "site": badge.site,
                "reason": reason,
                "link": page_link("booths.my_cooperative"),
            },
            edition_id=badge.edition_id,
        )
    return badge


def reissue_badge(badge, actor, person_name=None, person_phone=None):
    """Revoke a badge (lost, wrong name) and make a new one with a new code."""
    application = badge.application
    if application is None or application.status != "approved":
        raise RuleBroken(
            _("Badges are issued for approved applications only."), code="not_approved"
        )
    if db.session.query(Badge.id).filter(Badge.replaces_id == badge.id).first():
        raise RuleBroken(_("This badge was already replaced."), code="already_replaced")
    if badge.revoked_at is None:
        revoke_badge(badge, actor, "reissued", tell=False)
    replacement = new_badge(
        application,
        (person_name or badge.person_name).strip(),
        person_phone if person_phone is not None else badge.person_phone,
        role=badge.role,
        replaces=badge,
    )
    db.session.flush()
    record_activity(
        actor, "badge.reissue", replacement, label=replacement.person_name, replaces=badge.id
    )
    tell_cooperative(
        "badge_issued",
        badge.cooperative,
        {
            "holder": replacement.person_name,
            "site": badge.site,
            "link": page_link("booths.badge_pdf", badge_id=replacement.id),
        },
        edition_id=badge.edition_id,
    )
    return replacement


def revoke_application_badges(application, actor, reason=""):
    for badge in (
        db.session.query(Badge)
        .filter(Badge.application_id == application.id, Badge.revoked_at.is_(None))
        .all()
    ):
        revoke_badge(badge, actor, reason, tell=False)


def sync_badge_stalls(site):
    """Point every badge of the site at its application's current stall (one UPDATE)."""
    stall_of_application = (
        db.session.query(Stall.id)
        .filter(Stall.application_id == Badge.application_id)
        .scalar_subquery()
    )
    db.session.query(Badge).filter(Badge.site_id == site.id).update(
        {Badge.stall_id: stall_of_application}, synchronize_session=False
    )
    db.session.expire_all()


def site_badges(site, cooperative=None, include_revoked=False):
    return site_badges_query(site, cooperative, include_revoked).all()


def site_badges_query(site, cooperative=None, include_revoked=False, search=None):
    """A site's badges in print order; `search`, words of the person's name or phone, of the
    stall's code or of the cooperative (the one to reprint on the eve of the opening)."""
    query = (
        db.session.query(Badge)
        .filter(Badge.site_id == site.id)
        .options(db.joinedload(Badge.cooperative), db.joinedload(Badge.stall))
    )
    if cooperative is not None:
        query = query.filter(Badge.cooperative_id == cooperative.id)
    if not include_revoked:
        query = query.filter(Badge.revoked_at.is_(None))
    query = in_print_order(query)  # joins the stall
    if search and search.strip():
        pattern = f"%{search.strip()}%"
        query = query.join(Cooperative, Badge.cooperative_id == Cooperative.id).filter(
            or_(
                Badge.person_name.ilike(pattern),
                Badge.person_phone.like(pattern),
                Stall.code.ilike(pattern),
                cooperative_matches(search),
            )
        )
    return query


def in_print_order(query):
    """Badges as they are printed: site by site, by stall (badges without a stall last), then
    by cooperative, so that each stall's badges come out of the printer together."""
    return query.outerjoin(Stall, Badge.stall_id == Stall.id).order_by(
        Badge.site_id, Stall.code.is_(None), Stall.code, Badge.cooperative_id, Badge.id
    )


def printable_badge_ids(site_ids, chosen=None):
    """The ids of the valid badges of these sites (or of those `chosen` among them), in print
    order: ids only, since a batch of the whole salon is 1,280 badges."""
    query = db.session.query(Badge.id).filter(
        Badge.site_id.in_(site_ids), Badge.revoked_at.is_(None)
    )
    if chosen:
        query = query.filter(Badge.id.in_(chosen))
    return in_print_order(query)


def cooperative_badges(cooperative, include_revoked=True):
    query = db.session.query(Badge).filter(Badge.cooperative_id == cooperative.id)
    if not include_revoked:
        query = query.filter(Badge.revoked_at.is_(None))
    return query.order_by(Badge.edition_id.desc(), Badge.site_id, Badge.id).all()


def check_badge_access(badge, user):
    if user.role == "organiser":
        return
    if user.role == "cooperative" and user.cooperative_id == badge.cooperative_id:
        return
    raise Forbidden(_("You may only see your own cooperative's badges."))


def badges_pdf(badges, layout="single"):
    """One badge per A6 page (`single`) or a print sheet of 4 badges per A4 with cut marks."""
    template, context = badge_pdf_context(badges, layout)
    return render_pdf(template, **context)


def badge_pdf_context(badges, layout="single"):
    if not badges:
        raise RuleBroken(_("There is no badge to print."), code="no_badges")
    template = "pdf/booths_badge_sheet.html" if layout == "sheet" else "pdf/booths_badges.html"
    return template, {"badges": badges, "sheets": chunk(badges, 4), "qr_image": qr_data_uri}


def request_badge_batch(site, layout, actor, badge_ids=None, locale="fr", edition=None):
    """A background job printing the site's valid badges (or these reprints) as one PDF; with
    `edition` and no site, every valid badge of the edition (the eve of a national salon)."""
    site_ids = [site.id] if site is not None else [one.id for one in edition.sites]
    if printable_badge_ids(site_ids, badge_ids).first() is None:
        raise RuleBroken(_("There is no badge to print."), code="no_badges")
    params = {
        "site_id": site.id if site is not None else None,
        "layout": "sheet" if layout == "sheet" else "single",
    }
    if badge_ids:
        params["badge_ids"] = sorted(set(badge_ids))
    edition = site.edition if site is not None else edition
    return create_job("badge_batch", actor, edition=edition, params=params, locale=locale)


def qr_data_uri(text):
    """The QR code as a small PNG data URI (one pixel per module, scaled up in the PDF).

    WeasyPrint draws one image far faster than an SVG path of hundreds of modules, and a fixed
    mask pattern spares qrcode's search of the best of eight (any mask is valid to a reader).
    """
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, mask_pattern=0
    )
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = Image.frombytes("L", (size, size), pixels).resize(
        (size * 4, size * 4), Image.Resampling.NEAREST
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def issue_site_badges(site, actor):
    """Badges for every approved application of a site that still misses some."""
    application_ids = [
        application_id
        for (application_id,) in db.session.query(Application.id).filter(
            Application.site_id == site.id, Application.status == "approved"
        )
    ]
    return issue_site_application_badges(site, application_ids, actor)


def chunk(items, size):
    return [items[index : index + size] for index in range(0, len(items), size)]
