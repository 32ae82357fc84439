"""Sales reports of an edition: charts with their numbers, and CSV exports."""

from flask import abort, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from booths.labels import sector_label
from booths.models import cooperative_name
from core.access import roles_required
from core.charts import bar_list, column_chart
from core.csvio import csv_response
from core.downloads import download_name
from core.i18n import current_language, format_number, is_rtl, localized
from core.money import format_mad, plain_amount
from core.timeutil import page_date, show_day_month
from markets import gazetteer
from markets.services import get_edition
from store import bp, services
from store.labels import CHANNEL_LABELS, PAYMENT_LABELS
from store.services import reports

BREAKDOWNS = ("cooperative", "sector", "province", "site", "day", "payment", "channel")
BREAKDOWN_NAMES = {
    "cooperative": _l("By cooperative"),
    "sector": _l("By sector"),
    "province": _l("By province"),
    "site": _l("By site"),
    "day": _l("By day"),
    "payment": _l("By payment method"),
    "channel": _l("By channel"),
}


def breakdown(edition, by, figures):
    """[(label, centimes)] for one breakdown."""
    if by == "cooperative":
        language = current_language()
        return [
            (cooperative_name(row.name_latin, row.name_ar, language), amount)
            for row, amount in reports.sales_by_cooperative_named(edition)
        ]
    if by == "sector":
        items = sorted(reports.sales_by_sector(edition).items(), key=lambda item: -item[1])
        return [(sector_label(key), amount) for key, amount in items]
    if by == "province":
        language = current_language()
        items = sorted(reports.sales_by_province(edition).items(), key=lambda item: -item[1])
        return [(gazetteer.province_label(key, language), amount) for key, amount in items]
    if by == "site":
        names = {site.slug: localized(site.names) or site.city for site in edition.sites}
        return [(names.get(key, key), amount) for key, amount in figures["by_site"].items()]
    if by == "day":
        return list(figures["by_day"].items())
    if by == "payment":
        return [(str(PAYMENT_LABELS.get(k, k)), v) for k, v in figures["by_payment"].items()]
    return [(str(CHANNEL_LABELS.get(k, k)), v) for k, v in figures["by_channel"].items()]


@bp.get("/store/editions/<slug>/report")
@roles_required("organiser")
def report(slug):
    edition = get_edition(slug)
    figures = services.edition_sales_figures(edition)
    sections = []
    for by in BREAKDOWNS:
        items = breakdown(edition, by, figures)
        if by == "day":  # the CSV keeps ISO days; the page writes them as its reader does
            chart = column_chart(
                [(show_day_month(day), amount // 100) for day, amount in items],
                rtl=is_rtl(),
                title=_("Sales per day (MAD)"),
                value_label=format_number,
            )
            items = [(page_date(day), amount) for day, amount in items]
        else:
            chart = bar_list(items[:15], value_label=format_mad, title=str(BREAKDOWN_NAMES[by]))
        sections.append((by, items, chart))
    return render_template(
        "store/report.html",
        edition=edition,
        figures=figures,
        sections=sections,
        top_sellers=reports.TOP_SELLERS,
    )


@bp.get("/store/editions/<slug>/report-<by>.csv")
@roles_required("organiser")
def report_csv(slug, by):
    if by not in BREAKDOWNS:
        abort(404)
    edition = get_edition(slug)
    items = breakdown(edition, by, services.edition_sales_figures(edition))
    return csv_response(
        download_name(
            _("Store sales"), BREAKDOWN_NAMES[by], localized(edition.names), extension="csv"
        ),
        [by, "sales_mad"],
        [[label, plain_amount(value)] for label, value in items],
    )
