"""A small but complete edition for the report tests, made from raw rows and real scans.

Booths, store and workshops rows are inserted as those features store them; visitors come in
through visitors.services.record_scans / record_tallies (the attendance counters are theirs).
The tests then recompute every figure from these raw rows with their own queries.
"""

import uuid
from datetime import date, datetime, timedelta

from core.extensions import db
from core.timeutil import local_to_utc_naive, to_local
from markets import territory
from store.services.tallies import rebuild_tallies

# (registration, province, sector, legal form, members, women, young)
COOPERATIVES = [
    ("R-MEK-1", "Meknès", "honey", "cooperative", 10, 8, 2),
    ("R-MEK-2", "Meknès", "olive_oil", "cooperative", 20, 4, 12),
    ("R-MEK-3", "Meknès", "dairy", "association", 12, 6, 6),
    ("R-HAJ-1", "El Hajeb", "figs_dried_fruit", "cooperative", 30, 20, 3),
    ("R-HAJ-2", "El Hajeb", "honey", "social_enterprise", 8, 1, 1),
    ("R-FES-1", "Fès", "carpentry_wood", "cooperative", 15, 2, 9),
    ("R-FES-2", "Fès", "sewing_textiles", "economic_interest_group", 9, 9, 0),
    ("R-IFR-1", "Ifrane", "medicinal_herbs", "cooperative", 14, 10, 7),
]
# (cooperative registration, site, status)
APPLICATIONS = [
    ("R-MEK-1", "meknes", "approved"),
    ("R-MEK-2", "el-hajeb", "approved"),
    ("R-MEK-3", "meknes", "rejected"),
    ("R-HAJ-1", "meknes", "approved"),
    ("R-HAJ-1", "el-hajeb", "approved"),
    ("R-HAJ-2", "el-hajeb", "pending"),
    ("R-FES-1", "meknes", "approved"),
    ("R-FES-2", "meknes", "waitlisted"),
    ("R-IFR-1", "el-hajeb", "rejected"),
]
# (site, code, width, depth, holder registration or None)
STALLS = [
    ("meknes", "A-01", 3.0, 3.0, "R-MEK-1"),
    ("meknes", "A-02", 6.0, 3.0, "R-HAJ-1"),
    ("meknes", "A-03", 3.0, 3.0, "R-FES-1"),
    ("meknes", "A-04", 3.0, 3.0, None),
    ("el-hajeb", "B-01", 3.0, 3.0, "R-MEK-2"),
    ("el-hajeb", "B-02", 3.0, 4.0, "R-HAJ-1"),
    ("el-hajeb", "B-03", 3.0, 3.0, None),
]
# (ticket number, site, local time, gate): ticket 0 enters twice at Meknès, once at El Hajeb.
SCANS = [
    (0, "meknes", "2022-11-06 11:00", "gate-north"),
    (1, "meknes", "2022-11-06 11:30", "gate-north"),
    (2, "meknes", "2022-11-06 12:00", "gate-south"),
    (0, "meknes", "2022-11-06 15:00", "gate-north"),
    (0, "el-hajeb", "2022-11-06 17:00", "gate-north"),
    (3, "meknes", "2022-11-07 10:30", "gate-north"),
    (4, "meknes", "2022-11-07 11:00", "gate-north"),
    (1, "meknes", "2022-11-07 12:00", "gate-north"),
    (5, "el-hajeb", "2022-11-08 18:00", "gate-south"),
    (5, "el-hajeb", "2022-11-08 23:30", "gate-south"),  # after closing: not counted
]
TALLIES = [("meknes", "2022-11-06 13:00", 3), ("el-hajeb", "2022-11-07 13:00", 2)]
# (registration, site, channel, payment, local time, quantity, unit price, payout)
SALES = [
    ("R-MEK-1", "meknes", "store", "cash", "2022-11-06 11:10", 2, 4500, "on_time"),
    ("R-MEK-1", "meknes", "store", "card", "2022-11-07 12:00", 1, 4500, "on_time"),
    ("R-HAJ-1", "meknes", "store", "mobile", "2022-11-06 16:00", 3, 3000, "late"),
    ("R-HAJ-1", "el-hajeb", "online", "card", "2022-11-08 10:00", 1, 12000, "late"),
    ("R-FES-1", "meknes", "retail", "cash", "2022-11-07 17:00", 1, 25000, "unpaid"),
]
COMMISSION_BASIS_POINTS = 1000
# (topic, capacity, attendees as (gender, under 35), ratings)
WORKSHOPS = [
    (
        "marketing",
        20,
        [("female", True), ("female", False), ("male", True), ("female", None)],
        [5, 4],
    ),
    ("management", 10, [("male", False), ("female", True)], [3]),
]


def local(text):
    return local_to_utc_naive(datetime.fromisoformat(text))


def offset_text(text):
    return to_local(local(text)).isoformat()


def build_report_world(make_edition, make_cooperative, make_user, previous=None, slug=None):
    """The edition with applications, stalls, visitors, sales and workshops; returns a dict."""
    from booths.models import Application, Stall

    values = {"commission_basis_points": COMMISSION_BASIS_POINTS}
    if slug:
        values["slug"] = slug
    edition = make_edition(status="open", **values)
    if previous is not None:
        edition.previous_id = previous.id
    sites = {site.slug: site for site in edition.sites}
    cooperatives = {}
    for number, province, sector, form, members, women, young in COOPERATIVES:
        cooperatives[number] = make_cooperative(
            registration_number=f"{edition.slug}-{number}",
            name_latin=f"Coopérative {number}",
            name_ar=f"تعاونية {number}",
            province=province,
            main_sector=sector,
            sectors=[sector],
            legal_form=form,
            members=members,
            women_members=women,
            young_members=young,
        )
    applications = {}
    for number, site_slug, status in APPLICATIONS:
        application = Application(
            cooperative_id=cooperatives[number].id,
            site_id=sites[site_slug].id,
            status=status,
            products="produits",
            representatives=[{"name": "Représentante", "phone": "0600000000"}],
        )
        db.session.add(application)
        applications[(number, site_slug)] = application
    db.session.flush()
    for site_slug, code, width, depth, holder in STALLS:
        db.session.add(
            Stall(
                site_id=sites[site_slug].id,
                code=code,
                x_m=0.0,
                y_m=float(code[-1]) * 4,
                width_m=width,
                depth_m=depth,
                application_id=applications[(holder, site_slug)].id if holder else None,
            )
        )
    db.session.commit()
    record_visitors(edition, make_user("volunteer"))
    record_sales(edition, sites, cooperatives)
    record_workshops(edition, sites["meknes"])
    db.session.commit()
    return {"edition": edition, "cooperatives": cooperatives, "sites": sites}


def record_visitors(edition, volunteer):
    from visitors.services import create_ticket, record_scans, record_tallies

    tickets = [create_ticket(edition, {}, None) for _ in range(6)]
    results = record_scans(
        [
            {
                "id": str(uuid.uuid4()),
                "code": tickets[number].code,
                "edition": edition.slug,
                "site": site,
                "checkpoint": gate,
                "direction": "in",
                "scanned_at": offset_text(moment),
            }
            for number, site, moment, gate in SCANS
        ],
        volunteer,
    )
    assert [result["status"] for result in results].count("not_open") == 1, results
    record_tallies(
        [
            {
                "id": str(uuid.uuid4()),
                "edition": edition.slug,
                "site": site,
                "checkpoint": "gate-north",
                "count": count,
                "counted_at": offset_text(moment),
            }
            for site, moment, count in TALLIES
        ],
        volunteer,
    )


def record_sales(edition, sites, cooperatives):
    from store.models import Payout, Product, Sale, SaleLine

    now_paid = {"on_time": timedelta(hours=24), "late": timedelta(days=20), "unpaid": None}
    for index, (number, site, channel, payment, moment, quantity, price, paid) in enumerate(SALES):
        cooperative = cooperatives[number]
        product = Product(
            cooperative_id=cooperative.id,
            sku=f"{edition.slug}-P{index}",
            barcode=f"{edition.id:04d}{index:08d}",
            names={"fr": f"Produit {index}"},
            price_centimes=price,
            sector=cooperative.main_sector,
        )
        sold_at = local(moment)
        amount = quantity * price
        sale = Sale(
            client_id=str(uuid.uuid4()),
            edition_id=edition.id,
            site_id=sites[site].id,
            register="till-1",
            channel=channel,
            payment=payment,
            total_centimes=amount,
            sold_at=sold_at,
        )
        db.session.add_all([product, sale])
        db.session.flush()
        due_at = sold_at + (timedelta(days=10) if channel == "retail" else timedelta(hours=72))
        commission = (amount * COMMISSION_BASIS_POINTS + 5000) // 10000
        payout = Payout(
            edition_id=edition.id,
            cooperative_id=cooperative.id,
            due_on=to_local(due_at).date(),
            due_at=due_at,
            amount_centimes=amount - commission,
            lines_count=1,
            paid_at=sold_at + now_paid[paid] if now_paid[paid] else None,
            reference=f"VIR-{index}" if now_paid[paid] else None,
        )
        db.session.add(payout)
        db.session.flush()
        db.session.add(
            SaleLine(
                sale_id=sale.id,
                kind="sale",
                product_id=product.id,
                cooperative_id=cooperative.id,
                edition_id=edition.id,
                site_id=sites[site].id,
                channel=channel,
                payment=payment,
                register="till-1",
                quantity=quantity,
                unit_price_centimes=price,
                amount_centimes=amount,
                commission_centimes=commission,
                owed_centimes=amount - commission,
                occurred_at=sold_at,
                local_day=to_local(sold_at).date(),
                due_at=due_at,
                due_on=to_local(due_at).date(),
                payout_id=payout.id,
            )
        )
    db.session.flush()
    rebuild_tallies(edition.id)  # lines written by hand, not by the sale service


def record_workshops(edition, site):
    from workshops.models import Attendance, Feedback, Room, Workshop

    tent = Room(site_id=site.id, code="tente-a", names={"fr": "Tente A"})
    for index, (topic, capacity, attendees, ratings) in enumerate(WORKSHOPS):
        starts_at = local(f"2022-11-0{6 + index} 15:00")
        workshop = Workshop(
            edition_id=edition.id,
            site_id=site.id,
            titles={"fr": f"Atelier {topic}"},
            topic=topic,
            room=tent,
            capacity=capacity,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
        )
        db.session.add(workshop)
        db.session.flush()
        present = []
        for number, (gender, young) in enumerate(attendees):
            attendance = Attendance(
                workshop_id=workshop.id,
                person_name=f"Participant {number}",
                gender=gender,
                under_35=young,
                source="walk_in",
                key=uuid.uuid4().hex,
                attended_at=starts_at,
            )
            db.session.add(attendance)
            present.append(attendance)
        db.session.flush()
        for attendance, rating in zip(present, ratings, strict=False):
            db.session.add(
                Feedback(workshop_id=workshop.id, attendance_id=attendance.id, rating=rating)
            )
    db.session.flush()


def test_the_report_world_holds_what_it_says(app, make_edition, make_cooperative, make_user):
    from booths.models import Application, Stall
    from store.models import SaleLine
    from visitors.models import Scan
    from workshops.models import Attendance

    world = build_report_world(make_edition, make_cooperative, make_user)
    edition = world["edition"]
    assert db.session.query(Application).count() == len(APPLICATIONS)
    assert db.session.query(Stall).count() == len(STALLS)
    assert db.session.query(Scan).filter_by(edition_id=edition.id).count() == len(SCANS)
    assert db.session.query(SaleLine).filter_by(edition_id=edition.id).count() == len(SALES)
    assert db.session.query(Attendance).count() == sum(len(w[2]) for w in WORKSHOPS)
    assert edition.starts_on == date(2022, 11, 5)


def expected_figures(edition):
    """Every figure of the report recomputed from the raw rows, by other queries than the
    features' services (plain row loads, counted in Python)."""
    from booths.models import Application, Cooperative, Stall
    from core.timeutil import utc_now
    from markets.models import Site
    from store.models import Payout, SaleLine
    from visitors.models import Scan, Tally
    from workshops.models import Attendance, Feedback, Workshop

    site_slug = {site.id: site.slug for site in edition.sites}
    scans = db.session.query(Scan).filter(Scan.edition_id == edition.id).all()
    tallies = db.session.query(Tally).filter(
        Tally.edition_id == edition.id, Tally.status == "accepted"
    )
    sites = {
        slug: {"visitors": 0, "entries": 0, "tallied": 0, "days": {}} for slug in site_slug.values()
    }

    def day_of(site, moment):
        return site["days"].setdefault(
            to_local(moment).date().isoformat(), {"visitors": 0, "entries": 0, "tallied": 0}
        )

    for scan in scans:
        site = sites[site_slug[scan.site_id]]
        if scan.kind == "visitor" and scan.status in ("accepted", "reentry"):
            counted = [site, day_of(site, scan.scanned_at)]
            for bucket in counted:
                bucket["entries"] += 1
                bucket["visitors"] += scan.status == "accepted"
    tallied_total = 0
    for tally in tallies:
        site = sites[site_slug[tally.site_id]]
        for bucket in (site, day_of(site, tally.counted_at)):
            for key in ("visitors", "entries", "tallied"):
                bucket[key] += tally.count
        tallied_total += tally.count
    holders = {s.token_id for s in scans if s.kind == "visitor" and s.status == "accepted"}

    cooperative_of = {c.id: c for c in db.session.query(Cooperative)}
    applications = (
        db.session.query(Application)
        .join(Site, Site.id == Application.site_id)
        .filter(Site.edition_id == edition.id)
        .all()
    )
    applicants = {a.cooperative_id for a in applications}
    admitted = {a.cooperative_id for a in applications if a.status == "approved"}
    application_of = {a.id: a for a in applications}
    stalls = db.session.query(Stall).filter(Stall.site_id.in_(list(site_slug))).all()
    area_of = {}
    for stall in stalls:
        if stall.application_id is not None:
            holder = application_of[stall.application_id].cooperative_id
            area_of[holder] = area_of.get(holder, 0) + stall.width_m * stall.depth_m
    lines = db.session.query(SaleLine).filter(SaleLine.edition_id == edition.id).all()
    sales_of = {}
    for line in lines:
        sales_of[line.cooperative_id] = sales_of.get(line.cooperative_id, 0) + line.amount_centimes
    # Every province of the sites' region has a row, with or without applicants (all are in
    # Fès-Meknès here, so no province is grouped under its region).
    provinces = {
        item.name_fr: {"applicants": 0, "admitted": 0, "stall_area_m2": 0.0, "sales_centimes": 0}
        for site in edition.sites
        for item in territory.region_of(site.province_code).provinces
    }
    for cooperative_id in applicants | set(sales_of):
        province = provinces.setdefault(
            cooperative_of[cooperative_id].province,
            {"applicants": 0, "admitted": 0, "stall_area_m2": 0.0, "sales_centimes": 0},
        )
        province["applicants"] += cooperative_id in applicants
        province["admitted"] += cooperative_id in admitted
        province["stall_area_m2"] += area_of.get(cooperative_id, 0)
        province["sales_centimes"] += sales_of.get(cooperative_id, 0)
    now = utc_now()
    payouts = [
        p
        for p in db.session.query(Payout).filter(Payout.edition_id == edition.id)
        if p.amount_centimes > 0 and (p.paid_at is not None or p.due_at < now)
    ]
    on_time = [p for p in payouts if p.paid_at is not None and p.paid_at <= p.due_at]
    workshops = db.session.query(Workshop).filter(Workshop.edition_id == edition.id).all()
    workshop_ids = [w.id for w in workshops]
    attendance = db.session.query(Attendance).filter(Attendance.workshop_id.in_(workshop_ids))
    ratings = [
        f.rating for f in db.session.query(Feedback).filter(Feedback.workshop_id.in_(workshop_ids))
    ]
    present = [cooperative_of[i] for i in admitted]
    return {
        "visitors": len(holders) + tallied_total,
        "entries": sum(site["entries"] for site in sites.values()),
        "tallied": tallied_total,
        "target": edition.visitor_target,
        "sites": sites,
        "applicants": len(applicants),
        "cooperatives": len(admitted),
        "admitted_ids": admitted,
        "applicant_ids": applicants,
        "women_members": sum(c.women_members for c in present),
        "young_members": sum(c.young_members for c in present),
        "members": sum(c.members for c in present),
        "women_led": {
            i for i, c in cooperative_of.items() if c.members and 2 * c.women_members >= c.members
        },
        "youth_led": {
            i for i, c in cooperative_of.items() if c.members and 2 * c.young_members >= c.members
        },
        "stall_area_m2": round(sum(area_of.values()), 2),
        "area_of": area_of,
        "site_area_m2": sum(site.area_m2 for site in edition.sites),
        "stalls": len(stalls),
        "stalls_empty": sum(1 for stall in stalls if stall.application_id is None),
        "sales_centimes": sum(line.amount_centimes for line in lines),
        "sales_of": sales_of,
        "owed_centimes": sum(line.owed_centimes for line in lines),
        "by_channel": {
            channel: sum(line.amount_centimes for line in lines if line.channel == channel)
            for channel in {line.channel for line in lines}
        },
        "paid_on_time_share": len(on_time) / len(payouts) if payouts else None,
        "provinces": provinces,
        "workshops": len(workshops),
        "workshop_attendance": attendance.count(),
        "workshop_capacity": sum(w.capacity for w in workshops),
        "average_rating": sum(ratings) / len(ratings) if ratings else None,
    }
