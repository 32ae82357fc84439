"""Accounts pages: sign in and out, and the organisers' user list."""

from datetime import datetime

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from werkzeug.exceptions import TooManyRequests

from accounts import bp, services, throttle
from accounts.cooperatives import cooperative_by_id, cooperative_choices
from accounts.forms import LoginForm, UserForm
from core.access import roles_required
from core.errors import DomainError
from core.menu import MAIN_MENU, add_menu_item
from core.views import copy_error_to_form, is_safe_redirect, return_url, search_words

PAGE_SIZE = 50  # accounts a page of the users' list

add_menu_item("accounts.users", _l("Users"), ["organiser"], order=90)
add_menu_item("accounts.field_attention", _l("Needs attention"), ["organiser"], order=91)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        if throttle.login_refused(form.username.data):
            raise TooManyRequests()
        user = services.authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            target = request.args.get("next")
            return redirect(target if is_safe_redirect(target) else url_for("accounts.home"))
        throttle.record_failed_login(form.username.data)
        form.password.errors.append(_("Wrong username or password."))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        services.end_sessions(current_user)  # a copied cookie must not outlive the sign-out
    logout_user()
    session.pop(FIELD_TOKEN_KEY, None)
    return redirect(url_for("accounts.login"))


@bp.get("/home")
@roles_required("organiser", "volunteer", "cashier", "cooperative")
def home():
    """Each role lands where its work is."""
    for _order, endpoint, _label, roles in MAIN_MENU:
        if current_user.role in roles:
            return redirect(url_for(endpoint))
    return redirect(url_for("markets.calendar"))


FIELD_TOKEN_KEY = "field_api_token"


def field_page_token():
    """(token, expires_at) for a field page (scanner, point of sale) of the signed-in user:
    the one this browser session already holds while it is good, else a new one."""
    remembered = None
    held = session.get(FIELD_TOKEN_KEY)
    if isinstance(held, dict) and held.get("user") == current_user.id:
        try:
            remembered = (held["token"], datetime.fromisoformat(held["expires_at"]))
        except (KeyError, TypeError, ValueError):
            remembered = None
    token, expires_at = services.reusable_api_token(current_user, remembered)
    if remembered is None or remembered[0] != token:
        session[FIELD_TOKEN_KEY] = {
            "user": current_user.id,
            "token": token,
            "expires_at": expires_at.isoformat(),
        }
    return token, expires_at


@bp.get("/users")
@roles_required("organiser")
def users():
    return users_page(user_form())


def users_page(form, status=200):
    """The list (the page and filters asked for) above the form for a new user."""
    search, role = search_words(), request.args.get("role") or None
    page = services.users_query(search, role).paginate(per_page=PAGE_SIZE, error_out=False)
    return render_template(
        "accounts/users.html", page=page, search=search, role_filter=role, form=form
    ), status


def user_form():
    form = UserForm()
    form.cooperative.choices = [("", "—")] + [
        (str(cooperative_id), name) for cooperative_id, name in cooperative_choices()
    ]
    return form


@bp.post("/users")
@roles_required("organiser")
def create_user():
    form = user_form()
    if form.validate_on_submit():
        cooperative = (
            cooperative_by_id(int(form.cooperative.data)) if form.cooperative.data else None
        )
        try:
            user = services.create_user(
                form.username.data,
                form.password.data,
                form.role.data,
                full_name=form.full_name.data,
                email=form.email.data,
                cooperative=cooperative,
                actor=current_user,
            )
            flash(_("User %(name)s created.", name=user.username), "success")
            return redirect(url_for("accounts.users"))
        except DomainError as error:
            copy_error_to_form(form, error)
    return users_page(form, 422)


@bp.post("/users/<int:user_id>/active")
@roles_required("organiser")
def set_active(user_id):
    user = services.get_user(user_id)
    services.set_user_active(user, request.form.get("active") == "1", current_user)
    flash(_("User %(name)s updated.", name=user.username), "success")
    return redirect(return_url(url_for("accounts.users")))


@bp.get("/field-attention")
@roles_required("organiser")
def field_attention():
    """What the phones could not deliver: scans, tallies and sales that need a person."""
    return render_template("accounts/field_attention.html", reports=services.list_field_reports())
