"""ONSSA numbers of food products (Law 28-07, décret 2-12-389) and what an inspector reads.

The shape is checked loosely, on purpose: ONSSA's lists of authorised and approved
establishments write a number as groups of letters and digits separated by dots, but the scheme
differs by kind and by year and no official grammar of it is published. So: two to eight groups
of one to twelve ASCII letters or digits, joined by single dots. Case, spaces around the dots
and Arabic-Indic digits typed on an Arabic keyboard are forgiven and written back in one form.
"""

import re

from flask_babel import gettext as _

from core.errors import RuleBroken
from store.models import ONSSA_KINDS

MAX_GROUPS = 8
MAX_GROUP_LENGTH = 12
GROUP = re.compile(r"^[A-Z0-9]+$")
ARABIC_INDIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def normal_onssa_number(text):
    """The number as it is stored (upper case, no spaces around dots), or None when blank."""
    text = (text or "").strip().translate(ARABIC_INDIC_DIGITS).upper()
    text = re.sub(r"\s*\.\s*", ".", text)
    return text or None


def onssa_shape_error(number):
    """What is wrong with a (normalised) number, as a sentence naming the field, or None."""
    if any(c.isspace() for c in number):
        return _("ONSSA number: remove the spaces inside the groups.")
    strange = sorted({c for c in number if c != "." and not (c.isascii() and c.isalnum())})
    if strange:
        return _(
            "ONSSA number: only letters, digits and dots are allowed; remove “%(characters)s”.",
            characters=" ".join(strange),
        )
    groups = number.split(".")
    if len(groups) < 2:
        return _("ONSSA number: write the groups of letters and digits separated by dots.")
    if any(not group for group in groups):
        return _("ONSSA number: each dot must stand between two groups of letters or digits.")
    if len(groups) > MAX_GROUPS or any(len(group) > MAX_GROUP_LENGTH for group in groups):
        return _(
            "ONSSA number: too long; at most %(groups)d groups of %(length)d letters or digits.",
            groups=MAX_GROUPS,
            length=MAX_GROUP_LENGTH,
        )
    return None


def check_onssa(number, kind):
    """(number, kind) cleaned for storage; raises RuleBroken naming the field at fault."""
    number = normal_onssa_number(number)
    if number is None:
        return None, None
    error = onssa_shape_error(number)
    if error:
        raise RuleBroken(error, code="bad_onssa_number", field="onssa_number")
    if kind not in ONSSA_KINDS:
        raise RuleBroken(
            _("ONSSA number: say whether it is an authorisation or an approval."),
            code="bad_onssa_kind",
            field="onssa_kind",
        )
    return number, kind


def missing_onssa(products):
    """The pre-packed food products among `products` that have no ONSSA number."""
    return [product for product in products if product.needs_onssa and not product.onssa_number]


def refuse_without_onssa(products):
    """A deposit of pre-packed food whose packer's number is unknown is refused, whole."""
    missing = missing_onssa(products)
    if missing:
        raise RuleBroken(
            _(
                "Pre-packed food cannot be taken in without the ONSSA number of the establishment "
                "that packs it. Add the number to these products first: %(skus)s.",
                skus=", ".join(product.sku for product in missing),
            ),
            code="onssa_number_missing",
        )
