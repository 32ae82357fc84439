"""Badge batches as jobs: the API's 202 and job object, owner-only reads, chunked = single PDF."""

import math
import threading
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import insert, select, update

from booths import services
from booths.jobs import chunk_bounds, plan_badge_batch
from core import queue
from core.extensions import db
from core.jobs import Job, JobPart, chunk_progress
from core.timeutil import utc_now
from tests.pdf_tools import pdf_page_count, pdf_qr_codes


def post_batch(client, headers, site, layout="a6"):
    return client.post(
        f"/api/v1/editions/{site.edition.slug}/badge-batches",
        json={"site": site.slug, "layout": layout},
        headers=headers,
    )


def test_badge_batch_answers_202_with_a_queued_job_that_only_its_owner_reads(
    app, client, site_with_badges, organiser, make_user, api_headers
):
    site = site_with_badges(5)
    headers = api_headers(organiser)
    response = post_batch(client, headers, site)
    assert response.status_code == 202
    job = response.get_json()["job"]
    assert set(job) >= {"id", "kind", "status", "progress", "result_url", "error"}
    assert (job["kind"], job["status"], job["progress"], job["result_url"], job["error"]) == (
        "badge_batch",
        "queued",
        0.0,
        None,
        None,
    )
    assert client.get(f"/api/v1/jobs/{job['id']}", headers=headers).status_code == 200
    other = api_headers(make_user("organiser"))
    for url in (f"/api/v1/jobs/{job['id']}", f"/api/v1/jobs/{job['id']}/result"):
        response = client.get(url, headers=other)
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "unknown_job"
    assert client.get(f"/api/v1/jobs/{job['id']}").status_code == 401


def test_a_batch_runs_to_one_pdf_of_every_valid_badge(
    app, client, site_with_badges, organiser, api_headers
):
    site = site_with_badges(5)
    headers = api_headers(organiser)
    job_id = post_batch(client, headers, site).get_json()["job"]["id"]
    assert queue.run_pending() >= 3  # start, one chunk, the join
    job = client.get(f"/api/v1/jobs/{job_id}", headers=headers).get_json()["job"]
    assert job["status"] == "done" and job["progress"] == 1.0 and job["error"] is None
    assert job["result_url"].endswith(f"/api/v1/jobs/{job_id}/result")
    pdf = client.get(f"/api/v1/jobs/{job_id}/result", headers=headers)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf_page_count(pdf.data) == 5
    assert sorted(pdf_qr_codes(pdf.data)) == sorted(b.code for b in services.site_badges(site))


@pytest.mark.parametrize("layout", ["a6", "sheet"])
def test_chunked_pdf_equals_a_single_render_in_pages_and_qr_codes(
    app, client, site_with_badges, organiser, api_headers, layout
):
    app.config["BADGES_PER_CHUNK"] = 4
    site = site_with_badges(10)
    job_id = post_batch(client, api_headers(organiser), site, layout).get_json()["job"]["id"]
    queue.run_pending()
    job = db.session.get(Job, job_id)
    assert (job.status, job.chunks_total) == ("done", 3)
    chunked = client.get(f"/api/v1/jobs/{job_id}/result", headers=api_headers(organiser)).data
    with app.test_request_context():
        single = services.badges_pdf(
            services.site_badges(site), layout="sheet" if layout == "sheet" else "single"
        )
    assert pdf_page_count(chunked) == pdf_page_count(single) == (3 if layout == "sheet" else 10)
    assert pdf_qr_codes(chunked) == pdf_qr_codes(single)
    assert len(pdf_qr_codes(chunked)) == 10


def test_bad_requests_answer_4xx_and_queue_nothing(
    app, client, site_with_badges, future_edition, organiser, make_user, api_headers
):
    site = site_with_badges(2)
    headers = api_headers(organiser)
    url = f"/api/v1/editions/{site.edition.slug}/badge-batches"
    assert client.post(url, json={"site": "nowhere"}, headers=headers).status_code == 404
    assert client.post(url, json={"layout": "a6"}, headers=headers).status_code == 400
    bad_layout = client.post(url, json={"site": site.slug, "layout": "a3"}, headers=headers)
    assert bad_layout.status_code == 400
    empty = future_edition()
    response = client.post(
        f"/api/v1/editions/{empty.slug}/badge-batches",
        json={"site": empty.sites[0].slug},
        headers=headers,
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "no_badges"
    cooperative = api_headers(make_user("volunteer"))
    assert client.post(url, json={"site": site.slug}, headers=cooperative).status_code == 403
    assert db.session.query(Job).count() == 0
    assert queue.huey.pending_count() == 0


def test_the_page_asks_for_a_batch_and_shows_its_progress_then_the_download(
    app, client, site_with_badges, organiser, login
):
    site = site_with_badges(3)
    login(organiser)
    page = client.get(f"/editions/{site.edition.slug}/sites/{site.slug}/badges")
    assert b"/badges/batch" in page.data
    response = client.post(
        f"/editions/{site.edition.slug}/sites/{site.slug}/badges/batch", data={"layout": "sheet"}
    )
    assert response.status_code == 302
    job_url = response.headers["Location"]
    page = client.get(job_url)
    assert page.status_code == 200 and b"<progress" in page.data and b"js/jobs.js" in page.data
    state = client.get(job_url + ".json").get_json()["job"]
    assert state["status"] == "queued" and state["status_label"]
    queue.run_pending()
    state = client.get(job_url + ".json").get_json()["job"]
    assert state["status"] == "done"
    download = client.get(state["result_url"])
    assert download.status_code == 200 and pdf_page_count(download.data) == 1


def test_every_badge_of_the_edition_as_one_job_when_no_site_is_named(
    app, client, site_with_badges, organiser, api_headers
):
    site = site_with_badges(3)
    headers = api_headers(organiser)
    response = client.post(
        f"/api/v1/editions/{site.edition.slug}/badge-batches",
        json={"site": None, "layout": "sheet"},
        headers=headers,
    )
    assert response.status_code == 202
    job_id = response.get_json()["job"]["id"]
    queue.run_pending()
    body = client.get(f"/api/v1/jobs/{job_id}", headers=headers).get_json()["job"]
    assert body["status"] == "done"
    pdf = client.get(body["result_url"], headers=headers).data
    assert pdf_page_count(pdf) == 1 and len(pdf_qr_codes(pdf)) == 3


def test_a_badge_revoked_while_the_batch_runs_is_left_out_and_shifts_no_chunk(
    app, client, site_with_badges, organiser, api_headers
):
    """The chunks cut the list of badges taken when the job started."""
    app.config["BADGES_PER_CHUNK"] = 4
    site = site_with_badges(10)
    planned = [badge.code for badge in services.site_badges(site)]
    job_id = post_batch(client, api_headers(organiser), site, "a6").get_json()["job"]["id"]
    assert queue.run_pending(limit=1) == 1  # the start: planned, three chunks queued
    first = services.site_badges(site)[0]
    services.revoke_badge(first, organiser, "Lost", tell=False)
    db.session.commit()
    queue.run_pending()
    job = db.session.get(Job, job_id)
    assert (job.status, job.chunks_total) == ("done", 3)
    pdf = client.get(f"/api/v1/jobs/{job_id}/result", headers=api_headers(organiser)).data
    assert first.code == planned[0]
    assert pdf_qr_codes(pdf) == planned[1:]  # every other badge once, in print order


def test_a_chunk_that_finishes_after_its_job_was_joined_leaves_no_file(
    app, client, site_with_badges, organiser, api_headers, monkeypatch
):
    """A copy of a chunk queued again by the reaper renders while another copy completes the
    job: its part, put after the join deleted the parts, is deleted too."""
    from dataclasses import replace

    from core.jobs import JOB_KINDS
    from core.storage import get_storage

    site = site_with_badges(3)
    job_id = post_batch(client, api_headers(organiser), site).get_json()["job"]["id"]
    assert queue.run_pending(limit=1) == 1  # planned, its one chunk queued
    kind = JOB_KINDS["badge_batch"]

    def render_while_the_other_copy_completes_the_job(prepared):
        data = kind.render(prepared)
        with db.engine.begin() as other_worker:
            other_worker.execute(
                db.update(Job).where(Job.id == job_id).values(status="done", progress=1.0)
            )
        return data

    monkeypatch.setitem(
        JOB_KINDS,
        "badge_batch",
        replace(kind, render=render_while_the_other_copy_completes_the_job),
    )
    queue.run_pending()
    storage = get_storage()
    assert not storage.exists(f"jobs/{job_id}/parts/00000")
    assert db.session.get(Job, job_id).status == "done"


@given(count=st.integers(1, 5000), sheets_per_chunk=st.integers(1, 50))
def test_chunks_cover_every_badge_once_as_evenly_as_whole_sheets_allow(count, sheets_per_chunk):
    size = 4 * sheets_per_chunk
    chunks = math.ceil(count / size)
    bounds = [chunk_bounds(count, chunks, index) for index in range(chunks)]
    assert bounds[0][0] == 0 and bounds[-1][1] == count
    assert all(
        end == following for (_s, end), (following, _e) in zip(bounds, bounds[1:], strict=False)
    )
    sizes = [end - start for start, end in bounds]
    assert all(0 < n <= size for n in sizes)
    assert all(n % 4 == 0 for n in sizes[:-1])  # whole A4 sheets but in the last chunk
    # one sheet at most between two chunks (and the last one's partial sheet): no short chunk
    assert max(sizes) - min(sizes[:-1] or sizes) <= 4 and max(sizes) - sizes[-1] < 8


def test_the_salons_badges_are_cut_in_even_chunks():
    sizes = [end - start for start, end in (chunk_bounds(1280, 22, i) for i in range(22))]
    assert sizes == [60] * 12 + [56] * 10
    assert sum(sizes[0::2]) == sum(sizes[1::2]) == 640  # two workers taking them in turn


def test_a_second_start_waits_for_the_planner_and_queues_nothing_twice(
    app, client, site_with_badges, organiser, api_headers
):
    """The reaper may queue a job's start again while the first start is planning it: the
    second waits for the job row, then finds the job planned (no chunk is queued twice)."""
    app.config["BADGES_PER_CHUNK"] = 4
    site = site_with_badges(8)
    job_id = post_batch(client, api_headers(organiser), site).get_json()["job"]["id"]
    db.session.rollback()
    assert queue.huey.pending_count() == 1  # its start
    holding, engine = threading.Event(), db.engine

    def first_start_planning():  # holds the job row, plans it, commits a second later
        with engine.connect() as planner:
            planner.execute(select(Job.id).where(Job.id == job_id).with_for_update())
            planner.execute(
                update(Job).where(Job.id == job_id).values(status="running", chunks_total=2)
            )
            holding.set()
            time.sleep(1.0)
            planner.commit()

    first = threading.Thread(target=first_start_planning)
    first.start()
    assert holding.wait(10)
    started = time.monotonic()
    assert queue.run_pending(limit=1) == 1  # the second start
    waited = time.monotonic() - started
    first.join()
    assert waited > 0.5  # it waited for the planner's commit
    assert queue.huey.pending_count() == 0  # and queued no chunk of its own
    job = db.session.get(Job, job_id, populate_existing=True)
    assert (job.status, job.chunks_total) == ("running", 2)
    db.session.rollback()


def test_chunks_finishing_at_once_count_each_others_parts_and_the_job_is_joined(
    app, client, site_with_badges, organiser, api_headers
):
    """A chunk records its part while holding the job's row: one finishing while the other
    records waits for it, then counts both parts and joins the job (on PostgreSQL both counted
    without the other's uncommitted part, and the job stayed running until the reaper came)."""
    app.config["BADGES_PER_CHUNK"] = 4
    site = site_with_badges(8)
    job_id = post_batch(client, api_headers(organiser), site).get_json()["job"]["id"]
    db.session.rollback()
    assert queue.run_pending(limit=1) == 1  # planned: two chunks
    holding, engine = threading.Event(), db.engine

    def other_chunk_recording():  # records part 1 and commits a second later
        with engine.connect() as other:
            other.execute(insert(JobPart).values(job_id=job_id, index=1, done_at=utc_now()))
            holding.set()
            time.sleep(1.0)
            other.commit()

    other = threading.Thread(target=other_chunk_recording)
    other.start()
    assert holding.wait(10)
    started = time.monotonic()
    last = queue.record_part(job_id, 0)
    waited = time.monotonic() - started
    other.join()
    assert last is True  # it saw the other chunk's part: it is the one that joins
    assert waited > 0.5
    assert db.session.get(Job, job_id, populate_existing=True).progress == pytest.approx(
        chunk_progress(2, 2)
    )
    db.session.rollback()


def test_a_batch_plans_the_valid_badges_ids_in_print_order(app, site_with_badges, organiser):
    """The plan reads ids only, in the order of the site's badge page; revoked badges and, for
    reprints, badges not chosen are left out, whatever order the reprints were asked in."""
    site = site_with_badges(7)
    badges = services.site_badges(site)
    services.revoke_badge(badges[2], organiser, "Lost", tell=False)
    db.session.commit()
    whole = Job(kind="badge_batch", params={"site_id": None, "layout": "single"})
    whole.edition_id = site.edition_id
    app.config["BADGES_PER_CHUNK"] = 4
    assert plan_badge_batch(whole) == 2  # 6 badges, 4 to a chunk
    valid = [badge.id for badge in badges if badge is not badges[2]]
    assert whole.params["planned_badge_ids"] == valid
    chosen = [badges[5].id, badges[2].id, badges[0].id]
    reprints = Job(kind="badge_batch", params={"site_id": site.id, "badge_ids": chosen})
    assert plan_badge_batch(reprints) == 1
    assert reprints.params["planned_badge_ids"] == [badges[0].id, badges[5].id]
