"""Benchmark of the workshops, in a throw-away SQLite database (not a timed test).

    .venv/bin/python bench/workshops.py [--workshops 120] [--keep /tmp/workshops-bench.db]

An edition with N workshops over two sites and 25 attendances each. Prints, in milliseconds and
as a ratio to GET /healthz of the same app in the same run:
- the public programme (JSON API), a day's timetable page, the edition's .ics feed;
- a public registration (POST of the form), and a cancellation that promotes the next person;
- a door scan (workshops.services.record_door_scan, and one through POST /api/v1/scans);
- the edition's workshop figures (dashboard / partners' report) and the report's CSV;
- one certificate PDF and a bulk PDF of 25 certificates (ratio bulk / one).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from app import create_app  # noqa: E402
from bench.harness import field_app_id  # noqa: E402
from core.extensions import db  # noqa: E402
from core.timeutil import local_to_utc_naive  # noqa: E402

PASSWORD = "bench-pass-2026"
STARTS_ON = date.today() + timedelta(days=30)
DAYS = 8
TOPICS = ["marketing", "online_selling", "management", "quality", "success_stories", "other"]


def timed(action, repeat=1):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_edition(organiser):
    from markets import services

    edition = services.create_edition(
        {
            "slug": "bench-workshops",
            "number": 9,
            "names": {"fr": "Banc d'essai des ateliers", "ar": "اختبار الورشات"},
            "visitor_target": 10000,
            "starts_on": STARTS_ON,
            "ends_on": STARTS_ON + timedelta(days=DAYS - 1),
        },
        organiser,
    )
    for slug, city in (("meknes", "Meknès"), ("el-hajeb", "El Hajeb")):
        services.create_site(
            edition,
            {
                "slug": slug,
                "city": city,
                "names": {"fr": city},
                "area_m2": 750,
                "opens_on": edition.starts_on,
                "closes_on": edition.ends_on,
                "opens_minute": 600,
                "closes_minute": 1320,
                "visitor_target": 5000,
                "gates": ["gate-north"],
                "venue": f"Bench {slug}",
            },
            organiser,
        )
    services.change_status(edition, "published", organiser)
    services.change_status(edition, "open", organiser)
    return edition


def load_programme(edition, count):
    """N workshops through the service (it checks rooms, speakers, hours), then attendance in bulk."""
    from workshops import services
    from workshops.models import Attendance

    workshops = []
    for index in range(count):
        site = edition.sites[index % 2]
        day = edition.starts_on + timedelta(days=(index // 2) % DAYS)
        slot = (index // (2 * DAYS)) % 5
        start = local_to_utc_naive(datetime.combine(day, datetime.min.time())) + timedelta(
            hours=10 + 2 * slot
        )
        workshops.append(
            services.create_workshop(
                edition,
                {
                    "site": site,
                    "titles": {"fr": f"Atelier {index}", "ar": f"ورشة {index}"},
                    "topic": TOPICS[index % len(TOPICS)],
                    "room": f"Salle {index % 7}",
                    "capacity": 30,
                    "starts_at": start,
                    "ends_at": start + timedelta(hours=2),
                    "speakers": [{"name": f"Intervenant {index}"}],
                },
                None,
            )
        )
    rows = [
        {
            "workshop_id": w.id,
            "person_name": f"P{i}",
            "gender": ("female", "male")[i % 2],
            "under_35": i % 3 == 0,
            "cooperative_id": None,
            "source": "walk_in",
            "key": f"{w.id}-{i}",
            "attended_at": w.starts_at,
        }
        for w in workshops
        for i in range(25)
    ]
    db.session.execute(insert(Attendance), rows)
    return workshops


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workshops", type=int, default=120)
    parser.add_argument("--keep")
    args = parser.parse_args()
    path = args.keep or os.path.join(tempfile.mkdtemp(prefix="workshops-bench-"), "bench.db")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "PUBLIC_FORM_LIMIT": "100000 per hour",
            "SERVER_NAME": "localhost",
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        from accounts.services import create_user, issue_api_token

        organiser = create_user("bench-organiser", PASSWORD, "organiser")
        volunteer = create_user("bench-volunteer", PASSWORD, "volunteer")
        edition = make_edition(organiser)
        started = time.perf_counter()
        workshops = load_programme(edition, args.workshops)
        token, _ = issue_api_token(volunteer)
        db.session.commit()
        print(f"loaded {len(workshops)} workshops in {time.perf_counter() - started:.1f} s")
        figures = measure(app, edition, workshops, token, organiser)
    report(figures)


def measure(app, edition, workshops, token, organiser):
    from markets import tokens
    from workshops import documents, services

    client = app.test_client()
    signed_in = client.post("/login", data={"username": organiser.username, "password": PASSWORD})
    assert signed_in.status_code == 302, signed_in.status_code
    slug = edition.slug
    figures = {"healthz": timed(lambda: client.get("/healthz"), 300)}
    figures["programme JSON"] = timed(lambda: client.get(f"/api/v1/editions/{slug}/workshops"), 20)
    figures["timetable page (a day)"] = timed(
        lambda: client.get(f"/editions/{slug}/sites/meknes/timetable?day={edition.starts_on}"), 20
    )
    figures["edition .ics feed"] = timed(lambda: client.get(f"/editions/{slug}/workshops.ics"), 10)
    target = workshops[-1]
    phones = iter(range(10**6))
    figures["public registration"] = timed(
        lambda: client.post(
            f"/workshops/{target.id}/register",
            data={"person_name": "Bench", "phone": f"06{next(phones):08d}"},
        ),
        60,
    )

    def cancel_and_promote():
        from workshops.models import Registration

        registration = (
            db.session.query(Registration)
            .filter_by(workshop_id=target.id, status="registered")
            .first()
        )
        services.cancel_registration(registration, organiser, by="organiser")
        db.session.commit()

    figures["cancellation with promotion"] = timed(cancel_and_promote, 20)
    site = target.site
    codes = [tokens.sign_token(edition, "V")[1] for _ in range(200)]
    db.session.commit()
    verified = iter([tokens.verify_token(code) for code in codes])
    moment = target.starts_at
    figures["record_door_scan"] = timed(
        lambda: services.record_door_scan(target.id, site, next(verified), None, moment), 100
    )
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    scan_codes = iter(codes[100:])

    def scan_once():
        body = {
            "scans": [
                {
                    "id": field_app_id(),
                    "code": next(scan_codes),
                    "edition": slug,
                    "site": site.slug,
                    "checkpoint": f"workshop:{target.id}",
                    "scanned_at": moment.isoformat() + "Z",
                }
            ]
        }
        client.post("/api/v1/scans", json=body, headers=headers)

    figures["door scan via POST /api/v1/scans"] = timed(scan_once, 50)
    figures["edition_workshop_figures"] = timed(
        lambda: services.edition_workshop_figures(edition), 10
    )
    assert client.get(f"/editions/{slug}/workshops/report.csv").status_code == 200
    figures["report CSV"] = timed(lambda: client.get(f"/editions/{slug}/workshops/report.csv"), 10)
    with app.test_request_context():
        attendance = services.attendance_list(workshops[0])
        one = [services.certificate_for(attendance[0])]
        many = services.certificates_for_workshop(workshops[0])
        figures["certificate PDF (1)"] = timed(lambda: documents.certificates_pdf(one), 3)
        figures[f"certificates PDF ({len(many)})"] = timed(
            lambda: documents.certificates_pdf(many), 1
        )
        db.session.commit()
    return figures


def report(figures):
    base = figures["healthz"]
    print(f"{'measure':40} {'ms':>10} {'x healthz':>12}")
    for name, seconds in figures.items():
        print(f"{name:40} {seconds * 1000:10.2f} {seconds / base:12.1f}")
    one = figures["certificate PDF (1)"]
    bulk = next(v for k, v in figures.items() if k.startswith("certificates PDF"))
    print(f"bulk certificates / one certificate: {bulk / one:.1f}")


if __name__ == "__main__":
    main()
