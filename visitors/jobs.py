"""The visitors' background jobs: a batch of blank tickets to print, rendered in chunks."""

import math

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.downloads import download_name
from core.extensions import db
from core.i18n import localized
from core.jobs import JobKind, register_job_kind
from core.pdf import html_to_pdf, join_pdfs, render_pdf_html
from core.qr import qr_svg
from markets.models import Edition
from visitors.models import Ticket

TICKETS_PER_CHUNK = 50


def batch_tickets(job, index):
    token_ids = job.params["token_ids"][index * TICKETS_PER_CHUNK : (index + 1) * TICKETS_PER_CHUNK]
    tickets = db.session.query(Ticket).filter(Ticket.token_id.in_(token_ids)).all()
    position = {token_id: place for place, token_id in enumerate(token_ids)}
    return sorted(tickets, key=lambda ticket: position[ticket.token_id])


def prepare_ticket_chunk(job, index, chunks):
    return render_pdf_html(
        "pdf/visitors_batch.html",
        edition=db.session.get(Edition, job.edition_id),
        tickets=[(ticket, qr_svg(ticket.code)) for ticket in batch_tickets(job, index)],
    )


register_job_kind(
    JobKind(
        name="ticket_batch",
        label=_l("Tickets to print"),
        plan=lambda job: math.ceil(len(job.params["token_ids"]) / TICKETS_PER_CHUNK),
        prepare=prepare_ticket_chunk,
        render=html_to_pdf,
        join=lambda job, parts: join_pdfs(parts),
        filename=lambda job: download_name(
            _("Tickets"), localized(db.session.get(Edition, job.edition_id).names), extension="pdf"
        ),
    )
)
