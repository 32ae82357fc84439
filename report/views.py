"""The edition dashboard (live, for organisers) and the partners' report as PDF and ZIP."""

from flask import jsonify, make_response, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.access import roles_required
from core.downloads import content_disposition, download_name
from core.i18n import current_language, localized
from core.menu import add_edition_link
from core.pdf import pdf_response, render_pdf
from core.timeutil import utc_now
from markets.services import get_edition
from report import bp
from report.figures import edition_report
from report.presentation import live_key_figures, report_charts, report_labels
from report.tables import readable_file_names, report_tables, report_zip

REPORT_LANGUAGES = ("fr", "ar", "zgh")

add_edition_link("report.edition_dashboard", _l("Dashboard and report"), order=90)


def report_context(edition, for_pdf=False):
    report = edition_report(edition)
    return {
        "edition": edition,
        "report": report,
        "charts": report_charts(report, for_pdf=for_pdf),
        "site_names": {site.slug: localized(site.names) for site in edition.sites},
        **report_labels(),
    }


@bp.get("/editions/<slug>/dashboard")
@roles_required("organiser")
def edition_dashboard(slug):
    context = report_context(get_edition(slug))
    return render_template(
        "report/dashboard.html",
        computed_at=utc_now(),
        report_languages=REPORT_LANGUAGES,
        default_language=current_language() if current_language() in REPORT_LANGUAGES else "fr",
        table_files=list(readable_file_names(report_tables(context["report"])).values()),
        **context,
    )


@bp.get("/editions/<slug>/dashboard/figures.json")
@roles_required("organiser")
def edition_dashboard_figures(slug):
    """The key figures of the dashboard, formatted for the reader, to update the page in place."""
    report = edition_report(get_edition(slug))
    return jsonify(live_key_figures(report["key_figures"]))


@bp.get("/editions/<slug>/report.pdf")
@roles_required("organiser")
def edition_report_pdf(slug):
    edition = get_edition(slug)
    language = request.args.get("language", "fr")
    if language not in REPORT_LANGUAGES:
        language = "fr"
    with force_locale(language):
        pdf = render_pdf("pdf/report_edition.html", **report_context(edition, for_pdf=True))
        filename = download_name(_("Partners' report"), localized(edition.names), extension="pdf")
    return pdf_response(pdf, filename, inline=False)


@bp.get("/editions/<slug>/report.zip")
@roles_required("organiser")
def edition_report_zip(slug):
    edition = get_edition(slug)
    response = make_response(report_zip(edition_report(edition)))
    response.headers["Content-Type"] = "application/zip"
    response.headers["Content-Disposition"] = content_disposition(
        download_name(_("Partners' report"), localized(edition.names), extension="zip")
    )
    return response
