"""Messages from the organisers to many cooperatives, sent by a job (booths/services/
bulk_messages.py): the exhibitors of a site or of every site, the registry by agreement status;
each person in their language and channel; a chunk run again or a retried job never writes
twice to the same cooperative."""

from accounts.models import OutboundMessage
from booths.models import Application
from core import queue
from core.extensions import db
from core.jobs import Job, JobPart
from tests.jobs.conftest import wait_for

MESSAGE = {
    "subject": "Montage des stands",
    "body": "Le montage commence jeudi à 8 h.",
    "subject_ar": "تركيب الأروقة",
    "body_ar": "يبدأ التركيب يوم الخميس على الساعة الثامنة.",
}


def exhibitors(site):
    return [
        application.cooperative
        for application in db.session.query(Application).filter_by(
            site_id=site.id, status="approved"
        )
    ]


def bodies():
    messages = db.session.query(OutboundMessage).filter_by(event="organiser_message").all()
    found = sorted((message.address, message.language, message.body_text) for message in messages)
    db.session.rollback()
    return found


def test_a_real_worker_writes_to_every_exhibitor_of_a_site_in_their_language(
    app, client, login, organiser, make_user, site_with_badges, start_worker
):
    site = site_with_badges(7)  # three cooperatives exhibit there
    first, *others = exhibitors(site)
    member = make_user("cooperative", cooperative=first)
    member.email, member.language, member.notify_by = "member@example.ma", "ar", "email"
    db.session.commit()
    app.config["BULK_MESSAGES_PER_CHUNK"] = 1  # one chunk per cooperative: the progress moves
    start_worker(workers=2)
    login(organiser)
    url = f"/editions/{site.edition.slug}/messages"
    assert f"({len(others) + 1})" in client.get(url).get_data(as_text=True)
    response = client.post(f"{url}?lang=en", data={**MESSAGE, "audience": site.slug})
    assert response.status_code == 302
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    job = wait_for(job_id, lambda job: job.status in ("done", "failed"))
    assert job.status == "done", job.error
    assert job.chunks_total == 3
    assert job.summary == {"audience": 3, "reached": 3, "nobody": 0}
    sent = bodies()
    assert len(sent) == 3  # the member for the first cooperative, the contacts of the others
    arabic = [body for address, language, body in sent if address == "member@example.ma"]
    assert language_of(sent, "member@example.ma") == "ar"
    assert MESSAGE["body_ar"] in arabic[0] and MESSAGE["body"] not in arabic[0]
    assert all(MESSAGE["body"] in body for address, _l, body in sent if address != member.email)
    page = client.get(f"/jobs/{job_id}?lang=en").get_data(as_text=True)
    assert "Written to 3 of 3 cooperatives" in page
    report = client.get(f"/jobs/{job_id}/download?lang=en").data.decode("utf-8-sig")
    assert len(report.strip().splitlines()) == 4  # a header and one row per cooperative


def language_of(sent, address):
    return next(language for where, language, _body in sent if where == address)


def test_a_chunk_run_again_or_a_retried_job_never_writes_twice(
    app, client, login, organiser, site_with_badges
):
    site = site_with_badges(4)  # two cooperatives
    app.config["BULK_MESSAGES_PER_CHUNK"] = 1
    login(organiser)
    response = client.post(f"/editions/{site.edition.slug}/messages", data=MESSAGE)
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    queue.run_pending()
    assert len(bodies()) == 2
    # A worker died after writing, before its chunk was recorded: the chunks run again.
    db.session.query(JobPart).filter_by(job_id=job_id).delete()
    db.session.query(Job).filter_by(id=job_id).update({"status": "running"})
    db.session.commit()
    for index in range(2):
        queue.run_chunk(job_id, index)
    queue.run_pending()
    assert len(bodies()) == 2
    report = client.get(f"/jobs/{job_id}/download").data.decode("utf-8-sig")
    assert len(report.strip().splitlines()) == 3  # the chunks run again still name everyone
    # Marked failed, then retried from the start by its owner: still nobody written to twice.
    db.session.query(Job).filter_by(id=job_id).update({"status": "failed"})
    db.session.commit()
    assert client.post(f"/jobs/{job_id}/retry").status_code == 302
    queue.run_pending()
    assert db.session.get(Job, job_id, populate_existing=True).status == "done"
    assert len(bodies()) == 2


def test_the_registry_is_written_to_by_agreement_status(
    app, client, login, organiser, make_cooperative, make_user
):
    make_cooperative(agreement_status="signed")
    make_cooperative(agreement_status="applicant", email=None, phone="")
    login(organiser)
    page = client.get("/cooperatives/messages?lang=en").get_data(as_text=True)
    assert "Every cooperative of the registry (2)" in page and "applicant (1)" in page
    response = client.post("/cooperatives/messages", data={**MESSAGE, "audience": "applicant"})
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    queue.run_pending()
    job = db.session.get(Job, job_id, populate_existing=True)
    assert job.summary == {"audience": 1, "reached": 0, "nobody": 1}
    assert bodies() == []
    empty = client.post("/cooperatives/messages?lang=en", data={**MESSAGE, "audience": "suspended"})
    assert empty.status_code == 422 and "Nobody to write to" in empty.get_data(as_text=True)
    blank = client.post("/cooperatives/messages?lang=en", data={"subject": "", "body": ""})
    assert blank.status_code == 422 and "Write a subject and a message." in blank.get_data(True)
    login(make_user("cooperative"))
    assert client.get("/cooperatives/messages").status_code == 403
    assert client.get(f"/jobs/{job_id}").status_code == 404
