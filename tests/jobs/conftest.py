"""Jobs fixtures: the booths' factories, a site with badges, the queue emptied between tests, and
real worker processes (`flask jobs worker`) started against the test database, queue and storage."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from moto.server import ThreadedMotoServer

from booths import services
from core import queue
from core.database import READ_ONLY_OPTION
from core.extensions import db
from core.jobs import Job, JobPart
from core.storage import get_storage
from tests.booths.conftest import (  # noqa: F401
    future_edition,
    make_application,
    make_plan,
    organiser,
)

ROOT = Path(__file__).resolve().parents[2]
# Settings a test may change before starting a worker (the object store of test_s3_storage.py).
SHARED_SETTINGS = (
    "STORAGE_URL",
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "BULK_MESSAGES_PER_CHUNK",
)


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server (moto's) on a free port, for this test session."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storage(app, s3_server, tmp_path):
    """The app (and the workers it starts) storing files in a fresh bucket of that server."""
    bucket = f"souk-{tmp_path.name.lower().replace('_', '-')[-40:]}"
    app.config.update(
        STORAGE_URL=f"s3://{bucket}/results",
        S3_ENDPOINT_URL=s3_server,
        S3_REGION="us-east-1",
        AWS_ACCESS_KEY_ID="souk-test",
        AWS_SECRET_ACCESS_KEY="souk-test-secret",
    )
    storage = get_storage()
    storage.client.create_bucket(Bucket=bucket)
    return storage


@pytest.fixture(autouse=True)
def empty_queue(app):
    queue.huey.flush()
    yield
    queue.huey.flush()


@pytest.fixture
def site_with_badges(  # noqa: F811
    app,
    future_edition,  # noqa: F811
    organiser,  # noqa: F811
    make_plan,  # noqa: F811
    make_application,  # noqa: F811
    make_cooperative,
):
    """A site whose approved applications hold `count` valid badges."""

    def make(count=10):
        edition = future_edition()
        site = edition.sites[0]
        cooperatives = max(1, (count + 2) // 3)
        make_plan(site, standard=cooperatives + 2, food_share=1.0)
        left = count
        for _ in range(cooperatives):
            people = min(3, left)
            if people <= 0:
                break
            make_application(make_cooperative(), site, people=people)
            left -= people
        services.allocate_stalls(site, organiser)
        db.session.commit()
        assert len(services.site_badges(site)) == count
        return site

    return make


@pytest.fixture
def start_worker(app):
    """Start `flask jobs worker` against the test database, queue and storage."""
    started, logs = [], []
    env = {
        **os.environ,
        "FLASK_APP": "app:create_app",
        "SOUK_ENV": "development",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "QUEUE_URL": app.config["QUEUE_URL"],
        "STORAGE_ROOT": app.config["STORAGE_ROOT"],
        "BADGES_PER_CHUNK": "4",
    }

    def start(workers=2, lease=60):
        """`lease`: JOB_LEASE_SECONDS of the worker. The tests of a killed worker pass 2, so a
        new worker revives its job at once; the others keep a long one: a worker slow to start
        (a loaded machine) must not revive the job the test has just queued for it."""
        shared = {key: str(app.config[key]) for key in SHARED_SETTINGS if app.config.get(key)}
        shared["JOB_LEASE_SECONDS"] = str(lease)
        log = open(Path(app.config["STORAGE_ROOT"]).parent / f"worker-{len(started)}.log", "w")
        logs.append(log)
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "jobs", "worker", "-w", str(workers)],
            cwd=ROOT,
            env={**env, **shared},
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,  # its own process group: killed with its children
        )
        started.append(process)
        return process

    yield start
    for process in started:
        stop(process, signal.SIGKILL)
    for log in logs:
        log.close()


def stop(process, how):
    if process.poll() is None:
        os.killpg(process.pid, how)
        process.wait(timeout=30)


def read_job(job_id):
    """A detached copy of the job, read as the job page's poll reads it: on SQLite a plain
    reader (WAL), which neither waits for the workers' write lock (a poll stuck behind it saw a
    whole job go by between two reads) nor keeps them waiting."""
    db.session.rollback()
    db.session.connection(execution_options={READ_ONLY_OPTION: True})
    job = db.session.get(Job, job_id, populate_existing=True)
    db.session.expunge(job)
    db.session.rollback()
    return job


def count_parts(job_id):
    count = db.session.query(JobPart).filter_by(job_id=job_id).count()
    db.session.rollback()
    return count


def wait_for(job_id, predicate, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = read_job(job_id)
        if predicate(job):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {read_job(job_id).status}")
