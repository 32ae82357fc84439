"""The registry's cooperative import as jobs, around booths.services.imports (which report their progress)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from accounts.models import User
from booths.services.imports import import_cooperatives, preview_import
from core.downloads import download_name
from core.errors import RuleBroken
from core.extensions import db
from core.import_jobs import Outcome, register_import_kinds

KIND = "cooperative_import"


def preview_outcome(preview):
    return Outcome(
        rows=[
            (row.line, row.values.get("name_latin", ""), row.ok, "; ".join(row.errors))
            for row in preview.rows
        ]
    )


def preview_cooperatives(job, raw, progress):
    return preview_outcome(preview_import(raw, progress))


def run_cooperative_import(job, raw, progress):
    """Import every row or none; refused rows are reported, not raised."""
    actor = db.session.get(User, job.owner_id)
    try:
        cooperatives = import_cooperatives(raw, actor, progress)
    except RuleBroken as error:
        if error.code != "rows_rejected":
            raise
        return preview_outcome(preview_import(raw))
    rows = [
        (line, cooperative.name_latin, True, "")
        for line, cooperative in enumerate(cooperatives, start=2)
    ]
    return Outcome(rows=rows, imported=len(cooperatives))


register_import_kinds(
    KIND,
    (_l("Preview of a cooperatives import"), _l("Import of cooperatives")),
    preview_cooperatives,
    run_cooperative_import,
    lambda job: download_name(_("Import of cooperatives"), job.id[:8], extension="csv"),
)
