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

GAZETTEER_FILE = Path(__file__).resolve().parent / "data" / "gazetteer.csv"
HOME_REGION = "Fès-Meknès"


@dataclass(frozen=True)
class Place:
    name: str
    name_ar: str
    province: str
    province_ar: str
    region: str
    latitude: float
    longitude: float


def fold(text):
    """Case- and accent-insensitive key: 'Fès' and 'fes' match."""
    decomposed = unicodedata.normalize("NFKD", (text or "").strip().lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).replace("-", " ")


@cache
def places():
    with GAZETTEER_FILE.open(encoding="utf-8") as handle:
        return tuple(
            Place(
                name=row["name"],
                name_ar=row["name_ar"],
                province=row["province"],
                province_ar=row["province_ar"],
                region=row["region"],
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
            )
            for row in csv.DictReader(handle)
        )


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
    """Province names, those of the home region first."""
    seen = {}
    for place in places():
        if region is None or place.region == region:
            seen.setdefault(place.province, place)
    return sorted(seen, key=lambda name: (seen[name].region != HOME_REGION, fold(name)))


def province_label(province, language):
    for place in places():
        if place.province == province:
            return place.province_ar if language == "ar" else place.province
    return province


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
