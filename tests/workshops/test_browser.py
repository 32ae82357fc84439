"""The real app in headless Chromium: the timetable in Arabic (right to left) and a visitor
registering, landing on the waiting list, and seeing the freed seat on the next visit."""

from core.extensions import db
from workshops import services


def test_arabic_timetable_and_waiting_list(live_server, page, future_edition, make_workshop):
    workshop = make_workshop(
        future_edition,
        capacity=1,
        titles={"fr": "Vendre en ligne", "ar": "البيع عبر الإنترنت"},
        room="الخيمة 1",
    )
    first = services.register_visitor(workshop, {"person_name": "Amal", "phone": "0611111111"})
    db.session.commit()
    base = live_server.url()
    day = future_edition.starts_on.isoformat()

    page.goto(f"{base}/editions/{future_edition.slug}/sites/meknes/timetable?day={day}&lang=ar")
    assert page.get_attribute("html", "dir") == "rtl"
    time_header = page.locator("table.timetable thead th").nth(0).bounding_box()
    room_header = page.locator("table.timetable thead th").nth(1).bounding_box()
    assert time_header["x"] > room_header["x"]  # the time column sits on the right
    slot = page.locator("td.slot")
    assert "البيع عبر الإنترنت" in slot.inner_text()
    page.screenshot(path="/tmp/workshops-timetable-ar.png", full_page=True)

    slot.locator("a").click()
    page.fill("#person_name", "بدر")
    page.fill("#phone", "0622222222")
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.locator("#registration-status.status-waitlisted").is_visible()
    my_page = page.url
    key = my_page.rsplit("/", 1)[1]
    db.session.expire_all()
    assert services.get_registration(key).status == "waitlisted"

    services.cancel_registration(first, None, by="person")
    db.session.commit()
    page.goto(my_page)
    assert page.locator("#promotion-news").is_visible()
    assert page.locator("#registration-status.status-registered").is_visible()
    page.goto(f"{base}/workshops/mine")
    assert "البيع عبر الإنترنت" in page.locator("main").inner_text()
