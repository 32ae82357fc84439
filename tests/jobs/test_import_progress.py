"""An import's bar moves as its rows are judged and written (core.queue.RowProgress): every 2 %,
beside the import's transaction, which stays open (all or nothing): on PostgreSQL through a
connection of its own, on SQLite (one writer, the import) through the queue's own store."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from booths.models import Cooperative
from booths.services.imports import import_cooperatives, preview_import
from core.extensions import db
from core.jobs import PROGRESS_STEPS, Job, chunk_progress, create_job
from core.queue import RowProgress, fail_job, huey, live_progress_key, shown_progress
from core.timeutil import utc_now
from store.models import Sale
from store.services.imports import import_sales, preview_sales_import
from tests.html_tools import hidden_inputs
from tests.jobs.conftest import read_job
from tests.jobs.test_import_jobs import cooperatives_file, job_id_of, sales_file, upload
from tests.store.conftest import make_product, store_edition  # noqa: F401


def running_job(owner, chunks=1):
    job = create_job("cooperative_import", owner, params={"upload": "0" * 64})
    job.status, job.chunks_total = "running", chunks
    job.heartbeat_at = utc_now() - timedelta(minutes=5)
    db.session.commit()
    return job


def committed_progress(job_id):
    """The job row's progress as another connection sees it."""
    with db.engine.connect() as connection:
        return connection.execute(select(Job.progress).where(Job.id == job_id)).scalar_one()


def shown(job_id):
    """The progress the page and the API show (the row's, or the queue store's on SQLite)."""
    return shown_progress(read_job(job_id))


def test_the_bar_moves_every_two_percent_of_the_rows_and_never_more_often(app, organiser):
    progress = RowProgress(running_job(organiser))
    for done in range(1, 501):
        progress(done, 500)
    assert len(progress.written) == PROGRESS_STEPS == 50  # not 500 updates
    assert progress.written[:3] == pytest.approx([0.0386, 0.0572, 0.0758])
    assert progress.written[24] == pytest.approx(0.485)  # half the rows: half the bar
    assert progress.written[-1] == pytest.approx(0.95)  # joined, the job goes to 1.0

    few = RowProgress(running_job(organiser))
    for done in range(1, 8):
        few(done, 7)
    # each row of seven crosses a 2 % step: all seven are written, rounded down to their step
    steps = (7, 14, 21, 28, 35, 42, 50)
    assert few.written == pytest.approx([0.02 + 0.93 * step / 50 for step in steps])
    assert few.written[0] == pytest.approx(0.1502)

    many = RowProgress(running_job(organiser))
    for done in range(1, 10_001):
        many(done, 10_000)
    assert many.written == pytest.approx([chunk_progress(k / 50, 1) for k in range(1, 51)])

    halves = RowProgress(running_job(organiser, chunks=2))  # one chunk of two: its own half
    for done in range(1, 101):
        halves(done, 100)
    assert halves.written[-1] == pytest.approx(0.485)


def test_the_imports_count_their_rows_as_they_judge_and_write_them(
    app,
    organiser,
    store_edition,  # noqa: F811
    make_product,  # noqa: F811
):
    calls = []
    preview_import(cooperatives_file(3), lambda *call: calls.append(call))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    calls.clear()
    import_cooperatives(cooperatives_file(3), organiser, lambda *call: calls.append(call))
    assert calls == [(1, 6), (2, 6), (3, 6), (4, 6), (5, 6), (6, 6)]  # judged, then written
    raw = sales_file(make_product(), 4)
    for work in (preview_sales_import, import_sales):
        calls.clear()
        work(store_edition, raw, organiser, lambda *call: calls.append(call))
        assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]  # one call per order
    assert db.session.query(Sale).count() == 4
    db.session.rollback()


def test_the_progress_is_shown_beside_an_open_transaction(app, organiser, is_postgresql):
    job = running_job(organiser)
    job_id, progress = job.id, RowProgress(job)
    before = read_job(job_id).heartbeat_at
    db.session.add(Job(id="x" * 32, kind="other", owner_id=organiser.id, expires_at=utc_now()))
    db.session.flush()  # the work's transaction is open and has written
    progress(50, 100)
    assert shown(job_id) == pytest.approx(0.485)
    # PostgreSQL: committed in the job row; SQLite: the work holds the only write lock, the row
    # is left alone and the value waits in the queue's store
    assert committed_progress(job_id) == (pytest.approx(0.485) if is_postgresql else 0.0)
    db.session.rollback()  # the work fails: the bar stays where it got, nothing else is kept
    assert db.session.get(Job, "x" * 32) is None
    assert shown(job_id) == pytest.approx(0.485)
    if is_postgresql:  # the write beats the job's heart too
        assert read_job(job_id).heartbeat_at > before
    progress(20, 100)  # never backwards (a later chunk's smaller fraction)
    assert shown(job_id) == pytest.approx(0.485)


def test_the_queue_store_value_is_shown_while_running_and_forgotten_at_the_end(app, organiser):
    job = running_job(organiser)
    RowProgress(job)(3, 4)
    assert shown(job.id) == pytest.approx(0.7082)  # step 37 of 50
    # the row moves on past it (the chunk committed): the larger of the two is shown
    db.session.query(Job).filter_by(id=job.id).update({Job.progress: 0.9})
    db.session.commit()
    assert shown(job.id) == pytest.approx(0.9)
    fail_job(job.id, "broken")
    job = read_job(job.id)
    assert (job.status, shown_progress(job)) == ("failed", pytest.approx(0.9))
    assert huey.get(live_progress_key(job.id), peek=True) is None  # nothing left behind


def test_a_broker_that_cannot_be_read_shows_the_rows_progress(
    app, organiser, monkeypatch, is_postgresql
):
    job = running_job(organiser)
    RowProgress(job)(1, 2)

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(huey, "get", broker_down)
    # PostgreSQL wrote the row; SQLite's value is in the store nobody can read: the row's 0
    assert shown(job.id) == pytest.approx(0.485 if is_postgresql else 0.0)


def test_a_finished_job_is_not_moved_by_a_late_progress(app, organiser):
    job = running_job(organiser)
    progress = RowProgress(job)
    job.status, job.progress = "done", 1.0
    db.session.commit()
    progress(99, 100)
    assert committed_progress(job.id) == 1.0


def test_the_import_pages_and_the_api_show_the_bar_moving_under_a_real_worker(
    app, client, login, organiser, api_headers, start_worker
):
    app.config["IMPORT_PREVIEW_ROWS"] = 10
    rows = 900
    start_worker(workers=1)
    login(organiser)
    headers = api_headers(organiser)
    preview = job_id_of(upload(client, "/cooperatives/import", cooperatives_file(rows)))
    before_the_end = watch(client, f"/jobs/{preview}.json")[:-1]
    planned = chunk_progress(0, 1)  # the bar of a job just planned, before any row
    assert planned < max(before_the_end) < 1
    page = client.get(f"/jobs/{preview}").get_data(as_text=True)
    confirm = hidden_inputs(page, "upload", "once", "csrf_token")
    first = job_id_of(client.post("/cooperatives/import/confirm", data=confirm))
    seen = watch(client, f"/api/v1/jobs/{first}", headers)
    middle = [value for value in seen if 0.05 < value < 0.95]
    assert middle, seen  # a value the row-by-row progress wrote, not just start and end
    assert seen == sorted(seen) and seen[-1] == 1.0
    body = client.get(f"/api/v1/jobs/{first}", headers=headers).get_json()["job"]
    assert (body["status"], body["progress"]) == ("done", 1.0) and body["result_url"]
    assert db.session.query(Cooperative).count() == rows
    db.session.rollback()


def watch(client, url, headers=None, timeout=90):
    """Every distinct progress the URL answers until its job is done, in order."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(url, headers=headers).get_json()["job"]
        if not seen or seen[-1] != job["progress"]:
            seen.append(job["progress"])
        if job["status"] in ("done", "failed"):
            assert job["status"] == "done", job["error"]
            return seen
        time.sleep(0.02)
    raise AssertionError(f"{url} still running: {seen}")


def test_a_job_row_locked_elsewhere_is_skipped_not_waited_for(app, organiser, is_postgresql):
    """The write beside the work never waits: were the work's own transaction holding the job
    row, waiting would be waiting for itself."""
    job = running_job(organiser)
    if not is_postgresql:  # SQLite locks no row: the value goes to the queue's store at once
        RowProgress(job)(1, 2)
        assert (committed_progress(job.id), shown(job.id)) == (0.0, pytest.approx(0.485))
        return
    progress = RowProgress(job)
    with db.engine.connect() as holder:
        holder.execute(select(Job.id).where(Job.id == job.id).with_for_update())
        started = time.monotonic()
        progress(1, 2)
        assert time.monotonic() - started < 5  # skipped at once
        holder.rollback()
    assert committed_progress(job.id) == 0.0
    progress(2, 2)  # the next step, the row free again, is written
    assert committed_progress(job.id) == pytest.approx(0.95)


def test_the_bar_is_read_while_an_import_holds_the_write_lock(
    app, client, login, organiser, api_headers
):
    """SQLite: the job's page and its polls read beside the one writer (core.database.read_only)
    instead of queuing for its lock until the import commits (the busy timeout is 30 s)."""
    job = running_job(organiser)
    login(organiser)
    headers = api_headers(organiser)
    RowProgress(job)(1, 2)
    with db.engine.connect() as importer:  # an import's open transaction, having written
        importer.execute(update(Job).where(Job.id == job.id).values(heartbeat_at=utc_now()))
        started = time.monotonic()
        page = client.get(f"/jobs/{job.id}")
        polled = client.get(f"/jobs/{job.id}.json").get_json()["job"]
        api = client.get(f"/api/v1/jobs/{job.id}", headers=headers).get_json()["job"]
        assert time.monotonic() - started < 5
        importer.rollback()
    assert page.status_code == 200
    assert 'value="0.485" data-job-field="progress"' in page.get_data(as_text=True)
    assert polled["progress"] == api["progress"] == 0.485
    assert polled["status"] == api["status"] == "running"
