"""Input judged before it reaches the database: strings, integers, times and JSON bodies.

One place for the rules every entry point shares (issue 10): a string holding NUL or a lone
surrogate cannot be stored (PostgreSQL refuses NUL, every driver refuses lone surrogates), an
integer must fit the column it is meant for, a time must fall between 2000 and 2100, and a JSON
body must be shallow and its numbers short before anything parses it further.
"""

import json
import re
import unicodedata
from decimal import Decimal

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter, UnicodeConverter, ValidationError
from wtforms.fields import DecimalField, IntegerField, StringField
from wtforms.validators import StopValidation
from wtforms.validators import ValidationError as FieldInvalid

from core.errors import BadRequest, NotFound, RuleBroken

INT32_MAX = 2**31 - 1  # Integer columns (ids, amounts in centimes, counts) on PostgreSQL
INT64_MAX = 2**63 - 1
MAX_JSON_DEPTH = 32
MAX_NUMBER_CHARS = 40
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Characters that reorder how a name reads (embeddings, overrides, isolates): refused in names.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Fields that hold a name, in forms, JSON bodies and CSV imports: name, name_ar, person_name...
NAME_FIELD = re.compile(r"^(?:.*_)?name(?:_[a-z]{2})?$|^name_latin$|^username$")

TEXT_MESSAGES = {
    "unstorable_text": _l(
        "The text holds a character that cannot be stored (NUL or a lone surrogate)."
    ),
    "text_too_long": _l("The text is too long."),
    "bidi_override": _l("Names may not hold direction-override characters."),
}


class InputRefused(ValueError):
    """A value that may not enter; ``code`` names why (see TEXT_MESSAGES)."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code

    @property
    def message(self):
        return str(TEXT_MESSAGES.get(self.code, _l("The value is out of range.")))


# ---------------------------------------------------------------- strings


def is_storable(text):
    return UNSTORABLE.search(text) is None


def clean_text(value, max_length=None, name=False):
    """NFC text without NUL or lone surrogates (and, for names, no bidi overrides)."""
    if not is_storable(value):
        raise InputRefused("unstorable_text")
    value = unicodedata.normalize("NFC", value)
    if max_length is not None and len(value) > max_length:
        raise InputRefused("text_too_long")
    if name and BIDI_CONTROLS.search(value):
        raise InputRefused("bidi_override")
    return value


def holds_unstorable(value):
    """True when a decoded JSON value holds, anywhere, a string that cannot be stored."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not is_storable(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def is_name_field(key):
    return isinstance(key, str) and NAME_FIELD.match(key) is not None


def holds_spoofed_name(value):
    """True when a decoded JSON value names something with direction-override characters."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                if is_name_field(key) and isinstance(inner, str) and BIDI_CONTROLS.search(inner):
                    return True
                stack.append(inner)
        elif isinstance(item, list):
            stack.extend(item)
    return False


def name_problem(value):
    """A form validator's view of a name: the refusal's message or None."""
    try:
        clean_text(value or "", name=True)
    except InputRefused as refusal:
        return refusal.message
    return None


# ---------------------------------------------------------------- integers


def fits_int32(value):
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and -INT32_MAX - 1 <= value <= INT32_MAX
    )


def is_row_id(value):
    """An id that an Integer primary key can hold (anything else names no row: 404)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= INT32_MAX


def existing_id(value):
    """An id from a body: None stays None, an id no Integer column can hold names no row (404)."""
    if value is not None and not is_row_id(value):
        raise NotFound(_("Nothing has this id."), code="not_found")
    return value


def check_amount(value, field, minimum=-INT32_MAX, maximum=INT32_MAX):
    """A count or an amount in centimes that its column can hold, else 422."""
    if value is None:
        return value
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise RuleBroken(
            _("%(field)s is out of range.", field=field), code="out_of_range", field=field
        )
    return value


# ---------------------------------------------------------------- JSON bodies


def short_int(text):
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError("number too long")
    return int(text)


def short_float(text):
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError("number too long")
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError("number too large")
    return number


def refuse_constant(text):
    raise ValueError(f"{text} is not JSON")


def depth_of(value):
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                return depth
            stack.extend((inner, depth + 1) for inner in item)
    return deepest


def load_json(raw):
    """Parse a JSON body with its depth and number sizes bounded; ValueError when refused."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8-sig")
    # An opener count within the bound cannot nest deeper: most bodies skip the walk below.
    openers = raw.count("[") + raw.count("{")
    try:
        value = json.loads(
            raw, parse_int=short_int, parse_float=short_float, parse_constant=refuse_constant
        )
    except RecursionError as error:
        raise ValueError("too deep") from error
    if openers > MAX_JSON_DEPTH and depth_of(value) > MAX_JSON_DEPTH:
        raise ValueError("too deep")
    return value


# ---------------------------------------------------------------- the request


BATCH_ENDPOINTS = {
    "visitors_api.record_scans",
    "visitors_api.record_tallies",
    "accounts_api.report_field_attention",
}


def judge_request():
    """before_request: refuse what no handler should ever see (400), before anything parses it."""
    for key, value in request.args.items(multi=True):
        if not (is_storable(key) and is_storable(value)):
            refuse_text()
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in request.form.items(multi=True):
            if not (is_storable(key) and is_storable(value)):
                refuse_text()
        return
    if request.is_json and request.content_length != 0 and request.method != "GET":
        judge_json_body()


def judge_json_body():
    try:
        body = load_json(request.get_data(cache=True))
    except (ValueError, UnicodeDecodeError):
        raise BadRequest(
            _("The body is not JSON this API accepts (too deep, a number too long, or malformed)."),
            code="invalid_request",
        ) from None
    # A batch judges each item on its own: one bad scan never refuses the others.
    if request.endpoint in BATCH_ENDPOINTS:
        return
    if holds_unstorable(body):
        refuse_text()
    if holds_spoofed_name(body):
        raise RuleBroken(TEXT_MESSAGES["bidi_override"], code="bidi_override")
    normalised = normalise_json(body)
    if normalised != body:
        # The schemas (webargs) read the cached body again: hand them the NFC text.
        request._cached_data = json.dumps(normalised, ensure_ascii=False).encode()


def normalise_json(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [normalise_json(item) for item in value]
    if isinstance(value, dict):
        return {normalise_json(key): normalise_json(item) for key, item in value.items()}
    return value


def refuse_text():
    raise BadRequest(TEXT_MESSAGES["unstorable_text"], code="unstorable_text")


class StorableString(UnicodeConverter):
    """The default path converter, refusing (404) a segment the database cannot store."""

    def to_python(self, value):
        if not is_storable(value):
            raise ValidationError()
        return value


class RowId(IntegerConverter):
    """`<int:...>` limited to what an Integer column holds: a larger id is a plain 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", INT32_MAX)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value):
        if len(value) > 10:  # int() of thousands of digits is refused by Python itself
            raise ValidationError()
        return super().to_python(value)


def register_input_rules(app):
    app.url_map.converters["default"] = StorableString
    app.url_map.converters["string"] = StorableString
    app.url_map.converters["int"] = RowId
    judge_form_fields()


def judge_form_fields():
    """Every WTForms field: text in NFC, numbers within what their column can hold."""
    if getattr(IntegerField, "souk_judged", False):
        return
    IntegerField.pre_validate = bounded_number
    DecimalField.pre_validate = bounded_number
    plain_process = StringField.process_formdata

    def process_formdata(self, valuelist):
        plain_process(self, valuelist)
        if isinstance(self.data, str):
            self.data = unicodedata.normalize("NFC", self.data)

    def pre_validate(self, form):
        if is_name_field(self.name) and isinstance(self.data, str):
            problem = name_problem(self.data)
            if problem:
                raise StopValidation(problem)

    StringField.process_formdata = process_formdata
    StringField.pre_validate = pre_validate
    IntegerField.souk_judged = True


def bounded_number(field, form):
    value = field.data
    if value is None:
        return
    if (
        isinstance(value, Decimal)
        and not value.is_finite()
        or not -INT32_MAX - 1 <= value <= INT32_MAX
    ):
        field.errors[:] = []
        raise StopValidation(_("This number is out of range."))


class PlainName:
    """WTForms validator for names: no direction-override characters (they spoof the reading)."""

    def __call__(self, form, field):
        problem = name_problem(field.data)
        if problem:
            raise FieldInvalid(problem)
