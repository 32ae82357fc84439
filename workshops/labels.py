"""Translated names of topics, formats, audiences and statuses (for pages, PDFs and CSV)."""

from flask_babel import lazy_gettext as _l

TOPIC_LABELS = {
    "marketing": _l("Marketing"),
    "online_selling": _l("Online selling"),
    "management": _l("Administrative and financial management"),
    "quality": _l("Quality and certification"),
    "success_stories": _l("Success stories"),
    "other": _l("Other"),
}
FORMAT_LABELS = {"workshop": _l("Workshop"), "seminar": _l("Seminar"), "talk": _l("Talk")}
AUDIENCE_LABELS = {"cooperatives": _l("Cooperatives only"), "public": _l("Open to the public")}
STATUS_LABELS = {
    "registered": _l("Registered"),
    "waitlisted": _l("On the waiting list"),
    "cancelled": _l("Cancelled"),
}
GENDER_LABELS = {"female": _l("Woman"), "male": _l("Man")}
SOURCE_LABELS = {"scan": _l("Scanned at the door"), "walk_in": _l("Added by the organiser")}
MESSAGE_LABELS = {"promotion": _l("Seat freed"), "cancellation": _l("Cancelled by the organiser")}


def label_globals():
    return {
        "topic_labels": TOPIC_LABELS,
        "format_labels": FORMAT_LABELS,
        "audience_labels": AUDIENCE_LABELS,
        "registration_labels": STATUS_LABELS,
        "gender_labels": GENDER_LABELS,
        "source_labels": SOURCE_LABELS,
        "message_labels": MESSAGE_LABELS,
    }
