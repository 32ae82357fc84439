"""Jobs: the page with its progress bar, its JSON for the page, the download, the retry, the API."""

from apiflask import APIBlueprint
from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from core import jobs
from core.access import api_roles, bearer_user, roles_required
from core.apidoc import FILE, JOB, answers
from core.database import read_only
from core.downloads import content_disposition
from core.errors import DomainError, NotFound
from core.extensions import db
from core.i18n import current_language
from core.menu import add_menu_item
from core.queue import shown_progress
from core.storage import get_storage
from core.timeutil import iso_utc

bp = Blueprint("jobs", __name__)
api_bp = APIBlueprint("jobs_api", __name__, url_prefix="/api/v1", enable_openapi=True)
ALL_ROLES = ("organiser", "volunteer", "cashier", "cooperative")

add_menu_item("jobs.job_list", _l("My jobs"), ("organiser",), order=95)


class RetryForm(FlaskForm):
    pass


def launch_job(kind, edition, params, back_url):
    """The pages' way to start a job (a CSRF-checked POST): off to the job's page, or back with
    the reason it cannot start."""
    if not RetryForm().validate_on_submit():
        return redirect(back_url)
    try:
        job = jobs.create_job(
            kind, current_user, edition=edition, params=params, locale=current_language()
        )
        if jobs.JOB_KINDS[kind].check:
            jobs.JOB_KINDS[kind].check(job)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back_url)
    return redirect(url_for("jobs.job_page", job_id=job.id))


def job_json(job, result_url=None):
    """The API's job object (API.md), with a few extra fields for the page."""
    return {
        "id": job.id,
        "kind": job.kind,
        "kind_label": str(job.kind_label),
        "status": job.status,
        "status_label": str(job.status_label),
        "waiting_for_worker": jobs.is_waiting_for_worker(job),
        "progress": round(shown_progress(job), 3),
        "result_url": result_url if job.status == "done" else None,
        "result_name": job.result_name if job.status == "done" else None,
        "error": job.error if job.status == "failed" else None,
        "created_at": iso_utc(job.created_at),
        "finished_at": iso_utc(job.finished_at),
        "expires_at": iso_utc(job.expires_at),
    }


def page_json(job):
    return job_json(job, url_for("jobs.download", job_id=job.id))


def api_json(job):
    return job_json(job, url_for("jobs_api.job_result", job_id=job.id, _external=True))


def result_response(job):
    """The result, streamed in pieces; or, where the object store lets browsers in
    (STORAGE_PRESIGNED_DOWNLOADS), a redirect to a short-lived link (see core/storage.py)."""
    storage = get_storage()
    if job.status != "done" or not job.result_key or not storage.exists(job.result_key):
        raise NotFound(_("This file is not ready, or it has expired."), code="no_result")
    name = jobs.result_filename(job)
    if storage.presigned_downloads:
        return redirect(storage.download_url(job.result_key, name, job.result_type))
    response = Response(storage.stream(job.result_key), mimetype=job.result_type)
    if job.result_size:
        response.headers["Content-Length"] = str(job.result_size)
    response.headers["Content-Disposition"] = content_disposition(name)
    return response


@bp.get("/jobs")
@roles_required(*ALL_ROLES)
def job_list():
    return render_template("jobs/list.html", jobs=jobs.user_jobs(current_user))


@bp.get("/jobs/<job_id>")
@read_only
@roles_required(*ALL_ROLES)
def job_page(job_id):
    job = jobs.get_job(job_id, current_user)
    kind = jobs.JOB_KINDS.get(job.kind)
    return render_template(
        "jobs/job.html",
        job=job,
        state=page_json(job),
        retry_form=RetryForm(),
        summary_template=kind.summary_template if kind else None,
    )


@bp.get("/jobs/<job_id>.json")
@read_only
@roles_required(*ALL_ROLES)
def job_state(job_id):
    return {"job": page_json(jobs.get_job(job_id, current_user))}


@bp.get("/jobs/<job_id>/download")
@roles_required(*ALL_ROLES)
def download(job_id):
    return result_response(jobs.get_job(job_id, current_user))


@bp.post("/jobs/<job_id>/retry")
@roles_required(*ALL_ROLES)
def retry(job_id):
    job = jobs.get_job(job_id, current_user)
    if RetryForm().validate_on_submit():
        jobs.retry_job(job, current_user)
    return redirect(url_for("jobs.job_page", job_id=job.id))


@api_bp.get("/jobs/<job_id>")
@read_only
@api_roles(*ALL_ROLES)
@api_bp.doc(
    summary="A job of the caller (404 for anyone else's)", responses=answers(200, JOB, 401, 404)
)
def job(job_id):
    return {"job": api_json(jobs.get_job(job_id, bearer_user()))}


@api_bp.get("/jobs/<job_id>/result")
@api_roles(*ALL_ROLES)
@api_bp.doc(summary="The file a finished job made", responses=answers(200, FILE, 401, 404))
def job_result(job_id):
    return result_response(jobs.get_job(job_id, bearer_user()))
