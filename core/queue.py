"""The task queue: Huey over Redis in deployments (QUEUE_URL=redis://...), over an SQLite file in
the instance folder otherwise. Same code, same tasks, same worker command (`flask jobs worker`).

Acknowledgement after the work: Huey removes a task from the queue when a worker takes it, so a
worker killed mid-task would lose it. Every job therefore keeps its own state in the database
(status, a heartbeat, one row per finished chunk) and the reaper, a periodic task, queues again
whatever part of a job has had no heartbeat for JOB_LEASE_SECONDS. A chunk or a result is
written under a fixed key and marked done with a conditional UPDATE, so a job that runs twice
still leaves exactly one result.
"""

import gc
import logging
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import flask_babel
from flask import current_app
from huey import Huey, crontab
from huey.exceptions import TaskTimeout
from huey.storage import RedisStorage, SqliteStorage
from sqlalchemy import event, func
from sqlalchemy.orm import Session

from core.database import conflict_insert
from core.errors import DomainError
from core.extensions import db
from core.jobs import (
    JOB_KINDS,
    PROGRESS_START,
    PROGRESS_STEPS,
    Job,
    JobItem,
    JobPart,
    chunk_progress,
    progress_update,
)
from core.storage import get_storage
from core.timeutil import utc_now

log = logging.getLogger(__name__)

huey = Huey("souk", results=False, utc=True, storage_class=SqliteStorage, filename=":memory:")
_state = {"app": None}

RETRIES = 3
RETRY_DELAY = 5  # seconds, doubled at each retry
CHUNK_TIME_LIMIT = 300  # seconds: a chunk that runs longer is stopped and retried
MAX_ATTEMPTS = 3  # how many times the reaper revives a job before it fails


def configure_queue(app):
    """Point the queue at Redis (QUEUE_URL) or at the instance folder's SQLite file."""
    url = app.config.get("QUEUE_URL") or ""
    if url.startswith(("redis://", "rediss://", "unix://")):
        huey.storage_class = RedisStorage
        huey.storage_kwargs = {"url": url}
    else:
        filename = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
        if not filename:
            Path(app.instance_path).mkdir(parents=True, exist_ok=True)
            filename = str(Path(app.instance_path) / "queue.db")
        Path(filename).parent.mkdir(parents=True, exist_ok=True)
        huey.storage_class = SqliteStorage
        huey.storage_kwargs = {"filename": filename}
    huey.storage = huey.create_storage()
    _state["app"] = app


def task_app():
    return _state["app"]


@contextmanager
def job_context(job):
    """The asker's language, and a request context on the asker's server (for url_for)."""
    base_url = (job.params or {}).get("_base_url") or "http://localhost/"
    with task_app().test_request_context(base_url=base_url), flask_babel.force_locale(job.locale):
        yield


# ------------------------------------------------------------ enqueue once committed


@event.listens_for(Session, "after_commit")
def _enqueue_committed_jobs(session):
    job_ids = session.info.pop("souk_jobs_to_enqueue", [])
    for job_id in job_ids:
        enqueue_job(job_id)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_jobs(session):
    session.info.pop("souk_jobs_to_enqueue", None)


def enqueue_job(job_id):
    """Hand a job to the queue; when the broker is down the job waits for the reaper."""
    try:
        start_job(job_id)
        return True
    except Exception as error:  # the broker is down: the page says the job is waiting
        log.warning("Could not queue job %s: %s", job_id, error)
        return False


# ------------------------------------------------------------ the tasks


def run_in_app(function):
    """Run a task body in a fresh app context (its own session) of the worker's app."""

    def wrapped(*args, **kwargs):
        with task_app().app_context():
            try:
                return function(*args, **kwargs)
            finally:
                db.session.remove()

    wrapped.__name__ = function.__name__
    return wrapped


@huey.task(retries=RETRIES, retry_delay=RETRY_DELAY, retry_backoff=2, context=True)
@run_in_app
def start_job(job_id, task=None):
    """Plan a job's chunks and queue each of them (they run in parallel on the workers).

    The job row stays locked while it is planned: a second start of the same job (the reaper
    reviving a job whose first start is still queued) waits for the first, then finds it
    planned, instead of planning and queueing every chunk a second time (on SQLite the write
    lock taken at BEGIN does the same)."""
    job = db.session.get(Job, job_id, with_for_update=True, populate_existing=True)
    if job is None or job.status in ("done", "failed"):
        return
    if job.status == "running" and job.chunks_total:
        return  # planned already (a second start_job from the reaper)
    kind = JOB_KINDS[job.kind]
    with job_context(job):
        try:
            chunks = max(1, int(kind.plan(job))) if kind.plan else 1
        except DomainError as error:
            fail_job(job_id, error.message)
            return
        except Exception as error:
            db.session.rollback()
            fail_if_last_try(job_id, task, error)
            raise
    now = utc_now()
    job.status = "running"
    job.chunks_total = chunks
    job.started_at = job.started_at or now
    job.heartbeat_at = now
    job.progress = max(job.progress, PROGRESS_START)
    db.session.commit()
    for index in missing_chunks(job_id, chunks):
        run_chunk(job_id, index)


def missing_chunks(job_id, chunks):
    done = {index for (index,) in db.session.query(JobPart.index).filter_by(job_id=job_id)}
    return [index for index in range(chunks) if index not in done]


def part_key(job_id, index):
    return f"jobs/{job_id}/parts/{index:05d}"


@huey.task(
    retries=RETRIES,
    retry_delay=RETRY_DELAY,
    retry_backoff=2,
    timeout=CHUNK_TIME_LIMIT,
    context=True,
)
@run_in_app
def run_chunk(job_id, index, task=None):
    job = db.session.get(Job, job_id)
    if job is None or job.status != "running":
        return
    if db.session.get(JobPart, (job_id, index)) is not None:
        return  # already rendered by an earlier run
    kind = JOB_KINDS[job.kind]
    try:
        with job_context(job):
            prepared = kind.prepare(job, index, job.chunks_total)
            db.session.commit()  # no transaction stays open while rendering
            data = kind.render(prepared)
    except DomainError as error:
        db.session.rollback()
        fail_job(job_id, error.message)
        return
    except Exception as error:
        db.session.rollback()
        fail_if_last_try(job_id, task, error)
        raise
    storage = get_storage()
    storage.put(part_key(job_id, index), data)
    if not still_running(job_id):
        # A copy of this chunk (queued again by the reaper) finished first and the job was joined,
        # its parts deleted: leave no file behind. Checked after the put, as the join deletes
        # after its commit, so a part put before that commit is deleted by the join itself.
        storage.delete_prefix(part_key(job_id, index))
        return
    finished = record_part(job_id, index)
    if finished:
        join_job(job_id)


def still_running(job_id):
    db.session.rollback()  # a fresh read, not this task's earlier view of the job
    return db.session.query(Job.status).filter(Job.id == job_id).scalar() == "running"


def record_part(job_id, index):
    """Mark one chunk done (once), move the progress, and say whether it was the last one.

    The job's row is locked first, so that chunks finishing at the same moment count their parts
    one after the other: on PostgreSQL each counted without the other's uncommitted part, neither
    saw the last one, and the job waited for the reaper (on SQLite BEGIN IMMEDIATE did this)."""
    job = db.session.get(Job, job_id, with_for_update=True, populate_existing=True)
    db.session.execute(
        conflict_insert(JobPart)
        .values(job_id=job_id, index=index, done_at=utc_now())
        .on_conflict_do_nothing()
    )
    done = db.session.query(func.count()).select_from(JobPart).filter_by(job_id=job_id).scalar()
    total = max(job.chunks_total, 1)
    db.session.execute(progress_update(job_id, chunk_progress(done, total)))
    db.session.commit()
    return done >= total


@huey.task(retries=RETRIES, retry_delay=RETRY_DELAY, retry_backoff=2, context=True)
@run_in_app
def join_job(job_id, task=None):
    """Join the parts into the one result file and mark the job done (exactly once)."""
    job = db.session.get(Job, job_id)
    if job is None or job.status != "running":
        return
    kind = JOB_KINDS[job.kind]
    storage = get_storage()
    chunks = job.chunks_total
    try:
        parts = [storage.get(part_key(job_id, index)) for index in range(chunks)]
        with job_context(job):
            data = kind.join(job, parts) if kind.join else parts[0]
            name = kind.filename(job)
    except Exception as error:
        fail_if_last_try(job_id, task, error)
        raise
    key = f"jobs/{job_id}/result"
    storage.put(key, data)
    db.session.rollback()
    done = {Job.summary: kind.summarize(job)} if kind.summarize else {}
    updated = (
        db.session.query(Job)
        .filter(Job.id == job_id, Job.status == "running")
        .update(
            {
                **done,
                Job.status: "done",
                Job.progress: 1.0,
                Job.result_key: key,
                Job.result_name: name,
                Job.result_type: kind.mimetype,
                Job.result_size: len(data),
                Job.finished_at: utc_now(),
                Job.heartbeat_at: utc_now(),
            },
            synchronize_session=False,
        )
    )
    db.session.commit()
    if updated:
        storage.delete_prefix(f"jobs/{job_id}/parts")
        forget_live_progress(job_id)


def fail_job(job_id, message):
    db.session.rollback()
    db.session.query(Job).filter(Job.id == job_id, Job.status.in_(("queued", "running"))).update(
        {Job.status: "failed", Job.error: str(message)[:1000], Job.finished_at: utc_now()},
        synchronize_session=False,
    )
    db.session.commit()
    forget_live_progress(job_id)


def fail_if_last_try(job_id, task, error):
    """After the last retry the job fails with a message in its owner's language."""
    if task is not None and task.retries > 0:
        return
    job = db.session.get(Job, job_id)
    locale = job.locale if job is not None else "fr"
    with flask_babel.force_locale(locale):
        if isinstance(error, TaskTimeout):
            message = flask_babel.gettext("The work took too long and was stopped.")
        else:
            message = flask_babel.gettext(
                "The work could not be finished. Try again, or tell the organisers' support."
            )
    log.exception("Job %s failed: %s", job_id, error)
    fail_job(job_id, message)


# ------------------------------------------------------------ progress beside a transaction


class RowProgress:
    """A job's progress while one of its chunks goes through rows inside one transaction.

    The work calls it after each row with `(done, total)`; it writes `PROGRESS_STEPS` times at
    most (each time the work crosses another 2 %), beside the work's transaction, which is
    committed only at the end (all or nothing): on PostgreSQL through a connection of its own
    and its own short transaction; on SQLite, whose one writer is the work itself until it
    commits (BEGIN IMMEDIATE), into the queue's own store, which `shown_progress` reads."""

    def __init__(self, job):
        self.job_id, self.chunks = job.id, max(job.chunks_total, 1)
        self.step = 0
        self.written = []  # the progress values written, in order (for tests and logs)

    def __call__(self, done, total):
        step = PROGRESS_STEPS * done // total if total > 0 else 0
        if step <= self.step:
            return
        self.step = step
        # Of a job of several chunks this counts the one chunk only: a value the bar has
        # passed already is not written back (progress_update never moves it backwards).
        value = chunk_progress(step / PROGRESS_STEPS, self.chunks)
        self.written.append(value)
        self.write(value)

    def write(self, value):
        if db.engine.dialect.name == "sqlite":
            huey.put(live_progress_key(self.job_id), value)
            return
        with db.engine.begin() as connection:
            connection.execute(progress_update(self.job_id, value, skip_locked=True))


def live_progress_key(job_id):
    return f"progress:{job_id}"


def shown_progress(job):
    """The bar of a job as its page and the API show it: its row's, or, while a chunk on SQLite
    holds the write lock, the further value that chunk put in the queue's store."""
    progress = float(job.progress)
    if job.status != "running" or db.engine.dialect.name != "sqlite":
        return progress
    try:
        live = huey.get(live_progress_key(job.id), peek=True)
    except Exception as error:  # the broker is down: the row's value, never an error
        log.warning("Could not read the progress of job %s: %s", job.id, error)
        return progress
    return max(progress, float(live or 0.0))


def forget_live_progress(job_id):
    if db.engine.dialect.name == "sqlite":
        huey.delete(live_progress_key(job_id))


# ------------------------------------------------------------ the reaper


def reap_jobs(now=None):
    """Queue again what a dead worker or a stopped broker left behind; fail the hopeless."""
    now = now or utc_now()
    lease = timedelta(seconds=int(current_app.config.get("JOB_LEASE_SECONDS", 300)))
    stale = (
        db.session.query(Job)
        .filter(
            Job.status.in_(("queued", "running")),
            func.coalesce(Job.heartbeat_at, Job.created_at) < now - lease,
        )
        .all()
    )
    revived = []
    for job in stale:
        job.attempts += 1
        job.heartbeat_at = now
        if job.attempts > MAX_ATTEMPTS:
            with flask_babel.force_locale(job.locale):
                job.status = "failed"
                job.error = flask_babel.gettext(
                    "The work could not be finished. Try again, or tell the organisers' support."
                )
                job.finished_at = now
            continue
        revived.append((job.id, job.status, job.chunks_total))
    db.session.commit()
    for job_id, status, chunks in revived:
        try:
            if status == "queued" or chunks == 0:
                start_job(job_id)
            else:
                remaining = missing_chunks(job_id, chunks)
                for index in remaining:
                    run_chunk(job_id, index)
                if not remaining:
                    join_job(job_id)
        except Exception as error:
            log.warning("Could not queue job %s again: %s", job_id, error)
    return [job_id for job_id, _status, _chunks in revived]


@huey.periodic_task(crontab(minute="*"), name="reap_jobs")
@run_in_app
def reap_jobs_task():
    reap_jobs()


def register_periodic(name, schedule, function):
    """A feature's scheduled work: `function(now)` runs in the app at each `schedule` (crontab)."""

    def body():
        function(utc_now())
        db.session.commit()

    body.__name__ = name
    return huey.periodic_task(schedule, name=name)(run_in_app(body))


PERIODIC_TASKS = {}


def periodic(name, **schedule):
    """Decorator form of register_periodic, keeping the plain function for tests."""

    def decorator(function):
        PERIODIC_TASKS[name] = function
        register_periodic(name, crontab(**schedule), function)
        return function

    return decorator


@periodic("jobs_expired_files", minute="23")
def delete_expired_jobs(now):
    """Jobs past their expiry go, with their files (results and any leftover parts)."""
    expired = [
        job_id
        for (job_id,) in db.session.query(Job.id).filter(
            Job.expires_at < now, Job.status.in_(("done", "failed"))
        )
    ]
    storage = get_storage()
    for job_id in expired:
        storage.delete_prefix(f"jobs/{job_id}")
    if expired:
        for table in (JobPart, JobItem):
            db.session.query(table).filter(table.job_id.in_(expired)).delete(
                synchronize_session=False
            )
        db.session.query(Job).filter(Job.id.in_(expired)).delete(synchronize_session=False)
    # Files no job row points to any more (a row deleted by hand, a crash between the two
    # deletes above) are swept by age: nothing under jobs/ outlives its job by a day.
    days = int(current_app.config.get("JOB_RESULT_DAYS", 7)) + 1
    for prefix in ("jobs", "imports"):
        storage.delete_older_than(prefix, now - timedelta(days=days))
    return len(expired)


# ------------------------------------------------------------ running workers


@huey.on_startup()
def _fresh_connections():
    """A forked worker opens its own database connections."""
    app = task_app()
    if app is not None:
        with app.app_context():
            db.engine.dispose(close=False)


def run_worker(workers=2, periodic_tasks=False):
    """Revive what a killed worker left behind, then take tasks until stopped."""
    revived = reap_jobs()
    if revived:
        log.warning("Queued again %d job(s) left by a stopped worker.", len(revived))
    db.session.remove()
    db.engine.dispose()
    # The forked workers share the app's objects with this process: frozen, the collector of
    # each worker never walks them again (nor writes to them, which copies their memory pages).
    gc.freeze()
    consumer = huey.create_consumer(
        workers=workers,
        worker_type="process",
        periodic=periodic_tasks,
        check_worker_health=True,
        health_check_interval=5,
        initial_delay=0.1,
        max_delay=1.0,
    )
    consumer.run()


def run_pending(limit=1000):
    """Execute what is queued, here and now (tests and `flask jobs run-pending`)."""
    count = 0
    while count < limit:
        task = huey.dequeue()
        if task is None:
            break
        huey.execute(task)
        count += 1
    return count
