from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from core.i18n import LANGUAGE_NAMES

ROLE_CHOICES = [
    ("organiser", _l("Organiser")),
    ("volunteer", _l("Volunteer")),
    ("cashier", _l("Cashier")),
    ("cooperative", _l("Cooperative")),
]


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username"), validators=[DataRequired(message=_l("This field is required."))]
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("This field is required."))]
    )
    remember = BooleanField(_l("Keep me signed in on this device"))


class UserForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(message=_l("This field is required.")), Length(max=80)],
    )
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    cooperative = SelectField(
        _l("Cooperative (for cooperative accounts)"), choices=[], validate_choice=False
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("This field is required."))]
    )


LANGUAGE_CHOICES = list(LANGUAGE_NAMES.items())
NOTIFY_CHOICES = [
    ("email", _l("By e-mail")),
    ("sms", _l("By SMS")),
    ("none", _l("Do not tell me")),
]
REQUIRED = _l("This field is required.")


class ForgotPasswordForm(FlaskForm):
    identifier = StringField(
        _l("Username, e-mail address or phone number"),
        validators=[DataRequired(message=REQUIRED), Length(max=200)],
    )


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(message=REQUIRED)])


class ResetCodeForm(FlaskForm):
    identifier = StringField(
        _l("Username, e-mail address or phone number"),
        validators=[DataRequired(message=REQUIRED), Length(max=200)],
    )
    code = StringField(_l("Code received by SMS"), validators=[DataRequired(message=REQUIRED)])
    password = PasswordField(_l("New password"), validators=[DataRequired(message=REQUIRED)])


class AcceptInvitationForm(FlaskForm):
    username = StringField(
        _l("Username"), validators=[DataRequired(message=REQUIRED), Length(max=80)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(message=REQUIRED)])


class ContactForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    language = SelectField(_l("Language of messages"), choices=LANGUAGE_CHOICES)
    notify_by = SelectField(_l("How we tell you"), choices=NOTIFY_CHOICES)


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(message=REQUIRED)]
    )
    password = PasswordField(_l("New password"), validators=[DataRequired(message=REQUIRED)])


class InvitationForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    language = SelectField(_l("Language of messages"), choices=LANGUAGE_CHOICES)
    role = SelectField(_l("Role"), choices=ROLE_CHOICES[1:])
    cooperative = SelectField(
        _l("Cooperative (for cooperative accounts)"), choices=[], validate_choice=False
    )
