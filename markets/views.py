"""Market planning pages: the calendar, an edition with its sites, and their forms."""

from decimal import Decimal

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core.access import roles_required
from core.confirm import confirmation_needed, confirmed_reason
from core.errors import DomainError
from core.i18n import current_language, localized
from core.menu import add_menu_item, add_public_item
from core.views import copy_error_to_form
from markets import bp, gazetteer, maps, services, territory
from markets.forms import EditionForm, SiteForm, StatusForm, collect_translations, fill_translations
from markets.serializers import edition_json

add_public_item("markets.calendar", _l("Markets"), order=10)
add_menu_item("markets.calendar", _l("Editions"), ["organiser"], order=10)


@bp.get("/")
def calendar():
    show_drafts = current_user.is_authenticated and current_user.role == "organiser"
    editions = services.list_editions(public_only=not show_drafts)
    return render_template("markets/calendar.html", editions=editions)


@bp.get("/editions/<slug>")
def edition(slug):
    edition = services.get_visible_edition(slug, current_user)
    return render_template(
        "markets/edition.html",
        edition=edition,
        distances=services.site_distances(edition),
        map_svg=maps.sites_map(edition.sites),
        status_form=status_form(edition),
        minutes_to_text=services.minutes_to_text,
    )


def status_form(edition):
    """The status change form, offering only the moves the rules allow."""
    form = StatusForm()
    form.status.choices = [
        (status, services.status_label(status))
        for status in sorted(
            services.STATUS_MOVES[edition.status], key=services.EDITION_STATUSES.index
        )
    ]
    return form


@bp.get("/editions/<slug>.json")
def edition_data(slug):
    return jsonify(edition_json(services.get_visible_edition(slug)))


def edition_form(edition=None):
    form = EditionForm(obj=edition)
    others = [e for e in services.list_editions() if edition is None or e.id != edition.id]
    form.previous_id.choices = [("", "—")] + [
        (str(e.id), localized(e.names) or e.slug) for e in others
    ]
    if edition is not None and request.method == "GET":
        fill_translations(form, "name", edition.names)
        fill_translations(form, "slogan", edition.slogans)
        fill_translations(form, "organiser", edition.organiser)
        fill_translations(form, "partners", edition.partners)
        form.commission_percent.data = Decimal(edition.commission_basis_points) / 100
        form.previous_id.data = str(edition.previous_id or "")
    return form


def edition_values(form):
    return {
        "slug": form.slug.data.strip(),
        "number": form.number.data,
        "names": collect_translations(form, "name"),
        "slogans": collect_translations(form, "slogan"),
        "organiser": collect_translations(form, "organiser"),
        "partners": collect_translations(form, "partners"),
        "visitor_target": form.visitor_target.data,
        "commission_basis_points": int((form.commission_percent.data or 0) * 100),
        "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data,
        "previous_id": int(form.previous_id.data) if form.previous_id.data else None,
    }


@bp.route("/editions/new", methods=["GET", "POST"])
@roles_required("organiser")
def new_edition():
    form = edition_form()
    if form.validate_on_submit():
        try:
            edition = services.create_edition(edition_values(form), current_user)
            flash(_("Edition created. Now add its sites."), "success")
            return redirect(url_for("markets.new_site", slug=edition.slug))
        except DomainError as error:
            copy_error_to_form(form, error)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("markets/edition_form.html", form=form, edition=None), status


@bp.route("/editions/<slug>/edit", methods=["GET", "POST"])
@roles_required("organiser")
def edit_edition(slug):
    edition = services.get_edition(slug)
    form = edition_form(edition)
    if form.validate_on_submit():
        try:
            services.update_edition(edition, edition_values(form), current_user)
            flash(_("Edition saved."), "success")
            return redirect(url_for("markets.edition", slug=edition.slug))
        except DomainError as error:
            copy_error_to_form(form, error)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("markets/edition_form.html", form=form, edition=edition), status


@bp.post("/editions/<slug>/status")
@roles_required("organiser")
def change_status(slug):
    edition = services.get_edition(slug)
    form = StatusForm()
    form.status.choices = [(status, status) for status in services.EDITION_STATUSES]
    if form.validate_on_submit():
        page = confirmation_needed(
            _(
                "Change the edition's status to %(status)s?",
                status=services.status_label(form.status.data),
            ),
            status_consequence(form.status.data),
            reason_required=True,
            cancel_url=url_for("markets.edition", slug=edition.slug),
        )
        if page:
            return page
        try:
            services.change_status(edition, form.status.data, current_user, confirmed_reason())
            flash(
                _("The edition is now %(status)s.", status=services.status_label(edition.status)),
                "success",
            )
        except DomainError as error:
            flash(error.message, "error")
    return redirect(url_for("markets.edition", slug=edition.slug))


def status_consequence(status):
    return {
        "draft": _("The edition goes back to draft: it disappears from the public calendar."),
        "published": _("The edition appears on the public calendar and takes applications."),
        "open": _("The edition opens: gates scan, the store sells, and changes to it are live."),
        "closed": _(
            "The edition closes for good: applications, stalls and badges can no longer change."
        ),
    }.get(status, "")


def site_values(form):
    try:
        opens_minute = services.text_to_minutes(form.opens_at.data)
        closes_minute = services.text_to_minutes(form.closes_at.data)
    except (ValueError, AttributeError):
        raise DomainError(_("Write times as HH:MM, for example 09:30."), field="opens_at") from None
    return {
        "slug": form.slug.data.strip(),
        "city": form.city.data.strip(),
        "names": collect_translations(form, "name"),
        "venue": collect_translations(form, "venue"),
        "address": form.address.data or "",
        "area_m2": form.area_m2.data,
        "opens_on": form.opens_on.data,
        "closes_on": form.closes_on.data,
        "opens_minute": opens_minute,
        "closes_minute": closes_minute,
        "visitor_target": form.visitor_target.data,
        "gates": form.gates.data,
        "chosen_province": form.province_code.data,
    }


def render_site_form(form, edition, site):
    status = 422 if form.errors or form.form_errors else 200
    form.province_code.choices = province_list(current_language())
    cities = [place.name for place in gazetteer.places()]
    return render_template(
        "markets/site_form.html", form=form, edition=edition, site=site, cities=cities
    ), status


@bp.route("/editions/<slug>/sites/new", methods=["GET", "POST"])
@roles_required("organiser")
def new_site(slug):
    edition = services.get_edition(slug)
    form = SiteForm()
    if request.method == "GET":
        form.opens_on.data, form.closes_on.data = edition.starts_on, edition.ends_on
    if form.validate_on_submit():
        try:
            services.create_site(edition, site_values(form), current_user)
            flash(_("Site added."), "success")
            return redirect(url_for("markets.edition", slug=edition.slug))
        except DomainError as error:
            copy_error_to_form(form, error)
    return render_site_form(form, edition, None)


@bp.route("/editions/<slug>/sites/<site_slug>/edit", methods=["GET", "POST"])
@roles_required("organiser")
def edit_site(slug, site_slug):
    edition, site = services.load_edition_site(slug, site_slug)
    form = SiteForm(obj=site)
    if request.method == "GET":
        fill_translations(form, "name", site.names)
        fill_translations(form, "venue", site.venue)
        form.opens_at.data = services.minutes_to_text(site.opens_minute)
        form.closes_at.data = services.minutes_to_text(site.closes_minute)
        form.gates.data = "\n".join(localized(gate.names) for gate in site.gate_list)
    if form.validate_on_submit():
        try:
            services.update_site(site, site_values(form), current_user)
            flash(_("Site saved."), "success")
            return redirect(url_for("markets.edition", slug=edition.slug))
        except DomainError as error:
            copy_error_to_form(form, error)
    return render_site_form(form, edition, site)


def province_list(language):
    """The provinces grouped by region, after an empty choice: "from the city"."""
    return {"": [("", _("From the city"))]} | dict(territory.province_choices(language))
