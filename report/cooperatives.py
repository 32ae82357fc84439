"""The cooperatives present at an edition: in total, by province, sector and legal form, with
their members, women and young members (from the cooperatives' registry)."""

from sqlalchemy import select

from booths.models import Cooperative, is_led_by
from core.extensions import db
from report.numbers import share

RECORD_COLUMNS = (
    "id",
    "name_latin",
    "name_ar",
    "registration_number",
    "province",
    "main_sector",
    "legal_form",
    "members",
    "women_members",
    "young_members",
)


def cooperative_records(ids):
    """{id: the registry's facts about each cooperative} in one query, as plain rows (a national
    salon reads a thousand: ORM objects cost several times as much to make)."""
    if not ids:
        return {}
    columns = [getattr(Cooperative, name) for name in RECORD_COLUMNS]
    rows = db.session.execute(select(*columns).where(Cooperative.id.in_(sorted(ids))))
    records = {}
    for row in rows:
        record = dict(zip(RECORD_COLUMNS, row, strict=True))
        record["women_led"] = is_led_by(record["women_members"], record["members"])
        record["youth_led"] = is_led_by(record["young_members"], record["members"])
        records[record["id"]] = record
    return records


def composition_row(key, cooperatives):
    members = sum(c["members"] for c in cooperatives)
    women = sum(c["women_members"] for c in cooperatives)
    young = sum(c["young_members"] for c in cooperatives)
    return {
        "key": key,
        "cooperatives": len(cooperatives),
        "members": members,
        "women_members": women,
        "young_members": young,
        "women_share": share(women, members),
        "young_share": share(young, members),
        "women_led": sum(1 for c in cooperatives if c["women_led"]),
        "youth_led": sum(1 for c in cooperatives if c["youth_led"]),
    }


def grouped_composition(cooperatives, attribute):
    groups = {}
    for cooperative in cooperatives:
        groups.setdefault(cooperative[attribute], []).append(cooperative)
    rows = [composition_row(key, members) for key, members in groups.items()]
    return sorted(rows, key=lambda row: (-row["cooperatives"], row["key"]))


def cooperative_composition(admitted):
    """The cooperatives present (admitted): in total, by province, sector and legal form."""
    return {
        "total": composition_row("total", admitted),
        "by_province": grouped_composition(admitted, "province"),
        "by_sector": grouped_composition(admitted, "main_sector"),
        "by_legal_form": grouped_composition(admitted, "legal_form"),
    }
