"""The cooperatives present at an edition: in total, by province, sector and legal form, with
their members, women and young members (from the cooperatives' registry)."""

from booths.models import Cooperative
from core.extensions import db
from report.numbers import share


def cooperative_records(ids):
    """{id: the registry's facts about each cooperative} in one query."""
    if not ids:
        return {}
    query = db.session.query(Cooperative).filter(Cooperative.id.in_(sorted(ids)))
    return {
        cooperative.id: {
            "id": cooperative.id,
            "name_latin": cooperative.name_latin,
            "name_ar": cooperative.name_ar,
            "registration_number": cooperative.registration_number,
            "province": cooperative.province,
            "main_sector": cooperative.main_sector,
            "legal_form": cooperative.legal_form,
            "members": cooperative.members,
            "women_members": cooperative.women_members,
            "young_members": cooperative.young_members,
            "women_led": cooperative.women_led,
            "youth_led": cooperative.youth_led,
        }
        for cooperative in query
    }


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
