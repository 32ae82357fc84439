"""Places: an offline gazetteer of Moroccan cities as a geopy geocoder, and distances.

The default geocoder reads markets/data/gazetteer.csv, so nothing needs the network; a deployment
with internet can set GEOCODER=nominatim to use OpenStreetMap's geocoder through geopy instead.
"""

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import current_app
from geopy.distance import geodesic
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from markets import territory

GAZETTEER_FILE = Path(__file__).resolve().parent / "data" / "gazetteer.csv"
HOME_REGION = "Fès-Meknès"


@dataclass(frozen=True)
class Place:
    name: str
    name_ar: str
    province: str  # the province's French name (as stored beside its code)
    province_ar: str
    region: str
    latitude: float
    longitude: float
    province_code: str  # ISO 3166-2:MA


def fold(text):
    """Case- and accent-insensitive key: 'Fès' and 'fes' match."""
    decomposed = unicodedata.normalize("NFKD", (text or "").strip().lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).replace("-", " ")


def _place(row):
    province = territory.find_province(row["province"])
    return Place(
        name=row["name"],
        name_ar=row["name_ar"],
        province=province.name_fr,
        province_ar=province.name_ar,
        region=territory.find_region(province.region_code).name_fr,
        latitude=float(row["latitude"]),
        longitude=float(row["longitude"]),
        province_code=province.code,
    )


@cache
def places():
    with GAZETTEER_FILE.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return tuple(_place(row) for row in csv.DictReader(lines))


@cache
def _index():
    index = {}
    for place in places():
        index.setdefault(fold(place.name), place)
        index.setdefault(place.name_ar.strip(), place)
    return index


def find_place(name):
    """The gazetteer entry for a city name in Latin or Arabic script, or None."""
    return _index().get(fold(name)) or _index().get((name or "").strip())


def provinces(region=None):
    """Province names (French), those of the home region first."""
    seen = {}
    for item in territory.provinces():
        region_name = territory.find_region(item.region_code).name_fr
        if region is None or region_name == region:
            seen[item.name_fr] = region_name
    return sorted(seen, key=lambda name: (seen[name] != HOME_REGION, fold(name)))


def province_label(province, language):
    """A province's name in the reader's language, given its code or its French name."""
    item = territory.find_province(province) or territory.province_named(province)
    if item is None:  # the fairness report groups provinces outside the region by region
        item = next((r for r in territory.regions() if r.name_fr == province), None)
    return item.name(language) if item else province


def city_label(city, language):
    place = find_place(city)
    if place is None:
        return city
    return place.name_ar if language == "ar" else place.name


class GazetteerGeocoder(Geocoder):
    """A geopy geocoder backed by the shipped gazetteer (no network)."""

    def __init__(self):
        super().__init__(timeout=1)

    def geocode(self, query, exactly_one=True, **kwargs):
        place = find_place(query)
        if place is None:
            return None
        location = Location(
            f"{place.name}, {place.province}, Maroc",
            (place.latitude, place.longitude),
            {"place": place},
        )
        return location if exactly_one else [location]


def geocoder():
    if current_app.config.get("GEOCODER") == "nominatim":
        return Nominatim(user_agent=current_app.config["GEOCODER_USER_AGENT"], timeout=5)
    return GazetteerGeocoder()


def locate(city):
    """(latitude, longitude) of a city through the configured geocoder, or None."""
    query = city if current_app.config.get("GEOCODER") != "nominatim" else f"{city}, Morocco"
    location = geocoder().geocode(query)
    return (location.latitude, location.longitude) if location else None


def distance_km(first, second):
    """Geodesic distance between two (latitude, longitude) points, in kilometres."""
    return geodesic(first, second).kilometers


def nearest_province(latitude, longitude):
    """The province whose seat is nearest to a point (by geodesic distance)."""
    return min(
        territory.provinces(),
        key=lambda item: distance_km((latitude, longitude), (item.latitude, item.longitude)),
    )


def province_code_from_text(province, city, latitude=None, longitude=None):
    """Tie a record holding a province typed as text to a province's code: by the province's
    name, else by its city in the gazetteer, else by the seat nearest its coordinates; None when
    none of these is known."""
    code = territory.province_code_for(province)
    if code:
        return code
    place = find_place(city)
    if place is not None:
        return place.province_code
    if latitude is not None and longitude is not None:
        return nearest_province(latitude, longitude).code
    return None
