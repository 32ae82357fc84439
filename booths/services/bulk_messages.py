"""One message from the organisers to many cooperatives, sent by a job.

The audience is an edition's exhibitors (cooperatives with an approved stall application, at
one site or at all of them) or the registry's cooperatives (by agreement status). It is fixed
when the message is written. The job sends in chunks; each cooperative reached is recorded as a
JobItem in the same transaction as its messages (accounts.messaging.notify: each person in their
own language and channel), so a chunk run again, or the whole job retried, never writes twice
to the same cooperative.
"""

import math

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from booths.models import AGREEMENT_STATUSES, Application, Cooperative
from booths.services.notices import tell_cooperative
from core.errors import RuleBroken
from core.extensions import db
from core.jobs import JobItem, create_job
from markets.models import Edition

KIND = "bulk_message"
MAX_SUBJECT = 150
MAX_BODY = 2000


def exhibitor_ids(edition, site=None):
    """The cooperatives with an approved stall application in the edition (or at the site)."""
    query = select(Application.cooperative_id).where(Application.status == "approved")
    if site is not None:
        query = query.where(Application.site_id == site.id)
    else:
        query = query.where(Application.site_id.in_([site.id for site in edition.sites]))
    return sorted(set(db.session.scalars(query)))


def registry_ids(agreement_status=None):
    query = select(Cooperative.id)
    if agreement_status:
        query = query.where(Cooperative.agreement_status == agreement_status)
    return list(db.session.scalars(query.order_by(Cooperative.id)))


def clean_texts(values):
    """The organiser's message, with an optional Arabic version: {language: [subject, body]}."""
    texts = {}
    for language, subject, body in (
        ("default", values.get("subject"), values.get("body")),
        ("ar", values.get("subject_ar"), values.get("body_ar")),
    ):
        subject, body = (subject or "").strip(), (body or "").strip()
        if language == "default" and not (subject and body):
            raise RuleBroken(_("Write a subject and a message."), field="body", code="empty")
        if len(subject) > MAX_SUBJECT or len(body) > MAX_BODY:
            raise RuleBroken(
                _(
                    "At most %(subject)d characters for the subject and %(body)d for the message.",
                    subject=MAX_SUBJECT,
                    body=MAX_BODY,
                ),
                field="body",
                code="too_long",
            )
        if body:
            texts[language] = [subject or texts["default"][0], body]
    return texts


def send_bulk_message(values, actor, locale, edition=None, site=None, agreement_status=None):
    """Check the message, fix its audience and queue its job; returns the job."""
    texts = clean_texts(values)
    if agreement_status and agreement_status not in AGREEMENT_STATUSES:
        raise RuleBroken(_("Unknown agreement status."), field="status")
    ids = exhibitor_ids(edition, site) if edition is not None else registry_ids(agreement_status)
    if not ids:
        raise RuleBroken(_("Nobody to write to: no cooperative matches."), code="no_audience")
    params = {
        "texts": texts,
        "cooperative_ids": ids,
        "site_id": site.id if site is not None else None,
        "agreement_status": agreement_status,
    }
    return create_job(KIND, actor, edition=edition, params=params, locale=locale)


def per_chunk():
    return max(1, int(current_app.config.get("BULK_MESSAGES_PER_CHUNK", 50)))


def plan_bulk_message(job):
    return math.ceil(len(job.params["cooperative_ids"]) / per_chunk())


def send_chunk(job, index):
    """Write to the chunk's cooperatives not written to yet; returns [(name, messages)] for
    every cooperative of the chunk, the same when the chunk runs again."""
    size = per_chunk()
    ids = job.params["cooperative_ids"][index * size : (index + 1) * size]
    done = dict(
        db.session.execute(
            select(JobItem.item, JobItem.count).where(
                JobItem.job_id == job.id, JobItem.item.in_([f"cooperative:{cid}" for cid in ids])
            )
        ).all()
    )
    context = {"texts": job.params["texts"], "edition": job_edition(job)}
    cooperatives = db.session.scalars(select(Cooperative).where(Cooperative.id.in_(ids))).all()
    outcomes = []
    for cooperative in sorted(cooperatives, key=lambda cooperative: ids.index(cooperative.id)):
        key = f"cooperative:{cooperative.id}"
        if key not in done:
            messages = tell_cooperative(
                "organiser_message", cooperative, context, edition_id=job.edition_id
            )
            done[key] = sum(1 for message in messages if message is not None)
            db.session.add(JobItem(job_id=job.id, item=key, count=done[key]))
        outcomes.append((cooperative.name_latin, done[key]))
    db.session.flush()
    return outcomes


def job_edition(job):
    return db.session.get(Edition, job.edition_id) if job.edition_id is not None else None


def summarize_bulk_message(job):
    """How many cooperatives were reached, and how many had nobody to write to."""
    counts = list(db.session.scalars(select(JobItem.count).where(JobItem.job_id == job.id)))
    return {
        "audience": len(job.params["cooperative_ids"]),
        "reached": sum(1 for count in counts if count > 0),
        "nobody": sum(1 for count in counts if count == 0),
    }
