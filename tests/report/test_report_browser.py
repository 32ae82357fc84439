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
    assert page.locator("svg.chart").count() >= 6
    # Bars grow from the right: a bar chart's labels sit right of its bars.
    chart = page.locator("#cooperatives svg.chart").first
    label_box = chart.locator("text").first.bounding_box()
    bar_box = chart.locator("rect").first.bounding_box()
    assert label_box["x"] > bar_box["x"]
    value_box = chart.locator("text").nth(1).bounding_box()
    assert value_box["x"] + value_box["width"] <= bar_box["x"] + 1  # left of its bar, not over it
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
