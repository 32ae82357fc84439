"""CSV files as organisers really have them: UTF-8 (with or without BOM), comma or semicolon."""

import csv
import io
import re

from flask import make_response
from flask_babel import gettext as _

from core.downloads import content_disposition
from core.errors import RuleBroken
from core.inputs import TEXT_MESSAGES, is_name_field, name_problem


def read_csv(raw_bytes, required_columns):
    """Decode and parse an uploaded CSV; return a list of {column: value} rows.

    Raises RuleBroken for a file that is not UTF-8, empty, or missing required columns.
    """
    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RuleBroken(
            _("The file is not UTF-8 text. Save it as CSV UTF-8 and try again."),
            code="bad_encoding",
        ) from error
    if not text.strip():
        raise RuleBroken(_("The file is empty."), code="empty_file")
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = [(name or "").strip() for name in reader.fieldnames or []]
    missing = [column for column in required_columns if column not in columns]
    if missing:
        raise RuleBroken(
            _("Missing columns: %(columns)s.", columns=", ".join(missing)), code="missing_columns"
        )
    rows = []
    for row in reader:
        cleaned = {(key or "").strip(): (value or "").strip() for key, value in row.items() if key}
        for key, value in cleaned.items():
            if "\x00" in value:
                raise RuleBroken(TEXT_MESSAGES["unstorable_text"], code="unstorable_text")
            problem = name_problem(value) if is_name_field(key) else None
            if problem:
                raise RuleBroken(problem, code="bidi_override")
        if any(cleaned.values()):
            rows.append(cleaned)
    return rows


# A cell that a spreadsheet would read as a formula (issue 10: a cooperative named
# =HYPERLINK(...) must not become a link in the bank-transfer sheet).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def neutral_cell(value):
    """The cell as text that no spreadsheet evaluates: formulas get a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def csv_text(header, rows):
    """Every CSV the app writes: UTF-8 BOM (Arabic shows right in spreadsheets), neutral cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutral_cell(cell) for cell in header])
    writer.writerows([neutral_cell(cell) for cell in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


def csv_response(filename, header, rows):
    """A CSV download (UTF-8 with BOM so that spreadsheets show Arabic correctly)."""
    response = make_response(csv_text(header, rows))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response
