"""Forms of the booths pages (Flask-WTF, CSRF on)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from booths.identifiers import court_choices
from booths.labels import (
    AGREEMENT_LABELS,
    LEGAL_FORM_LABELS,
    NEED_LABELS,
    SECTOR_LABELS,
    STALL_TYPE_LABELS,
    ZONE_LABELS,
)
from core.i18n import current_language
from markets.territory import province_choices

REQUIRED = _l("This field is required.")

LEGAL_FORM_CHOICES = list(LEGAL_FORM_LABELS.items())
SECTOR_CHOICES = list(SECTOR_LABELS.items())
AGREEMENT_CHOICES = list(AGREEMENT_LABELS.items())
STALL_TYPE_CHOICES = list(STALL_TYPE_LABELS.items())
NEED_CHOICES = list(NEED_LABELS.items())
ZONE_CHOICES = list(ZONE_LABELS.items())
DECISION_CHOICES = [
    ("approved", _l("Approve")),
    ("waitlisted", _l("Waitlist")),
    ("rejected", _l("Reject")),
]


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CooperativeForm(FlaskForm):
    name_ar = StringField(_l("Name in Arabic"), validators=[Optional(), Length(max=300)])
    name_latin = StringField(
        _l("Name in Latin script"), validators=[DataRequired(message=REQUIRED), Length(max=300)]
    )
    legal_form = SelectField(_l("Legal form"), choices=LEGAL_FORM_CHOICES)
    registration_number = StringField(
        _l("Registration number"), validators=[DataRequired(message=REQUIRED), Length(max=60)]
    )
    city = StringField(_l("City"), validators=[DataRequired(message=REQUIRED), Length(max=120)])
    sectors = CheckboxesField(
        _l("Sectors (the first ticked is the main one)"),
        choices=SECTOR_CHOICES,
        validators=[DataRequired(message=_l("Choose at least one sector."))],
    )
    products = TextAreaField(_l("Products"), validators=[Optional(), Length(max=2000)])
    members = IntegerField(
        _l("Number of members"), default=0, validators=[InputRequired(message=REQUIRED)]
    )
    women_members = IntegerField(
        _l("of whom women"), default=0, validators=[InputRequired(message=REQUIRED)]
    )
    young_members = IntegerField(
        _l("of whom under 35"), default=0, validators=[InputRequired(message=REQUIRED)]
    )
    contact_name = StringField(
        _l("Contact person"), validators=[DataRequired(message=REQUIRED), Length(max=200)]
    )
    phone = StringField(_l("Phone"), validators=[DataRequired(message=REQUIRED), Length(max=40)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=200)])
    bank_account = StringField(_l("Bank account (RIB)"), validators=[Optional(), Length(max=40)])
    ice = StringField(
        _l("ICE (common company identifier)"), validators=[Optional(), Length(max=30)]
    )
    odco_number = StringField(
        _l("Number in the central register of cooperatives (ODCO)"),
        validators=[Optional(), Length(max=40)],
    )
    registration_court = SelectField(
        _l("Registered by the court of first instance of"), validate_choice=False
    )
    # The province is taken from the city; a chosen one must agree with it (checked by the service).
    province_code = SelectField(_l("Province or prefecture"), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = current_language()
        self.registration_court.choices = [("", "—")] + court_choices(language)
        self.province_code.choices = {"": [("", _l("From the city"))]} | dict(
            province_choices(language)
        )  # the same list as the site form's (markets.views.province_list)


class RegistrationForm(CooperativeForm):
    consent = BooleanField(
        _l("I agree that the organisers keep these details to review our request."),
        validators=[DataRequired(message=REQUIRED)],
    )


class RegistryFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional()])
    sector = SelectField(_l("Sector"), choices=[("", "—")] + SECTOR_CHOICES)
    province = SelectField(_l("Province"), choices=[], validate_choice=False)
    status = SelectField(_l("Agreement"), choices=[("", "—")] + AGREEMENT_CHOICES)
    edition = SelectField(_l("Applied to edition"), choices=[], validate_choice=False)


class AgreementForm(FlaskForm):
    status = SelectField(_l("New agreement status"), choices=AGREEMENT_CHOICES)
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(message=REQUIRED)])


class ImportConfirmForm(FlaskForm):
    """The kept upload (its SHA-256) and the preview's nonce (one import per preview)."""

    upload = HiddenField(validators=[DataRequired(message=REQUIRED)])
    once = HiddenField(validators=[DataRequired(message=REQUIRED)])


class ActionForm(FlaskForm):
    """A button that changes something (CSRF only)."""


class ApplicationForm(FlaskForm):
    cooperative_id = SelectField(_l("Cooperative"), choices=[], validate_choice=False)
    stall_type = SelectField(_l("Stall"), choices=STALL_TYPE_CHOICES)
    needs = CheckboxesField(_l("Needs"), choices=NEED_CHOICES)
    products = TextAreaField(
        _l("Products you will sell"),
        validators=[DataRequired(message=REQUIRED), Length(max=2000)],
    )
    representative_1_name = StringField(_l("Representative 1: name"), [Optional(), Length(max=200)])
    representative_1_phone = StringField(
        _l("Representative 1: phone"), [Optional(), Length(max=40)]
    )
    representative_2_name = StringField(_l("Representative 2: name"), [Optional(), Length(max=200)])
    representative_2_phone = StringField(
        _l("Representative 2: phone"), [Optional(), Length(max=40)]
    )
    representative_3_name = StringField(_l("Representative 3: name"), [Optional(), Length(max=200)])
    representative_3_phone = StringField(
        _l("Representative 3: phone"), [Optional(), Length(max=40)]
    )

    def people(self):
        return [
            {
                "name": getattr(self, f"representative_{n}_name").data or "",
                "phone": getattr(self, f"representative_{n}_phone").data or "",
            }
            for n in (1, 2, 3)
        ]

    def values(self):
        return {
            "stall_type": self.stall_type.data,
            "needs": self.needs.data or [],
            "products": self.products.data or "",
            "representatives": self.people(),
        }


class DecisionForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=DECISION_CHOICES)
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])


class LayoutForm(FlaskForm):
    standard = IntegerField(
        _l("Standard stalls (3 × 3 m)"), default=0, validators=[Optional(), NumberRange(0, 2000)]
    )
    double = IntegerField(
        _l("Double stalls (6 × 3 m)"), default=0, validators=[Optional(), NumberRange(0, 1000)]
    )
    demonstration = IntegerField(
        _l("Demonstration spaces (6 × 6 m)"),
        default=0,
        validators=[Optional(), NumberRange(0, 100)],
    )
    aisle_m = DecimalField(
        _l("Aisle width (m)"), default=3, places=1, validators=[Optional(), NumberRange(1, 20)]
    )
    row_length_m = DecimalField(
        _l("Row length (m, empty: from the area)"),
        places=1,
        validators=[Optional(), NumberRange(3, 1000)],
    )
    food_share = IntegerField(
        _l("Share of stalls for food products (%)"),
        default=50,
        validators=[Optional(), NumberRange(0, 100)],
    )
    electricity = BooleanField(_l("Electricity at every stall"), default=True)
    shade = BooleanField(_l("Shade (tents) over every stall"), default=True)


class StallForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(message=REQUIRED), Length(max=20)])
    x_m = DecimalField(_l("x (m)"), places=2, validators=[InputRequired(message=REQUIRED)])
    y_m = DecimalField(_l("y (m)"), places=2, validators=[InputRequired(message=REQUIRED)])
    width_m = DecimalField(_l("Width (m)"), places=2, validators=[InputRequired(message=REQUIRED)])
    depth_m = DecimalField(_l("Depth (m)"), places=2, validators=[InputRequired(message=REQUIRED)])
    zone = SelectField(_l("Zone"), choices=ZONE_CHOICES)
    amenities = CheckboxesField(_l("Amenities"), choices=NEED_CHOICES)

    def values(self):
        return {
            "code": self.code.data,
            "x_m": float(self.x_m.data),
            "y_m": float(self.y_m.data),
            "width_m": float(self.width_m.data),
            "depth_m": float(self.depth_m.data),
            "zone": self.zone.data,
            "amenities": self.amenities.data or [],
        }


class GroundForm(FlaskForm):
    # ids of their own: the plan's page shows this form beside the layout's and a stall's
    width_m = DecimalField(
        _l("Ground width (m)"), places=1, validators=[InputRequired(REQUIRED)], id="ground-width"
    )
    depth_m = DecimalField(
        _l("Ground depth (m)"), places=1, validators=[InputRequired(REQUIRED)], id="ground-depth"
    )
    aisle_m = DecimalField(
        _l("Aisle width (m)"), places=1, default=3, validators=[Optional()], id="ground-aisle"
    )


class AssignForm(FlaskForm):
    application_id = SelectField(_l("Cooperative"), choices=[], validate_choice=False)


class ReissueForm(FlaskForm):
    person_name = StringField(_l("Name on the new badge"), validators=[Optional(), Length(max=200)])
    person_phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
