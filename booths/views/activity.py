"""The activity log, read per edition and per cooperative (organisers), and by a cooperative
about itself; filters by action, person and date; CSV export."""

from datetime import date, datetime, time

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounts.activity import ACTIONS, action_label, list_activity
from booths import bp, services
from core.access import cooperative_of, roles_required
from core.csvio import csv_response
from core.downloads import download_name
from core.i18n import localized
from core.menu import add_edition_link
from core.timeutil import local_to_utc_naive, show_datetime
from markets.services import get_edition

add_edition_link("booths.edition_activity", _l("Activity log"), order=95)


def activity_filters():
    """The filters of the query string, checked (an unknown value is ignored)."""
    action = request.args.get("action")
    actor = request.args.get("actor", "")
    since = None
    try:
        since = date.fromisoformat(request.args.get("since", ""))
    except ValueError:
        pass
    return {
        "action": action if action in ACTIONS else None,
        "actor_id": int(actor) if actor.isdigit() else None,
        "since": local_to_utc_naive(datetime.combine(since, time())) if since else None,
    }, since


def activity_page(title, entries_filters, csv_name, back_url):
    filters, since = activity_filters()
    entries = list_activity(**entries_filters, **filters)
    if request.args.get("format") == "csv":
        return activity_csv(csv_name, entries)
    actors = sorted({(entry.actor_id, entry.actor_name) for entry in entries if entry.actor_id})
    return render_template(
        "booths/activity.html",
        title=title,
        entries=entries,
        actions=ACTIONS,
        action_label=action_label,
        actors=actors,
        chosen=filters,
        since=since,
        back_url=back_url,
    )


def activity_csv(filename, entries):
    header = [_("When"), _("Who"), _("What"), _("To what"), _("Why"), _("Details")]
    rows = [
        [
            show_datetime(entry.created_at),
            entry.actor_name,
            str(action_label(entry.action)),
            entry.subject_label,
            entry.reason,
            "; ".join(
                f"{key}={value}"
                for key, value in sorted(entry.details.items())
                if key != "previous"
            ),
        ]
        for entry in entries
    ]
    return csv_response(filename, header, rows)


@bp.get("/editions/<slug>/activity")
@roles_required("organiser")
def edition_activity(slug):
    edition = get_edition(slug)
    cooperative = request.args.get("cooperative", "")
    entry_filters = {"edition_id": edition.id}
    if cooperative.isdigit():
        entry_filters["cooperative_id"] = int(cooperative)
    return activity_page(
        _("Activity log"),
        entry_filters,
        download_name(_("Activity log"), localized(edition.names), extension="csv"),
        url_for("markets.edition", slug=edition.slug),
    )


@bp.get("/cooperatives/<int:cooperative_id>/activity")
@roles_required("organiser")
def cooperative_activity(cooperative_id):
    cooperative = services.get_cooperative(cooperative_id)
    return activity_page(
        _("Activity log") + " · " + cooperative.name_latin,
        {"cooperative_id": cooperative.id},
        download_name(_("Activity log"), cooperative.name_latin, extension="csv"),
        url_for("booths.cooperative", cooperative_id=cooperative.id),
    )


@bp.get("/my/activity")
@roles_required("cooperative")
def my_activity():
    cooperative = cooperative_of(current_user)
    return activity_page(
        _("What happened to my cooperative"),
        {"cooperative_id": cooperative.id},
        download_name(_("Activity log"), cooperative.name_latin, extension="csv"),
        url_for("booths.my_cooperative"),
    )
