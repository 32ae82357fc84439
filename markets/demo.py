"""Demo: users, the reference edition (Fès-Meknès 2022) and a live edition open now."""

from datetime import date, timedelta

from accounts.services import create_user
from markets import services

SLOGAN_AR = "في الإنتاج متعاونون وفي الشراء متضامنون"
SLOGANS = {
    "ar": SLOGAN_AR,
    "fr": "Coopérer pour produire, être solidaires pour acheter",
    "en": "Cooperating in production, united in purchasing",
    "es": "Cooperar para producir, ser solidarios al comprar",
    "zgh": "ⴳ ⵓⴼⴰⵔⵙ ⵏⵎⵢⴰⵡⴰⵙ, ⴳ ⵓⵙⵖⵉ ⵏⵎⵏⵎⵎⴰⵡⴰⵙ",
}
ORGANISER = {"ar": "جهة فاس مكناس", "fr": "Région Fès-Meknès", "en": "Fès-Meknès Region"}
PARTNERS = {
    "ar": "وزارة السياحة والصناعة التقليدية والاقتصاد الاجتماعي والتضامني؛ عمالة مكناس؛ إقليم الحاجب",
    "fr": "Ministère du Tourisme, de l'Artisanat et de l'Économie sociale et solidaire; "
    "Préfecture de Meknès; Province d'El Hajeb",
}
VENUES = {
    "Place de la Municipalité": {"ar": "ساحة البلدية", "fr": "Place de la Municipalité"},
    "Place Lahdim": {"ar": "ساحة الهديم", "fr": "Place Lahdim"},
}


# The live edition's copies are marked as a demonstration in each language (the catalogue's words).
DEMO_MARK = {"ar": "تجريبي", "fr": "démo", "en": "demo", "es": "demo", "zgh": "ⴰⵙⵎⴰⵍ"}


def demo_venue(name):
    """The venue in Arabic and French; the live edition's copies are marked "(démo)"."""
    base = name.removesuffix(" (démo)")
    marked = name != base
    return {
        language: f"{text} ({DEMO_MARK[language]})" if marked else text
        for language, text in VENUES.get(base, {"fr": name}).items()
    }


def edition_names(number_text, demo=False):
    names = {
        "ar": f"الدورة {number_text['ar']} للأسواق المتنقلة للاقتصاد الاجتماعي والتضامني",
        "fr": f"{number_text['fr']} édition des marchés itinérants de l'économie sociale et solidaire",
        "en": f"{number_text['en']} edition of the mobile markets of the social and solidarity economy",
        "es": f"{number_text['es']} edición de los mercados itinerantes de la economía social y solidaria",
        "zgh": f"ⵜⴰⵙⵓⵜⵍⵜ ⵜⵉⵙ {number_text['zgh']} ⵏ ⵉⵙⵙⵓⴳⴰ ⵉⵎⵓⵙⵙⵓⵜⵏ ⵏ ⵜⴷⵎⵙⴰ ⵜⴰⵏⴰⵎⵓⵏⵜ ⴷ ⵜⵏⵎⵎⴰⵡⵙⵜ",
    }
    if demo:
        return {language: f"{name} ({DEMO_MARK[language]})" for language, name in names.items()}
    return names


GATE_NAMES = {
    "gate-main": (
        {
            "ar": "الباب الرئيسي",
            "fr": "Entrée principale",
            "en": "Main gate",
            "es": "Entrada principal",
        },
        "both",
    ),
    "gate-park": (
        {"ar": "باب الحديقة", "fr": "Porte du parc", "en": "Park gate", "es": "Puerta del parque"},
        "entry",
    ),
    "gate-north": (
        {"ar": "الباب الشمالي", "fr": "Porte nord", "en": "North gate", "es": "Puerta norte"},
        "both",
    ),
    "gate-south": (
        {"ar": "الباب الجنوبي", "fr": "Porte sud", "en": "South gate", "es": "Puerta sur"},
        "both",
    ),
}


def numbered_gate(code):
    """A gate of the national salon ("gate-2-07") named by its number in every language."""
    number = code.removeprefix("gate-")
    names = {"ar": f"الباب {number}", "fr": f"Porte {number}", "en": f"Gate {number}"}
    return {**names, "es": f"Puerta {number}", "zgh": f"ⵜⴰⵡⵡⵓⵔⵜ {number}"}, "both"


def named_gates(codes):
    named = [GATE_NAMES.get(code) or numbered_gate(code) for code in codes]
    return [
        {"code": code, "names": names, "role": role}
        for code, (names, role) in zip(codes, named, strict=True)
    ]


def site_values(slug, city, names, venue, opens_on, closes_on, target, gates, hours=(600, 1320)):
    return {
        "slug": slug,
        "city": city,
        "names": names,
        "venue": demo_venue(venue),
        "address": venue,
        "area_m2": 750,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "opens_minute": hours[0],
        "closes_minute": hours[1],
        "visitor_target": target,
        "gates": named_gates(gates),
    }


def create_reference_edition(organiser):
    edition = services.create_edition(
        {
            "slug": "fes-meknes-2022",
            "number": 2,
            "names": edition_names(
                {"ar": "الثانية", "fr": "2e", "en": "2nd", "es": "2.ª", "zgh": "2"}
            ),
            "slogans": SLOGANS,
            "organiser": ORGANISER,
            "partners": PARTNERS,
            "visitor_target": 10000,
            "commission_basis_points": 0,
            "starts_on": date(2022, 11, 5),
            "ends_on": date(2022, 11, 13),
        },
        organiser,
    )
    services.create_site(
        edition,
        site_values(
            "el-hajeb",
            "El Hajeb",
            {"ar": "الحاجب", "fr": "El Hajeb", "en": "El Hajeb", "es": "El Hajeb", "zgh": "ⵍⵃⴰⵊⴻⴱ"},
            "Place de la Municipalité",
            date(2022, 11, 5),
            date(2022, 11, 12),
            4000,
            ["gate-main", "gate-park"],
        ),
        organiser,
    )
    services.create_site(
        edition,
        site_values(
            "meknes",
            "Meknès",
            {"ar": "مكناس", "fr": "Meknès", "en": "Meknes", "es": "Mequinez", "zgh": "ⵎⴽⵏⴰⵙ"},
            "Place Lahdim",
            date(2022, 11, 6),
            date(2022, 11, 13),
            6000,
            ["gate-north", "gate-south"],
        ),
        organiser,
    )
    services.change_status(edition, "published", organiser)
    services.change_status(edition, "open", organiser)
    return edition


def create_live_edition(organiser, today, previous):
    starts_on, ends_on = today - timedelta(days=1), today + timedelta(days=6)
    edition = services.create_edition(
        {
            "slug": "fes-meknes-live",
            "number": 3,
            "names": edition_names(
                {"ar": "الثالثة", "fr": "3e", "en": "3rd", "es": "3.ª", "zgh": "3"}, demo=True
            ),
            "slogans": SLOGANS,
            "organiser": ORGANISER,
            "partners": PARTNERS,
            "visitor_target": 10000,
            "commission_basis_points": 0,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "previous_id": previous.id,
        },
        organiser,
    )
    for slug, city, names, venue, target, gates in (
        (
            "el-hajeb",
            "El Hajeb",
            {"ar": "الحاجب", "fr": "El Hajeb", "zgh": "ⵍⵃⴰⵊⴻⴱ"},
            "Place de la Municipalité (démo)",
            4000,
            ["gate-main", "gate-park"],
        ),
        (
            "meknes",
            "Meknès",
            {"ar": "مكناس", "fr": "Meknès", "es": "Mequinez", "zgh": "ⵎⴽⵏⴰⵙ"},
            "Place Lahdim (démo)",
            6000,
            ["gate-north", "gate-south"],
        ),
    ):
        services.create_site(
            edition,
            site_values(
                slug, city, names, venue, starts_on, ends_on, target, gates, hours=(0, 1440)
            ),
            organiser,
        )
    services.change_status(edition, "published", organiser)
    services.change_status(edition, "open", organiser)
    return edition


def load(context):
    password = context["password"]
    organiser = create_user(
        "organiser",
        password,
        "organiser",
        full_name="Nadia Benjelloun",
        email="organiser@souk.example.org",
    )
    volunteer = create_user(
        "volunteer",
        password,
        "volunteer",
        full_name="Youssef Amrani",
        email="volunteer@souk.example.org",
    )
    volunteer.phone, volunteer.language, volunteer.notify_by = "0611000001", "ar", "sms"
    users = {
        "organiser": organiser,
        "volunteer": volunteer,
        "cashier": create_user(
            "cashier",
            password,
            "cashier",
            full_name="Salma Idrissi",
            email="cashier@souk.example.org",
        ),
    }
    reference = create_reference_edition(organiser)
    live = create_live_edition(organiser, context["today"], reference)
    # The reference edition ran in 2022: it is closed once the other features loaded its history.
    context.update(users=users, organiser=organiser, reference=reference, live=live)
    context["summary"].append("editions fes-meknes-2022 and fes-meknes-live")


def close_reference_edition(context):
    """The reference edition ran in 2022: closed once every feature loaded its history."""
    services.change_status(context["reference"], "closed", context["organiser"])
