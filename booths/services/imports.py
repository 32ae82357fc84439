"""CSV import of a cooperative list: a row-by-row preview, then an all-or-nothing import."""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from booths.labels import COLUMN_LABELS
from booths.labels import label as label_of
from booths.models import (
    AGREEMENT_STATUSES,
    COOPERATIVE_FILE_COLUMNS,
    COOPERATIVE_NUMBER_COLUMNS,
    COOPERATIVE_REQUIRED_COLUMNS,
)
from booths.services.registry import (
    check_cooperative_values,
    clean_cooperative_values,
    register_cooperative,
)
from core.csvio import read_csv
from core.errors import DomainError, RuleBroken
from core.extensions import db
from core.jobs import no_progress
from markets import gazetteer

MAX_ROWS = 5000


@dataclass
class ImportRow:
    line: int  # line in the file (the header is line 1)
    values: dict
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


@dataclass
class ImportPreview:
    rows: list

    @property
    def accepted(self):
        return [row for row in self.rows if row.ok]

    @property
    def rejected(self):
        return [row for row in self.rows if not row.ok]

    @property
    def importable(self):
        return bool(self.rows) and not self.rejected


def row_values(raw):
    """Turn one CSV row into cooperative values; raises RuleBroken for unreadable numbers."""
    values = {column: raw.get(column, "") for column in COOPERATIVE_FILE_COLUMNS}
    for column in COOPERATIVE_NUMBER_COLUMNS:
        text = values[column].replace(" ", "")
        if not text:
            values[column] = 0
        elif text.isdigit():
            values[column] = int(text)
        else:
            raise RuleBroken(_("A whole number is expected."), field=column)
    values["agreement_status"] = values["agreement_status"] or "applicant"
    if values["agreement_status"] not in AGREEMENT_STATUSES:
        raise RuleBroken(_("Unknown agreement status."), field="agreement_status")
    return values


def check_province(values):
    """A province given in the file must exist and be the city's province."""
    province = values.get("province", "").strip()
    if not province:
        return
    known = {gazetteer.fold(name): name for name in gazetteer.provinces()}
    if gazetteer.fold(province) not in known:
        raise RuleBroken(_("Unknown province: %(province)s.", province=province), field="province")
    place = gazetteer.find_place(values["city"])
    if place is not None and gazetteer.fold(place.province) != gazetteer.fold(province):
        raise RuleBroken(
            _(
                "%(city)s is in the province of %(expected)s, not %(province)s.",
                city=place.name,
                expected=place.province,
                province=province,
            ),
            field="province",
        )


def judge_row(line, raw, seen_numbers):
    row = ImportRow(line=line, values=dict(raw))
    try:
        values = row_values(raw)
        check_province(values)
        status = values.pop("agreement_status")
        values.pop("province", None)
        checked = check_cooperative_values(clean_cooperative_values(values))
        number = checked["registration_number"]
        if number in seen_numbers:
            raise RuleBroken(
                _(
                    "The registration number %(number)s already appears on line %(line)s.",
                    number=number,
                    line=seen_numbers[number],
                ),
                field="registration_number",
            )
        seen_numbers[number] = line
        row.values = {**values, "agreement_status": status}
    except DomainError as error:
        label = f"{label_of(COLUMN_LABELS, error.field)}: " if error.field else ""
        row.errors.append(f"{label}{error.message}")
    return row


def preview_import(raw_bytes, progress=no_progress):
    """Read a file and judge every row; raises RuleBroken when the file itself is unusable.

    `progress(done, total)` is called after each row judged."""
    rows = read_csv(raw_bytes, COOPERATIVE_REQUIRED_COLUMNS)
    if not rows:
        raise RuleBroken(_("The file has no cooperative rows."), code="empty_file")
    if len(rows) > MAX_ROWS:
        raise RuleBroken(
            _("At most %(count)d rows per import.", count=MAX_ROWS), code="too_many_rows"
        )
    seen_numbers, judged = {}, []
    for index, raw in enumerate(rows):
        judged.append(judge_row(index + 2, raw, seen_numbers))
        progress(index + 1, len(rows))
    return ImportPreview(rows=judged)


def import_cooperatives(raw_bytes, actor, progress=no_progress):
    """Import every row or none: any rejected row refuses the whole file.

    `progress(done, total)` counts each row twice: once judged, once registered."""
    preview = preview_import(raw_bytes, lambda done, total: progress(done, 2 * total))
    if not preview.importable:
        raise RuleBroken(
            _(
                "%(count)d rows cannot be imported; nothing was imported. Fix them and try again.",
                count=len(preview.rejected),
            ),
            code="rows_rejected",
        )
    cooperatives, total = [], len(preview.rows)
    for row in preview.accepted:
        values = dict(row.values)
        status = values.pop("agreement_status")
        cooperatives.append(register_cooperative(values, actor, status=status))
        progress(total + len(cooperatives), 2 * total)
    db.session.flush()
    return cooperatives
