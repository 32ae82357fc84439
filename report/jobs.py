"""The partners' report as background jobs: the PDF (French or Arabic) and the ZIP of CSV files."""

from flask import request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.access import roles_required
from core.downloads import download_name
from core.extensions import db
from core.i18n import localized
from core.jobs import JobKind, register_job_kind
from core.jobs_views import launch_job
from core.pdf import html_to_pdf, render_pdf_html
from markets.models import Edition
from markets.services import get_edition
from report import bp
from report.figures import edition_report
from report.tables import report_zip
from report.views import REPORT_LANGUAGES, report_context


def job_edition(job):
    return db.session.get(Edition, job.edition_id)


def report_pdf_filename(job):
    with force_locale(job.params["language"]):
        return download_name(
            _("Partners' report"), localized(job_edition(job).names), extension="pdf"
        )


def prepare_report_pdf(job, index, chunks):
    with force_locale(job.params["language"]):
        return render_pdf_html(
            "pdf/report_edition.html", **report_context(job_edition(job), for_pdf=True)
        )


register_job_kind(
    JobKind(
        name="report_pdf",
        label=_l("Partners' report (PDF)"),
        prepare=prepare_report_pdf,
        render=html_to_pdf,
        filename=report_pdf_filename,
    )
)
register_job_kind(
    JobKind(
        name="report_zip",
        label=_l("Figures of the partners' report (ZIP of CSV files)"),
        prepare=lambda job, index, chunks: report_zip(edition_report(job_edition(job))),
        render=lambda data: data,
        mimetype="application/zip",
        filename=lambda job: download_name(
            _("Partners' report"), localized(job_edition(job).names), extension="zip"
        ),
    )
)


@bp.post("/editions/<slug>/report/jobs")
@roles_required("organiser")
def edition_report_job(slug):
    """The report's PDF or ZIP, made in the background (the job page shows the progress)."""
    edition = get_edition(slug)
    back = url_for("report.edition_dashboard", slug=slug)
    if request.form.get("what") == "zip":
        return launch_job("report_zip", edition, {}, back)
    language = request.form.get("language", "fr")
    language = language if language in REPORT_LANGUAGES else "fr"
    return launch_job("report_pdf", edition, {"language": language}, back)
