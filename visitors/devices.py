"""Organisers' pages of the field app: lent phones (provisioned by QR) and live gate operations.
The phone's side: opening a provisioning link installs its device token."""

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounts.devices import (
    create_device,
    device_for_link,
    get_device,
    list_devices,
    new_device_link,
    provision_device,
    revoke_device,
)
from core.access import roles_required
from core.errors import DomainError, NotFound
from core.i18n import LANGUAGE_NAMES, localized
from core.menu import add_edition_link, add_site_link
from core.qr import qr_svg
from core.timeutil import iso_utc
from core.views import copy_error_to_form
from markets.services import get_edition, update_gates
from visitors import bp
from visitors.field import field_texts, shell_version
from visitors.forms import DeviceForm
from visitors.services.operations import gate_operations

add_edition_link("visitors.devices", _l("Phones at the gates"), order=32)
add_edition_link("visitors.operations", _l("Live gate operations"), order=33)
add_site_link("visitors.site_gates", _l("Gates"), order=10)

GATE_ROLE_NAMES = {
    "both": _l("Entries and exits"),
    "entry": _l("Entries only"),
    "exit": _l("Exits only"),
}


def place_choices(edition):
    choices = [("", _("Any site and gate"))]
    for site in edition.sites:
        choices.append((site.slug, localized(site.names)))
        choices.extend(
            (f"{site.slug}/{gate.code}", f"{localized(site.names)} · {localized(gate.names)}")
            for gate in site.gate_list
        )
    return choices


def device_values(edition, form):
    site_slug, _slash, gate = (form.place.data or "").partition("/")
    return {
        "name": form.name.data,
        "lent_to": form.lent_to.data,
        "role": form.role.data,
        "site": edition.site(site_slug) if site_slug else None,
        "gate": gate or None,
    }


def device_row(device):
    return {
        "id": device.id,
        "status": device.status,
        "last_seen_at": iso_utc(device.last_seen_at),
        "app_version": device.app_version,
        "queue_size": device.queue_size,
        "oldest_unsent_at": iso_utc(device.oldest_unsent_at),
        "last_scan_at": iso_utc(device.last_scan_at),
    }


def link_page(edition, device, link):
    url = url_for("visitors.provision", link=link, _external=True)
    return render_template(
        "visitors/device_link.html", edition=edition, device=device, url=url, qr=qr_svg(url)
    )


@bp.route("/editions/<slug>/devices", methods=["GET", "POST"])
@roles_required("organiser")
def devices(slug):
    edition = get_edition(slug)
    form = DeviceForm()
    form.place.choices = place_choices(edition)
    if form.validate_on_submit():
        try:
            device, link = create_device(edition, device_values(edition, form), current_user)
        except DomainError as error:
            copy_error_to_form(form, error)
        else:
            return link_page(edition, device, link)
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "visitors/devices.html", edition=edition, form=form, devices=list_devices(edition)
    ), status


@bp.get("/editions/<slug>/devices.json")
@roles_required("organiser")
def devices_json(slug):
    edition = get_edition(slug)
    return jsonify({"devices": [device_row(device) for device in list_devices(edition)]})


@bp.post("/editions/<slug>/devices/<int:device_id>/link")
@roles_required("organiser")
def device_link(slug, device_id):
    edition = get_edition(slug)
    device = get_device(edition, device_id)
    return link_page(edition, device, new_device_link(device, current_user))


@bp.post("/editions/<slug>/devices/<int:device_id>/revoke")
@roles_required("organiser")
def device_revoke(slug, device_id):
    edition = get_edition(slug)
    revoke_device(get_device(edition, device_id), current_user)
    return redirect(url_for("visitors.devices", slug=slug), 303)


# ---------------------------------------------------------------- the phone's side


@bp.get("/devices/provision/<link>")
def provision(link):
    """Confirm before using the link (a link preview must not use it up)."""
    try:
        device = device_for_link(link)
    except DomainError as error:
        return link_refused(error)
    return render_template("visitors/provision.html", device=device, link=link)


@bp.post("/devices/provision/<link>")
def provision_confirm(link):
    try:
        device, token, expires_at = provision_device(link)
    except DomainError as error:
        return link_refused(error)
    response = current_app.make_response(
        render_template(
            "visitors/provisioned.html",
            device=device,
            token=token,
            texts=field_texts(),
            version=shell_version(),
        )
    )
    response.headers["Cache-Control"] = "no-store, private"
    return response


def link_refused(error):
    return render_template("visitors/provision_refused.html", message=error.message), error.status


# ---------------------------------------------------------------- live gate operations


@bp.get("/editions/<slug>/operations")
@roles_required("organiser")
def operations(slug):
    edition = get_edition(slug)
    return render_template(
        "visitors/operations.html", edition=edition, live=gate_operations(edition)
    )


@bp.get("/editions/<slug>/operations.json")
@roles_required("organiser")
def operations_json(slug):
    response = jsonify(gate_operations(get_edition(slug)))
    response.headers["Cache-Control"] = "no-store, private"
    return response


# ---------------------------------------------------------------- gates of a site


def gate_rows(form, count):
    """The gates table of the form: gate-<n>-code, gate-<n>-name-<language>, -role, -remove."""
    rows = []
    for index in [*range(count), "new"]:
        prefix = f"gate-{index}"
        rows.append(
            {
                "code": form.get(f"{prefix}-code") or None,
                "names": {
                    language: form.get(f"{prefix}-name-{language}", "")
                    for language in LANGUAGE_NAMES
                },
                "role": form.get(f"{prefix}-role"),
                "remove": bool(form.get(f"{prefix}-remove")),
            }
        )
    return rows


@bp.route("/editions/<slug>/sites/<site_slug>/gates", methods=["GET", "POST"])
@roles_required("organiser")
def site_gates(slug, site_slug):
    edition = get_edition(slug)
    site = edition.site(site_slug)
    if site is None:
        raise NotFound(_("No such site."))
    error = None
    if request.method == "POST":
        count = min(request.form.get("count", type=int) or 0, 100)
        try:
            update_gates(site, gate_rows(request.form, count), current_user)
        except DomainError as problem:
            error = problem.message
        else:
            flash(_("The gates are saved."), "success")
            return redirect(url_for("visitors.site_gates", slug=slug, site_slug=site_slug), 303)
    page = render_template(
        "visitors/site_gates.html", edition=edition, site=site, error=error, roles=GATE_ROLE_NAMES
    )
    return page, 422 if error else 200
