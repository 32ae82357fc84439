"""Forms of the visitors pages: the public ticket form and the organisers' blank batch."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TelField
from wtforms.validators import DataRequired, NumberRange, Optional
from wtforms.validators import Length as FieldLength

from visitors.services import MAX_BATCH


class TicketForm(FlaskForm):
    name = StringField(_l("Name (optional)"), validators=[Optional(), FieldLength(max=200)])
    phone = TelField(_l("Phone (optional)"), validators=[Optional(), FieldLength(max=40)])
    city = StringField(_l("City (optional)"), validators=[Optional(), FieldLength(max=120)])
    consent = BooleanField(_l("The organisers may contact me about the markets"))


class TicketBatchForm(FlaskForm):
    count = IntegerField(
        _l("Number of blank tickets"),
        default=40,
        validators=[NumberRange(min=1, max=MAX_BATCH)],
    )


class DeviceForm(FlaskForm):
    """A phone to lend for the edition; `place` is "" or "<site>" or "<site>/<gate code>"."""

    name = StringField(
        _l("Name of the phone"),
        validators=[DataRequired(message=_l("This field is required.")), FieldLength(max=120)],
    )
    lent_to = StringField(_l("Lent to (optional)"), validators=[Optional(), FieldLength(max=200)])
    role = SelectField(
        _l("Role"), choices=[("volunteer", _l("Gate volunteer")), ("cashier", _l("Cashier"))]
    )
    place = SelectField(_l("Site and gate"), choices=[], validate_choice=True)
