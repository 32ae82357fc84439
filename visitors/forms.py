"""Forms of the visitors pages: the public ticket form and the organisers' blank batch."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, TelField
from wtforms.validators import Length as FieldLength
from wtforms.validators import NumberRange, Optional

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
