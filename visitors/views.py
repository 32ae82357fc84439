"""Visitors pages: tickets (public), blank ticket batches, the scanner, the attendance dashboard."""

import json
import mimetypes
from pathlib import Path

from flask import (
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core.access import roles_required
from core.bidi import isolated
from core.charts import column_chart
from core.csvio import csv_response
from core.downloads import content_disposition, download_name
from core.errors import DomainError, NotFound
from core.extensions import db, limiter
from core.i18n import current_language, format_number, is_rtl, localized
from core.jobs import create_job
from core.menu import add_edition_link, add_menu_item, add_public_item
from core.pdf import pdf_response, render_pdf
from core.qr import qr_png, qr_svg
from core.timeutil import show_datetime, utc_now
from core.views import copy_error_to_form
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
        .filter(Edition.takes_registrations)
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
    if not edition.takes_registrations:
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
    response.headers["Content-Disposition"] = content_disposition(
        download_name(_("Ticket"), localized(ticket.edition.names), extension="png"), inline=True
    )
    return response


@bp.get("/tickets/<token_id>.pdf")
def ticket_pdf(token_id):
    ticket = services.get_ticket(token_id)
    pdf = render_pdf(
        "pdf/visitors_ticket.html", ticket=ticket, edition=ticket.edition, qr=qr_svg(ticket.code)
    )
    return pdf_response(
        pdf,
        download_name(_("Ticket"), localized(ticket.edition.names), extension="pdf"),
        inline=False,
    )


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


# ---------------------------------------------------------------- browser libraries


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
        now=utc_now(),
    )


@bp.get("/editions/<slug>/attendance/figures.json")
@roles_required("organiser")
def dashboard_figures(slug):
    """The live figures of the attendance page, formatted for the reader, to update it in place."""
    edition = get_edition(slug)
    summary = services.attendance_summary(edition)
    return jsonify(live_figures(summary, {site.slug: site for site in edition.sites}))


def live_figures(summary, sites):
    shown = isolated(format_number)
    figures = {
        "visitors": shown(summary["visitors"]),
        "entries": shown(summary["entries"]),
        "tallied": shown(summary["tallied"]),
        "expected": shown(summary["projection"]["expected_total"]),
        "as-of": _("Figures as of %(moment)s.", moment=isolated(show_datetime)(utc_now())),
    }
    bars = {"edition": progress(summary["visitors"], summary["target"])}
    for site in summary["sites"]:
        key = site["site"]
        figures[f"site-{key}"] = site_sentence(site)
        bars[f"site-{key}"] = progress(site["visitors"], site["target"])
    return {"figures": figures, "bars": bars}


def site_sentence(site):
    shown = isolated(format_number)
    return _(
        "%(visitors)s visitors of %(target)s, %(entries)s entries; expected at closing: %(expected)s.",
        visitors=shown(site["visitors"]),
        target=shown(site["target"]),
        entries=shown(site["entries"]),
        expected=shown(site["projection"]["expected_total"]),
    )


def progress(value, target):
    share = round(100 * value / target, 1) if target else 0
    return {
        "value": value,
        "share": share,
        "text": _("%(share)s %% of the target", share=isolated(format_number)(round(share))),
    }


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
    return csv_response(
        download_name(_("Attendance"), localized(edition.names), extension="csv"), header, rows
    )
