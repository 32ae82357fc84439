"""A cooperative's official identifiers, checked in one place: RIB, ICE, ODCO register number and
the court of first instance that registered it. Each check raises RuleBroken naming the field and
what is wrong; each clean_* turns what people type (spaces, dots, dashes) into the stored form.
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask_babel import gettext as _

from core.errors import RuleBroken
from markets.territory import fold

COURTS_FILE = Path(__file__).resolve().parent / "data" / "courts.csv"
ICE_LENGTH = 15
RIB_LENGTH = 24
# ODCO publishes no shape for its central-register numbers: letters, digits and the separators seen
# on registration certificates (/ - .), at most 30 characters.
ODCO_PATTERN = re.compile(r"^[0-9A-Z]+(?:[/.\-][0-9A-Z]+)*$")
ODCO_MAX_LENGTH = 30
SEPARATORS = re.compile(r"[\s.\-]+")


def clean_digits(text):
    """Drop the spaces, dots and dashes copied from a slip or a certificate."""
    return SEPARATORS.sub("", text or "")


def rib_key(first_22_digits):
    """The two check digits of a Moroccan RIB: 97 minus (the first 22 digits × 100) mod 97."""
    return f"{97 - int(first_22_digits) * 100 % 97:02d}"


def check_bank_account(rib):
    """A RIB is 24 digits (bank, city, account, key); the key catches a mistyped digit."""
    if not (len(rib) == RIB_LENGTH and rib.isascii() and rib.isdigit()):
        raise RuleBroken(_("A RIB has 24 digits."), field="bank_account", code="bad_rib")
    if rib_key(rib[:22]) != rib[22:]:
        raise RuleBroken(
            _("The check key of this RIB is wrong: check the digits against the bank's slip."),
            field="bank_account",
            code="bad_rib",
        )


def check_ice(ice):
    """The ICE (Identifiant commun de l'entreprise) is 15 digits: 9 for the enterprise, 4 for the
    establishment, 2 control characters. OMPIC, which issues it, publishes no rule for those two
    (its own two examples share the key 57 with different bodies), so only digits and length are
    checked."""
    if not (ice.isascii() and ice.isdigit()):
        raise RuleBroken(_("The ICE is made of digits only."), field="ice", code="bad_ice")
    if len(ice) != ICE_LENGTH:
        raise RuleBroken(
            _("15 digits expected, %(count)d given.", count=len(ice)), field="ice", code="bad_ice"
        )


def clean_odco_number(text):
    return re.sub(r"\s+", "", (text or "").upper())


def check_odco_number(number):
    if len(number) > ODCO_MAX_LENGTH or not ODCO_PATTERN.match(number):
        raise RuleBroken(
            _("Letters and digits, separated by / - or ., at most 30 characters."),
            field="odco_number",
            code="bad_odco_number",
        )


@dataclass(frozen=True)
class Court:
    code: str
    name_fr: str
    name_ar: str
    court_of_appeal: str

    def name(self, language):
        return self.name_ar if language == "ar" else self.name_fr


@cache
def courts():
    with COURTS_FILE.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return tuple(Court(**row) for row in csv.DictReader(lines))


def find_court(code):
    return next((court for court in courts() if court.code == code), None)


def court_code_for(text):
    """The code of the court given by its code or its French or Arabic name (a CSV cell), or the
    text itself when no court matches (check_court then names the field)."""
    wanted = fold(text)
    for court in courts():
        if wanted in (court.code, fold(court.name_fr), fold(court.name_ar)):
            return court.code
    return (text or "").strip()


def check_court(code):
    if find_court(code) is None:
        raise RuleBroken(
            _("Unknown court: choose one from the list."),
            field="registration_court",
            code="unknown_court",
        )


def court_choices(language):
    """[(code, name)] of the courts by name, for a list."""
    return sorted(((c.code, c.name(language)) for c in courts()), key=lambda pair: pair[1])


def check_identity(values):
    """The optional identifiers of a cooperative: each one checked when given."""
    if values.get("ice"):
        check_ice(values["ice"])
    if values.get("odco_number"):
        check_odco_number(values["odco_number"])
    if values.get("registration_court"):
        check_court(values["registration_court"])
    if values.get("bank_account"):
        check_bank_account(values["bank_account"])
