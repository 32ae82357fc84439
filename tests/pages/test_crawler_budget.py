"""The crawl's budget (tests/pages/crawler.py): duplicates of a page already judged are skipped."""

from tests.pages.crawler import SKIPPED, page_shape

BASE = "http://localhost:5000"


def test_the_start_pages_language_choice_is_the_same_page():
    assert page_shape(f"{BASE}/?lang=ar") == page_shape(f"{BASE}/")
    assert page_shape(f"{BASE}/editions/fes-2026?lang=fr&day=3") == page_shape(
        f"{BASE}/editions/meknes-2022?day=1"
    )


def test_pagination_and_sign_in_redirects_are_not_crawled_again():
    for url in ("/cooperatives?page=2", "/login?next=/scanner", "/activity?action=x&page=3"):
        assert SKIPPED.search(url), url
    for url in ("/cooperatives", "/login", "/editions/x/dashboard?day=2026-11-12"):
        assert not SKIPPED.search(url), url
