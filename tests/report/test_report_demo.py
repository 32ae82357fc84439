"""The report on the demo's reference edition (Fès-Meknès 2022): real volumes, same numbers."""

from datetime import date

import pytest

from core.extensions import db
from report.figures import edition_report
from tests.report.test_report_data import expected_figures


@pytest.fixture
def demo(app):
    from core.cli import load_demo
    from markets.services import get_edition

    load_demo(date(2026, 11, 21))
    db.session.commit()
    return get_edition("fes-meknes-2022")


def test_reference_edition_report_matches_its_raw_rows(demo, client, make_user, login):
    expected = expected_figures(demo)
    key = edition_report(demo)["key_figures"]
    for name in ("visitors", "entries", "cooperatives", "applicants", "sales_centimes"):
        assert key[name] == expected[name], name
    assert key["stall_area_m2"] == pytest.approx(expected["stall_area_m2"])
    assert key["women_members"] == expected["women_members"]
    login(make_user("organiser"))
    assert client.get(f"/editions/{demo.slug}/dashboard").status_code == 200
    response = client.get(f"/editions/{demo.slug}/report.pdf?language=ar")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
