"""Floor plans: generate, adjust by hand, allocate; drawn as SVG and printed on A3."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booths import bp, services
from booths.forms import ActionForm, AssignForm, GroundForm, LayoutForm, StallForm
from booths.labels import distinguishing_name
from booths.models import Application
from booths.services.floorplan import occupied_by_sector, plan_figures
from booths.services.notices import site_name
from core.access import roles_required
from core.confirm import confirmation_needed
from core.downloads import download_name
from core.errors import DomainError, NotFound
from core.extensions import db
from core.i18n import localized
from core.jobs_views import launch_job
from core.pdf import pdf_response, render_pdf
from core.views import copy_error_to_form, return_url, search_words
from markets.services import get_site, get_visible_edition, load_edition_site

PAGE_SIZE = 50  # stalls a page of the plan's table


def plan_context(edition, site):
    stalls = services.site_stalls(site)
    return {
        "edition": edition,
        "site": site,
        "plan": services.get_floor_plan(site),
        "stalls": stalls,
        "figures": plan_figures(site, stalls),
        "legend": sorted({s.application.cooperative.main_sector for s in stalls if s.application}),
    }


def stall_table(site):
    """The page of the plan's table of stalls the organiser asked for (a national salon's
    site has hundreds, each row with a choice of every admitted cooperative)."""
    # the service ignores a zone or state it does not know: the page still answers
    filters = {
        "search": search_words(),
        "zone": request.args.get("zone"),
        "state": request.args.get("state"),
    }
    page = services.site_stalls_query(site, **filters).paginate(per_page=PAGE_SIZE, error_out=False)
    return {"stall_page": page, "stall_filters": filters}


def approved_choices(site):
    rows = (
        db.session.query(Application)
        .filter(Application.site_id == site.id, Application.status == "approved")
        .options(db.joinedload(Application.cooperative), db.joinedload(Application.stall))
        .all()
    )
    rows.sort(key=lambda application: application.cooperative.name_latin)
    return [
        (
            str(application.id),
            application.cooperative.name_latin
            + (f" ({application.stall.code})" if application.stall else ""),
        )
        for application in rows
    ]


def render_plan_page(edition, site, layout_form=None, stall_form=None, ground_form=None):
    forms = {
        "layout_form": layout_form or LayoutForm(),
        "stall_form": stall_form or StallForm(),
        "ground_form": ground_form or GroundForm(),
    }
    context = plan_context(edition, site)
    if ground_form is None and context["plan"] is not None:
        forms["ground_form"] = GroundForm(obj=context["plan"])
    assign_form = AssignForm()
    assign_form.application_id.choices = [("", "—")] + approved_choices(site)
    failed = any(form.errors or form.form_errors for form in forms.values())
    return render_template(
        "booths/floor_plan.html",
        **context,
        **forms,
        **stall_table(site),
        assign_form=assign_form,
        action_form=ActionForm(),
        previous_allocation=services.last_allocation_snapshot(site) is not None,
    ), (422 if failed else 200)


@bp.get("/editions/<slug>/sites/<site_slug>/floor-plan")
@roles_required("organiser")
def floor_plan(slug, site_slug):
    return render_plan_page(*load_edition_site(slug, site_slug))


@bp.get("/editions/<slug>/sites/<site_slug>/plan")
def public_plan(slug, site_slug):
    """Who is where, for visitors: the plan with the cooperatives and a list by sector."""
    edition = get_visible_edition(slug, current_user if current_user.is_authenticated else None)
    site = get_site(edition, site_slug)
    context = plan_context(edition, site)
    occupied = occupied_by_sector(context["stalls"])
    return render_template("booths/public_plan.html", occupied=occupied, **context)


@bp.post("/editions/<slug>/sites/<site_slug>/floor-plan/print")
@roles_required("organiser")
def floor_plan_print(slug, site_slug):
    """The A3 PDF, drawn in the background; the job page shows the progress and the file."""
    edition, site = load_edition_site(slug, site_slug)
    back = url_for("booths.floor_plan", slug=slug, site_slug=site_slug)
    return launch_job("floor_plan_a3", edition, {"site_id": site.id}, back)


@bp.get("/editions/<slug>/sites/<site_slug>/floor-plan.pdf")
@roles_required("organiser")
def floor_plan_pdf(slug, site_slug):
    edition, site = load_edition_site(slug, site_slug)
    context = floor_plan_print_context(edition, site)
    if context is None:
        flash(_("Generate the floor plan first."), "error")
        return redirect(url_for("booths.floor_plan", slug=slug, site_slug=site_slug))
    pdf = render_pdf("pdf/booths_floor_plan.html", **context)
    return pdf_response(
        pdf,
        download_name(
            _("Floor plan"), localized(site.names), localized(edition.names), extension="pdf"
        ),
    )


def floor_plan_print_context(edition, site):
    """What the A3 PDF shows (None without a plan); the page and the print job both use it."""
    context = plan_context(edition, site)
    if context["plan"] is None:
        return None
    area = printed_area(context["plan"], context["stalls"])
    # Millimetres per metre so that the stalls fill an A3 landscape page (400 × 277 mm usable,
    # less the header and the legend).
    scale = min(398.0 / area["width"], 238.0 / area["depth"])
    return {"scale": scale, "area": area, "short_name": distinguishing_name, **context}


def plan_url(edition, site):
    return url_for("booths.floor_plan", slug=edition.slug, site_slug=site.slug)


def printed_area(plan, stalls, margin_m=1.0):
    """The part of the ground the stalls use, with a margin: what the printed plan shows."""
    if not stalls:
        return {"x": 0.0, "y": 0.0, "width": plan.width_m, "depth": plan.depth_m}
    left = max(0.0, min(stall.x_m for stall in stalls) - margin_m)
    top = max(0.0, min(stall.y_m for stall in stalls) - margin_m)
    right = min(plan.width_m, max(stall.x_m + stall.width_m for stall in stalls) + margin_m)
    bottom = min(plan.depth_m, max(stall.y_m + stall.depth_m for stall in stalls) + margin_m)
    return {"x": left, "y": top, "width": right - left, "depth": bottom - top}


def table_page_url(edition, site):
    """The plan at the page of its table a row's action was taken on."""
    return return_url(plan_url(edition, site))


def back_to_plan(edition, site):
    return redirect(table_page_url(edition, site))


@bp.post("/editions/<slug>/sites/<site_slug>/floor-plan/generate")
@roles_required("organiser")
def generate_plan(slug, site_slug):
    edition, site = load_edition_site(slug, site_slug)
    form = LayoutForm()
    if form.validate_on_submit():
        rule = services.LayoutRule(
            standard=form.standard.data or 0,
            double=form.double.data or 0,
            demonstration=form.demonstration.data or 0,
            aisle_m=float(form.aisle_m.data or 3),
            row_length_m=float(form.row_length_m.data or 0),
            food_share=(form.food_share.data if form.food_share.data is not None else 50) / 100,
            electricity=form.electricity.data,
            shade=form.shade.data,
        )
        try:
            services.generate_floor_plan(site, rule, current_user)
            flash(_("Floor plan generated."), "success")
            return back_to_plan(edition, site)
        except DomainError as error:
            copy_error_to_form(form, error)
    return render_plan_page(edition, site, layout_form=form)


@bp.post("/editions/<slug>/sites/<site_slug>/floor-plan/ground")
@roles_required("organiser")
def set_ground(slug, site_slug):
    edition, site = load_edition_site(slug, site_slug)
    form = GroundForm()
    if form.validate_on_submit():
        try:
            services.set_ground_size(
                site,
                float(form.width_m.data),
                float(form.depth_m.data),
                float(form.aisle_m.data or 3),
                current_user,
            )
            flash(_("Saved."), "success")
            return back_to_plan(edition, site)
        except DomainError as error:
            copy_error_to_form(form, error)
    return render_plan_page(edition, site, ground_form=form)


@bp.post("/editions/<slug>/sites/<site_slug>/stalls")
@roles_required("organiser")
def add_stall(slug, site_slug):
    edition, site = load_edition_site(slug, site_slug)
    form = StallForm()
    if form.validate_on_submit():
        try:
            stall = services.add_stall(site, form.values(), current_user)
            flash(_("Stall %(code)s added.", code=stall.code), "success")
            return back_to_plan(edition, site)
        except DomainError as error:
            copy_error_to_form(form, error)
    return render_plan_page(edition, site, stall_form=form)


@bp.route("/editions/<slug>/sites/<site_slug>/stalls/<int:stall_id>", methods=["GET", "POST"])
@roles_required("organiser")
def edit_stall(slug, site_slug, stall_id):
    edition, site = load_edition_site(slug, site_slug)
    stall = services.get_stall(site, stall_id)
    form = StallForm(obj=stall)
    if form.validate_on_submit():
        try:
            services.update_stall(stall, form.values(), current_user)
            flash(_("Stall %(code)s saved.", code=stall.code), "success")
            return back_to_plan(edition, site)
        except DomainError as error:
            copy_error_to_form(form, error)
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "booths/stall_form.html", edition=edition, site=site, stall=stall, form=form
    ), status


@bp.post("/editions/<slug>/sites/<site_slug>/stalls/<int:stall_id>/delete")
@roles_required("organiser")
def delete_stall(slug, site_slug, stall_id):
    edition, site = load_edition_site(slug, site_slug)
    stall = services.get_stall(site, stall_id)
    if ActionForm().validate_on_submit():
        code = stall.code
        page = confirmation_needed(
            _("Delete stall %(code)s?", code=code),
            _("Stall %(code)s disappears from the floor plan for good.", code=code),
            cancel_url=table_page_url(edition, site),
            button=_("Delete the stall"),
        )
        if page:
            return page
        try:
            services.delete_stall(stall, current_user)
            flash(_("Stall %(code)s deleted.", code=code), "success")
        except DomainError as error:
            flash(error.message, "error")
    return back_to_plan(edition, site)


@bp.post("/editions/<slug>/sites/<site_slug>/stalls/<int:stall_id>/assign")
@roles_required("organiser")
def assign_stall(slug, site_slug, stall_id):
    edition, site = load_edition_site(slug, site_slug)
    stall = services.get_stall(site, stall_id)
    form = AssignForm()
    if form.validate_on_submit():
        try:
            if form.application_id.data:
                application = services.get_application(int(form.application_id.data))
                if application.site_id != site.id:
                    raise NotFound(_("No such application."))
                services.assign_stall(stall, application, current_user)
                flash(_("Stall %(code)s assigned and pinned.", code=stall.code), "success")
            else:
                services.free_stall(stall, current_user)
                flash(_("Stall %(code)s is free.", code=stall.code), "success")
        except (DomainError, ValueError) as error:
            flash(getattr(error, "message", _("Choose a cooperative.")), "error")
    return back_to_plan(edition, site)


@bp.post("/editions/<slug>/sites/<site_slug>/stalls/<int:stall_id>/pin")
@roles_required("organiser")
def toggle_pin(slug, site_slug, stall_id):
    edition, site = load_edition_site(slug, site_slug)
    stall = services.get_stall(site, stall_id)
    if ActionForm().validate_on_submit():
        services.set_stall_pinned(stall, not stall.pinned, current_user)
    return back_to_plan(edition, site)


@bp.post("/editions/<slug>/sites/<site_slug>/allocate")
@roles_required("organiser")
def allocate(slug, site_slug):
    edition, site = load_edition_site(slug, site_slug)
    if ActionForm().validate_on_submit():
        try:
            result = services.allocate_stalls(site, current_user)
            flash(
                _(
                    "%(placed)d cooperatives placed, %(kept)d pinned kept, %(waiting)d waitlisted.",
                    placed=len(result.assignments),
                    kept=len(result.kept),
                    waiting=len(result.waitlist),
                ),
                "success" if not result.waitlist else "warning",
            )
        except DomainError as error:
            flash(error.message, "error")
    return back_to_plan(edition, site)


@bp.post("/editions/<slug>/sites/<site_slug>/allocation/clear")
@roles_required("organiser")
def clear_allocation(slug, site_slug):
    edition, site = load_edition_site(slug, site_slug)
    if ActionForm().validate_on_submit():
        page = confirmation_needed(
            _("Clear the allocation of %(site)s?", site=site_name(site)),
            _(
                "Every stall that is not pinned becomes free; the cooperatives on them lose "
                "their place on the plan and on their badges."
            ),
            undo=_("You can restore this allocation afterwards from the floor plan."),
            cancel_url=plan_url(edition, site),
            button=_("Clear the allocation"),
        )
        if page:
            return page
        services.clear_allocation(site, current_user)
        flash(_("Every stall that is not pinned is free again."), "success")
    return back_to_plan(edition, site)


@bp.post("/editions/<slug>/sites/<site_slug>/allocation/restore")
@roles_required("organiser")
def restore_allocation(slug, site_slug):
    edition, site = load_edition_site(slug, site_slug)
    if ActionForm().validate_on_submit():
        page = confirmation_needed(
            _("Restore the previous allocation of %(site)s?", site=site_name(site)),
            _(
                "Every stall goes back to the cooperative that held it before the last "
                "allocation run or clear; hand edits made since are lost."
            ),
            cancel_url=plan_url(edition, site),
            button=_("Restore"),
        )
        if page:
            return page
        try:
            count = services.restore_allocation(site, current_user)
            flash(_("%(count)d stalls restored.", count=count), "success")
        except DomainError as error:
            flash(error.message, "error")
    return back_to_plan(edition, site)
