"""Workshop forms: the programme, member and visitor registration, walk-ins, the survey."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from workshops.labels import AUDIENCE_LABELS, FORMAT_LABELS, GENDER_LABELS, TOPIC_LABELS

REQUIRED = _l("This field is required.")
LANGUAGE_LABELS = {
    "ar": _l("Arabic"),
    "fr": _l("French"),
    "en": _l("English"),
    "es": _l("Spanish"),
    "zgh": _l("Tamazight"),
}


class WorkshopForm(FlaskForm):
    site = SelectField(_l("Site"), choices=[], validators=[DataRequired(message=REQUIRED)])
    topic = SelectField(_l("Topic"), choices=list(TOPIC_LABELS.items()))
    format = SelectField(_l("Format"), choices=list(FORMAT_LABELS.items()))
    audience = SelectField(_l("Audience"), choices=list(AUDIENCE_LABELS.items()))
    # Rooms of every site of the edition, grouped by site; the service checks the room is one
    # of the chosen site's (a browser may send anything).
    room = SelectField(
        _l("Room or tent"),
        choices=[],
        validate_choice=False,
        validators=[DataRequired(message=REQUIRED)],
    )
    capacity = IntegerField(_l("Seats"), validators=[InputRequired(message=REQUIRED)])
    day = DateField(_l("Day"), validators=[InputRequired(message=REQUIRED)])
    start_time = TimeField(_l("Starts at"), validators=[InputRequired(message=REQUIRED)])
    end_time = TimeField(_l("Ends at"), validators=[InputRequired(message=REQUIRED)])
    speakers = TextAreaField(
        _l("Speakers: one per line, name | organisation | short bio"), validators=[Optional()]
    )


for _code, _language in LANGUAGE_LABELS.items():
    setattr(
        WorkshopForm,
        f"title_{_code}",
        StringField(
            _l("%(what)s (%(language)s)", what=_l("Title"), language=_language),
            validators=[Optional(), Length(max=300)],
        ),
    )
    setattr(
        WorkshopForm,
        f"description_{_code}",
        TextAreaField(
            _l("%(what)s (%(language)s)", what=_l("Description"), language=_language),
            validators=[Optional(), Length(max=4000)],
        ),
    )


def collect_translations(form, prefix):
    return {code: getattr(form, f"{prefix}_{code}").data or "" for code in LANGUAGE_LABELS}


def fill_translations(form, prefix, texts):
    for code in LANGUAGE_LABELS:
        getattr(form, f"{prefix}_{code}").data = (texts or {}).get(code, "")


def parse_speakers(text):
    speakers = []
    for line in (text or "").splitlines():
        parts = [part.strip() for part in line.split("|")]
        if parts and parts[0]:
            parts += [""] * 3
            speakers.append({"name": parts[0], "organisation": parts[1], "bio": parts[2]})
    return speakers


def speakers_text(speakers):
    return "\n".join(
        " | ".join([speaker.name, speaker.organisation, speaker.bio]).rstrip(" |")
        for speaker in speakers
    )


class VisitorForm(FlaskForm):
    person_name = StringField(
        _l("Your name"), validators=[DataRequired(message=REQUIRED), Length(max=200)]
    )
    phone = StringField(
        _l("Your phone number"), validators=[DataRequired(message=REQUIRED), Length(max=40)]
    )


YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]


class MemberForm(FlaskForm):
    person_name = StringField(
        _l("Member's name"), validators=[DataRequired(message=REQUIRED), Length(max=200)]
    )
    phone = StringField(
        _l("Phone number"), validators=[DataRequired(message=REQUIRED), Length(max=40)]
    )
    gender = SelectField(
        _l("Gender"),
        choices=list(GENDER_LABELS.items()),
        validators=[InputRequired(message=REQUIRED)],
    )
    under_35 = RadioField(
        _l("Under 35 years old"), choices=YES_NO, validators=[InputRequired(message=REQUIRED)]
    )


class WalkInForm(FlaskForm):
    registration = SelectField(_l("A registered person"), choices=[], validate_choice=False)
    person_name = StringField(_l("Or a new name"), validators=[Optional(), Length(max=200)])
    cooperative = SelectField(_l("Cooperative"), choices=[], validate_choice=False)
    gender = SelectField(
        _l("Gender"), choices=[("", "—")] + list(GENDER_LABELS.items()), validators=[Optional()]
    )
    under_35 = SelectField(
        _l("Under 35 years old"), choices=[("", "—")] + YES_NO, validators=[Optional()]
    )


class FeedbackForm(FlaskForm):
    rating = RadioField(
        _l("Your rating (1 = poor, 5 = excellent)"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        validators=[InputRequired(message=REQUIRED)],
    )
    useful = TextAreaField(_l("What was useful?"), validators=[Optional(), Length(max=2000)])
    improve = TextAreaField(
        _l("What should we improve?"), validators=[Optional(), Length(max=2000)]
    )


class WithdrawCertificateForm(FlaskForm):
    reason = StringField(
        _l("Why is it withdrawn?"), validators=[DataRequired(message=REQUIRED), Length(max=200)]
    )


class ActionForm(FlaskForm):
    """A button that changes something (cancel, delete, mark as sent): CSRF only."""
