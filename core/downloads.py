"""Names of downloaded files, readable in the reader's language ("Badges - Meknès - 2e édition.pdf").

Every PDF, ZIP, CSV, PNG and calendar the app sends goes through `content_disposition()`: the
readable name travels UTF-8 encoded in `filename*` (RFC 5987/6266), and a plain-ASCII `filename`
is kept for the clients that do not read it. No slug or enum key goes into a name a person sees.
"""

import re
import unicodedata
from urllib.parse import quote

from babel.dates import format_skeleton
from flask_babel import get_locale

# Characters that file systems refuse (Windows is the strictest) and control characters.
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
# Invisible bidi marks that dates and isolated figures carry: dropped from names.
BIDI_MARKS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SPACES = re.compile(r"\s+")
SEPARATOR = " - "
LONGEST_PART = 80


def clean_part(part):
    text = BIDI_MARKS.sub("", unicodedata.normalize("NFC", str(part or "")))
    text = SPACES.sub(" ", UNSAFE.sub(" ", text)).strip(" .-")
    return text[:LONGEST_PART].strip()


def download_name(*parts, extension):
    """A readable file name from translated parts (empty parts dropped), e.g.
    download_name(_("Badges"), site_name, edition_name, extension="pdf")."""
    stem = SEPARATOR.join(filter(None, (clean_part(part) for part in parts)))
    return f"{stem or 'download'}.{extension}"


def day_part(day):
    """A day as people write it in the current language, month in letters ("12 nov. 2026",
    "12 نوفمبر 2026"), never the ISO form: Arabic's medium date is 12‏/11‏/2026, and a slash
    cannot go into a file name."""
    return format_skeleton("yMMMd", day, locale=get_locale() or "fr")


def ascii_name(filename):
    """The fallback for old clients: accents dropped, other scripts removed."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    plain = SPACES.sub(" ", UNSAFE.sub(" ", plain)).strip(" .-")
    plain = re.sub(r"(\s*-\s*)+", " - ", plain).strip(" -")
    extension = unicodedata.normalize("NFKD", extension).encode("ascii", "ignore").decode()
    return f"{plain or 'download'}.{extension}" if extension else plain or "download"


def content_disposition(filename, inline=False):
    """The Content-Disposition header of a download: ASCII fallback and the UTF-8 name."""
    kind = "inline" if inline else "attachment"
    readable = SPACES.sub(" ", UNSAFE.sub(" ", unicodedata.normalize("NFC", filename))).strip()
    return (
        f"{kind}; filename=\"{ascii_name(readable)}\"; filename*=UTF-8''{quote(readable, safe='')}"
    )
