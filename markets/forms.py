from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

REQUIRED = _l("This field is required.")
LANGUAGE_LABELS = {
    "ar": _l("Arabic"),
    "fr": _l("French"),
    "en": _l("English"),
    "es": _l("Spanish"),
    "zgh": _l("Tamazight"),
}


def translated_fields(prefix, label, field_class=StringField, length=300):
    """One text field per language, for content typed in several languages."""
    return {
        f"{prefix}_{code}": field_class(
            _l("%(what)s (%(language)s)", what=label, language=language),
            validators=[Optional(), Length(max=length)],
        )
        for code, language in LANGUAGE_LABELS.items()
    }


def collect_translations(form, prefix):
    return {code: getattr(form, f"{prefix}_{code}").data or "" for code in LANGUAGE_LABELS}


def fill_translations(form, prefix, texts):
    for code in LANGUAGE_LABELS:
        getattr(form, f"{prefix}_{code}").data = (texts or {}).get(code, "")


class EditionForm(FlaskForm):
    slug = StringField(
        _l("Slug (used in links)"), validators=[DataRequired(message=REQUIRED), Length(max=80)]
    )
    number = IntegerField(_l("Edition number"), validators=[InputRequired(message=REQUIRED)])
    visitor_target = IntegerField(
        _l("Visitor target"), validators=[InputRequired(message=REQUIRED)]
    )
    commission_percent = DecimalField(
        _l("Store commission (%)"),
        places=2,
        default=0,
        validators=[Optional(), NumberRange(0, 100, message=_l("Between 0 and 100."))],
    )
    starts_on = DateField(_l("First day"), validators=[InputRequired(message=REQUIRED)])
    ends_on = DateField(_l("Last day"), validators=[InputRequired(message=REQUIRED)])
    previous_id = SelectField(
        _l("Previous edition (for comparisons)"), choices=[], validate_choice=False
    )


for _name, _field in {
    **translated_fields("name", _l("Name")),
    **translated_fields("slogan", _l("Slogan")),
    **translated_fields("organiser", _l("Organiser")),
    **translated_fields("partners", _l("Partners"), TextAreaField, 2000),
}.items():
    setattr(EditionForm, _name, _field)


class SiteForm(FlaskForm):
    slug = StringField(
        _l("Slug (used in links)"), validators=[DataRequired(message=REQUIRED), Length(max=80)]
    )
    city = StringField(_l("City"), validators=[DataRequired(message=REQUIRED), Length(max=120)])
    # The province is taken from the city; a chosen one must agree with it (checked by the service).
    province_code = SelectField(_l("Province or prefecture"), validate_choice=False)
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    area_m2 = IntegerField(_l("Stall area (m²)"), validators=[InputRequired(message=REQUIRED)])
    opens_on = DateField(_l("Opens on"), validators=[InputRequired(message=REQUIRED)])
    closes_on = DateField(_l("Closes on"), validators=[InputRequired(message=REQUIRED)])
    opens_at = StringField(
        _l("Opens daily at (HH:MM)"), default="10:00", validators=[DataRequired(message=REQUIRED)]
    )
    closes_at = StringField(
        _l("Closes daily at (HH:MM, 24:00 for midnight)"),
        default="22:00",
        validators=[DataRequired(message=REQUIRED)],
    )
    visitor_target = IntegerField(
        _l("Visitor target"), validators=[InputRequired(message=REQUIRED)]
    )
    gates = TextAreaField(
        _l("Gates (one name per line)"),
        default=_l("Main gate"),
        validators=[DataRequired(message=REQUIRED)],
    )


for _name, _field in {
    **translated_fields("name", _l("Name")),
    **translated_fields("venue", _l("Venue")),
}.items():
    setattr(SiteForm, _name, _field)


class StatusForm(FlaskForm):
    status = SelectField(
        _l("New status"),
        choices=[
            ("draft", _l("draft")),
            ("published", _l("published")),
            ("open", _l("open")),
            ("closed", _l("closed")),
        ],
    )
