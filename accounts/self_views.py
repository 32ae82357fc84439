"""Pages where people look after their own accounts: forgotten password, invitations, my account,
and the people of a cooperative (or the organisers' invitations)."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user

from accounts import bp, self_service
from accounts.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ContactForm,
    ForgotPasswordForm,
    InvitationForm,
    NewPasswordForm,
    ResetCodeForm,
)
from accounts.services import get_user
from core.access import roles_required
from core.errors import DomainError
from core.extensions import limiter
from core.menu import add_menu_item
from core.views import copy_error_to_form

add_menu_item("accounts.people", _l("Invitations"), ["organiser", "cooperative"], order=91)


def reset_throttle_key():
    return request.remote_addr or "-"


def link_problem(error):
    return render_template("accounts/link_problem.html", message=error.message), error.status


# ---------------------------------------------------------------- forgotten password


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["RESET_LIMIT"], key_func=reset_throttle_key, methods=["POST"]
)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        self_service.request_password_reset(
            form.identifier.data,
            lambda token: url_for("accounts.reset_password", token=token, _external=True),
        )
        # The same answer whether or not an account matched.
        return redirect(url_for("accounts.reset_requested"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.get("/password/sent")
def reset_requested():
    return render_template("accounts/reset_requested.html", form=ResetCodeForm())


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    try:
        self_service.usable_token(token, "reset")
    except DomainError as error:
        return link_problem(error)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            self_service.reset_password_with_link(token, form.password.data)
        except DomainError as error:
            copy_error_to_form(form, error)
        else:
            flash(_("Your new password is saved. Sign in with it."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.post("/password/code")
@limiter.limit(lambda: current_app.config["RESET_LIMIT"], key_func=reset_throttle_key)
def reset_with_code():
    form = ResetCodeForm()
    if form.validate_on_submit():
        try:
            self_service.reset_password_with_code(
                form.identifier.data, form.code.data, form.password.data
            )
        except DomainError as error:
            copy_error_to_form(form, error)
        else:
            flash(_("Your new password is saved. Sign in with it."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_requested.html", form=form), 422


# ---------------------------------------------------------------- invitations


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    try:
        invitation = self_service.usable_token(token, "invitation")
    except DomainError as error:
        return link_problem(error)
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = self_service.accept_invitation(token, form.username.data, form.password.data)
        except DomainError as error:
            copy_error_to_form(form, error)
        else:
            login_user(user)
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(url_for("accounts.home"))
    return render_template("accounts/accept_invitation.html", form=form, invitation=invitation)


@bp.route("/people", methods=["GET", "POST"])
@roles_required("organiser", "cooperative")
def people():
    form = invitation_form()
    if form.validate_on_submit():
        try:
            self_service.invite_user(
                current_user,
                form.role.data if current_user.role == "organiser" else "cooperative",
                lambda token: url_for("accounts.accept_invitation", token=token, _external=True),
                full_name=form.full_name.data,
                email=form.email.data,
                phone=form.phone.data,
                language=form.language.data,
                cooperative=self_service.cooperative_by_id(form.cooperative.data),
            )
        except DomainError as error:
            copy_error_to_form(form, error)
        else:
            flash(_("The invitation is on its way."), "success")
            return redirect(url_for("accounts.people"))
    members = (
        self_service.members_of(current_user.cooperative)
        if current_user.role == "cooperative"
        else []
    )
    return render_template(
        "accounts/people.html",
        form=form,
        members=members,
        invitations=self_service.pending_invitations(current_user),
    ), (422 if form.errors else 200)


def invitation_form():
    form = InvitationForm()
    if current_user.role == "organiser":
        form.cooperative.choices = [("", "—")] + self_service.cooperative_choices()
    else:
        form.role.validate_choice = False  # a cooperative only invites its own members
    form.language.data = form.language.data or current_user.language
    return form


@bp.post("/people/<int:user_id>/active")
@roles_required("cooperative")
def set_member_active(user_id):
    member = get_user(user_id)
    self_service.set_member_active(member, request.form.get("active") == "1", current_user)
    flash(_("User %(name)s updated.", name=member.username), "success")
    return redirect(url_for("accounts.people"))


# ---------------------------------------------------------------- my account


@bp.route("/account", methods=["GET", "POST"])
@roles_required("organiser", "volunteer", "cashier", "cooperative")
def my_account():
    contact = ContactForm(obj=current_user if request.method == "GET" else None)
    password = ChangePasswordForm(prefix="pw")
    if request.method == "POST" and request.form.get("part") == "password":
        if password.validate_on_submit():
            try:
                self_service.change_password(
                    current_user, password.current_password.data, password.password.data
                )
            except DomainError as error:
                copy_error_to_form(password, error)
            else:
                login_user(
                    current_user._get_current_object()
                )  # this browser keeps going; every other one is out
                flash(_("Your new password is saved."), "success")
                return redirect(url_for("accounts.my_account"))
    elif contact.validate_on_submit():
        try:
            self_service.update_contact_details(
                current_user,
                contact.full_name.data,
                contact.email.data,
                contact.phone.data,
                contact.language.data,
                contact.notify_by.data,
            )
        except DomainError as error:
            copy_error_to_form(contact, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("accounts.my_account"))
    status = 422 if (contact.errors or password.errors) else 200
    return render_template("accounts/my_account.html", contact=contact, password=password), status
