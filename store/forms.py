"""Forms of the store's pages (the rules themselves live in store.services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from booths.labels import SECTOR_LABELS
from booths.models import SECTORS
from core.views import SEARCH_LENGTH
from store.labels import ONSSA_KIND_LABELS, REASON_LABELS, UNIT_LABELS
from store.models import ADJUSTMENT_REASONS, ONSSA_KINDS, UNITS

REQUIRED = _l("This field is required.")
LANGUAGE_LABELS = {
    "ar": _l("Arabic"),
    "fr": _l("French"),
    "en": _l("English"),
    "es": _l("Spanish"),
    "zgh": _l("Tamazight"),
}


class ProductForm(FlaskForm):
    cooperative_id = SelectField(_l("Cooperative"), coerce=int, validate_choice=False)
    sku = StringField(_l("SKU"), validators=[DataRequired(message=REQUIRED), Length(max=40)])
    barcode = StringField(
        _l("Barcode"), validators=[DataRequired(message=REQUIRED), Length(max=40)]
    )
    name_ar = StringField(_l("Name (Arabic)"), validators=[Optional(), Length(max=300)])
    name_fr = StringField(_l("Name (French)"), validators=[Optional(), Length(max=300)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=300)])
    name_es = StringField(_l("Name (Spanish)"), validators=[Optional(), Length(max=300)])
    name_zgh = StringField(_l("Name (Tamazight)"), validators=[Optional(), Length(max=300)])
    unit = SelectField(_l("Unit"), choices=[(unit, UNIT_LABELS[unit]) for unit in UNITS])
    price = StringField(_l("Price (MAD)"), validators=[DataRequired(message=REQUIRED)])
    sector = SelectField(
        _l("Sector"), choices=[(sector, SECTOR_LABELS[sector]) for sector in SECTORS]
    )
    low_stock_at = IntegerField(
        _l("Low stock below"), default=5, validators=[InputRequired(message=REQUIRED)]
    )
    food = SelectField(
        _l("Food"),
        choices=[
            ("", _l("As its sector says")),
            ("yes", _l("Food (eaten or drunk)")),
            ("no", _l("Not food (soap, cosmetics, crafts)")),
        ],
        default="",
        validate_choice=False,
    )
    prepacked = BooleanField(
        _l("Sold pre-packed (in its own jar, bottle, bag or box)"), default=True
    )
    onssa_number = StringField(_l("ONSSA number"), validators=[Optional(), Length(max=60)])
    onssa_kind = SelectField(
        _l("ONSSA number is a"),
        choices=[("", "—")] + [(kind, ONSSA_KIND_LABELS[kind]) for kind in ONSSA_KINDS],
        default="",
        validate_choice=False,  # the service names what is wrong, with the number
    )
    photo = FileField(
        _l("Photo (optional)"),
        validators=[FileAllowed(["jpg", "jpeg", "png", "webp"], _l("A JPEG, PNG or WebP image."))],
    )

    def names(self):
        return {code: getattr(self, f"name_{code}").data or "" for code in LANGUAGE_LABELS}


class QualityCheckForm(FlaskForm):
    checked_on = DateField(_l("Date of the check"), validators=[InputRequired(message=REQUIRED)])
    inspector = StringField(
        _l("Inspector"), validators=[DataRequired(message=REQUIRED), Length(max=200)]
    )
    result = SelectField(_l("Result"), choices=[("pass", _l("passed")), ("fail", _l("failed"))])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])


class HandoverForm(FlaskForm):
    """A deposit or a return: quantities come as qty-<product id> inputs."""

    cooperative_id = SelectField(_l("Cooperative"), coerce=int, validate_choice=False)
    kind = SelectField(
        _l("Movement"),
        choices=[
            ("deposit", _l("deposit by the cooperative")),
            ("return", _l("return to the cooperative")),
        ],
    )
    handed_by = StringField(
        _l("Handed over by"), validators=[DataRequired(message=REQUIRED), Length(max=200)]
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])


class AdjustmentForm(FlaskForm):
    product_id = SelectField(_l("Product"), coerce=int, validate_choice=False)
    quantity = IntegerField(_l("Change (+ or −)"), validators=[InputRequired(message=REQUIRED)])
    reason = SelectField(
        _l("Reason"), choices=[(reason, REASON_LABELS[reason]) for reason in ADJUSTMENT_REASONS]
    )
    comment = StringField(_l("Comment"), validators=[Optional(), Length(max=500)])


class StockFilterForm(FlaskForm):
    """The stock page's filters (GET: a link keeps them)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=SEARCH_LENGTH)])
    cooperative = SelectField(_l("Cooperative"), choices=[], validate_choice=False)
    state = SelectField(
        _l("Status"),
        choices=[
            ("", "—"),
            ("low", _l("low stock")),
            ("out", _l("out of stock")),
            ("blocked", _l("blocked")),
        ],
    )


class RefundForm(FlaskForm):
    """Quantities come as refund-<line id> inputs."""

    reason = StringField(_l("Reason"), validators=[DataRequired(message=REQUIRED), Length(max=300)])
    restock = BooleanField(_l("Put the products back in stock"), default=True)


class VoidForm(FlaskForm):
    # an id of its own: the sale's page shows this form under the refund's
    reason = StringField(
        _l("Reason"),
        validators=[DataRequired(message=REQUIRED), Length(max=300)],
        id="void-reason",
    )


class TillCloseForm(FlaskForm):
    register = StringField(_l("Till"), validators=[DataRequired(message=REQUIRED), Length(max=40)])
    day = DateField(_l("Day"), validators=[InputRequired(message=REQUIRED)])
    counted_cash = StringField(
        _l("Counted cash (MAD)"), validators=[DataRequired(message=REQUIRED)]
    )
    comment = TextAreaField(_l("Comment on any difference"), validators=[Optional()])


class MarkPaidForm(FlaskForm):
    paid_on = DateField(_l("Paid on"), validators=[InputRequired(message=REQUIRED)])
    paid_time = TimeField(_l("At"), validators=[Optional()])
    reference = StringField(
        _l("Transfer reference"), validators=[DataRequired(message=REQUIRED), Length(max=120)]
    )


class ImportForm(FlaskForm):
    file = FileField(_l("Sales report (CSV)"))


class OpenShiftForm(FlaskForm):
    float_cash = StringField(
        _l("Float counted into the drawer (MAD)"), validators=[DataRequired(message=REQUIRED)]
    )


class CashMovementForm(FlaskForm):
    kind = SelectField(_l("Movement"), choices=[("in", _l("Cash in")), ("out", _l("Cash out"))])
    amount = StringField(_l("Amount (MAD)"), validators=[DataRequired(message=REQUIRED)])
    reason = StringField(_l("Reason"), validators=[DataRequired(message=REQUIRED), Length(max=200)])


class CloseShiftForm(FlaskForm):
    """Counts come as count-<denomination in centimes> inputs."""

    comment = TextAreaField(_l("Comment on any difference"), validators=[Optional()])
    next_cashier = SelectField(_l("Hand over to"), coerce=int, validate_choice=False)


class TillForm(FlaskForm):
    name_ar = StringField(_l("Name in Arabic"), validators=[Optional(), Length(max=80)])
    name_fr = StringField(_l("Name in French"), validators=[Optional(), Length(max=80)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=80)])
    name_es = StringField(_l("Name in Spanish"), validators=[Optional(), Length(max=80)])


class BuildRunForm(FlaskForm):
    up_to = DateField(_l("Pay everything due up to"), validators=[InputRequired(message=REQUIRED)])
    minimum = StringField(
        _l("Minimum per cooperative (MAD)"),
        validators=[DataRequired(message=REQUIRED), Length(max=20)],
    )


class PostRunForm(MarkPaidForm):
    reference = StringField(
        _l("Bank batch reference"), validators=[DataRequired(message=REQUIRED), Length(max=120)]
    )


class StatementForm(FlaskForm):
    file = FileField(_l("Bank statement (CSV)"))


class PayeeForm(FlaskForm):
    method = SelectField(
        _l("Pay us to"),
        choices=[("rib", _l("Bank account (RIB)")), ("wallet", _l("Mobile wallet"))],
    )
    wallet_phone = StringField(_l("Wallet's phone number"), validators=[Length(max=40)])
