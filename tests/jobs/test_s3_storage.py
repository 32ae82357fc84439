"""S3-compatible object storage (core/storage.py) against a real S3 server (moto's, over HTTP):
the storage's interface, and a badge batch rendered by a real worker into the bucket, downloaded
streamed or through a presigned URL, then swept when it expires."""

import time
import uuid
from datetime import timedelta

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import queue
from core.extensions import db
from core.jobs import Job
from core.storage import LocalStorage, S3Storage
from core.timeutil import utc_now
from tests.jobs.conftest import wait_for
from tests.pdf_tools import pdf_page_count


def bucket_keys(storage):
    listing = storage.client.list_objects_v2(Bucket=storage.bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_the_s3_storage_writes_reads_streams_and_deletes_under_its_prefix(s3_storage):
    assert isinstance(s3_storage, S3Storage)
    s3_storage.put("jobs/a/result", b"x" * 200_000)
    s3_storage.put("jobs/a/parts/00000", b"part")
    s3_storage.put("jobs/b/result", b"other")
    s3_storage.put("jobs/a/result", b"second")  # a retried job writes the same key again
    assert s3_storage.get("jobs/a/result") == b"second"
    assert b"".join(s3_storage.stream("jobs/b/result")) == b"other"
    assert s3_storage.exists("jobs/a/parts/00000") and not s3_storage.exists("jobs/c/result")
    assert bucket_keys(s3_storage) == [
        "results/jobs/a/parts/00000",
        "results/jobs/a/result",
        "results/jobs/b/result",
    ]
    s3_storage.delete_prefix("jobs/a")
    assert bucket_keys(s3_storage) == ["results/jobs/b/result"]
    assert s3_storage.delete_older_than("jobs", utc_now() - timedelta(minutes=5)) == 0
    assert s3_storage.delete_older_than("jobs", utc_now() + timedelta(minutes=5)) == 1
    assert bucket_keys(s3_storage) == []


def test_keys_cannot_leave_the_prefix_or_the_folder(s3_storage, tmp_path):
    local = LocalStorage(tmp_path / "files")
    for storage in (s3_storage, local):
        for key in ("../secret", "jobs/../../x", "/etc/passwd"):
            try:
                storage.put(key, b"no")
            except ValueError:
                continue
            raise AssertionError(f"{key!r} accepted by {storage}")
    assert bucket_keys(s3_storage) == []


def test_the_local_storage_sweeps_files_by_age(tmp_path):
    storage = LocalStorage(tmp_path / "files")
    storage.put("jobs/a/result", b"pdf")
    assert b"".join(storage.stream("jobs/a/result")) == b"pdf"
    assert storage.delete_older_than("jobs", utc_now() - timedelta(minutes=5)) == 0
    assert storage.delete_older_than("jobs", utc_now() + timedelta(minutes=5)) == 1
    assert not storage.exists("jobs/a/result")


def test_a_real_worker_writes_a_badge_batch_to_s3_and_it_is_downloaded_then_swept(
    app, client, site_with_badges, organiser, api_headers, start_worker, s3_storage, make_user
):
    site = site_with_badges(5)
    headers = api_headers(organiser)
    start_worker(workers=1)
    response = client.post(
        f"/api/v1/editions/{site.edition.slug}/badge-batches",
        json={"site": site.slug, "layout": "a6"},
        headers=headers,
    )
    assert response.status_code == 202
    job_id = response.get_json()["job"]["id"]
    job = wait_for(job_id, lambda job: job.status in ("done", "failed"))
    assert job.status == "done", job.error
    deadline = time.monotonic() + 10  # the parts go right after the job is marked done
    while len(bucket_keys(s3_storage)) > 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert bucket_keys(s3_storage) == [f"results/jobs/{job_id}/result"]

    streamed = client.get(f"/api/v1/jobs/{job_id}/result", headers=headers)
    assert streamed.status_code == 200
    assert streamed.headers["Content-Length"] == str(job.result_size)
    assert "attachment" in streamed.headers["Content-Disposition"]
    assert pdf_page_count(streamed.data) == 5

    app.config["STORAGE_PRESIGNED_DOWNLOADS"] = True
    redirected = client.get(f"/api/v1/jobs/{job_id}/result", headers=headers)
    assert redirected.status_code == 302
    link = redirected.headers["Location"]
    assert link.startswith(app.config["S3_ENDPOINT_URL"]) and "Signature" in link
    fetched = requests.get(link, timeout=10)  # no bearer token: the link itself is the key
    assert fetched.status_code == 200 and fetched.content == streamed.data
    assert fetched.headers["Content-Disposition"] == streamed.headers["Content-Disposition"]
    other = api_headers(make_user("organiser"))
    assert client.get(f"/api/v1/jobs/{job_id}/result", headers=other).status_code == 404

    expired = db.session.get(Job, job_id).expires_at + timedelta(minutes=1)
    db.session.rollback()
    assert queue.delete_expired_jobs(expired) == 1
    db.session.commit()
    assert bucket_keys(s3_storage) == []


SEGMENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=12)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    segments=st.lists(SEGMENT, min_size=1, max_size=4),
    climb=st.integers(min_value=-1, max_value=4),
    data=st.binary(max_size=64),
)
def test_a_key_stays_under_the_root_or_is_refused(tmp_path, segments, climb, data):
    """The same rule on both storages: a key with a ".." anywhere is refused; any other names a
    place under the root (the prefix), and what is put there is read back."""
    local = LocalStorage(tmp_path / uuid.uuid4().hex)
    s3 = S3Storage(client=None, bucket="b", prefix="results")
    if climb >= 0:
        segments = segments[:climb] + [".."] + segments[climb:]
        key = "/".join(segments)
        with pytest.raises(ValueError):
            s3.name(key)
        with pytest.raises(ValueError):
            local.put(key, data)
        return
    key = "/".join(segments)
    assert s3.name(key) == f"results/{key}"
    local.put(key, data)
    assert local.get(key) == data and b"".join(local.stream(key)) == data
