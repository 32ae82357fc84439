"""The national salon (`flask demo --national`): an edition at the scale of the 7th Salon national
de l'économie sociale et solidaire in Agadir — three sites, ten days, thirty gates."""

from datetime import timedelta

from accounts.services import create_user
from markets import services
from markets.demo import ORGANISER, PARTNERS, SLOGANS, site_values

SITES = (
    ("agadir-expo", "Agadir", {"ar": "أكادير - المعرض", "fr": "Agadir - Parc des expositions"}),
    ("agadir-talborjt", "Agadir", {"ar": "أكادير - تالبرجت", "fr": "Agadir - Talborjt"}),
    ("agadir-marina", "Agadir", {"ar": "أكادير - المارينا", "fr": "Agadir - Marina"}),
)
NAMES = {
    "ar": "المعرض الوطني السابع للاقتصاد الاجتماعي والتضامني",
    "fr": "7e Salon national de l'économie sociale et solidaire",
    "en": "7th National Fair of the Social and Solidarity Economy",
    "es": "7.º Salón nacional de la economía social y solidaria",
}


def create_national_edition(organiser, today, scale):
    starts_on = today - timedelta(days=9)
    ends_on = today  # ten days, the last one today (the gates and tills still take scans)
    edition = services.create_edition(
        {
            "slug": "salon-national-agadir",
            "number": 7,
            "names": NAMES,
            "slogans": SLOGANS,
            "organiser": ORGANISER,
            "partners": PARTNERS,
            "visitor_target": max(1, round(200_000 * scale)),
            "commission_basis_points": 0,
            "starts_on": starts_on,
            "ends_on": ends_on,
        },
        organiser,
    )
    for number, (slug, city, names) in enumerate(SITES):
        values = site_values(
            slug,
            city,
            {**names, "en": names["fr"], "es": names["fr"]},
            names["fr"],
            starts_on,
            ends_on,
            max(1, round(200_000 * scale / len(SITES))),
            [f"gate-{number + 1}-{gate + 1:02d}" for gate in range(10)],
            hours=(0, 1440),
        )
        values["area_m2"] = 4000
        services.create_site(edition, values, organiser)
    services.change_status(edition, "published", organiser)
    services.change_status(edition, "open", organiser)
    return edition


def load(context):
    password = context["password"]
    organiser = create_user("organiser", password, "organiser", full_name="Nadia Benjelloun")
    users = {
        "organiser": organiser,
        "volunteer": create_user("volunteer", password, "volunteer", full_name="Youssef Amrani"),
        "cashier": create_user("cashier", password, "cashier", full_name="Salma Idrissi"),
    }
    edition = create_national_edition(organiser, context["today"], context["scale"])
    context.update(users=users, organiser=organiser, national=edition)
    context["summary"].append(f"edition {edition.slug} (3 sites, 10 days, 30 gates)")
