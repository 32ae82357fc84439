"""The organiser's workshop report: by workshop, topic and site, with a CSV export."""

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.access import roles_required
from core.charts import bar_list
from core.csvio import csv_response
from core.downloads import download_name
from core.i18n import format_number, localized
from core.menu import add_edition_link
from core.timeutil import iso_utc, show_datetime
from markets.services import get_edition
from workshops import bp, services
from workshops.labels import TOPIC_LABELS
from workshops.services.reports import add_up

add_edition_link("workshops.report", _l("Workshop report"), order=62)


@bp.get("/editions/<slug>/workshops/report")
@roles_required("organiser")
def report(slug):
    edition = get_edition(slug)
    rows = services.workshop_report_rows(edition)
    by_topic = add_up(rows, lambda row: row["workshop"].topic)
    by_site = add_up(rows, lambda row: row["site"])
    total = add_up(rows, lambda row: "all").get("all")
    chart = bar_list(
        [(str(TOPIC_LABELS[topic]), group["attendance"]) for topic, group in by_topic.items()],
        value_label=format_number,
        title=_("Attendance by topic"),
    )
    sites = {site.slug: localized(site.names) or site.city for site in edition.sites}
    return render_template(
        "workshops/report.html",
        edition=edition,
        rows=rows,
        by_topic=by_topic,
        by_site=by_site,
        total=total,
        chart=chart,
        topic_name=lambda topic: TOPIC_LABELS[topic],
        site_name=lambda slug: sites.get(slug, slug),
    )


def share_text(value):
    return "" if value is None else f"{value:.3f}"


@bp.get("/editions/<slug>/workshops/report.csv")
@roles_required("organiser")
def report_csv(slug):
    edition = get_edition(slug)
    header = [
        "workshop_id",
        "title",
        "topic",
        "format",
        "audience",
        "site",
        "room",
        "starts_at",
        "local_start",
        "capacity",
        "registered",
        "waitlisted",
        "cancelled",
        "attendance",
        "fill_rate",
        "cooperative_participants",
        "women",
        "gender_known",
        "women_share",
        "young",
        "age_known",
        "young_share",
        "answers",
        "average_rating",
    ]
    rows = []
    for row in services.workshop_report_rows(edition):
        workshop = row["workshop"]
        rows.append(
            [
                workshop.id,
                localized(workshop.titles),
                workshop.topic,
                workshop.format,
                workshop.audience,
                row["site"],
                workshop.room,
                iso_utc(workshop.starts_at),
                show_datetime(workshop.starts_at, "short"),
                workshop.capacity,
                row["registered"],
                row["waitlisted"],
                row["cancelled"],
                row["attendance"],
                share_text(row["fill_rate"]),
                row["cooperative"],
                row["women"],
                row["gender_known"],
                share_text(row["women"] / row["gender_known"] if row["gender_known"] else None),
                row["young"],
                row["age_known"],
                share_text(row["young"] / row["age_known"] if row["age_known"] else None),
                row["answers"],
                share_text(row["average_rating"]),
            ]
        )
    return csv_response(
        download_name(_("Workshops"), localized(edition.names), extension="csv"), header, rows
    )
