from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

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
