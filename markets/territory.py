"""Morocco's 12 regions and 75 prefectures and provinces (décret 2-15-40), read from
markets/data/territory.csv (its sources are named at the top of the file).

The file was generated once from pycountry's ISO 3166-2:MA entries, corrected against the décret and
completed with Arabic names and seats, rather than reading pycountry at run time: pycountry has no
Arabic names, annotates some names with "(EH)", and places two provinces in the wrong region, so the
application would need a corrections layer on top of it anyway; a reviewed file is one source.
"""

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TERRITORY_FILE = Path(__file__).resolve().parent / "data" / "territory.csv"


@dataclass(frozen=True)
class Province:
    code: str  # ISO 3166-2:MA, e.g. MA-HAJ
    kind: str  # prefecture | province
    region_code: str
    name_fr: str
    name_ar: str
    seat_fr: str
    seat_ar: str
    latitude: float
    longitude: float

    def name(self, language):
        return localized_name(self.name_fr, self.name_ar, language)

    def seat(self, language):
        return localized_name(self.seat_fr, self.seat_ar, language)


@dataclass(frozen=True)
class Region:
    code: str  # ISO 3166-2:MA, e.g. MA-03
    name_fr: str
    name_ar: str
    provinces: tuple

    def name(self, language):
        return localized_name(self.name_fr, self.name_ar, language)


def localized_name(name_fr, name_ar, language):
    """Arabic for Arabic readers; French otherwise (no official Tamazight names are published)."""
    return name_ar if language == "ar" and name_ar else name_fr


def fold(text):
    """Case-, accent- and dash-insensitive key: 'Fès' and 'fes', "M'diq-Fnideq" and 'mdiq fnideq'."""
    decomposed = unicodedata.normalize("NFKD", (text or "").strip().lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    for mark in ("'", "’", "-"):
        plain = plain.replace(mark, " " if mark == "-" else "")
    return " ".join(plain.split())


@cache
def _rows():
    with TERRITORY_FILE.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return tuple(csv.DictReader(lines))


@cache
def provinces():
    """Every prefecture and province, region by region in the décret's order."""
    return tuple(
        Province(
            code=row["code"],
            kind=row["kind"],
            region_code=row["region"],
            name_fr=row["name_fr"],
            name_ar=row["name_ar"],
            seat_fr=row["seat_fr"],
            seat_ar=row["seat_ar"],
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
        )
        for row in _rows()
        if row["kind"] != "region"
    )


@cache
def regions():
    return tuple(
        Region(
            code=row["code"],
            name_fr=row["name_fr"],
            name_ar=row["name_ar"],
            provinces=tuple(p for p in provinces() if p.region_code == row["code"]),
        )
        for row in _rows()
        if row["kind"] == "region"
    )


@cache
def _by_code():
    return {item.code: item for item in (*regions(), *provinces())}


@cache
def _by_name():
    index = {}
    for item in provinces():
        index.setdefault(fold(item.name_fr), item)
        index.setdefault(item.name_ar.strip(), item)
    return index


def find_province(code):
    item = _by_code().get(code or "")
    return item if isinstance(item, Province) else None


def find_region(code):
    item = _by_code().get(code or "")
    return item if isinstance(item, Region) else None


def province_named(name):
    """The province or prefecture with this French or Arabic name, or None."""
    return _by_name().get(fold(name)) or _by_name().get((name or "").strip())


def province_code_for(name):
    """The code of the province named so, or None: how a province typed as text is tied to one."""
    item = province_named(name)
    return item.code if item else None


def province_code_default(context):
    """Column default: the code of the row's province name, for the loaders and fixtures that set
    only the name (the services set both)."""
    return province_code_for(context.get_current_parameters().get("province"))


def province_name(code, language):
    item = find_province(code)
    return item.name(language) if item else ""


def region_of(province_code):
    item = find_province(province_code)
    return find_region(item.region_code) if item else None


def territory(language):
    """Regions and their provinces with names in one language (the territory API's body)."""
    return {
        "regions": [
            {
                "code": region.code,
                "name": region.name(language),
                "provinces": [
                    {"code": item.code, "name": item.name(language), "seat": item.seat(language)}
                    for item in region.provinces
                ],
            }
            for region in regions()
        ]
    }


def province_choices(language):
    """[(region name, [(code, province name)])] for a list grouped by region."""
    return [
        (region.name(language), [(item.code, item.name(language)) for item in region.provinces])
        for region in regions()
    ]
