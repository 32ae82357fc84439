"""Demo: the workshop programme of both editions, and for the reference edition (2022) the
registrations, waiting lists, attendance by door scans and walk-ins, and survey answers.

Uses the badges of the booths demo (context["badges"]) and the tickets of the visitors demo
(context["tickets"]) when they are there; works without them.
"""

import random
from datetime import datetime, time, timedelta
from types import SimpleNamespace

from flask import current_app, has_request_context

from core.errors import DomainError
from core.extensions import db
from core.timeutil import local_to_utc_naive, utc_now
from markets import tokens
from workshops import services
from workshops.models import Message

# (topic, format, audience, room, capacity, hours, titles, descriptions, speakers)
PROGRAMME = [
    (
        "online_selling",
        "workshop",
        "cooperatives",
        "Tente formation",
        25,
        (10, 12),
        {
            "ar": "البيع عبر الإنترنت: ابدأ متجرك",
            "fr": "Vendre en ligne : ouvrir sa boutique",
            "en": "Selling online: open your shop",
            "es": "Vender en línea: abrir su tienda",
        },
        {
            "ar": "صور المنتجات، الأسعار، الدفع عبر الهاتف والتوصيل.",
            "fr": "Photos des produits, prix, paiement mobile et livraison.",
            "en": "Product photos, prices, mobile payment and delivery.",
            "es": "Fotos de productos, precios, pago móvil y entrega.",
        },
        [("Salma Idrissi", "Maroc Numeric Cluster", "Formatrice en commerce électronique")],
    ),
    (
        "marketing",
        "workshop",
        "public",
        "Tente formation",
        30,
        (15, 17),
        {
            "ar": "التسويق الكلاسيكي: العلامة والتغليف",
            "fr": "Marketing classique : marque et emballage",
            "en": "Classic marketing: brand and packaging",
            "es": "Marketing clásico: marca y envase",
        },
        {
            "fr": "Raconter l’histoire de la coopérative sur l’étiquette.",
            "ar": "رواية قصة التعاونية على الملصق.",
        },
        [("Karim Bennani", "ODCo", "Conseiller en marketing des produits du terroir")],
    ),
    (
        "management",
        "seminar",
        "cooperatives",
        "Salle de conférence",
        40,
        (10, 13),
        {
            "ar": "التسيير الإداري والمالي للتعاونيات",
            "fr": "Gestion administrative et financière",
            "en": "Administrative and financial management",
            "es": "Gestión administrativa y financiera",
        },
        {
            "fr": "Comptabilité simple, assemblée générale, obligations légales (loi 112-12).",
            "ar": "محاسبة مبسطة، الجمع العام، الالتزامات القانونية (القانون 112-12).",
        },
        [
            ("Amina Tazi", "Office du Développement de la Coopération", "Juriste"),
            ("Hassan Alaoui", "Expert-comptable", ""),
        ],
    ),
    (
        "quality",
        "workshop",
        "cooperatives",
        "Salle de conférence",
        30,
        (15, 17),
        {
            "ar": "الجودة والإشهاد: من الترخيص الصحي إلى العلامات",
            "fr": "Qualité et certification : de l’ONSSA aux labels",
            "en": "Quality and certification",
            "es": "Calidad y certificación",
        },
        {"fr": "Autorisation sanitaire, traçabilité, labels IGP et bio."},
        [("Nour Elhouda Chraibi", "ONSSA", "Inspectrice")],
    ),
    (
        "success_stories",
        "talk",
        "public",
        "Scène centrale",
        80,
        (18, 19),
        {
            "ar": "قصص نجاح: تعاونيات نسائية من الجهة",
            "fr": "Success stories : coopératives de femmes de la région",
            "en": "Success stories: women's cooperatives of the region",
            "es": "Historias de éxito: cooperativas de mujeres",
        },
        {"fr": "Trois présidentes racontent leur parcours, du souk au site web."},
        [
            ("Fatima Zahra Ouazzani", "Coopérative Nahla, Sefrou", "Présidente"),
            ("Khadija Amrani", "Coopérative Tin Mel, Ifrane", "Présidente"),
        ],
    ),
    (
        "online_selling",
        "seminar",
        "public",
        "Salle de conférence",
        40,
        (18, 20),
        {
            "ar": "الشبكات الاجتماعية والدفع الإلكتروني",
            "fr": "Réseaux sociaux et paiement électronique",
            "en": "Social media and e-payment",
            "es": "Redes sociales y pago electrónico",
        },
        {"fr": "Publier, répondre aux clients, encaisser sans espèces."},
        [("Youssef El Fassi", "Startup Fès", "Community manager")],
    ),
    (
        "marketing",
        "talk",
        "public",
        "Scène centrale",
        80,
        (12, 13),
        {
            "ar": "من المنتج إلى المستهلك بدون وسطاء",
            "fr": "Du producteur au consommateur, sans intermédiaires",
            "en": "From producer to consumer, no middlemen",
            "es": "Del productor al consumidor",
        },
        {"fr": "Circuits courts, magasins solidaires, vente aux enseignes."},
        [("Rachid Berrada", "Réseau des magasins solidaires", "Directeur commercial")],
    ),
    (
        "other",
        "workshop",
        "cooperatives",
        "Tente formation",
        20,
        (13, 14),
        {
            "ar": "التصدير: الخطوات الأولى",
            "fr": "Exporter : les premiers pas",
            "en": "Exporting: first steps",
            "es": "Exportar: primeros pasos",
        },
        {"fr": "Salons, Maroc Export, règles d’origine."},
        [("Leila Mansouri", "Maroc Export", "Chargée de mission")],
    ),
    (
        "management",
        "workshop",
        "cooperatives",
        "Tente formation",
        25,
        (17, 19),
        {
            "ar": "التسعير وحساب التكلفة",
            "fr": "Fixer ses prix et calculer ses coûts",
            "en": "Pricing and costing",
            "es": "Precios y costes",
        },
        {"fr": "Coût de revient, marge, commission du magasin solidaire."},
        [("Hassan Alaoui", "Expert-comptable", "")],
    ),
    (
        "quality",
        "talk",
        "public",
        "Scène centrale",
        60,
        (16, 17),
        {
            "ar": "المنتجات المجالية: الجودة التي تبيع",
            "fr": "Produits du terroir : la qualité qui fait vendre",
            "en": "Local products: quality that sells",
            "es": "Productos locales: calidad que vende",
        },
        {"fr": "Miel, figues, huile d’olive : ce que les acheteurs regardent."},
        [("Nour Elhouda Chraibi", "ONSSA", "Inspectrice")],
    ),
]
FIRST_NAMES = [
    "Fatima",
    "Khadija",
    "Amina",
    "Hajar",
    "Salma",
    "Naima",
    "Zineb",
    "Meryem",
    "Mohamed",
    "Youssef",
    "Ahmed",
    "Omar",
    "Hamza",
    "Rachid",
    "Said",
    "Ayoub",
]
FAMILY_NAMES = [
    "Alaoui",
    "Bennani",
    "Idrissi",
    "Amrani",
    "Tazi",
    "Berrada",
    "Ouazzani",
    "El Fassi",
    "Chraibi",
    "Mansouri",
    "Ziani",
    "Lahlou",
]


def schedule(site, index, shift=0):
    """A day of the site for the index-th workshop, spread over the site's days."""
    days = (site.closes_on - site.opens_on).days + 1
    return site.opens_on + timedelta(days=(index * 2 + shift) % days)


def workshop_values(site, day, entry):
    topic, format_, audience, room, capacity, (start, end), titles, descriptions, speakers = entry
    return {
        "site": site,
        "titles": titles,
        "descriptions": descriptions,
        "topic": topic,
        "format": format_,
        "audience": audience,
        "room": room,
        "capacity": capacity,
        "starts_at": local_to_utc_naive(datetime.combine(day, time(start))),
        "ends_at": local_to_utc_naive(datetime.combine(day, time(end))),
        "speakers": [{"name": n, "organisation": o, "bio": b} for n, o, b in speakers],
    }


# The demo's rooms, named in every language (the programme above names them in French).
ROOM_NAMES = {
    "Tente formation": {
        "fr": "Tente formation",
        "ar": "خيمة التكوين",
        "en": "Training tent",
        "es": "Carpa de formación",
        "zgh": "ⵜⴰⵇⵉⴹⵓⵏⵜ ⵏ ⵓⵙⵎⵓⵜⵜⴳ",
    },
    "Salle de conférence": {
        "fr": "Salle de conférence",
        "ar": "قاعة المحاضرات",
        "en": "Conference room",
        "es": "Sala de conferencias",
        "zgh": "ⵜⴰⵙⵇⵇⵉⴼⵜ ⵏ ⵜⵎⵙⴰⵡⴰⵍⵜ",
    },
    "Scène centrale": {
        "fr": "Scène centrale",
        "ar": "المنصة المركزية",
        "en": "Main stage",
        "es": "Escenario central",
        "zgh": "ⴰⵙⴰⵢⵙ ⴰⵏⴰⵎⵎⴰⵙ",
    },
}


def name_rooms(site, organiser):
    """Give the site's demo rooms their names in every language (their codes stay)."""
    rows = [
        {"code": room.code, "names": ROOM_NAMES.get(room.names.get("fr"), room.names)}
        for room in services.site_rooms(site)
    ]
    services.update_rooms(site, rows, organiser)


def load_programme(edition, organiser):
    """Every entry of the programme at both sites (one per topic-day), checked by the service."""
    workshops = []
    for site_index, site in enumerate(edition.sites):
        for index, entry in enumerate(PROGRAMME):
            if (index + site_index) % 2 == 0 or entry[0] in ("online_selling", "management"):
                day = schedule(site, index, shift=site_index)
                workshops.append(
                    services.create_workshop(edition, workshop_values(site, day, entry), organiser)
                )
        name_rooms(site, organiser)
    return workshops


def person(rng, index):
    gender = rng.choices(["female", "male"], [62, 38])[0]
    first = rng.choice(FIRST_NAMES[:8] if gender == "female" else FIRST_NAMES[8:])
    return {
        "person_name": f"{first} {rng.choice(FAMILY_NAMES)}",
        "phone": f"066{index:07d}",
        "gender": gender,
        "under_35": rng.random() < 0.45,
    }


def register_reference(rng, workshop, cooperatives, badges, tickets, actor, counter):
    """Registrations before the workshop: members (from badges where there are some) and visitors."""
    before = workshop.starts_at - timedelta(days=2)
    wanted = int(workshop.capacity * rng.uniform(0.7, 1.35))
    site_badges = [b for b in badges if b.site_id == workshop.site_id]
    by_id = {cooperative.id: cooperative for cooperative in cooperatives}
    made = []
    for _ in range(wanted):
        counter[0] += 1
        if workshop.audience == "public" and tickets and rng.random() < 0.45:
            ticket = rng.choice(tickets)
            values = {"person_name": ticket["name"], "phone": ticket["phone"]}
            try:
                made.append(services.register_visitor(workshop, values, None, now=before))
            except DomainError:
                continue
        elif cooperatives:
            values = person(rng, counter[0])
            badge = rng.choice(site_badges) if site_badges and rng.random() < 0.5 else None
            if badge is not None and badge.person_phone:
                values.update(person_name=badge.person_name, phone=badge.person_phone)
            cooperative = by_id.get(badge.cooperative_id) if badge else None
            cooperative = cooperative or rng.choice(cooperatives)
            try:
                registration = services.register_member(
                    workshop, cooperative, values, actor, now=before
                )
            except DomainError:
                continue
            made.append(registration)
    return made


def attend(rng, edition, workshop, registrations, badges_by_phone, tickets_by_phone, organiser):
    """Door scans for those holding a badge or ticket, walk-ins for the others."""
    present = []
    site = workshop.site
    for registration in registrations:
        if registration.status != "registered" or rng.random() > 0.82:
            continue
        moment = workshop.starts_at + timedelta(minutes=rng.randint(-15, 20))
        holder = badges_by_phone.get(registration.phone) or tickets_by_phone.get(registration.phone)
        if holder is not None:
            token = tokens.verify_token(holder.code)
            services.record_door_scan(workshop.id, site, token, holder, moment)
        else:
            services.add_walk_in(workshop, {"registration": registration}, organiser)
        present.append(registration)
    for index in range(rng.randint(0, 4)):
        services.add_walk_in(
            workshop,
            {"person_name": f"{rng.choice(FIRST_NAMES)} (sur place {index + 1})"},
            organiser,
        )
    return present


USEFUL = [
    "Les exemples concrets",
    "La partie sur les photos des produits",
    "Les conseils de prix",
    "Rencontrer d'autres coopératives",
    "نصائح عملية",
    "Le modèle de tableau de caisse",
]
IMPROVE = [
    "Plus de temps pour les questions",
    "Une salle moins bruyante",
    "Un support imprimé en arabe",
    "",
    "",
    "وقت أطول للتطبيق",
]


def answer_surveys(rng, workshop):
    for attendance in services.attendance_list(workshop):
        if rng.random() < 0.6:
            services.submit_feedback(
                attendance,
                {
                    "rating": rng.choices([2, 3, 4, 5], [5, 15, 45, 35])[0],
                    "useful": rng.choice(USEFUL),
                    "improve": rng.choice(IMPROVE),
                },
                now=workshop.ends_at + timedelta(minutes=10),
            )


def cancel_some(rng, workshop, registrations, organiser):
    for registration in registrations:
        if registration.status == "registered" and rng.random() < 0.08:
            by = rng.choice(["person", "cooperative", "organiser"])
            for promoted in services.cancel_registration(
                registration, organiser, by=by, now=workshop.starts_at - timedelta(days=1)
            ):
                promoted.promotion_seen_at = workshop.starts_at - timedelta(hours=20)


def load(context):
    """Runs under a request context so that the services' translated messages have a locale
    (the `flask demo` command only pushes an application context)."""

    if has_request_context():
        return load_workshops(context)
    with current_app.test_request_context("/", headers={"Accept-Language": "fr"}):
        return load_workshops(context)


def load_workshops(context):
    rng = random.Random(6)
    organiser = context["organiser"]
    reference, live = context["reference"], context["live"]
    cooperatives = context.get("cooperatives") or []
    badges = [b for b in context.get("badges") or [] if b.edition_id == reference.id]
    tickets = [t for t in context.get("tickets") or [] if t.get("phone") and t.get("name")]
    badges_by_phone = {b.person_phone: b for b in badges if b.person_phone}
    tickets_by_phone = {t["phone"]: SimpleNamespace(**t) for t in tickets}

    reference_workshops = load_programme(reference, organiser)
    live_workshops = load_programme(live, organiser)
    counter, present, registered = [0], 0, 0
    for workshop in reference_workshops:
        made = register_reference(rng, workshop, cooperatives, badges, tickets, organiser, counter)
        cancel_some(rng, workshop, made, organiser)
        registered += len(made)
        present += len(
            attend(rng, reference, workshop, made, badges_by_phone, tickets_by_phone, organiser)
        )
        answer_surveys(rng, workshop)
    db.session.query(Message).filter(Message.sent_at.is_(None)).update(
        {
            "sent_at": reference.ends_on and reference_workshops[0].starts_at,
            "sent_by_id": organiser.id,
        }
    )
    load_live_registrations(rng, live_workshops, context, counter)
    db.session.flush()
    figures = services.edition_workshop_figures(reference)
    context["workshops"] = {"reference": reference_workshops, "live": live_workshops}
    context["summary"].append(
        f"{len(reference_workshops)} + {len(live_workshops)} workshops, {registered} registrations "
        f"and {figures['attendance']} attendances for fes-meknes-2022"
    )


def load_live_registrations(rng, workshops, context, counter):
    """The demo cooperative registered some members for the coming workshops."""
    cooperative, user = context.get("coop"), context.get("coop_user")
    if cooperative is None or user is None:
        return
    upcoming = [w for w in workshops if w.starts_at > utc_now()]
    for workshop in upcoming[:4]:
        counter[0] += 1
        services.register_member(workshop, cooperative, person(rng, counter[0]), user)
