"""What the HTTP benchmarks share: a gunicorn server of the app, plain requests, and a rate meter.

Figures are printed as ratios against GET /healthz of the same server in the same run.
"""

import http.client
import json
import os
import subprocess
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_server(workers, port, database_url):
    """gunicorn with `workers` processes on 127.0.0.1:`port`; waits until /healthz answers."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-secret",
        "SOUK_ENV": "development",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "app:create_app()",
        ],
        cwd=ROOT,
        env=environment,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def request(port, method, path, body=None, token=None):
    """One HTTP request on a fresh connection; returns (status, body bytes)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection.request(
        method, path, body=json.dumps(body) if body is not None else None, headers=headers
    )
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, payload


def rate(seconds, threads, make_request, expected=200):
    """Requests per second with `threads` clients for `seconds` (every answer must be `expected`)."""
    stop = time.perf_counter() + seconds
    counts, failures = [0] * threads, []

    def client(index):
        while time.perf_counter() < stop:
            status, payload = make_request()
            if status != expected:
                failures.append((status, payload[:200]))
                return
            counts[index] += 1

    workers = [threading.Thread(target=client, args=(index,)) for index in range(threads)]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        raise SystemExit(f"failed requests: {failures[:3]}")
    return sum(counts) / (time.perf_counter() - start)


def open_round_the_clock_edition(organiser, slug, name, days, gates, commission_basis_points=0):
    """An open edition from `days` ago to `days` ahead, with Meknès and El Hajeb open all day."""
    from datetime import date, timedelta

    from markets import services

    today = date.today()
    edition = services.create_edition(
        {
            "slug": slug,
            "number": 1,
            "names": {"fr": name},
            "visitor_target": 10000,
            "commission_basis_points": commission_basis_points,
            "starts_on": today - timedelta(days=days),
            "ends_on": today + timedelta(days=days),
        },
        organiser,
    )
    for site_slug, city in (("meknes", "Meknès"), ("el-hajeb", "El Hajeb")):
        services.create_site(
            edition,
            {
                "slug": site_slug,
                "city": city,
                "names": {"fr": city},
                "venue": f"Bench {site_slug}",
                "area_m2": 750,
                "opens_on": edition.starts_on,
                "closes_on": edition.ends_on,
                "opens_minute": 0,
                "closes_minute": 1440,
                "visitor_target": 5000,
                "gates": list(gates),
            },
            organiser,
        )
    services.change_status(edition, "published", organiser)
    services.change_status(edition, "open", organiser)
    return edition


def field_app_id():
    """A scan's or a sale's id as the field pages make it (static/js/field-queue.js newId): a
    UUID version 7, the clock in milliseconds first, then 74 random bits."""
    milliseconds = time.time_ns() // 1_000_000
    random_bits = int.from_bytes(os.urandom(10), "big") & ((1 << 74) - 1)
    value = (milliseconds << 80) | (0x7 << 76) | ((random_bits >> 62) << 64)
    value |= (0b10 << 62) | (random_bits & ((1 << 62) - 1))
    return str(uuid.UUID(int=value))
