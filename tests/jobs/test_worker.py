"""Jobs end to end with real worker processes (`flask jobs worker`): the embedded SQLite queue by
default, Redis when TEST_QUEUE_URL=redis://... (CI runs this file both ways)."""

import signal
import time
from pathlib import Path

from booths import services
from tests.jobs.conftest import count_parts, read_job, stop, wait_for
from tests.pdf_tools import pdf_page_count, pdf_qr_codes


def ask_for_batch(client, headers, site, layout="a6"):
    response = client.post(
        f"/api/v1/editions/{site.edition.slug}/badge-batches",
        json={"site": site.slug, "layout": layout},
        headers=headers,
    )
    assert response.status_code == 202
    return response.get_json()["job"]["id"]


def single_render(app, site):
    with app.test_request_context():
        return services.badges_pdf(services.site_badges(site))


def stored_files(root):
    return sorted(
        path.relative_to(root).as_posix() for path in Path(root).rglob("*") if path.is_file()
    )


def files_once_parts_deleted(root, timeout=15):
    """The join deletes the parts just after it marks the job done (so that a crash in between
    leaves the parts for the retried join): the test may look in that moment, so it waits."""
    deadline = time.monotonic() + timeout
    files = stored_files(root)
    while any("/parts/" in name for name in files) and time.monotonic() < deadline:
        time.sleep(0.05)
        files = stored_files(root)
    return files


def test_a_real_worker_renders_chunks_in_parallel_with_progress_then_one_pdf(
    app, client, site_with_badges, organiser, api_headers, start_worker
):
    site = site_with_badges(24)  # six chunks: two workers take three turns each
    headers = api_headers(organiser)
    start_worker(workers=2)
    started = time.monotonic()
    job_id = ask_for_batch(client, headers, site)
    seen = set()

    def finished(job):
        seen.add(round(job.progress, 2))
        return job.status in ("done", "failed")

    job = wait_for(job_id, finished)
    assert job.status == "done", job.error
    assert job.chunks_total == 6
    assert len(seen - {0.0, 1.0}) >= 1  # the progress moved between start and end
    assert time.monotonic() - started < 90
    body = client.get(f"/api/v1/jobs/{job_id}", headers=headers).get_json()["job"]
    assert (body["status"], body["progress"]) == ("done", 1.0)
    pdf = client.get(f"/api/v1/jobs/{job_id}/result", headers=headers).data
    single = single_render(app, site)
    assert pdf_page_count(pdf) == pdf_page_count(single) == 24
    assert pdf_qr_codes(pdf) == pdf_qr_codes(single)


def test_a_worker_killed_mid_job_is_replaced_and_the_job_gives_exactly_one_result(
    app, client, site_with_badges, organiser, api_headers, start_worker
):
    site = site_with_badges(24)
    headers = api_headers(organiser)
    first = start_worker(workers=1, lease=2)
    job_id = ask_for_batch(client, headers, site)
    job = wait_for(job_id, lambda job: job.status != "queued")
    stop(first, signal.SIGKILL)  # the worker and its child die without a word
    parts_then = count_parts(job_id)
    job = read_job(job_id)
    assert job.status == "running" and parts_then < job.chunks_total == 6
    time.sleep(2.5)  # the job's lease (JOB_LEASE_SECONDS=2) runs out
    start_worker(workers=2, lease=2)  # a new worker queues the job's missing chunks again
    job = wait_for(job_id, lambda job: job.status in ("done", "failed"))
    assert job.status == "done", job.error
    assert job.attempts >= 1  # revived by the reaper
    assert count_parts(job_id) == 6
    assert files_once_parts_deleted(app.config["STORAGE_ROOT"]) == [f"jobs/{job_id}/result"]
    pdf = client.get(f"/api/v1/jobs/{job_id}/result", headers=headers).data
    single = single_render(app, site)
    assert pdf_page_count(pdf) == 24
    assert pdf_qr_codes(pdf) == pdf_qr_codes(single)
