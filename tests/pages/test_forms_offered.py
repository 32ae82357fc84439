"""Forms are offered only when sending them can succeed; otherwise the page says why (and until
when), instead of letting a person fill the whole form to be refused."""

from datetime import date, timedelta

from core.extensions import db


def test_stall_application_form_only_before_the_site_opens(client, login, make_edition, make_user):
    opened = make_edition(status="open")  # 2022: its sites opened long ago
    today = date.today()
    coming = make_edition(
        status="published", starts_on=today + timedelta(days=30), ends_on=today + timedelta(days=38)
    )
    login(make_user("cooperative"))

    closed_page = client.get(f"/editions/{opened.slug}/sites/meknes/apply?lang=en")
    html = closed_page.get_data(as_text=True)
    assert closed_page.status_code == 200
    assert 'id="applications-closed"' in html and "<form" not in html.split("<main", 1)[1]
    assert "Applications to this site closed when it opened." in html
    # Posting anyway is refused, with the same explanation, and nothing is stored.
    refused = client.post(f"/editions/{opened.slug}/sites/meknes/apply", data={})
    assert refused.status_code == 409

    open_page = client.get(f"/editions/{coming.slug}/sites/meknes/apply")
    html = open_page.get_data(as_text=True)
    assert 'name="stall_type"' in html and "applications-closed" not in html

    space = client.get("/my/cooperative").get_data(as_text=True)
    assert f"/editions/{coming.slug}/sites/meknes/apply" in space
    assert f"/editions/{opened.slug}/sites/meknes/apply" not in space


def test_sales_import_form_only_for_an_open_or_closed_edition(
    client, login, make_edition, make_user
):
    draft = make_edition(status="draft")
    login(make_user("organiser"))
    html = client.get(f"/store/editions/{draft.slug}/import").get_data(as_text=True)
    assert 'id="import-closed"' in html and 'type="file"' not in html
    opened = make_edition(status="open")
    html = client.get(f"/store/editions/{opened.slug}/import").get_data(as_text=True)
    assert 'type="file"' in html and "import-closed" not in html


def test_deposits_only_while_the_edition_is_not_closed(
    client, login, make_edition, make_user, make_cooperative
):
    closed = make_edition(status="closed")
    cooperative = make_cooperative()
    db.session.commit()
    login(make_user("organiser"))
    stock = client.get(f"/store/editions/{closed.slug}/sites/meknes/stock").get_data(as_text=True)
    assert 'id="handover-closed"' in stock and "/handover" not in stock
    handover = client.get(
        f"/store/editions/{closed.slug}/sites/meknes/handover?cooperative={cooperative.id}"
    ).get_data(as_text=True)
    assert 'id="handover-closed"' in handover and 'name="handed_by"' not in handover
