"""Benchmark: the national salon (`flask demo --national`) against the reference demo, in one run.

    .venv/bin/python bench/national.py [--scale 1.0] [--database-dir /tmp] [--skip-load]
        [--postgres [--gunicorn-workers 4] [--port 5106]] [--queue-url redis://127.0.0.1:6379/14]

1. Loads the demo (reference edition fes-meknes-2022 and the live edition) into one database
   and the national salon at `--scale` into another (SQLite files, or with --postgres two new
   PostgreSQL databases on TEST_POSTGRES_SERVER), and prints the load times.
2. Times each page and endpoint that must stay sublinear (dashboard, attendance page and API,
   payouts page, store report, report API, a cooperative's portal), and a site's pages whose
   lists grow with the salon (floor plan, applications, badges, stock, food list: the first
   site of each), on both (median of 5 after a warm-up) and prints national / reference: on SQLite in-process (Flask's test client); with
   --postgres over HTTP against gunicorn with --gunicorn-workers workers.
3. Times a batch of 500 scans on the national edition and on the live edition (both open).
4. Renders every badge of the salon as one job on 2 real worker processes (`flask jobs worker`,
   warmed up by a one-badge job as a running deployment's workers are) and prints: the job's
   time / one 60-badge PDF rendered in the same run (median of 3 renders before the job and 3
   after), the time until the first progress was
   shown, and the workers' peak memory (RSS). The workers' broker is the embedded SQLite queue,
   or with --queue-url the Redis of a deployment (its idle workers wait on the broker instead of
   polling it).
"""

import argparse
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import requests
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from accounts.models import User  # noqa: E402
from accounts.services import create_user, issue_api_token  # noqa: E402
from app import create_app  # noqa: E402
from bench.harness import field_app_id, start_server  # noqa: E402
from booths import services as booth_services  # noqa: E402
from booths.models import Badge  # noqa: E402
from core.cli import DEMO_PASSWORD, NATIONAL_STEPS  # noqa: E402
from core.extensions import db  # noqa: E402
from core.jobs import Job  # noqa: E402
from core.timeutil import utc_now  # noqa: E402
from markets.models import Edition  # noqa: E402
from tests import pg_database  # noqa: E402
from visitors.models import Ticket  # noqa: E402


def database_url(folder, name, postgres):
    """A SQLite file of the folder (emptied), or a new PostgreSQL database."""
    if postgres:
        return pg_database.create()
    for path in folder.glob(f"{name}.db*"):
        path.unlink()
    return f"sqlite:///{folder / name}.db"


def load(url, national, scale):
    environment = {
        **os.environ,
        "FLASK_APP": "app:create_app",
        "SOUK_ENV": "development",
        "DATABASE_URL": url,
    }
    flask = [str(ROOT / ".venv" / "bin" / "flask")]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=environment, check=True)
    command = [*flask, "demo"] + (["--national", "--scale", str(scale)] if national else [])
    started, cpu = time.perf_counter(), children_cpu()
    subprocess.run(command, cwd=ROOT, env=environment, check=True)
    # the CPU seconds too: on a shared machine the wall time mostly measures the neighbours
    print(f"  (CPU time of the loader: {children_cpu() - cpu:.1f} s)")
    return time.perf_counter() - started


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median_ms(function, repeat=5):
    function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


QUEUE = {"url": None}  # --queue-url: the broker of the workers (default: the embedded SQLite file)


def queue_url(storage):
    return QUEUE["url"] or f"sqlite:///{storage}/queue.db"


def make_app(url, storage):
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-secret",
            "QUEUE_URL": queue_url(storage),
            "STORAGE_ROOT": f"{storage}/files",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )


URLS = {
    "dashboard": "/editions/{slug}/dashboard",
    "attendance page": "/editions/{slug}/attendance",
    "attendance API": "/api/v1/editions/{slug}/attendance",
    "payouts page": "/store/editions/{slug}/payouts",
    "store report": "/store/editions/{slug}/report",
    "report API": "/api/v1/editions/{slug}/report",
}


# A site's pages whose lists grow with the salon: shown a page of 50 at a time, timed on the
# edition's first site (informative: not among the issue's sublinear pages).
SITE_URLS = {
    "floor plan": "/editions/{slug}/sites/{site}/floor-plan",
    "applications page": "/editions/{slug}/applications?site={site}",
    "badges page": "/editions/{slug}/sites/{site}/badges",
    "stock page": "/store/editions/{slug}/sites/{site}/stock",
    "food list": "/store/editions/{slug}/sites/{site}/food",
}


def first_site_slug(app, edition_slug):
    with app.app_context():
        edition = db.session.query(Edition).filter_by(slug=edition_slug).one()
        return min(edition.sites, key=lambda site: site.id).slug


def prepare_users(app):
    """The organiser's API token, and a cooperative account for the portal."""
    with app.app_context():
        organiser = db.session.query(User).filter_by(username="organiser").one()
        token = issue_api_token(organiser)[0]
        if db.session.query(User).filter_by(username="coop").first() is None:
            exhibitor = db.session.query(Badge).first().cooperative
            create_user("coop", DEMO_PASSWORD, "cooperative", cooperative=exhibitor)
        db.session.commit()
    return token


def page_times(app, edition_slug, port=None):
    """Median milliseconds of each page and endpoint of point 5 of the issue: in-process, or
    over HTTP against the gunicorn server on `port`."""
    token = prepare_users(app)
    client = signed_in("organiser", app, port)
    portal = signed_in("coop", app, port)
    headers = {"Authorization": f"Bearer {token}"}
    results = {}
    site_slug = first_site_slug(app, edition_slug)
    for name, url in {**URLS, **SITE_URLS}.items():
        url = url.format(slug=edition_slug, site=site_slug)

        def get(url=url, client=client):
            response = client.get(url, headers=headers if "/api/" in url else {})
            assert response.status_code == 200, (url, response.status_code)

        results[name] = median_ms(get)

    def get_portal():
        assert portal.get("/store/me").status_code == 200

    results["cooperative portal"] = median_ms(get_portal)
    return results, token


class HttpClient:
    """requests.Session with the test client's get/post (paths on the bench's server)."""

    def __init__(self, port):
        self.base, self.session = f"http://127.0.0.1:{port}", requests.Session()

    def get(self, path, headers=None):
        response = self.session.get(self.base + path, headers=headers, allow_redirects=False)
        response.status_code = int(response.status_code)
        return response

    def post(self, path, data=None, json=None, headers=None):
        return self.session.post(
            self.base + path, data=data, json=json, headers=headers, allow_redirects=False
        )


def signed_in(username, app, port=None):
    client = app.test_client() if port is None else HttpClient(port)
    data = {"username": username, "password": DEMO_PASSWORD}
    if port is not None:
        page = client.get("/login").text
        data["csrf_token"] = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.status_code
    return client


def scan_batch_ms(app, edition_slug, token, port=None):
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
    client = app.test_client() if port is None else HttpClient(port)
    headers = {"Authorization": f"Bearer {token}"}

    def batch():
        scans = [
            {
                "id": field_app_id(),
                "code": codes[index % len(codes)],
                "edition": edition_slug,
                "site": site.slug,
                "checkpoint": gate,
                "scanned_at": utc_now().isoformat() + "Z",
            }
            for index in range(500)
        ]
        response = client.post("/api/v1/scans", json={"scans": scans}, headers=headers)
        assert response.status_code == 200, response.content[:200] if port else response.data

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


def wait_for_job(app, job_id, worker=None, started=None):
    """Poll a job until done or failed: (status, first progress after `started`, peak RSS MB)."""
    first_progress, peak = None, 0.0
    while True:
        with app.app_context():
            job = db.session.get(Job, job_id)
            status, progress = job.status, job.progress
            db.session.remove()
        if worker is not None:
            peak = max(peak, rss_mb(worker.pid))
        if started is not None and first_progress is None and progress > 0:
            first_progress = time.perf_counter() - started
        if status in ("done", "failed"):
            return status, first_progress, peak
        time.sleep(0.1)


def warm_up(app, edition_slug):
    """A one-badge reprint job: the workers have imported the app and their fonts, as the
    long-running workers of a deployment have."""
    with app.app_context(), app.test_request_context():
        edition = db.session.query(Edition).filter_by(slug=edition_slug).one()
        organiser = db.session.query(User).filter_by(username="organiser").one()
        site = edition.sites[0]
        first = booth_services.site_badges(site)[0]
        job = booth_services.request_badge_batch(site, "a6", organiser, badge_ids=[first.id])
        db.session.commit()
        job_id = job.id
    return wait_for_job(app, job_id)[0]


def settle(app):
    """Write out what the page phase left in the write-ahead log (and let its server's workers
    exit) before the badge job and its 60-badge baseline are timed, so that neither pays for
    the other phase's writes."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("CHECKPOINT"))
            db.session.commit()
        else:  # outside a transaction: inside one, SQLite refuses ("database table is locked")
            connection = db.engine.raw_connection()
            try:
                connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                connection.close()
    time.sleep(2)


def sixty_badges_s(app, edition_slug, repeat=3):
    """Three warm renders of the site's first 60 badges, in seconds. Taken before and after the
    job: this machine's speed drifts by 10-30 % within a minute, and the job's 20 s span it."""
    with app.app_context(), app.test_request_context():
        badges = booth_services.site_badges(
            db.session.query(Edition).filter_by(slug=edition_slug).one().sites[0]
        )[:60]
        booth_services.badges_pdf(badges)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            booth_services.badges_pdf(badges)
            times.append(time.perf_counter() - start)
        db.session.remove()
    return times


def badge_job(app, url, storage, edition_slug, token):
    """Every badge of the salon as one job on 2 worker processes; returns the figures."""
    settle(app)
    before = sixty_badges_s(app, edition_slug)
    with app.app_context():
        total_badges = db.session.query(Badge).filter(Badge.revoked_at.is_(None)).count()
    environment = {
        **os.environ,
        "FLASK_APP": "app:create_app",
        "SOUK_ENV": "development",
        "DATABASE_URL": url,
        "QUEUE_URL": queue_url(storage),
        "STORAGE_ROOT": f"{storage}/files",
    }
    worker = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "flask"), "jobs", "worker", "-w", "2"],
        cwd=ROOT,
        env=environment,
        start_new_session=True,
    )
    try:
        assert warm_up(app, edition_slug) == "done", "the warm-up job failed"
        client = app.test_client()
        started = time.perf_counter()
        response = client.post(
            f"/api/v1/editions/{edition_slug}/badge-batches",
            json={"site": None, "layout": "a6"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 202, response.data
        job_id = response.get_json()["job"]["id"]
        status, first_progress, peak = wait_for_job(app, job_id, worker, started)
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    assert status == "done", "the badge job failed"
    after = sixty_badges_s(app, edition_slug)
    sixty = statistics.median(before + after)
    return {
        "badges": total_badges,
        "job_s": elapsed,
        "sixty_s": sixty,
        "sixty_before_s": statistics.median(before),
        "sixty_after_s": statistics.median(after),
        "ratio": elapsed / sixty,
        "first_progress_s": first_progress,
        "peak_rss_mb": peak,
    }


def badges_only(folder, scale, postgres):
    url = database_url(folder, "badges", postgres)
    environment = {
        **os.environ,
        "FLASK_APP": "app:create_app",
        "SOUK_ENV": "development",
        "DATABASE_URL": url,
    }
    flask = str(ROOT / ".venv" / "bin" / "flask")
    subprocess.run([flask, "db", "upgrade"], cwd=ROOT, env=environment, check=True)
    app = make_app(url, folder / "badges-jobs")
    with app.app_context():
        context = {"today": date.today(), "password": DEMO_PASSWORD, "summary": [], "scale": scale}
        for _order, load_step in NATIONAL_STEPS[:2]:  # the editions, cooperatives and badges
            load_step(context)
            db.session.flush()
        organiser = db.session.query(User).filter_by(username="organiser").one()
        token = issue_api_token(organiser)[0]
        db.session.commit()
    print("; ".join(context["summary"]))
    print_badge_figures(badge_job(app, url, folder / "badges-jobs", "salon-national-agadir", token))


def print_badge_figures(figures):
    print(
        "badges as one job: {badges} badges in {job_s:.1f} s; one 60-badge PDF {sixty_s:.2f} s "
        "(median of 3 before the job, {sixty_before_s:.2f}, and 3 after, {sixty_after_s:.2f}); "
        "ratio {ratio:.1f} (target <= 12); first progress after {first_progress_s:.1f} s "
        "(target <= 2); worker peak RSS {peak_rss_mb:.0f} MB (target < 300)".format(**figures)
    )


def timed_pages(app, url, slug, arguments):
    """page_times in-process (SQLite) or against gunicorn (PostgreSQL); also the scan batch."""
    live_slug = "fes-meknes-live" if slug == "fes-meknes-2022" else slug
    if not arguments.postgres:
        pages, token = page_times(app, slug)
        return pages, token, scan_batch_ms(app, live_slug, token)
    server = start_server(arguments.gunicorn_workers, arguments.port, url)
    try:
        pages, token = page_times(app, slug, arguments.port)
        return pages, token, scan_batch_ms(app, live_slug, token, arguments.port)
    finally:
        server.terminate()
        server.wait(timeout=60)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database-dir", default=None)
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="Load into two new PostgreSQL databases and time the pages through gunicorn.",
    )
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=5106)
    parser.add_argument(
        "--urls", nargs=2, default=None, help="Reuse two loaded databases (reference, national)."
    )
    parser.add_argument(
        "--queue-url",
        default=None,
        help="The job workers' broker, as deployed (redis://127.0.0.1:6379/14); default the "
        "embedded SQLite queue, whose idle workers poll instead of waiting on the broker.",
    )
    parser.add_argument(
        "--badges-only",
        action="store_true",
        help="Load only the salon's editions and exhibitors, and time the badge job alone.",
    )
    arguments = parser.parse_args()
    QUEUE["url"] = arguments.queue_url
    folder = Path(arguments.database_dir or tempfile.mkdtemp(prefix="souk-national-"))
    folder.mkdir(parents=True, exist_ok=True)
    if arguments.badges_only:
        return badges_only(folder, arguments.scale, arguments.postgres)
    if arguments.urls:
        reference_url, national_url = arguments.urls
    else:
        reference_url = database_url(folder, "reference", arguments.postgres)
        national_url = database_url(folder, "national", arguments.postgres)
        print(f"databases: {reference_url} {national_url}")
        print(f"load reference demo: {load(reference_url, False, 1):.1f} s")
        seconds = load(national_url, True, arguments.scale)
        print(f"load national salon at scale {arguments.scale}: {seconds:.1f} s")
    reference_app = make_app(reference_url, folder / "reference-jobs")
    national_app = make_app(national_url, folder / "national-jobs")
    reference, _token, live = timed_pages(
        reference_app, reference_url, "fes-meknes-2022", arguments
    )
    national, token, big = timed_pages(
        national_app, national_url, "salon-national-agadir", arguments
    )
    mode = (
        f"PostgreSQL, gunicorn {arguments.gunicorn_workers} workers"
        if arguments.postgres
        else "SQLite, in-process"
    )
    print(
        f"{'page or endpoint':24} {'reference ms':>12} {'national ms':>12} {'ratio':>7}  ({mode})"
    )
    for name in national:
        ratio = national[name] / reference[name]
        print(f"{name:24} {reference[name]:12.1f} {national[name]:12.1f} {ratio:7.2f}")
    print(f"500 scans: live {live:.0f} ms, national {big:.0f} ms, ratio {big / live:.2f}")
    figures = badge_job(
        national_app, national_url, folder / "national-jobs", "salon-national-agadir", token
    )
    print_badge_figures(figures)
    print(f"(databases {reference_url} {national_url}; {date.today()})")


if __name__ == "__main__":
    main()
