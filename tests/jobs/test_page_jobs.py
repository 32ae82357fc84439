"""The pages' other jobs: the partners' report PDF and ZIP, the floor plan A3, from a CSRF-checked
POST to the job page and the file."""

import io
import zipfile

from core import queue
from tests.pdf_tools import pdf_page_count, pdf_text


def run_from_page(client, url, data):
    response = client.post(url, data=data)
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    job_url = response.headers["Location"]
    queue.run_pending()
    state = client.get(job_url + ".json").get_json()["job"]
    assert state["status"] == "done", state["error"]
    return state, client.get(state["result_url"])


def test_partners_report_pdf_and_zip_are_jobs(app, client, site_with_badges, organiser, login):
    site = site_with_badges(3)
    login(organiser)
    dashboard = client.get(f"/editions/{site.edition.slug}/dashboard")
    assert b"/report/jobs" in dashboard.data
    url = f"/editions/{site.edition.slug}/report/jobs"
    state, pdf = run_from_page(client, url, {"what": "pdf", "language": "ar"})
    assert state["kind"] == "report_pdf" and pdf.mimetype == "application/pdf"
    assert state["result_name"] == f"تقرير الشركاء - {site.edition.names['ar']}.pdf"
    assert pdf_page_count(pdf.data) >= 1
    state, archive = run_from_page(client, url, {"what": "zip"})
    assert archive.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    assert "README.txt" in names and sum(name.endswith(".csv") for name in names) >= 5


def test_floor_plan_a3_is_a_job_and_refuses_without_a_plan(
    app, client, site_with_badges, future_edition, organiser, login
):
    site = site_with_badges(3)
    login(organiser)
    url = f"/editions/{site.edition.slug}/sites/{site.slug}/floor-plan/print"
    state, pdf = run_from_page(client, url, {})
    assert state["kind"] == "floor_plan_a3" and pdf_page_count(pdf.data) == 1
    assert pdf_text(pdf.data).strip()
    bare = future_edition()
    response = client.post(
        f"/editions/{bare.slug}/sites/{bare.sites[0].slug}/floor-plan/print?lang=en",
        follow_redirects=True,
    )
    assert response.status_code == 200 and b"Generate the floor plan first." in response.data
    assert queue.huey.pending_count() == 0
