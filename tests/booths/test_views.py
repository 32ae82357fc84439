"""Pages: access for every role, the cooperative's own space, forms and their errors."""

import io
import re

import pytest

from booths import services
from booths.models import Application, Badge, Cooperative, Stall
from core import queue
from core.extensions import db
from tests.html_tools import hidden_inputs
from tests.pdf_tools import pdf_qr_codes


@pytest.fixture
def world(app, future_edition, organiser, make_plan, make_application, make_cooperative):
    edition = future_edition()
    site = edition.sites[0]
    make_plan(site, standard=6, food_share=1.0)
    mine = make_cooperative(name_latin="Coopérative Mine")
    other = make_cooperative(name_latin="Coopérative Autre")
    make_application(mine, site)
    other_application = make_application(other, site)
    services.allocate_stalls(site, organiser)
    db.session.commit()
    other_badge = db.session.query(Badge).filter_by(cooperative_id=other.id).one()
    return {
        "edition": edition,
        "site": site,
        "mine": mine,
        "other": other,
        "other_application": other_application,
        "other_badge": other_badge,
        "stall": other_application.stall,
    }


def organiser_pages(world):
    e, s = world["edition"].slug, world["site"].slug
    base = f"/editions/{e}/sites/{s}"
    return [
        ("get", "/cooperatives"),
        ("get", "/cooperatives.csv"),
        ("get", "/cooperatives/new"),
        ("get", f"/cooperatives/{world['other'].id}"),
        ("get", f"/cooperatives/{world['other'].id}/edit"),
        ("post", f"/cooperatives/{world['other'].id}/agreement"),
        ("post", f"/cooperatives/{world['other'].id}/account"),
        ("get", "/cooperatives/import"),
        ("post", "/cooperatives/import/confirm"),
        ("get", f"/editions/{e}/applications"),
        ("post", f"/applications/{world['other_application'].id}/decision"),
        ("get", f"{base}/floor-plan"),
        ("get", f"{base}/floor-plan.pdf"),
        ("post", f"{base}/floor-plan/generate"),
        ("post", f"{base}/floor-plan/ground"),
        ("post", f"{base}/stalls"),
        ("get", f"{base}/stalls/{world['stall'].id}"),
        ("post", f"{base}/stalls/{world['stall'].id}/delete"),
        ("post", f"{base}/stalls/{world['stall'].id}/assign"),
        ("post", f"{base}/stalls/{world['stall'].id}/pin"),
        ("post", f"{base}/allocate"),
        ("post", f"{base}/allocation/clear"),
        ("get", f"{base}/badges"),
        ("post", f"{base}/badges/issue"),
        ("get", f"{base}/badges.pdf"),
        ("post", f"/badges/{world['other_badge'].id}/revoke"),
        ("post", f"/badges/{world['other_badge'].id}/reissue"),
    ]


@pytest.mark.parametrize("role", ["anonymous", "volunteer", "cashier", "cooperative"])
def test_organiser_pages_are_closed_to_other_roles(app, client, world, make_user, login, role):
    if role == "cooperative":
        login(make_user("cooperative", cooperative=world["mine"]))
    elif role != "anonymous":
        login(make_user(role))
    for method, url in organiser_pages(world):
        response = getattr(client, method)(url)
        expected = (302,) if role == "anonymous" else (403,)
        assert response.status_code in expected, (role, method, url, response.status_code)
    # Nothing changed.
    assert world["other_badge"].revoked_at is None
    assert db.session.query(Stall).filter(Stall.application_id.isnot(None)).count() == 2


def test_organiser_sees_every_page(app, client, world, organiser, login):
    login(organiser)
    for method, url in organiser_pages(world):
        if method == "get":
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)


@pytest.mark.parametrize("role", ["anonymous", "volunteer", "cashier", "organiser"])
def test_cooperative_space_is_for_cooperative_users(app, client, world, make_user, login, role):
    if role != "anonymous":
        login(make_user(role))
    for url in ("/my/cooperative", "/my/badges.pdf"):
        assert client.get(url).status_code == (302 if role == "anonymous" else 403)


def test_a_cooperative_sees_only_its_own(app, client, world, coop_login):
    coop_login(world["mine"])
    page = client.get("/my/cooperative").get_data(as_text=True)
    assert "Coopérative Mine" in page and "Coopérative Autre" not in page
    mine_badge = db.session.query(Badge).filter_by(cooperative_id=world["mine"].id).one()
    assert client.get(f"/badges/{mine_badge.id}.pdf").status_code == 200
    assert client.get(f"/badges/{world['other_badge'].id}.pdf").status_code == 403
    assert client.get("/badges/999999.pdf").status_code == 404
    pdf = client.get("/my/badges.pdf")
    assert pdf.status_code == 200 and pdf_qr_codes(pdf.data) == [mine_badge.code]
    assert client.get(f"/my/badges.pdf?site={world['site'].id + 1000}").status_code == 404
    # The plan in the cooperative's space shows where its stall is, without other names.
    assert f'data-code="{mine_badge.stall.code}"' in page and "highlight" in page


def test_a_cooperative_applies_for_itself_only(app, client, world, future_edition, coop_login):
    coop_login(world["mine"])
    site = next(one for one in world["edition"].sites if one.id != world["site"].id)
    form = {
        "cooperative_id": str(world["other"].id),  # ignored for a cooperative user
        "stall_type": "standard",
        "needs": ["water"],
        "products": "miel",
        "representative_1_name": "Aicha",
        "representative_1_phone": "0612345678",
    }
    response = client.post(f"/editions/{world['edition'].slug}/sites/{site.slug}/apply", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    application = db.session.query(Application).filter_by(site_id=site.id).one()
    assert application.cooperative_id == world["mine"].id
    again = client.post(
        f"/editions/{world['edition'].slug}/sites/{site.slug}/apply",
        data=form,
        headers={"Accept-Language": "en"},
    )
    assert again.status_code == 422 and "already applied" in again.get_data(as_text=True)


def test_application_form_shows_errors(app, client, world, coop_login):
    coop_login(world["mine"])
    site = next(one for one in world["edition"].sites if one.id != world["site"].id)
    response = client.post(
        f"/editions/{world['edition'].slug}/sites/{site.slug}/apply",
        data={"stall_type": "standard", "products": "miel"},
    )
    assert response.status_code == 422
    assert db.session.query(Application).filter_by(site_id=site.id).count() == 0


def test_public_registration(app, client):
    page = client.get("/cooperatives/register")
    assert page.status_code == 200
    form = {
        "name_ar": "تعاونية الأمل",
        "name_latin": "Coopérative Al Amal",
        "legal_form": "association",
        "registration_number": "ASSO-77",
        "city": "Taza",
        "sectors": ["carpets"],
        "members": "12",
        "women_members": "12",
        "young_members": "4",
        "contact_name": "Itto",
        "phone": "0655443322",
        "consent": "y",
    }
    response = client.post("/cooperatives/register", data=form)
    assert response.status_code == 200 and "Al Amal" in response.get_data(as_text=True)
    cooperative = db.session.query(Cooperative).one()
    assert cooperative.agreement_status == "applicant" and cooperative.province == "Taza"
    duplicate = client.post("/cooperatives/register", data=form)
    assert duplicate.status_code == 422 and "ASSO-77" in duplicate.get_data(as_text=True)
    arabic = client.get("/cooperatives/register?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in arabic


def test_public_registration_is_rate_limited(app, client):
    app.config["PUBLIC_FORM_LIMIT"] = "2 per hour"
    statuses = [client.post("/cooperatives/register", data={}).status_code for _ in range(3)]
    assert statuses == [422, 422, 429]


def test_public_registration_needs_the_csrf_token(app_config):
    from app import create_app

    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        response = app.test_client().post("/cooperatives/register", data={"name_latin": "X"})
        assert response.status_code == 400


def test_import_preview_then_confirm(app, client, organiser, login):
    login(organiser)
    raw = "name_latin,registration_number,city,sectors\nCoop Une,IMP-1,Fès,honey\n".encode()
    preview = client.post(
        "/cooperatives/import",
        data={"file": (io.BytesIO(raw), "coops.csv")},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "IMP-1" in html and db.session.query(Cooperative).count() == 0
    done = client.post("/cooperatives/import/confirm", data=hidden_inputs(html, "upload", "once"))
    assert done.status_code == 302 and "/jobs/" in done.headers["Location"]
    queue.run_pending()  # the import runs as a job (tests/jobs/test_import_jobs.py)
    assert db.session.query(Cooperative).one().registration_number == "IMP-1"


def test_import_of_a_bad_file_reports_and_imports_nothing(app, client, organiser, login):
    login(organiser)
    raw = "name_latin;registration_number;city;sectors;province\nCoop;X-1;Fès;honey;Narnia\n"
    response = client.post(
        "/cooperatives/import",
        data={"file": (io.BytesIO(raw.encode()), "coops.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "Narnia" in response.get_data(as_text=True)
    assert 'name="once"' not in response.get_data(as_text=True)  # no import offered
    confirm = client.post("/cooperatives/import/confirm", data={"upload": "x", "once": "y"})
    assert confirm.status_code == 302 and confirm.headers["Location"].endswith("/import")
    assert db.session.query(Cooperative).count() == 0
    latin1 = client.post(
        "/cooperatives/import",
        data={"file": (io.BytesIO("name_latin,é\n".encode("latin-1")), "coops.csv")},
        content_type="multipart/form-data",
    )
    assert latin1.status_code == 422


def test_registry_filters_and_export(app, client, organiser, login, make_cooperative):
    make_cooperative(name_latin="Miel d'Ifrane", province="Ifrane", city="Ifrane")
    make_cooperative(name_latin="Tapis de Taza", sectors=["carpets"], main_sector="carpets")
    login(organiser)
    page = client.get("/cooperatives?sector=carpets").get_data(as_text=True)
    assert "Tapis de Taza" in page and "Miel d&#39;Ifrane" not in page
    export = client.get("/cooperatives.csv?province=Ifrane")
    assert export.headers["Content-Type"].startswith("text/csv")
    text = export.data.decode("utf-8-sig")
    assert "Miel d'Ifrane" in text and "Tapis" not in text


def test_agreement_review_gives_an_account(app, client, organiser, login, make_cooperative):
    cooperative = make_cooperative(agreement_status="under_review")
    login(organiser)
    response = client.post(
        f"/cooperatives/{cooperative.id}/agreement",
        data={"status": "signed"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert cooperative.agreement_status == "signed"
    from accounts.models import User

    assert db.session.query(User).filter_by(cooperative_id=cooperative.id).count() == 1


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        ("applicant", ["under_review"]),
        ("under_review", ["applicant", "signed"]),
        ("signed", ["suspended"]),
        ("suspended", ["signed"]),
    ],
)
def test_review_form_offers_only_the_allowed_moves(
    client, organiser, login, make_cooperative, status, offered
):
    login(organiser)
    cooperative = make_cooperative(agreement_status=status)
    page = client.get(f"/cooperatives/{cooperative.id}").get_data(as_text=True)
    select = page[page.index('<select id="status"') :].split("</select>")[0]
    assert re.findall(r'<option[^>]*value="([a-z_]+)"', select) == offered


def test_floor_plan_page_draws_the_svg_and_allocates(app, client, world, organiser, login):
    login(organiser)
    url = f"/editions/{world['edition'].slug}/sites/{world['site'].slug}"
    page = client.get(f"{url}/floor-plan").get_data(as_text=True)
    assert "<svg" in page and "Coopérative Autre" in page and 'data-code="A-01"' in page
    occupied = db.session.query(Stall).filter(Stall.application_id.isnot(None)).count()
    confirm = client.post(f"{url}/allocation/clear")  # no confirmation: nothing happens
    assert confirm.status_code == 200 and 'name="confirmed"' in confirm.get_data(as_text=True)
    assert db.session.query(Stall).filter(Stall.application_id.isnot(None)).count() == occupied
    assert client.post(f"{url}/allocation/clear", data={"confirmed": "1"}).status_code == 302
    assert db.session.query(Stall).filter(Stall.application_id.isnot(None)).count() == 0
    assert client.post(f"{url}/allocate").status_code == 302
    assert db.session.query(Stall).filter(Stall.application_id.isnot(None)).count() == 2
    overlapping = client.post(
        f"{url}/stalls",
        data={
            "code": "Z-01",
            "x_m": "0",
            "y_m": "3",
            "width_m": "3",
            "depth_m": "3",
            "zone": "food",
        },
    )
    assert overlapping.status_code == 422 and "A-0" in overlapping.get_data(as_text=True)
    too_big = client.post(f"{url}/floor-plan/generate", data={"standard": "200"})
    assert too_big.status_code == 422
    pdf = client.get(f"{url}/floor-plan.pdf")
    assert pdf.headers["Content-Type"] == "application/pdf"


def test_decision_page_flow(app, client, world, organiser, login):
    login(organiser)
    application = world["other_application"]
    response = client.post(
        f"/applications/{application.id}/decision", data={"decision": "rejected", "reason": ""}
    )
    assert response.status_code == 302 and application.status == "approved"
    client.post(
        f"/applications/{application.id}/decision",
        data={"decision": "waitlisted", "reason": "Trop de miel"},
    )
    assert application.status == "waitlisted" and application.stall is None


def test_badge_pages_revoke_and_reissue(app, client, world, organiser, login):
    login(organiser)
    badge = world["other_badge"]
    client.post(f"/badges/{badge.id}/reissue", data={"person_name": "Nouvelle Personne"})
    assert badge.revoked
    assert db.session.query(Badge).filter_by(person_name="Nouvelle Personne").count() == 1
    sheet = client.get(
        f"/editions/{world['edition'].slug}/sites/{world['site'].slug}/badges.pdf?layout=sheet"
    )
    assert sheet.status_code == 200 and len(pdf_qr_codes(sheet.data)) == 2


def test_edition_page_links_to_booth_pages(app, client, world, organiser, login):
    login(organiser)
    page = client.get(f"/editions/{world['edition'].slug}").get_data(as_text=True)
    assert "/floor-plan" in page and "/applications" in page
