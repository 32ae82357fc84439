"""A cooperative's page: the workshops open to it and the members it registered."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core.access import cooperative_of, roles_required
from core.errors import DomainError
from core.menu import add_menu_item, add_public_item
from core.views import copy_error_to_form
from markets.services import list_editions
from workshops import bp, services
from workshops.forms import ActionForm, MemberForm
from workshops.services.programme import seats_taken
from workshops.services.registration import cooperative_registrations
from workshops.views.common import visible_edition, visible_workshop

add_menu_item("workshops.cooperative_home", _l("Workshops"), ["cooperative"], order=40)
add_public_item("workshops.my_workshops", _l("My workshops"), order=40)


@bp.get("/workshops/cooperative")
@roles_required("cooperative")
def cooperative_home():
    editions = [e for e in list_editions(public_only=True) if e.takes_registrations]
    if editions:
        return redirect(url_for("workshops.cooperative_page", slug=editions[0].slug))
    return render_template(
        "workshops/cooperative.html",
        edition=None,
        workshops=[],
        registrations=[],
        seats={},
        form=ActionForm(),
    )


@bp.get("/editions/<slug>/workshops/cooperative")
@roles_required("cooperative")
def cooperative_page(slug):
    edition = visible_edition(slug)
    cooperative = cooperative_of(current_user)
    workshops = services.list_workshops(edition)
    registrations = cooperative_registrations(cooperative, edition)
    page = render_template(
        "workshops/cooperative.html",
        edition=edition,
        workshops=workshops,
        seats=seats_taken([w.id for w in workshops]),
        registrations=registrations,
        form=ActionForm(),
    )
    for registration in registrations:  # the cooperative has now seen who moved up
        services.seen_promotion(registration)
    return page


@bp.route("/workshops/<int:workshop_id>/members/new", methods=["GET", "POST"])
@roles_required("cooperative")
def register_member(workshop_id):
    workshop = visible_workshop(workshop_id)
    cooperative = cooperative_of(current_user)
    form = MemberForm()
    if form.validate_on_submit():
        values = {
            "person_name": form.person_name.data,
            "phone": form.phone.data,
            "gender": form.gender.data,
            "under_35": form.under_35.data == "yes",
        }
        try:
            registration = services.register_member(workshop, cooperative, values, current_user)
        except DomainError as error:
            copy_error_to_form(form, error)
        else:
            if registration.status == "registered":
                flash(_("%(name)s is registered.", name=registration.person_name), "success")
            else:
                flash(
                    _(
                        "The workshop is full: %(name)s is on the waiting list.",
                        name=registration.person_name,
                    ),
                    "warning",
                )
            return redirect(url_for("workshops.cooperative_page", slug=workshop.edition.slug))
    status = 422 if form.errors or form.form_errors else 200
    refusal = services.registration_refusal(workshop)
    return render_template(
        "workshops/member_form.html", workshop=workshop, form=form, refusal=refusal
    ), status
