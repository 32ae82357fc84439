"""Faults and clean-up: a broker that is down, a job failing in its asker's language with a retry,
expired job files and API tokens deleted by the scheduled work (fixed clock)."""

from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _

from accounts.models import ApiToken
from accounts.tasks import delete_expired_tokens
from booths import services
from core import queue
from core.extensions import db
from core.jobs import Job
from core.storage import get_storage


def ask(client, headers, site, lang="fr"):
    return client.post(
        f"/api/v1/editions/{site.edition.slug}/badge-batches?lang={lang}",
        json={"site": site.slug},
        headers=headers,
    )


def test_broker_down_the_job_waits_for_a_worker_and_nothing_answers_500(
    app, client, site_with_badges, organiser, api_headers, login
):
    site = site_with_badges(2)
    headers = api_headers(organiser)
    app.config["QUEUE_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    queue.configure_queue(app)
    response = ask(client, headers, site)
    assert response.status_code == 202
    job_id = response.get_json()["job"]["id"]
    job = db.session.get(Job, job_id)
    job.created_at -= timedelta(minutes=1)
    db.session.commit()
    body = client.get(f"/api/v1/jobs/{job_id}", headers=headers).get_json()["job"]
    assert body["status"] == "queued" and body["waiting_for_worker"] is True
    login(organiser)
    page = client.get(f"/jobs/{job_id}?lang=en")
    assert page.status_code == 200
    assert b"No worker has taken it yet" in page.data
    assert b"data-job-waiting hidden" not in page.data
    assert client.get("/jobs?lang=en").status_code == 200
    # The broker is back: the scheduler's reaper queues the job again and it runs.
    app.config["QUEUE_URL"] = app.config["STORAGE_ROOT"].replace("files", "queue2.db")
    app.config["QUEUE_URL"] = "sqlite:///" + app.config["QUEUE_URL"]
    queue.configure_queue(app)
    app.config["JOB_LEASE_SECONDS"] = 30
    assert queue.reap_jobs() == [job_id]
    queue.run_pending()
    assert client.get(f"/api/v1/jobs/{job_id}", headers=headers).get_json()["job"]["status"] == (
        "done"
    )


def test_a_failed_job_keeps_its_error_in_the_askers_language_and_can_be_retried(
    app, client, site_with_badges, organiser, api_headers, login
):
    site = site_with_badges(2)
    headers = api_headers(organiser)
    job_id = ask(client, headers, site, lang="ar").get_json()["job"]["id"]
    for badge in services.site_badges(site):  # every badge revoked before a worker starts
        services.revoke_badge(badge, organiser)
    db.session.commit()
    queue.run_pending()
    body = client.get(f"/api/v1/jobs/{job_id}?lang=fr", headers=headers).get_json()["job"]
    with app.test_request_context(), force_locale("ar"):
        arabic = _("There is no badge to print.")
    assert arabic != "There is no badge to print."
    assert (body["status"], body["error"], body["result_url"]) == ("failed", arabic, None)
    login(organiser)
    page = client.get(f"/jobs/{job_id}")
    assert arabic in page.data.decode() and b"/retry" in page.data
    services.issue_site_badges(site, organiser)
    db.session.commit()
    assert client.post(f"/jobs/{job_id}/retry").status_code == 302
    assert db.session.get(Job, job_id, populate_existing=True).status == "queued"
    db.session.rollback()  # SQLite: no transaction (a write lock) held while the tasks run
    queue.run_pending()
    body = client.get(f"/api/v1/jobs/{job_id}", headers=headers).get_json()["job"]
    assert (body["status"], body["error"]) == ("done", None)


def test_expired_job_files_and_tokens_are_deleted_on_schedule(
    app, client, site_with_badges, organiser, api_headers
):
    site = site_with_badges(1)
    headers = api_headers(organiser)
    job_id = ask(client, headers, site).get_json()["job"]["id"]
    queue.run_pending()
    job = db.session.get(Job, job_id, populate_existing=True)
    assert job.status == "done" and get_storage().exists(job.result_key)
    expires_at, key = job.expires_at, job.result_key
    assert expires_at - job.created_at == timedelta(days=7)
    assert queue.delete_expired_jobs(expires_at - timedelta(minutes=1)) == 0
    assert queue.delete_expired_jobs(expires_at + timedelta(minutes=1)) == 1
    db.session.commit()
    assert db.session.query(Job).filter_by(id=job_id).count() == 0
    assert not get_storage().exists(key)
    assert client.get(f"/api/v1/jobs/{job_id}", headers=headers).status_code == 404

    token = db.session.query(ApiToken).filter_by(user_id=organiser.id).one()
    assert delete_expired_tokens(token.expires_at) == 0
    assert delete_expired_tokens(token.expires_at + timedelta(days=2)) == 1
    db.session.commit()
    assert db.session.query(ApiToken).count() == 0
    scheduled = {task.name for task in queue.huey.read_periodic(datetime(2026, 11, 29, 3, 17))}
    assert "accounts_expired_tokens" in scheduled
