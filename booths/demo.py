"""Demo: the 60 cooperatives, their applications, floor plans, stalls and badges.

The 60 cooperatives exhibit in both editions (the reference Fès-Meknès 2022 and the live one):
half at El Hajeb, half at Meknès (the two sites run on overlapping days), each with an approved
application, a stall placed by the allocation service and a badge per representative. The
cooperative user `coop` belongs to the first cooperative, which is at El Hajeb in both editions.
"""

import random
from datetime import datetime, time, timedelta

from sqlalchemy import insert

from accounts.services import create_user
from booths.identifiers import court_code_for, find_court, rib_key
from booths.models import AgreementChange, Application, Badge, Cooperative
from booths.services import LayoutRule, allocate_stalls, generate_floor_plan
from core.extensions import db
from markets.gazetteer import find_place

NAME_WORDS = [
    ("النحلة", "Annahla"),
    ("الخير", "Al Khair"),
    ("الأمل", "Al Amal"),
    ("النور", "Annour"),
    ("الزيتونة", "Azzaytouna"),
    ("الوفاء", "Al Wafae"),
    ("الفتح", "Al Fath"),
    ("الرياض", "Arriyad"),
    ("الأطلس", "Al Atlas"),
    ("السلام", "Assalam"),
    ("البركة", "Al Baraka"),
    ("الياسمين", "Yasmine"),
    ("تيفاوت", "Tifawt"),
    ("إيطو", "Itto"),
    ("النجاح", "Annajah"),
    ("الصفاء", "Assafae"),
    ("المستقبل", "Al Moustaqbal"),
    ("الزهور", "Azzouhour"),
    ("الهدى", "Al Houda"),
    ("الرحمة", "Arrahma"),
]
SECTOR_WORDS = {
    "honey": ("للعسل", "du Miel", "miel de thym, miel d'euphorbe, pollen"),
    "figs_dried_fruit": (
        "للتين والفواكه الجافة",
        "des Figues",
        "figues séchées, confiture de figues, amandes",
    ),
    "medicinal_herbs": (
        "للأعشاب الطبية والعطرية",
        "des Plantes Aromatiques",
        "thym, romarin, verveine, lavande",
    ),
    "olive_oil": (
        "لزيت الزيتون",
        "de l'Huile d'Olive",
        "huile d'olive vierge extra, olives de table",
    ),
    "carpentry_wood": ("للنجارة", "de Menuiserie", "tables en cèdre, coffrets, ustensiles en bois"),
    "sewing_textiles": ("للخياطة والطرز", "de Couture", "caftans, broderie, linge de maison"),
}
# (province's city, how many): most from the region, a few from outside it.
ORIGINS = [
    ("Meknès", 8),
    ("El Hajeb", 5),
    ("Aïn Taoujdate", 3),
    ("Fès", 8),
    ("Ifrane", 3),
    ("Azrou", 2),
    ("Sefrou", 3),
    ("Bhalil", 2),
    ("Taounate", 4),
    ("Taza", 4),
    ("Boulemane", 2),
    ("Missour", 1),
    ("Moulay Yacoub", 3),
    ("Moulay Idriss Zerhoun", 2),
    ("Errachidia", 2),
    ("Khénifra", 2),
    ("Béni Mellal", 1),
    ("Marrakech", 1),
    ("Midelt", 2),
]
LEGAL_FORM_CYCLE = ["cooperative"] * 8 + [
    "association",
    "economic_interest_group",
    "social_enterprise",
]
CONTACTS = [
    "Fatima Zahra",
    "Khadija",
    "Mohamed",
    "Aicha",
    "Hassan",
    "Malika",
    "Rachid",
    "Naima",
    "Ahmed",
    "Zineb",
]
FAMILY = [
    "El Alaoui",
    "Bennani",
    "Tazi",
    "Chraibi",
    "Ouazzani",
    "Berrada",
    "Lahlou",
    "Amrani",
    "Fassi",
    "Sqalli",
]


DEMO_BANK_CODES = ("007", "011", "013", "021", "022", "145", "190", "225", "230")


def demo_rib(index):
    """A well-formed RIB for most demo cooperatives; every 15th has not given one yet."""
    if index % 15 == 7:
        return None
    account = (2022_0000_0000_0000 + (index + 1) * 7_919_113_021) % 10**16
    prefix = f"{DEMO_BANK_CODES[index % len(DEMO_BANK_CODES)]}450{account:016d}"
    return prefix + rib_key(prefix)


def demo_identity(index, place):
    """ICE, ODCO number and court for most demo cooperatives; every 12th has given none yet."""
    if index % 12 == 5:
        return {"ice": None, "odco_number": None, "registration_court": None}
    court = find_court(court_code_for(place.province)) or find_court(court_code_for(place.name))
    return {
        "ice": f"{(3_127_004_01 + index * 7_919) % 10**9:09d}000{index % 10}{(index * 37) % 97:02d}",
        "odco_number": f"{2014 + index % 9}/{3100 + index * 13}",
        "registration_court": court.code if court else None,
    }


def place_and_sector(place, sector):
    """The registry fields a demo cooperative takes from its gazetteer place and its sector."""
    return {
        "province": place.province,
        "province_code": place.province_code,
        "city": place.name,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "sectors": [sector],
        "main_sector": sector,
    }


def demo_cooperatives(count=60, seed=2022):
    """Deterministic cooperative records (dicts), spread over provinces and sectors."""
    rng = random.Random(seed)
    cities = [city for city, how_many in ORIGINS for _ in range(how_many)]
    sectors = list(SECTOR_WORDS)
    records = []
    for index in range(count):
        sector = sectors[index % len(sectors)]
        word_ar, word_latin = NAME_WORDS[index % len(NAME_WORDS)]
        sector_ar, sector_latin, products = SECTOR_WORDS[sector]
        place = find_place(cities[index % len(cities)])
        members = rng.randint(7, 60)
        women = (
            rng.randint(members // 4, members)
            if sector != "carpentry_wood"
            else rng.randint(0, members // 3)
        )
        records.append(
            {
                "name_ar": f"تعاونية {word_ar} {sector_ar}",
                "name_latin": f"Coopérative {word_latin} {sector_latin}",
                "legal_form": LEGAL_FORM_CYCLE[index % len(LEGAL_FORM_CYCLE)],
                "registration_number": f"COOP-{place.province[:3].upper()}-{1000 + index * 37}",
                **place_and_sector(place, sector),
                "products": products,
                "members": members,
                "women_members": women,
                "young_members": rng.randint(0, members // 2),
                "contact_name": f"{CONTACTS[index % 10]} {FAMILY[(index * 3) % 10]}",
                "phone": f"06{rng.randint(10000000, 99999999)}",
                "email": f"contact{index + 1}@coop-demo.ma",
                "bank_account": demo_rib(index),
                **demo_identity(index, place),
                "agreement_status": "signed",
            }
        )
    return records


# Second representatives: Arabic names, so that badges show shaped right-to-left text.
HELPERS_AR = [
    "فاطمة الزهراء العلوي",
    "محمد بناني",
    "خديجة التازي",
    "يوسف الشرايبي",
    "عائشة الوزاني",
    "حسن برادة",
    "مليكة لحلو",
    "رشيد العمراني",
    "نعيمة الفاسي",
    "زينب الصقلي",
]
# Needs asked for by sector (every generated stall has electricity and shade).
SECTOR_NEEDS = {"sewing_textiles": ["electricity"], "medicinal_herbs": ["shade"]}
LAYOUT = LayoutRule(standard=32, double=5, demonstration=2, aisle_m=3.0, food_share=0.65)


# Cooperatives that asked to join the network in the last weeks: the organiser's review queue.
APPLICANTS = [
    ("تعاونية غفساي للزيتون", "Coopérative Ghafsai Zitoune", "olive_oil", "Ghafsai", "applicant"),
    (
        "جمعية نساء بولمان للكسكس",
        "Association Femmes de Boulemane",
        "couscous_cereals",
        "Boulemane",
        "applicant",
    ),
    ("تعاونية تيزنيت للأركان", "Coopérative Argane Tiznit", "argan", "Tiznit", "applicant"),
    (
        "تعاونية صفرو للكرز",
        "Coopérative Hab Lemlouk Sefrou",
        "figs_dried_fruit",
        "Sefrou",
        "under_review",
    ),
    ("تعاونية تاهلة للزرابي", "Coopérative Zerbia Tahla", "carpets", "Tahla", "applicant"),
    (
        "تعاونية الحليب بإيموزار",
        "Coopérative Laitière d'Imouzzer",
        "dairy",
        "Imouzzer Kandar",
        "under_review",
    ),
    ("تعاونية فخار تيسة", "Coopérative Poterie de Tissa", "pottery", "Tissa", "applicant"),
    ("تعاونية أزيلال للعسل", "Coopérative Miel d'Azilal", "honey", "Azilal", "under_review"),
]


APPLICANT_PRODUCTS = {
    "argan": "huile d'argan alimentaire et cosmétique, amlou",
    "carpets": "tapis tissés main, coussins",
    "dairy": "fromage frais, lben, beurre beldi",
    "pottery": "tajines, plats et jarres en terre cuite",
    "couscous_cereals": "couscous roulé main, berkoukes, farine d'orge",
    "figs_dried_fruit": "cerises séchées, confiture de cerises",
}


def demo_applicants(today):
    """The review queue: recent applicant and under-review cooperatives (no stall, no account)."""
    records = []
    for index, (name_ar, name_latin, sector, city, status) in enumerate(APPLICANTS):
        place = find_place(city)
        members = 8 + index * 3
        records.append(
            {
                "name_ar": name_ar,
                "name_latin": name_latin,
                "legal_form": "association"
                if name_latin.startswith("Association")
                else "cooperative",
                "registration_number": f"DEM-{place.province[:3].upper()}-{2600 + index}",
                **place_and_sector(place, sector),
                "products": APPLICANT_PRODUCTS.get(sector) or SECTOR_WORDS[sector][2],
                "members": members,
                "women_members": members - index,
                "young_members": members // 3,
                "contact_name": f"{CONTACTS[(index + 3) % 10]} {FAMILY[(index * 7) % 10]}",
                "phone": f"0670{index:06d}",
                "email": None,
                "bank_account": demo_rib(index) if status == "under_review" else None,
                "agreement_status": status,
                "created_at": datetime.combine(today, time(10)) - timedelta(days=20 - 2 * index),
            }
        )
    return records


def load_applicants(context):
    applicants = [Cooperative(**record) for record in demo_applicants(context["today"])]
    db.session.add_all(applicants)
    db.session.flush()
    rows = []
    for cooperative in applicants:
        reviewed = cooperative.agreement_status == "under_review"
        steps = REVIEW_STEPS[:2] if reviewed else REVIEW_STEPS[:1]
        rows += history_rows(cooperative, steps, cooperative.created_at, 3, context["organiser"])
    db.session.execute(insert(AgreementChange), rows)
    return applicants


def load(context):
    cooperatives = []
    for record in demo_cooperatives():
        cooperative = Cooperative(**record)
        db.session.add(cooperative)
        cooperatives.append(cooperative)
    db.session.flush()
    record_agreement_history(cooperatives, context["organiser"])
    coop_user = create_user(
        "coop",
        context["password"],
        "cooperative",
        full_name=cooperatives[0].contact_name,
        email="coop@souk.example.org",
        cooperative=cooperatives[0],
    )
    coop_user.phone, coop_user.language = cooperatives[0].phone or None, "ar"
    context.update(cooperatives=cooperatives, coop=cooperatives[0], coop_user=coop_user)
    placed = 0
    for edition in (context["reference"], context["live"]):
        placed += exhibit(edition, cooperatives, context["organiser"])
    context["badges"] = (
        db.session.query(Badge).filter(Badge.revoked_at.is_(None)).order_by(Badge.id).all()
    )
    applicants = load_applicants(context)
    context["summary"].append(
        f"{len(cooperatives)} cooperatives, {placed} stalls allocated, "
        f"{len(context['badges'])} exhibitor badges, {len(applicants)} cooperatives to review"
    )


REVIEW_STEPS = ((None, "applicant"), ("applicant", "under_review"), ("under_review", "signed"))


def history_rows(cooperative, steps, registered, days_between, organiser):
    """Agreement history rows: the cooperative registers itself, the organiser does the rest."""
    return [
        {
            "cooperative_id": cooperative.id,
            "from_status": old,
            "to_status": new,
            "note": "",
            "actor_id": organiser.id if step else None,
            "changed_at": registered + timedelta(days=days_between * step),
        }
        for step, (old, new) in enumerate(steps)
    ]


def record_agreement_history(cooperatives, organiser):
    """applicant → under review → signed, dated in the spring of 2022."""
    rows = []
    for index, cooperative in enumerate(cooperatives):
        registered = datetime(2022, 3, 1, 9) + timedelta(days=index % 40, hours=index % 7)
        rows += history_rows(cooperative, REVIEW_STEPS, registered, 20, organiser)
    db.session.execute(insert(AgreementChange), rows)


def demo_stall_type(index):
    if index in (5, 11):
        return "demonstration"
    return "double" if index % 7 == 3 else "standard"


def exhibit(edition, cooperatives, organiser):
    """Approved applications (half per site), a generated plan per site, then the allocation."""
    sites = {site.slug: site for site in edition.sites}
    order = ["el-hajeb", "meknes"]
    rows = []
    for index, cooperative in enumerate(cooperatives):
        site = sites[order[index % 2]]
        opening = datetime.combine(site.opens_on, time(9))
        stall_type = demo_stall_type(index)
        needs = SECTOR_NEEDS.get(cooperative.main_sector, [])
        if stall_type == "demonstration":
            needs = ["electricity", "water", "ground_access"]
        rows.append(
            {
                "cooperative_id": cooperative.id,
                "site_id": site.id,
                "stall_type": stall_type,
                "needs": needs,
                "products": cooperative.products,
                "representatives": [
                    {"name": cooperative.contact_name, "phone": cooperative.phone},
                    {"name": HELPERS_AR[index % len(HELPERS_AR)], "phone": f"0661{index:06d}"},
                ],
                "status": "approved",
                "reason": "",
                "created_at": opening - timedelta(days=30 - index % 20, hours=index),
                "decided_at": opening - timedelta(days=8),
                "decided_by_id": organiser.id,
                "waitlisted_by_allocation": False,
            }
        )
    db.session.execute(insert(Application), rows)
    placed = 0
    for site in edition.sites:
        generate_floor_plan(site, LAYOUT, organiser)
        result = allocate_stalls(site, organiser)
        placed += len(result.assignments) + len(result.kept)
    return placed
