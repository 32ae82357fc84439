"""CSV imports as jobs (core/import_jobs.py): a large file is previewed by a job, the import runs
as a job once per preview (a double click finds the same job; a revived job imports nothing
more), the refused rows come back with their lines and translated reasons, as a page and a CSV;
another user's job is 404; a failed import keeps its error in the asker's language."""

import io

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from booths.models import Cooperative
from core import queue
from core.extensions import db
from core.jobs import Job, JobPart
from core.storage import get_storage
from store.models import Sale
from tests.conftest import PASSWORD
from tests.html_tools import hidden_inputs, table_rows
from tests.jobs.conftest import wait_for
from tests.store.conftest import make_product, store_edition  # noqa: F401

HEADER = "name_latin,registration_number,city,sectors\n"


def cooperatives_file(count, bad_line=None):
    rows = [
        f"Coop {n},IMP-{n:04d},{'Narnia' if n + 2 == bad_line else 'Fès'},honey\n"
        for n in range(count)
    ]
    return (HEADER + "".join(rows)).encode()


def upload(client, url, raw, lang="en"):
    return client.post(
        f"{url}?lang={lang}",
        data={"file": (io.BytesIO(raw), "file.csv")},
        content_type="multipart/form-data",
    )


def job_id_of(response):
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    location = response.headers["Location"]
    assert "/jobs/" in location
    return location.rsplit("/", 1)[1]


@pytest.fixture
def small_previews(app):
    app.config["IMPORT_PREVIEW_ROWS"] = 3  # files of more rows are previewed by a job


def test_a_large_cooperative_file_is_previewed_then_imported_once_by_a_real_worker(
    app, client, login, organiser, make_user, start_worker, small_previews
):
    start_worker(workers=1)
    login(organiser)
    bad = job_id_of(upload(client, "/cooperatives/import", cooperatives_file(5, bad_line=4)))
    wait_for(bad, lambda job: job.status == "done")
    page = client.get(f"/jobs/{bad}?lang=en").get_data(as_text=True)
    assert "4 rows can be imported, 1 rows are rejected." in page
    assert 'name="once"' not in page  # nothing to import while a row is refused
    assert table_rows(page, "import-errors") == [
        ["4", "Coop 2", "City: Unknown city: choose one from the list."]
    ]
    refused = client.get(f"/jobs/{bad}/download?lang=en").data.decode("utf-8-sig").splitlines()
    assert refused[0] == "Line,Name,Result,Reason" and refused[3].startswith("4,Coop 2,refused,")

    preview = job_id_of(upload(client, "/cooperatives/import", cooperatives_file(5)))
    wait_for(preview, lambda job: job.status == "done")
    page = client.get(f"/jobs/{preview}").get_data(as_text=True)
    confirm = hidden_inputs(page, "upload", "once", "csrf_token")
    first = job_id_of(client.post("/cooperatives/import/confirm", data=confirm))
    second = job_id_of(client.post("/cooperatives/import/confirm", data=confirm))
    assert first == second  # a double click asks once
    job = wait_for(first, lambda job: job.status in ("done", "failed"))
    assert job.status == "done", job.error
    assert job.summary["imported"] == 5 and job.summary["refused"] == 0
    assert db.session.query(Cooperative).count() == 5
    db.session.rollback()
    assert "5 cooperatives imported." in client.get(f"/jobs/{first}?lang=en").get_data(True)
    outcome = client.get(f"/jobs/{first}/download?lang=en").data.decode("utf-8-sig")
    assert outcome.splitlines()[1] == "2,Coop 0,accepted,"

    login(make_user("organiser"))  # another organiser sees none of it
    assert client.get(f"/jobs/{first}").status_code == 404
    assert client.get(f"/jobs/{first}/download").status_code == 404
    assert client.get(f"/jobs/{preview}.json").status_code == 404


def test_a_revived_import_job_imports_nothing_more(app, client, login, organiser):
    login(organiser)
    page = upload(client, "/cooperatives/import", cooperatives_file(2)).get_data(as_text=True)
    job_id = job_id_of(
        client.post("/cooperatives/import/confirm", data=hidden_inputs(page, "upload", "once"))
    )
    queue.run_pending()
    assert db.session.query(Cooperative).count() == 2
    # Its worker died after the import's commit and before the chunk was recorded: the
    # reaper runs the chunk again.
    db.session.query(JobPart).filter_by(job_id=job_id).delete()
    db.session.query(Job).filter_by(id=job_id).update({"status": "running"})
    db.session.commit()
    queue.run_chunk(job_id, 0)
    queue.run_pending()
    assert db.session.query(Cooperative).count() == 2
    assert db.session.get(Job, job_id, populate_existing=True).status == "done"
    outcome = client.get(f"/jobs/{job_id}/download").data.decode("utf-8-sig")
    assert len(outcome.strip().splitlines()) == 3  # the first run's outcome, kept whole


def test_a_failed_import_keeps_its_error_in_the_askers_language_and_can_be_retried(
    app, client, login, organiser
):
    login(organiser)
    raw = cooperatives_file(2)
    page = upload(client, "/cooperatives/import", raw, lang="ar").get_data(as_text=True)
    confirm = hidden_inputs(page, "upload", "once")
    job_id = job_id_of(client.post("/cooperatives/import/confirm?lang=ar", data=confirm))
    get_storage().delete_prefix("imports")  # the kept file expired before a worker came
    assert client.get(f"/jobs/{job_id}").status_code == 200
    queue.run_pending()
    job = db.session.get(Job, job_id, populate_existing=True)
    with app.test_request_context(), force_locale("ar"):
        arabic = _("Upload the file again.")
    assert arabic != "Upload the file again."
    assert (job.status, job.error) == ("failed", arabic)
    db.session.rollback()
    page = client.get(f"/jobs/{job_id}?lang=fr").get_data(as_text=True)
    assert arabic in page and f"/jobs/{job_id}/retry" in page
    upload(client, "/cooperatives/import", raw)  # the same file again: kept again
    assert client.post(f"/jobs/{job_id}/retry").status_code == 302
    queue.run_pending()
    assert db.session.get(Job, job_id, populate_existing=True).status == "done"
    assert db.session.query(Cooperative).count() == 2


def sales_file(product, orders):
    lines = "".join(f"2024-02-01 10:00,online,W-{n},{product.sku},1,45.00\n" for n in range(orders))
    return ("date,channel,reference,sku,quantity,unit_price\n" + lines).encode()


def test_a_large_sales_file_is_previewed_and_imported_as_jobs_by_a_real_worker(
    app,
    client,
    login,
    organiser,
    start_worker,
    small_previews,
    store_edition,  # noqa: F811
    make_product,  # noqa: F811
):
    product = make_product()
    db.session.commit()
    url = f"/store/editions/{store_edition.slug}/import"
    start_worker(workers=1)
    login(organiser)
    preview = job_id_of(upload(client, url, sales_file(product, 6), lang="en"))
    wait_for(preview, lambda job: job.status == "done")
    page = client.get(f"/jobs/{preview}?lang=en").get_data(as_text=True)
    assert "6 orders can be imported, 0 orders are refused." in page
    confirm = hidden_inputs(page, "upload", "once")
    first = job_id_of(client.post(f"{url}?confirm=1", data=confirm))
    assert job_id_of(client.post(f"{url}?confirm=1", data=confirm)) == first
    job = wait_for(first, lambda job: job.status in ("done", "failed"))
    assert job.status == "done", job.error
    assert db.session.query(Sale).count() == 6
    db.session.rollback()
    assert "6 orders imported." in client.get(f"/jobs/{first}?lang=en").get_data(True)


def test_the_import_pages_follow_the_jobs_in_arabic_on_a_phone(
    app, live_server, page, organiser, start_worker
):
    """jobs.js reloads a job page once the job is done, so that what it found shows. (The live
    server runs with the default IMPORT_PREVIEW_ROWS, 300.)"""
    start_worker(workers=1)
    base = live_server.url()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{base}/login?lang=ar")
    page.fill("#username", organiser.username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.goto(f"{base}/cooperatives/import?lang=ar")
    page.set_input_files("#file", files=[file_for_browser(cooperatives_file(301))])
    with page.expect_navigation():
        page.click("form.card button[type=submit]")
    assert page.get_attribute("html", "dir") == "rtl" and "/jobs/" in page.url
    page.wait_for_selector("section.import-summary button[type=submit]", timeout=60_000)
    with page.expect_navigation():
        page.click("section.import-summary button[type=submit]")
    page.wait_for_selector("section.import-summary .flash-success", timeout=60_000)
    with app.test_request_context(), force_locale("ar"):
        done = _("%(count)d cooperatives imported.", count=301)
    assert page.inner_text("section.import-summary .flash-success").strip() == done
    assert db.session.query(Cooperative).count() == 301


def file_for_browser(raw):
    return {"name": "cooperatives.csv", "mimeType": "text/csv", "buffer": raw}
