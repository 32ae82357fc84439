"""The booths' background jobs: badge batches of a site, split in chunks rendered in parallel;
the A3 floor plan; messages to many cooperatives, sent in chunks."""

import csv
import io
import math

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from booths.models import Badge
from booths.services import bulk_messages
from booths.services.badges import badge_pdf_context, printable_badge_ids
from booths.services.floorplan import get_floor_plan
from booths.views.floorplans import floor_plan_print_context
from core.csvio import csv_text, neutral_cell
from core.downloads import download_name
from core.errors import RuleBroken
from core.extensions import db
from core.i18n import localized
from core.jobs import JobKind, register_job_kind
from core.pdf import html_to_pdf, join_pdfs, render_pdf_html
from markets.models import Site


def badges_per_chunk():
    """A multiple of 4, so that every chunk but the last fills whole A4 sheets."""
    size = int(current_app.config.get("BADGES_PER_CHUNK", 60))
    return max(4, size - size % 4)


def batch_site(job):
    return db.session.get(Site, job.params["site_id"])


def plan_badge_batch(job):
    """Chunks of the badges as they are when the job starts, kept with the job: every chunk cuts
    the same list (a badge revoked meanwhile can neither shift a chunk nor make another print
    twice; it is left out of its chunk), and no chunk reads every badge of the salon again."""
    if job.params.get("site_id") is None:
        site_ids = [
            site_id for (site_id,) in db.session.query(Site.id).filter_by(edition_id=job.edition_id)
        ]
    else:
        site_ids = [job.params["site_id"]]
    chosen = job.params.get("badge_ids")
    ids = [badge_id for (badge_id,) in printable_badge_ids(site_ids, chosen)]
    job.params = {**job.params, "planned_badge_ids": ids}
    return math.ceil(len(ids) / badges_per_chunk())


def chunk_bounds(count, chunks, index):
    """(start, end) of chunk `index`: the chunks as even as whole sheets of four allow (1,280
    badges in 22 chunks: twelve of 60 and ten of 56), so that the workers, taking them in turn,
    finish together instead of one waiting for the other's last chunk."""
    sheets = math.ceil(count / 4)
    base, extra = divmod(sheets, chunks)
    start = 4 * (base * index + min(index, extra))
    size = 4 * (base + (1 if index < extra else 0))
    return start, min(count, start + size)


def prepare_badge_chunk(job, index, chunks):
    planned = job.params["planned_badge_ids"]
    start, end = chunk_bounds(len(planned), chunks, index)
    ids = planned[start:end]
    badges = (
        db.session.query(Badge)
        .filter(Badge.id.in_(ids), Badge.revoked_at.is_(None))
        .options(db.joinedload(Badge.cooperative), db.joinedload(Badge.stall))
        .all()
    )
    position = {badge_id: place for place, badge_id in enumerate(ids)}
    badges.sort(key=lambda badge: position[badge.id])
    return badges_html(badges, job.params.get("layout", "single"))


def badges_html(badges, layout):
    template, context = badge_pdf_context(badges, layout)
    return render_pdf_html(template, **context)


def badge_batch_filename(job):
    if job.params.get("site_id") is None:
        edition = db.session.query(Site).filter_by(edition_id=job.edition_id).first().edition
        return download_name(_("Badges"), localized(edition.names), extension="pdf")
    site = batch_site(job)
    return download_name(
        _("Badges"), localized(site.names), localized(site.edition.names), extension="pdf"
    )


register_job_kind(
    JobKind(
        name="badge_batch",
        label=_l("Badges to print"),
        plan=plan_badge_batch,
        prepare=prepare_badge_chunk,
        render=html_to_pdf,
        join=lambda job, parts: join_pdfs(parts),
        filename=badge_batch_filename,
    )
)


def prepare_floor_plan(job, index, chunks):
    site = batch_site(job)
    context = floor_plan_print_context(site.edition, site)
    if context is None:
        raise RuleBroken(_("Generate the floor plan first."), code="no_plan")
    return render_pdf_html("pdf/booths_floor_plan.html", **context)


def check_floor_plan(job):
    if get_floor_plan(batch_site(job)) is None:
        raise RuleBroken(_("Generate the floor plan first."), code="no_plan")


register_job_kind(
    JobKind(
        name="floor_plan_a3",
        label=_l("Floor plan to print (A3)"),
        prepare=prepare_floor_plan,
        render=html_to_pdf,
        check=check_floor_plan,
        filename=lambda job: download_name(
            _("Floor plan"),
            localized(batch_site(job).names),
            localized(batch_site(job).edition.names),
            extension="pdf",
        ),
    )
)


def bulk_message_rows(outcomes):
    """A chunk's part of the result: one CSV row per cooperative written to (no header)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([neutral_cell(name), count] for name, count in outcomes)
    return buffer.getvalue().encode("utf-8")


def join_bulk_message(job, parts):
    header = csv_text([_("Cooperative"), _("Messages queued")], []).encode("utf-8")
    return header + b"".join(parts)


register_job_kind(
    JobKind(
        name=bulk_messages.KIND,
        label=_l("Message to cooperatives"),
        plan=bulk_messages.plan_bulk_message,
        prepare=lambda job, index, chunks: bulk_messages.send_chunk(job, index),
        render=bulk_message_rows,
        join=join_bulk_message,
        filename=lambda job: download_name(
            _("Message to cooperatives"), job.id[:8], extension="csv"
        ),
        mimetype="text/csv",
        summary_template="jobs/_bulk_message_summary.html",
        summarize=bulk_messages.summarize_bulk_message,
    )
)
