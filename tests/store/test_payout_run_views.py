"""Payout run pages: build, preview, post (once, even posted twice), the bank file download,
the statement upload with a choice to make, and the cooperative's payee page; roles enforced."""

import base64
import re
from datetime import date

from core.extensions import db
from store.models import Payout
from store.payout_models import Payee, PayoutRun, PayoutRunTransfer
from tests.store.test_payout_runs import RIB, market  # noqa: F401 (the fixture)


def csrf_free(app):
    app.config["WTF_CSRF_ENABLED"] = False


def test_an_organiser_builds_previews_and_posts_a_run(app, market, organiser, login, client):  # noqa: F811
    csrf_free(app)
    slug = market["edition"].slug
    login(organiser)
    page = client.get(f"/store/editions/{slug}/payout-runs")
    assert page.status_code == 200 and 'value="50.00"' in page.get_data(as_text=True)
    answer = client.post(
        f"/store/editions/{slug}/payout-runs", data={"up_to": "2024-05-10", "minimum": "0"}
    )
    run = db.session.query(PayoutRun).one()
    assert answer.status_code == 302 and answer.location.endswith(f"/store/payout-runs/{run.id}")
    preview = client.get(f"/store/payout-runs/{run.id}").get_data(as_text=True)
    for text in ("Miel du Rif", "Argan Essaouira", "0661234567", "105,00", "Figues Ouezzane"):
        assert text in preview
    assert "Ni RIB ni portefeuille" in preview  # figs carried forward, said in words
    assert "no_payee" not in preview and "wallet" not in preview.replace("portefeuille", "")
    sheet = client.get(f"/store/payout-runs/{run.id}/transfers.csv")
    assert sheet.status_code == 200 and f"SOUK-R{run.id}-C" in sheet.get_data(as_text=True)
    form = {"paid_on": "2024-05-20", "paid_time": "09:00", "reference": "LOT-55"}
    first = client.post(f"/store/payout-runs/{run.id}/post", data=form)
    second = client.post(f"/store/payout-runs/{run.id}/post", data={**form, "reference": "LOT-56"})
    assert first.status_code == second.status_code == 302
    db.session.expire_all()
    assert {p.reference for p in db.session.query(Payout).filter(Payout.paid_at.isnot(None))} == {
        "LOT-55"
    }
    page = client.get(f"/store/payout-runs/{run.id}").get_data(as_text=True)
    assert "déjà validé" in page and "LOT-55" in page


def test_bad_input_is_answered_next_to_its_field(app, market, organiser, login, client):  # noqa: F811
    csrf_free(app)
    slug = market["edition"].slug
    login(organiser)
    answer = client.post(
        f"/store/editions/{slug}/payout-runs", data={"up_to": "2024-05-10", "minimum": "abc"}
    )
    assert answer.status_code == 422
    assert "Le minimum doit être un montant en MAD" in answer.get_data(as_text=True)
    client.post(f"/store/editions/{slug}/payout-runs", data={"up_to": "2024-05-10", "minimum": "0"})
    run = db.session.query(PayoutRun).one()
    answer = client.post(
        f"/store/payout-runs/{run.id}/post", data={"paid_on": "2024-05-20", "reference": ""}
    )
    assert answer.status_code == 422
    assert db.session.query(Payout).filter(Payout.paid_at.isnot(None)).count() == 0


def test_the_statement_page_asks_a_person_to_choose(app, market, organiser, login, client):  # noqa: F811
    csrf_free(app)
    slug = market["edition"].slug
    login(organiser)
    client.post(f"/store/editions/{slug}/payout-runs", data={"up_to": "2024-05-10", "minimum": "0"})
    run = db.session.query(PayoutRun).one()
    client.post(
        f"/store/payout-runs/{run.id}/post", data={"paid_on": "2024-05-20", "reference": "LOT-1"}
    )
    argan = db.session.query(PayoutRunTransfer).filter_by(method="wallet").one()
    raw = b"date,amount,reference\n2024-05-20,-70.00,VIREMENT\n2024-05-20,-3.00,FRAIS\n"
    content = base64.b64encode(raw).decode()
    page = client.post(f"/store/editions/{slug}/bank-statement", data={"content": content})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(rf'name="choice-2" value="{argan.id}"', text)
    assert "aucun virement de ce montant" in text
    done = client.post(
        f"/store/editions/{slug}/bank-statement",
        data={"content": content, "confirm": "1", "choice-2": str(argan.id)},
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(PayoutRunTransfer, argan.id).reconciled_at is not None
    refused = client.post(f"/store/editions/{slug}/bank-statement", data={})
    assert refused.status_code == 422


def test_a_cooperative_chooses_its_wallet_and_reads_the_field_error(
    app, make_cooperative, make_user, login, client
):
    csrf_free(app)
    cooperative = make_cooperative(bank_account=RIB)
    login(make_user("cooperative", cooperative=cooperative))
    assert "RIB" in client.get("/store/me/payee").get_data(as_text=True)
    bad = client.post("/store/me/payee", data={"method": "wallet", "wallet_phone": "0522"})
    assert bad.status_code == 422
    assert "Le numéro du portefeuille mobile doit être" in bad.get_data(as_text=True)
    good = client.post(
        "/store/me/payee", data={"method": "wallet", "wallet_phone": "07 12 34 56 78"}
    )
    assert good.status_code == 302
    assert db.session.get(Payee, cooperative.id).wallet_phone == "0712345678"


def test_runs_are_for_organisers_only(market, make_user, login, client, organiser):  # noqa: F811
    from store.services.payout_runs import build_payout_run

    run = build_payout_run(market["edition"], date(2024, 5, 10), 0, organiser)
    db.session.commit()
    login(make_user("cooperative", cooperative=market["coops"][0]))
    assert client.get(f"/store/payout-runs/{run.id}").status_code == 403
    assert client.get(f"/store/editions/{market['edition'].slug}/payout-runs").status_code == 403
