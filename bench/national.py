"""Benchmark: the national salon (`flask demo --national`) against the reference demo, in one run.

    .venv/bin/python bench/national.py [--scale 1.0] [--database-dir /tmp] [--skip-load]

1. Loads the demo (reference edition fes-meknes-2022 and the live edition) into one SQLite
   database and the national salon at `--scale` into another, and prints the load times.
2. Times each page and endpoint that must stay sublinear (dashboard, attendance page and API,
   payouts page, store report, report API, a cooperative's portal) on both, in-process (Flask's
   test client, median of 5 after a warm-up), and prints national / reference.
3. Times a batch of 500 scans on the national edition and on the live edition (both open).
4. Renders every badge of the salon as one job on 2 real worker processes (`flask jobs worker`)
   and prints: the job's time / one 60-badge PDF rendered in the same run, the time until the
   first progress was shown, and the workers' peak memory (RSS).
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from accounts.models import User  # noqa: E402
from accounts.services import create_user, issue_api_token  # noqa: E402
from app import create_app  # noqa: E402
from booths import services as booth_services  # noqa: E402
from booths.models import Badge  # noqa: E402
from core.cli import DEMO_PASSWORD, NATIONAL_STEPS  # noqa: E402
from core.extensions import db  # noqa: E402
from core.jobs import Job  # noqa: E402
from core.timeutil import utc_now  # noqa: E402
from markets.models import Edition  # noqa: E402
from visitors.models import Ticket  # noqa: E402


def load(database, national, scale):
    environment = {
        **os.environ,
        "FLASK_APP": "app:create_app",
        "SOUK_ENV": "development",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    flask = [str(ROOT / ".venv" / "bin" / "flask")]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=environment, check=True)
    command = [*flask, "demo"] + (["--national", "--scale", str(scale)] if national else [])
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=environment, check=True)
    return time.perf_counter() - started


def median_ms(function, repeat=5):
    function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def make_app(database, storage):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "QUEUE_URL": f"sqlite:///{storage}/queue.db",
            "STORAGE_ROOT": f"{storage}/files",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )


def page_times(app, edition_slug):
    """Median milliseconds of each page and endpoint of point 5 of the issue."""
    with app.app_context():
        organiser = db.session.query(User).filter_by(username="organiser").one()
        token = issue_api_token(organiser)[0]
        if db.session.query(User).filter_by(username="coop").first() is None:
            exhibitor = db.session.query(Badge).first().cooperative
            create_user("coop", DEMO_PASSWORD, "cooperative", cooperative=exhibitor)
        db.session.commit()
    client = signed_in("organiser", app)
    headers = {"Authorization": f"Bearer {token}"}
    urls = {
        "dashboard": f"/editions/{edition_slug}/dashboard",
        "attendance page": f"/editions/{edition_slug}/attendance",
        "attendance API": f"/api/v1/editions/{edition_slug}/attendance",
        "payouts page": f"/store/editions/{edition_slug}/payouts",
        "store report": f"/store/editions/{edition_slug}/report",
        "report API": f"/api/v1/editions/{edition_slug}/report",
    }
    results = {}
    for name, url in urls.items():

        def get(url=url):
            response = client.get(url, headers=headers if "/api/" in url else {})
            assert response.status_code == 200, (url, response.status_code)

        results[name] = median_ms(get)
    portal = signed_in("coop", app)

    def get_portal():
        assert portal.get("/store/me").status_code == 200

    results["cooperative portal"] = median_ms(get_portal)
    return results, token


def signed_in(username, app):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def scan_batch_ms(app, edition_slug, token):
    """500 scans of the edition's own tickets (re-entries) at its first site's first gate."""
    with app.app_context():
        edition = db.session.query(Edition).filter_by(slug=edition_slug).one()
        site = edition.sites[0]
        codes = [
            code
            for (code,) in db.session.query(Ticket.code)
            .filter(Ticket.edition_id == edition.id)
            .limit(500)
        ]
        gate = site.gates[0]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def batch():
        scans = [
            {
                "id": str(uuid.uuid4()),
                "code": codes[index % len(codes)],
                "edition": edition_slug,
                "site": site.slug,
                "checkpoint": gate,
                "scanned_at": utc_now().isoformat() + "Z",
            }
            for index in range(500)
        ]
        response = client.post("/api/v1/scans", json={"scans": scans}, headers=headers)
        assert response.status_code == 200, response.data[:200]

    return median_ms(batch, repeat=3)


def rss_mb(process_group):
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if os.getpgid(int(pid)) != process_group:
                continue
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total = max(total, int(line.split()[1]) / 1024)
        except (OSError, ProcessLookupError):
            continue
    return total


def badge_job(app, database, storage, edition_slug, token):
    """Every badge of the salon as one job on 2 worker processes; returns the figures."""
    with app.app_context(), app.test_request_context():
        badges = booth_services.site_badges(
            db.session.query(Edition).filter_by(slug=edition_slug).one().sites[0]
        )[:60]
        started = time.perf_counter()
        booth_services.badges_pdf(badges)
        sixty = time.perf_counter() - started
        total_badges = db.session.query(Badge).filter(Badge.revoked_at.is_(None)).count()
    environment = {
        **os.environ,
        "FLASK_APP": "app:create_app",
        "SOUK_ENV": "development",
        "DATABASE_URL": f"sqlite:///{database}",
        "QUEUE_URL": f"sqlite:///{storage}/queue.db",
        "STORAGE_ROOT": f"{storage}/files",
    }
    worker = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "flask"), "jobs", "worker", "-w", "2"],
        cwd=ROOT,
        env=environment,
        start_new_session=True,
    )
    time.sleep(4)  # the worker imports the app
    client = app.test_client()
    started = time.perf_counter()
    response = client.post(
        f"/api/v1/editions/{edition_slug}/badge-batches",
        json={"site": None, "layout": "a6"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 202, response.data
    job_id = response.get_json()["job"]["id"]
    first_progress, peak = None, 0.0
    try:
        while True:
            with app.app_context():
                job = db.session.get(Job, job_id)
                status, progress = job.status, job.progress
            peak = max(peak, rss_mb(worker.pid))
            if first_progress is None and progress > 0:
                first_progress = time.perf_counter() - started
            if status in ("done", "failed"):
                break
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    assert status == "done", "the badge job failed"
    return {
        "badges": total_badges,
        "job_s": elapsed,
        "sixty_s": sixty,
        "ratio": elapsed / sixty,
        "first_progress_s": first_progress,
        "peak_rss_mb": peak,
    }


def badges_only(folder, scale):
    database = folder / "badges.db"
    for path in folder.glob("badges.db*"):
        path.unlink()
    environment = {
        **os.environ,
        "FLASK_APP": "app:create_app",
        "SOUK_ENV": "development",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    flask = str(ROOT / ".venv" / "bin" / "flask")
    subprocess.run([flask, "db", "upgrade"], cwd=ROOT, env=environment, check=True)
    app = make_app(database, folder / "badges-jobs")
    with app.app_context():
        context = {"today": date.today(), "password": DEMO_PASSWORD, "summary": [], "scale": scale}
        for _order, load_step in NATIONAL_STEPS[:2]:  # the editions, cooperatives and badges
            load_step(context)
            db.session.flush()
        organiser = db.session.query(User).filter_by(username="organiser").one()
        token = issue_api_token(organiser)[0]
        db.session.commit()
    print("; ".join(context["summary"]))
    figures = badge_job(app, database, folder / "badges-jobs", "salon-national-agadir", token)
    print(
        "badges as one job: {badges} badges in {job_s:.1f} s; one 60-badge PDF {sixty_s:.2f} s; "
        "ratio {ratio:.1f} (target <= 12); first progress after {first_progress_s:.1f} s; "
        "worker peak RSS {peak_rss_mb:.0f} MB".format(**figures)
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database-dir", default=None)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument(
        "--badges-only",
        action="store_true",
        help="Load only the salon's editions and exhibitors, and time the badge job alone.",
    )
    arguments = parser.parse_args()
    folder = Path(arguments.database_dir or tempfile.mkdtemp(prefix="souk-national-"))
    if arguments.badges_only:
        return badges_only(folder, arguments.scale)
    reference_db, national_db = folder / "reference.db", folder / "national.db"
    if not arguments.skip_load:
        for path in folder.glob("*.db*"):
            path.unlink()
        print(f"load reference demo: {load(reference_db, False, 1):.1f} s")
        seconds = load(national_db, True, arguments.scale)
        print(f"load national salon at scale {arguments.scale}: {seconds:.1f} s")
    reference_app = make_app(reference_db, folder / "reference-jobs")
    national_app = make_app(national_db, folder / "national-jobs")
    reference, reference_token = page_times(reference_app, "fes-meknes-2022")
    national, national_token = page_times(national_app, "salon-national-agadir")
    print(f"{'page or endpoint':24} {'reference ms':>12} {'national ms':>12} {'ratio':>7}")
    for name in national:
        if name in reference:
            ratio = national[name] / reference[name]
            print(f"{name:24} {reference[name]:12.1f} {national[name]:12.1f} {ratio:7.2f}")
    live = scan_batch_ms(reference_app, "fes-meknes-live", reference_token)
    big = scan_batch_ms(national_app, "salon-national-agadir", national_token)
    print(f"500 scans: live {live:.0f} ms, national {big:.0f} ms, ratio {big / live:.2f}")
    figures = badge_job(
        national_app, national_db, folder / "national-jobs", "salon-national-agadir", national_token
    )
    print(
        "badges as one job: {badges} badges in {job_s:.1f} s; one 60-badge PDF {sixty_s:.2f} s; "
        "ratio {ratio:.1f} (target <= 12); first progress after {first_progress_s:.1f} s; "
        "worker peak RSS {peak_rss_mb:.0f} MB".format(**figures)
    )
    print(f"(databases in {folder}; {date.today()})")


if __name__ == "__main__":
    main()
