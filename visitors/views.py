"""Visitors pages: tickets (public), blank ticket batches, the scanner, the attendance dashboard."""

import json
import mimetypes
from pathlib import Path

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounts.services import issue_api_token
from core.access import roles_required
from core.charts import column_chart
from core.checkpoints import checkpoint_kind
from core.csvio import csv_response
from core.errors import DomainError, NotFound
from core.extensions import db, limiter
from core.i18n import current_language, is_rtl, localized
from core.jobs import create_job
from core.menu import add_edition_link, add_menu_item, add_public_item
from core.pdf import pdf_response, render_pdf
from core.qr import qr_png, qr_svg
from core.views import copy_error_to_form
from markets import tokens
from markets.models import Edition
from markets.services import get_edition
from visitors import bp, services
from visitors.forms import TicketBatchForm, TicketForm

ROOT = Path(__file__).resolve().parent.parent
STAFF = ("volunteer", "organiser")

add_public_item("visitors.ticket_editions", _l("Free ticket"), order=20)
add_menu_item("visitors.scanner", _l("Scanner"), STAFF, order=30)
add_edition_link("visitors.dashboard", _l("Attendance"), order=30)
add_edition_link("visitors.ticket_batch", _l("Blank tickets to print"), order=31)


def staff_signed_in():
    return current_user.is_authenticated and current_user.role in STAFF


# ---------------------------------------------------------------- tickets (public)


@bp.get("/tickets")
def ticket_editions():
    editions = (
        db.session.query(Edition)
        .filter(Edition.status.in_(("published", "open")))
        .order_by(Edition.starts_on)
        .all()
    )
    if len(editions) == 1:
        return redirect(url_for("visitors.new_ticket", slug=editions[0].slug))
    return render_template("visitors/ticket_editions.html", editions=editions)


@bp.route("/editions/<slug>/ticket", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["PUBLIC_FORM_LIMIT"],
    methods=["POST"],
    exempt_when=staff_signed_in,
)
def new_ticket(slug):
    edition = get_edition(slug)
    if edition.status not in ("published", "open"):
        raise NotFound(_("Tickets are not available for this edition."))
    form = TicketForm()
    if form.validate_on_submit():
        values = {key: getattr(form, key).data for key in ("name", "phone", "city", "consent")}
        try:
            source = "gate" if staff_signed_in() else "public"
            ticket = services.create_ticket(edition, values, None, source)
        except DomainError as error:
            copy_error_to_form(form, error)
        else:
            return redirect(url_for("visitors.ticket", token_id=ticket.token_id), 303)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("visitors/ticket_form.html", edition=edition, form=form), status


@bp.get("/tickets/<token_id>")
def ticket(token_id):
    ticket = services.get_ticket(token_id)
    return render_template("visitors/ticket.html", ticket=ticket, qr=qr_svg(ticket.code))


@bp.get("/tickets/<token_id>.png")
def ticket_png(token_id):
    ticket = services.get_ticket(token_id)
    response = current_app.response_class(qr_png(ticket.code), mimetype="image/png")
    response.headers["Content-Disposition"] = f'inline; filename="ticket-{token_id}.png"'
    return response


@bp.get("/tickets/<token_id>.pdf")
def ticket_pdf(token_id):
    ticket = services.get_ticket(token_id)
    pdf = render_pdf(
        "pdf/visitors_ticket.html", ticket=ticket, edition=ticket.edition, qr=qr_svg(ticket.code)
    )
    return pdf_response(pdf, f"ticket-{token_id}.pdf", inline=False)


@bp.route("/editions/<slug>/tickets/batch", methods=["GET", "POST"])
@roles_required("organiser")
def ticket_batch(slug):
    edition = get_edition(slug)
    form = TicketBatchForm()
    if form.validate_on_submit():
        try:
            tickets = services.create_ticket_batch(edition, form.count.data, current_user)
        except DomainError as error:
            copy_error_to_form(form, error)
        else:  # the tickets exist now; their PDF is drawn in the background
            job = create_job(
                "ticket_batch",
                current_user,
                edition=edition,
                params={"token_ids": [ticket.token_id for ticket in tickets]},
                locale=current_language(),
            )
            return redirect(url_for("jobs.job_page", job_id=job.id))
    status = 422 if form.errors or form.form_errors else 200
    counts = services.count_tickets(edition)
    return render_template(
        "visitors/ticket_batch.html", edition=edition, form=form, counts=counts
    ), status


# ---------------------------------------------------------------- scanner (field page)


def scanner_editions():
    editions = (
        db.session.query(Edition).filter(Edition.status == "open").order_by(Edition.starts_on)
    )
    list_doors = checkpoint_kind("workshop")["list_doors"]
    doors = {edition.id: list_doors(edition) for edition in editions}
    return [
        {
            "slug": edition.slug,
            "name": localized(edition.names),
            "keys": tokens.public_keys(edition),
            "revoked": tokens.revoked_token_ids(edition),
            "sites": [
                {
                    "slug": site.slug,
                    "name": localized(site.names),
                    "gates": list(site.gates),
                    "doors": doors[edition.id].get(site.slug, []),
                    "opens_on": site.opens_on.isoformat(),
                    "closes_on": site.closes_on.isoformat(),
                    "opens_minute": site.opens_minute,
                    "closes_minute": site.closes_minute,
                }
                for site in edition.sites
            ],
        }
        for edition in editions
    ]


@bp.get("/scanner")
@roles_required(*STAFF)
def scanner():
    token, expires_at = issue_api_token(current_user)
    config = {
        "token": token,
        "tokenExpires": expires_at.isoformat() + "Z",
        "user": current_user.username,
        "editions": scanner_editions(),
        "messages": scanner_messages(),
        "precache": scanner_assets(),
        "urls": {
            "scans": url_for("visitors_api.record_scans"),
            "tallies": url_for("visitors_api.record_tallies"),
            "keys": url_for("visitors_api.edition_keys", slug="EDITION"),
            "worker": url_for("visitors.field_worker"),
            "zxing": url_for(
                "visitors.vendor", package="zxing-wasm", filename="dist/es/reader/index.js"
            ),
            "zxingWasm": url_for("visitors.vendor", package="zxing-wasm", filename="dist/reader/"),
        },
    }
    response = current_app.make_response(render_template("visitors/scanner.html", config=config))
    response.headers["Cache-Control"] = "no-store, private"
    return response


def scanner_assets():
    """What the service worker keeps so that the scanner opens without network."""
    return [
        url_for("static", filename="js/scanner.js"),
        url_for("static", filename="js/field-queue.js"),
        url_for("static", filename="js/field-attention.js"),
        url_for("static", filename="js/page.js"),
        url_for("static", filename="css/field.css"),
        url_for("static", filename="css/souk.css"),
        url_for("static", filename="css/pages.css"),
        url_for("visitors.vendor", package="zxing-wasm", filename="dist/es/reader/index.js"),
        url_for("visitors.vendor", package="zxing-wasm", filename="dist/es/share.js"),
        url_for("visitors.vendor", package="zxing-wasm", filename="dist/reader/zxing_reader.wasm"),
    ]


def scanner_messages():
    return {
        "accepted": _("Welcome! First entry"),
        "reentry": _("Already entered: re-entry"),
        "exhibitor": _("Exhibitor badge: valid here"),
        "invalid": _("Invalid code: refuse"),
        "revoked": _("Revoked code: refuse"),
        "wrong_edition": _("Code of another edition: refuse"),
        "wrong_site": _("Badge for another site: refuse"),
        "not_open": _("The site is not open now"),
        "rejected": _("Scan not understood: try again"),
        "queued": _("Valid signature: saved, will sync"),
        "queuedReentry": _("Valid, seen before here: re-entry (will sync)"),
        "offlineExhibitor": _("Exhibitor badge (checked offline): will sync"),
        "pending": _("Waiting to sync: %(count)s", count="{count}"),
        "synced": _("Everything is synced"),
        "offline": _("Offline: scans are kept on this phone"),
        "online": _("Online"),
        "tallied": _("+1 counted"),
        "cameraError": _("The camera cannot be used: type or scan codes in the field."),
        "chooseSite": _("Choose the site and gate first."),
        "authError": _("Your session expired: reload this page while online."),
        "failed": _("The server refused this scan."),
    }


@bp.get("/field-sw.js")
def field_worker():
    """The service worker of the field pages, at the root so that its scope is the whole site."""
    response = send_file(ROOT / "static" / "js" / "field-sw.js", mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


def declared_packages():
    with open(ROOT / "package.json", encoding="utf-8") as handle:
        return set(json.load(handle).get("dependencies", {}))


@bp.get("/vendor/<package>/<path:filename>")
def vendor(package, filename):
    """Browser libraries installed by npm, served from node_modules (only declared packages)."""
    if package not in declared_packages():
        abort(404)
    mimetype = "application/wasm" if filename.endswith(".wasm") else None
    mimetype = mimetype or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if filename.endswith((".js", ".mjs")):
        mimetype = "text/javascript"
    response = send_from_directory(ROOT / "node_modules" / package, filename, mimetype=mimetype)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


# ---------------------------------------------------------------- attendance (organisers)


@bp.get("/editions/<slug>/attendance")
@roles_required("organiser")
def dashboard(slug):
    edition = get_edition(slug)
    summary = services.attendance_summary(edition)
    chosen = request.args.get("day") or services.local_today().isoformat()
    charts = {}
    for site in summary["sites"]:
        days = [day["date"] for day in site["days"]]
        day = chosen if chosen in days else latest_day_with_entries(site) or days[0]
        charts[site["site"]] = {
            "day": day,
            "svg": column_chart(
                services.hourly_series(site, day)[6:],
                rtl=is_rtl(),
                title=_("Entries per hour on %(day)s", day=day),
            ),
        }
    return render_template(
        "visitors/dashboard.html",
        edition=edition,
        summary=summary,
        charts=charts,
        sites={site.slug: site for site in edition.sites},
        counts=services.count_tickets(edition),
    )


def latest_day_with_entries(site_summary):
    days = [day["date"] for day in site_summary["days"] if day["entries"]]
    return days[-1] if days else None


@bp.get("/editions/<slug>/attendance.csv")
@roles_required("organiser")
def attendance_csv(slug):
    edition = get_edition(slug)
    summary = services.attendance_summary(edition)
    rows = [
        (
            site["site"],
            day["date"],
            f"{hour['hour']:02d}:00",
            hour["visitors"],
            hour["entries"],
            hour["tallied"],
        )
        for site in summary["sites"]
        for day in site["days"]
        for hour in day["hours"]
    ]
    header = ["site", "date", "hour", "visitors", "entries", "tallied"]
    return csv_response(f"attendance-{edition.slug}.csv", header, rows)
