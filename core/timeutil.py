"""Time: stored in UTC (naive UTC datetimes in the database), shown in Africa/Casablanca."""

import zoneinfo
from datetime import UTC, date, datetime

from babel.dates import format_skeleton
from flask_babel import format_date, format_datetime, format_time, get_locale

from core.bidi import isolated

# Every zone of the process comes from the pinned `tzdata` package, the same rules Babel formats
# with (pytz), never from the machine's own zone files, which may be older: Morocco's rules changed
# in 2026. This also covers libraries that look zones up by name (icalendar reading a feed back).
zoneinfo.reset_tzpath(to=[])
zoneinfo.ZoneInfo.clear_cache()
LOCAL_ZONE = zoneinfo.ZoneInfo("Africa/Casablanca")


def utc_now():
    """Current UTC time as a naive datetime, the form the database stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_utc_naive(moment):
    """Any aware datetime to naive UTC; a naive one is taken as UTC already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def to_local(moment):
    """A stored (naive UTC) datetime to an aware Africa/Casablanca one."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_ZONE)


def local_to_utc_naive(naive_local):
    """A wall-clock time in Morocco to naive UTC."""
    return to_utc_naive(naive_local.replace(tzinfo=LOCAL_ZONE))


EARLIEST = datetime(2000, 1, 1)
LATEST = datetime(2100, 1, 1)


HOUR_KEY_FORMAT = "%Y-%m-%dT%H"  # core.database.hour_key_column writes the same text in SQL


def hour_key(moment):
    """The UTC hour of a naive UTC time as sortable text: 2026-11-29T14."""
    return moment.strftime(HOUR_KEY_FORMAT)


def parse_iso(text):
    """Parse an ISO 8601 time; it must carry an offset (or Z). Returns naive UTC.

    Any time outside 2000-2100 is refused with ValueError (never an OverflowError later).
    """
    if not isinstance(text, str) or not text or len(text) > 40 or "\x00" in text:
        raise ValueError("time must be an ISO 8601 string")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except UnicodeError as error:
        raise ValueError("time must be an ISO 8601 string") from error
    if moment.tzinfo is None:
        raise ValueError("time must carry an offset")
    if not EARLIEST <= moment.replace(tzinfo=None) < LATEST:
        raise ValueError("time must fall between 2000 and 2100")
    return to_utc_naive(moment)


def iso_utc(moment):
    """A stored naive UTC datetime as ISO 8601 with Z, the API's form."""
    if moment is None:
        return None
    return to_utc_naive(moment).replace(microsecond=0).isoformat() + "Z"


def show_datetime(moment, style="medium"):
    return format_datetime(to_local(moment), style) if moment else ""


def show_time(moment, style="short"):
    return format_time(to_local(moment), style) if moment else ""


def show_date(day, style="medium"):
    """A date (or an ISO "YYYY-MM-DD" string, as the JSON figures carry them) in the reader's locale."""
    if isinstance(day, str) and day:
        day = date.fromisoformat(day)
    return format_date(day, style) if day else ""


# A date as pages write it (the `date` filter): isolated on right-to-left pages, so that
# "05/11/2026" stays one unit, read day first, inside an Arabic line.
page_date = isolated(show_date)


def show_day_month(day):
    """A day without its year, as the reader's language writes it ("6 nov.", "6 نوفمبر",
    "Nov 6"): the labels of a chart over an edition's days ("11-06" was the 11th of June to a
    French reader)."""
    if isinstance(day, str) and day:
        day = date.fromisoformat(day)
    return format_skeleton("MMMd", day, locale=get_locale() or "fr") if day else ""
