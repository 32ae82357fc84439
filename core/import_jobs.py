"""CSV imports as jobs, around the features' own import services (which stay as they are).

The uploaded file is kept in the storage under its owner and its SHA-256 (`imports/<user>/<sha>`),
so a confirmation names the file, not its content. A large file (more than IMPORT_PREVIEW_ROWS
rows) is previewed by a job; a small one keeps the immediate preview. The confirmed import
always runs as a job, asked for once per preview (a double click or a retried POST finds the
same job), and does its work once: the job's summary is written in the same transaction as the
imported rows, so a job revived after its worker died sees the summary and imports nothing more.
Each job's file is the CSV of its rows' outcomes (line, what happened, why). The bar moves as
rows are judged and written (core.queue.RowProgress), written beside the import's transaction.
"""

import hashlib
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from core.csvio import csv_text
from core.errors import RuleBroken
from core.jobs import JobKind, create_job, register_job_kind
from core.queue import RowProgress
from core.storage import get_storage

SHA = re.compile(r"^[0-9a-f]{64}$")
NONCE = re.compile(r"^[0-9a-f]{32}$")
SUMMARY_ROWS = 200  # refused rows shown on the job's page; every row is in its CSV file


def upload_key(owner_id, sha):
    if not SHA.match(sha or ""):
        raise RuleBroken(_("Upload the file again."), code="bad_upload")
    return f"imports/{int(owner_id)}/{sha}.csv"


def store_upload(raw, owner):
    """Keep an uploaded file for its preview job and its import job; returns its SHA-256."""
    sha = hashlib.sha256(raw).hexdigest()
    get_storage().put(upload_key(owner.id, sha), raw)
    return sha


def read_upload(owner_id, sha):
    storage = get_storage()
    key = upload_key(owner_id, sha)
    if not storage.exists(key):
        raise RuleBroken(_("Upload the file again."), code="upload_gone")
    return storage.get(key)


def row_count(raw):
    """About how many data rows a file has (its lines but the header): enough to choose."""
    return max(0, sum(1 for line in raw.splitlines() if line.strip()) - 1)


def is_large(raw):
    return row_count(raw) > int(current_app.config.get("IMPORT_PREVIEW_ROWS", 300))


def start_preview(name, owner, edition, raw, locale, confirm_endpoint, confirm_args=None):
    """Keep a large file and queue its preview; the preview's page offers the import."""
    params = {
        "upload": store_upload(raw, owner),
        "confirm_endpoint": confirm_endpoint,
        "confirm_args": confirm_args or {},
    }
    return create_job(f"{name}_preview", owner, edition=edition, params=params, locale=locale)


def start_import(name, owner, edition, upload, once, locale):
    """Queue the import of a kept file, once per preview (`once` is the preview's nonce)."""
    read_upload(owner.id, upload)  # still there, and the owner's
    if not NONCE.match(once or ""):
        raise RuleBroken(_("Upload the file again."), code="bad_upload")
    return create_job(
        name,
        owner,
        edition=edition,
        params={"upload": upload},
        locale=locale,
        once_key=f"{name}:{owner.id}:{once}",
    )


@dataclass
class Outcome:
    """What a preview or an import found: every row's line, name and result."""

    rows: list  # (line, name, ok, reason)
    imported: int = 0
    already: int = 0

    @property
    def refused(self):
        return [row for row in self.rows if not row[2]]

    def summary(self, stage, upload):
        return {
            "stage": stage,  # "preview" or "import"
            "upload": upload,
            "rows": len(self.rows),
            "accepted": len(self.rows) - len(self.refused),
            "refused": len(self.refused),
            "imported": self.imported,
            "already": self.already,
            "importable": bool(self.rows) and not self.refused,
            "errors": [[line, name, reason] for line, name, _ok, reason in self.refused][
                :SUMMARY_ROWS
            ],
        }


def outcome_csv(outcome):
    header = [_("Line"), _("Name"), _("Result"), _("Reason")]
    rows = [
        [line, name, _("accepted") if ok else _("refused"), reason]
        for line, name, ok, reason in outcome.rows
    ]
    return csv_text(header, rows).encode("utf-8")


def register_import_kinds(name, labels, preview, run, filename):
    """Two job kinds: `<name>_preview` (judge a large file) and `<name>` (import it).

    `preview(job, raw, progress)` and `run(job, raw, progress)` return an Outcome; `run` raises
    nothing for refused rows (it reports them, having imported nothing). Both call
    `progress(done, total)` as they go through the rows: the job's bar moves every 2 %."""

    def prepare_preview(job, index, chunks):
        raw = read_upload(job.owner_id, job.params["upload"])
        outcome = preview(job, raw, RowProgress(job))
        job.summary = outcome.summary("preview", job.params["upload"])
        return outcome_csv(outcome)

    def prepare_import(job, index, chunks):
        """Import, or, when an earlier run of this job did (its summary is committed with the
        rows), answer that run's outcome file unchanged."""
        key = f"imports/outcomes/{job.id}.csv"
        if job.summary is not None:
            return get_storage().get(key)
        outcome = run(job, read_upload(job.owner_id, job.params["upload"]), RowProgress(job))
        job.summary = outcome.summary("import", job.params["upload"])
        data = outcome_csv(outcome)
        get_storage().put(key, data)  # before the commit: a failed commit redoes both
        return data

    preview_label, import_label = labels
    for kind_name, label, prepare in (
        (f"{name}_preview", preview_label, prepare_preview),
        (name, import_label, prepare_import),
    ):
        register_job_kind(
            JobKind(
                name=kind_name,
                label=label,
                prepare=prepare,
                render=bytes,  # prepared in the import's transaction (see above)
                filename=filename,
                mimetype="text/csv",
                summary_template="jobs/_import_summary.html",
            )
        )
