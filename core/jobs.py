"""Jobs: long work done by the task queue's workers, with progress, a result file and an expiry.

Core knows no feature: each feature registers its job kinds with `register_job_kind()`. A kind
is split into chunks (one by default) that workers render in parallel; each chunk is prepared
from the database in a short transaction (`prepare`) then rendered without it (`render`); the
parts are then joined into the one result file (`join`).
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, has_request_context, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select, update
from sqlalchemy.exc import IntegrityError

from core.errors import NotFound
from core.extensions import db
from core.timeutil import utc_now

STATUSES = ("queued", "running", "done", "failed")
STATUS_LABELS = {
    "queued": _l("Waiting for a worker"),
    "running": _l("In progress"),
    "done": _l("Done"),
    "failed": _l("Failed"),
}


class Job(db.Model):
    """A piece of long work asked for by a user, usually about one edition."""

    __tablename__ = "jobs"

    id = db.Column(db.String(32), primary_key=True, default=lambda: uuid.uuid4().hex)
    kind = db.Column(db.String(40), nullable=False)
    owner_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    edition_id = db.Column(db.Integer, db.ForeignKey("editions.id"), nullable=True, index=True)
    params = db.Column(db.JSON, nullable=False, default=dict)
    locale = db.Column(db.String(8), nullable=False, default="fr")
    status = db.Column(db.String(10), nullable=False, default="queued", index=True)
    progress = db.Column(db.Float, nullable=False, default=0.0)
    chunks_total = db.Column(db.Integer, nullable=False, default=0)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    result_key = db.Column(db.String(200), nullable=True)
    result_name = db.Column(db.String(200), nullable=True)
    result_type = db.Column(db.String(80), nullable=True)
    result_size = db.Column(db.Integer, nullable=True)
    error = db.Column(db.String(1000), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utc_now)
    started_at = db.Column(db.DateTime, nullable=True)
    heartbeat_at = db.Column(db.DateTime, nullable=True)
    finished_at = db.Column(db.DateTime, nullable=True)
    expires_at = db.Column(db.DateTime, nullable=False)
    # What the job found or did, for its page (rows imported, messages sent...), set by the
    # worker in the same transaction as the work itself: a revived job sees it and does not
    # do the work again.
    summary = db.Column(db.JSON, nullable=True)
    # The same action asked twice (a double click, a retried request) finds the first job.
    once_key = db.Column(db.String(120), nullable=True, unique=True)

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def kind_label(self):
        kind = JOB_KINDS.get(self.kind)
        return kind.label if kind else self.kind

    def __repr__(self):
        return f"<Job {self.id} {self.kind} {self.status}>"


class JobPart(db.Model):
    """A rendered chunk of a job (its file is in the storage); one row per chunk, ever."""

    __tablename__ = "job_parts"

    job_id = db.Column(db.String(32), db.ForeignKey("jobs.id"), primary_key=True)
    index = db.Column(db.Integer, primary_key=True, autoincrement=False)
    done_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    def __repr__(self):
        return f"<JobPart {self.job_id}#{self.index}>"


class JobItem(db.Model):
    """One item of a job's work done (a message sent to one recipient), written in the same
    transaction as the item: a chunk run again skips what is already here."""

    __tablename__ = "job_items"

    job_id = db.Column(db.String(32), db.ForeignKey("jobs.id"), primary_key=True)
    item = db.Column(db.String(80), primary_key=True)
    count = db.Column(db.Integer, nullable=False, default=0)  # e.g. the messages it queued
    done_at = db.Column(db.DateTime, nullable=False, default=utc_now)

    def __repr__(self):
        return f"<JobItem {self.job_id} {self.item}>"


@dataclass
class JobKind:
    """What a feature tells core about one kind of job."""

    name: str
    label: object
    prepare: object  # (job, index, chunks) -> prepared data, reading the database
    render: object  # (prepared) -> bytes, without the database
    filename: object  # (job) -> str
    mimetype: str = "application/pdf"
    plan: object = None  # (job) -> number of chunks (1 when None)
    join: object = None  # (job, [bytes]) -> bytes (the single part when None)
    check: object = None  # (job) -> None or raise a DomainError before queueing (pages)
    summary_template: str | None = None  # shown on the job's page once it is done
    summarize: object = None  # (job) -> dict kept as the job's summary when it is done


JOB_KINDS = {}


def register_job_kind(kind):
    JOB_KINDS[kind.name] = kind
    return kind


def job_kind(name):
    return JOB_KINDS[name]


# ------------------------------------------------------------ progress

PROGRESS_START, PROGRESS_END = 0.02, 0.95  # planned .. every chunk rendered; 1.0 once joined
PROGRESS_STEPS = 50  # a chunk's own work moves the bar every 2 %


def chunk_progress(done, chunks):
    """The bar of a job with `done` of its `chunks` rendered (`done` may be a fraction)."""
    return PROGRESS_START + (PROGRESS_END - PROGRESS_START) * done / max(chunks, 1)


def progress_update(job_id, progress, skip_locked=False):
    """The one statement that moves a running job's bar (never backwards) and beats its heart.

    `skip_locked`: on PostgreSQL a job row another transaction is changing (the reaper, the
    job's own summary) is left alone rather than waited for, and this one beat is not written:
    for writes made beside a transaction that must never wait on them."""
    running = Job.id == job_id
    if skip_locked:
        free = select(Job.id).where(running).with_for_update(skip_locked=True)
        running = Job.id.in_(free.scalar_subquery())
    return (
        update(Job)
        .where(running, Job.status == "running")
        .values(
            progress=case((Job.progress < progress, progress), else_=Job.progress),
            heartbeat_at=utc_now(),
        )
        .execution_options(synchronize_session=False)
    )


def no_progress(done, total):
    """The progress callback of work nobody watches (an import's small preview in its page)."""


def create_job(kind, owner, edition=None, params=None, locale=None, once_key=None):
    """A queued job; the task queue gets it once the request's transaction is committed.

    With `once_key`, asking again for the same thing (a double click, a retried request)
    answers the job already made for it instead of a second one."""
    if kind not in JOB_KINDS:
        raise NotFound(_("No such kind of work."), code="unknown_job_kind")
    if once_key is not None:
        earlier = db.session.query(Job).filter_by(once_key=once_key).first()
        if earlier is not None:
            return earlier
    days = int(current_app.config.get("JOB_RESULT_DAYS", 7))
    now = utc_now()
    params = dict(params or {})
    if has_request_context():  # links in the files (a certificate's QR code) name this server
        params["_base_url"] = request.host_url
    job = Job(
        id=uuid.uuid4().hex,
        kind=kind,
        owner_id=owner.id,
        edition_id=edition.id if edition is not None else None,
        params=params,
        locale=locale or "fr",
        status="queued",
        progress=0.0,
        created_at=now,
        expires_at=now + timedelta(days=days),
        once_key=once_key,
    )
    try:
        with db.session.begin_nested():  # two requests at once: the second finds the first's
            db.session.add(job)
    except IntegrityError:
        return db.session.query(Job).filter_by(once_key=once_key).one()
    db.session.info.setdefault("souk_jobs_to_enqueue", []).append(job.id)
    return job


def get_job(job_id, user, edition=None):
    """The user's own job (of this edition when given); anyone else's is 404."""
    # populate_existing: the workers write jobs from elsewhere; never answer from a stale copy.
    job = db.session.get(Job, str(job_id), populate_existing=True) if job_id else None
    if job is None or user is None or job.owner_id != user.id:
        raise NotFound(_("No such job."), code="unknown_job")
    if edition is not None and job.edition_id != edition.id:
        raise NotFound(_("No such job."), code="unknown_job")
    return job


def retry_job(job, actor):
    """Queue a failed job again from the start (its parts are forgotten)."""
    if job.status != "failed":
        return job
    db.session.query(JobPart).filter(JobPart.job_id == job.id).delete()
    job.status = "queued"
    job.progress = 0.0
    job.chunks_total = 0
    job.attempts = 0
    job.error = None
    job.started_at = job.finished_at = job.heartbeat_at = None
    job.created_at = utc_now()
    db.session.flush()
    db.session.info.setdefault("souk_jobs_to_enqueue", []).append(job.id)
    return job


def user_jobs(user, limit=20):
    return (
        db.session.query(Job)
        .filter(Job.owner_id == user.id)
        .order_by(Job.created_at.desc())
        .limit(limit)
        .all()
    )


def is_waiting_for_worker(job, now=None):
    """Queued for longer than a worker would take to pick it up: say so on the page."""
    now = now or utc_now()
    return job.status == "queued" and (now - job.created_at).total_seconds() > 5


def result_filename(job):
    return job.result_name or f"{job.kind}-{job.id}"
