"""Accounts pages: sign in and out, and the organisers' user list."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from accounts import bp, services
from accounts.forms import LoginForm, UserForm
from core.access import roles_required
from core.errors import DomainError
from core.extensions import db, limiter
from core.menu import add_menu_item
from core.views import copy_error_to_form, is_safe_redirect

add_menu_item("accounts.users", _l("Users"), ["organiser"], order=90)


def failed_login(response):
    # Only failed attempts count toward the throttle.
    return response.status_code == 200 and request.method == "POST"


def login_throttle_key():
    return f"{request.remote_addr}:{(request.form.get('username') or '').strip().lower()}"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT"],
    key_func=login_throttle_key,
    methods=["POST"],
    deduct_when=failed_login,
)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            target = request.args.get("next")
            return redirect(target if is_safe_redirect(target) else url_for("accounts.home"))
        form.password.errors.append(_("Wrong username or password."))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        services.end_sessions(current_user)  # a copied cookie must not outlive the sign-out
    logout_user()
    return redirect(url_for("accounts.login"))


@bp.get("/home")
@roles_required("organiser", "volunteer", "cashier", "cooperative")
def home():
    """Each role lands where its work is."""
    from core.menu import MAIN_MENU

    for _order, endpoint, _label, roles in MAIN_MENU:
        if current_user.role in roles:
            return redirect(url_for(endpoint))
    return redirect(url_for("markets.calendar"))


@bp.get("/users")
@roles_required("organiser")
def users():
    return render_template("accounts/users.html", users=services.list_users(), form=user_form())


def user_form():
    from booths.models import Cooperative

    form = UserForm()
    cooperatives = db.session.query(Cooperative).order_by(Cooperative.name_latin).all()
    form.cooperative.choices = [("", "—")] + [(str(c.id), c.name_latin) for c in cooperatives]
    return form


@bp.post("/users")
@roles_required("organiser")
def create_user():
    from booths.models import Cooperative

    form = user_form()
    if form.validate_on_submit():
        cooperative = (
            db.session.get(Cooperative, int(form.cooperative.data))
            if form.cooperative.data
            else None
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
    return render_template("accounts/users.html", users=services.list_users(), form=form), 422


@bp.post("/users/<int:user_id>/active")
@roles_required("organiser")
def set_active(user_id):
    user = services.get_user(user_id)
    services.set_user_active(user, request.form.get("active") == "1", current_user)
    flash(_("User %(name)s updated.", name=user.username), "success")
    return redirect(url_for("accounts.users"))
