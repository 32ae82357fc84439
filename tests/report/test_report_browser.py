"""The dashboard in headless Chromium, in Arabic: right to left, charts and their tables."""

from core import queue
from core.extensions import db
from tests.conftest import PASSWORD
from tests.report.test_report_data import build_report_world, expected_figures

# The isolation marks (LRI, RLI, FSI, PDI) that core/bidi.py puts around figures.
BIDI_MARKS = dict.fromkeys(range(0x2066, 0x206A))


def test_organiser_reads_the_dashboard_in_arabic(
    live_server, page, make_user, make_edition, make_cooperative
):
    world = build_report_world(make_edition, make_cooperative, make_user)
    edition = world["edition"]
    expected = expected_figures(edition)
    organiser = make_user("organiser", username="salma")
    base = live_server.url()
    page.goto(f"{base}/login")
    page.fill("#username", organiser.username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")

    page.goto(f"{base}/editions/{edition.slug}?lang=ar")
    with page.expect_navigation():
        page.click(f"a[href='/editions/{edition.slug}/dashboard']")
    assert page.get_attribute("html", "dir") == "rtl"
    # The back link's arrow points right, the way an Arabic page goes back; left in French.
    arrow = "link => getComputedStyle(link, '::before').content"
    assert page.eval_on_selector("a.back", arrow) == '"→\u00a0" / ""'
    assert page.locator("svg.chart").count() == 3  # the days' columns; bars are HTML lists
    assert page.locator("ul.bar-list").count() >= 4
    # Bars grow from the right: a row reads label, bar, value from right to left.
    row = page.locator("#cooperatives ul.bar-list li").first

    def boxes():
        parts = (".bar-label", ".bar-track", ".bar", ".bar-value")
        return [row.locator(part).bounding_box() for part in parts]

    label, track, bar, value = boxes()
    assert label["x"] >= track["x"] + track["width"]
    assert value["x"] + value["width"] <= track["x"]  # left of its bar, not over it
    assert abs((bar["x"] + bar["width"]) - (track["x"] + track["width"])) < 1
    # On a phone the label keeps its size (the SVG bars shrank it to 6 px) and sits over its bar.
    page.set_viewport_size({"width": 360, "height": 740})
    label, track, bar, value = boxes()
    assert label["height"] >= 16 and label["y"] + label["height"] <= track["y"] + 1
    assert abs((bar["x"] + bar["width"]) - (track["x"] + track["width"])) < 1
    assert page.evaluate("document.documentElement.scrollWidth") == 360
    # The figures day by day stay a table, one line a day, no date or figure cut in two.
    day_row = page.locator("#visitors tr[data-day]").first
    assert day_row.locator("td").count() == 5 and day_row.bounding_box()["height"] < 50
    page.set_viewport_size({"width": 1280, "height": 720})
    # The table beside the chart carries the same numbers, for screen readers too.
    row = page.locator('#visitors tr[data-site="meknes"]:not([data-day]) td').nth(2)
    figure = row.inner_text().strip().translate(BIDI_MARKS)  # the page isolates its figures
    assert figure == str(expected["sites"]["meknes"]["visitors"])
    page.goto(f"{base}/editions/{edition.slug}/dashboard?lang=fr")
    assert page.eval_on_selector("a.back", arrow) == '"←\u00a0" / ""'
    page.goto(f"{base}/editions/{edition.slug}/dashboard?lang=ar")
    # The PDF form offers Arabic and French, Arabic first chosen for an Arabic reader.
    assert page.locator("#report-language").input_value() == "ar"
    # The PDF is made by a job: its page shows the progress, then the file (static/js/jobs.js).
    with page.expect_navigation():
        page.click("form[action$='/report/jobs'] button[type=submit]")
    assert "/jobs/" in page.url and page.locator("progress").count() == 1
    db.session.rollback()  # SQLite: no transaction of ours in the worker's way
    queue.run_pending()  # a worker takes the job; the page updates itself in place
    page.wait_for_selector("[data-job-done]:not([hidden])", timeout=30000)
    assert page.locator("progress").get_attribute("value") == "1"
    with page.expect_download() as download:
        page.click("[data-job-done] a")
    assert download.value.suggested_filename == f"تقرير الشركاء - {edition.names['ar']}.pdf"
