"""The workshops' background jobs: every certificate of a workshop as one PDF."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.downloads import download_name
from core.extensions import db
from core.i18n import localized
from core.jobs import JobKind, register_job_kind
from core.pdf import html_to_pdf, render_pdf_html
from workshops.documents import certificate_context
from workshops.labels import label_globals
from workshops.models import Workshop
from workshops.services import certificates_for_workshop


def prepare_certificates(job, index, chunks):
    workshop = db.session.get(Workshop, job.params["workshop_id"])
    certificates = certificates_for_workshop(workshop)
    return render_pdf_html(
        "pdf/workshops_certificate.html",
        pages=[certificate_context(certificate) for certificate in certificates],
        **label_globals(),
    )


register_job_kind(
    JobKind(
        name="certificate_batch",
        label=_l("Workshop certificates to print"),
        prepare=prepare_certificates,
        render=html_to_pdf,
        filename=lambda job: download_name(
            _("Certificate of attendance"),
            localized(db.session.get(Workshop, job.params["workshop_id"]).titles),
            extension="pdf",
        ),
    )
)
