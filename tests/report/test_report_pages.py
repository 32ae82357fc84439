"""The dashboard page, the PDF and the ZIP: the figures they show against the raw rows, the
language of the PDF, and who may see them."""

import io
import re
import zipfile
from urllib.parse import quote

import cssselect2
import pytest
import tinyhtml5
from flask_babel import force_locale

from core.money import format_mad
from core.timeutil import show_date
from report.figures import edition_report
from report.tables import readable_file_names, report_tables
from tests.pdf_tools import pdf_text
from tests.report.test_report_data import build_report_world, expected_figures

ROUTES = [
    "/editions/{slug}/dashboard",
    "/editions/{slug}/report.pdf",
    "/editions/{slug}/report.zip",
]


@pytest.fixture
def world(app, make_edition, make_cooperative, make_user):
    return build_report_world(make_edition, make_cooperative, make_user)


@pytest.fixture
def organiser_client(make_user, login):
    return login(make_user("organiser"))


def digits(text):
    return re.sub(r"\D", "", text)


def squeeze(text):
    return re.sub(r"[\s\u00a0\u202f\u200e\u200f\u061c]+", "", text)


def page_tree(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    root = tinyhtml5.parse(response.get_data(as_text=True))
    return cssselect2.ElementWrapper.from_html_root(root)


def cells(tree, selector):
    found = list(tree.query_all(selector))
    assert found, selector
    return [
        "".join(cell.etree_element.itertext()).strip() for cell in found[0].query_all("td, strong")
    ]


def test_dashboard_shows_the_raw_figures(world, organiser_client):
    edition = world["edition"]
    expected = expected_figures(edition)
    tree = page_tree(organiser_client.get(f"/editions/{edition.slug}/dashboard?lang=fr"))
    for name in ("visitors", "entries", "cooperatives", "women_members", "young_members"):
        shown = cells(tree, f'#key-figures [data-figure="{name}"]')[0]
        assert digits(shown) == str(expected[name]), name
    for name in ("sales_centimes", "owed_centimes"):
        shown = cells(tree, f'#key-figures [data-figure="{name}"]')[0]
        assert digits(shown) == str(expected[name]), name
    assert digits(cells(tree, '#stalls [data-figure="stall_area_m2"]')[0]) == digits(
        f"{expected['stall_area_m2']:g}"
    )
    assert digits(cells(tree, '#stalls [data-figure="stalls_empty"]')[0]) == str(
        expected["stalls_empty"]
    )
    for slug, site in expected["sites"].items():
        row = cells(tree, f'#visitors tr[data-site="{slug}"]:not([data-day])')
        assert digits(row[2]) == str(site["visitors"])
        assert digits(row[4]) == str(site["entries"])
        for date_text, day in site["days"].items():
            row = cells(tree, f'#visitors tr[data-site="{slug}"][data-day="{date_text}"]')
            assert digits(row[2]) == str(day["visitors"]), (slug, date_text)
    for province, values in expected["provinces"].items():
        row = cells(tree, f'table[data-table="fairness-province"] tr[data-key="{province}"]')
        assert f"({values['applicants']})" in row[1]
        assert f"({values['admitted']})" in row[2]
        assert int(digits(row[4].split("(")[1])) == values["sales_centimes"]
    for workshop_figure in ("workshops", "workshop_attendance", "workshop_capacity"):
        shown = cells(tree, f'#workshops [data-figure="{workshop_figure}"]')[0]
        assert digits(shown) == str(expected[workshop_figure])
    # Bars are HTML lists (readable on a phone), columns per day SVG: 2 sites and the sales.
    assert len(list(tree.query_all("ul.bar-list"))) == 7
    assert len(list(tree.query_all("svg.chart"))) == 3


def test_dashboard_right_to_left_in_arabic(world, organiser_client):
    response = organiser_client.get(f"/editions/{world['edition'].slug}/dashboard?lang=ar")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'dir="rtl"' in html
    # The bars follow the page's direction (CSS), nothing drawn left to right by hand.
    assert html.count('<ul class="bar-list') == 7 and 'direction="rtl"' not in html
    assert "تعاونية R-MEK-1" in html  # cooperatives named in Arabic


def test_the_zip_files_are_listed_isolated_and_joined_in_arabic(app, world, organiser_client):
    """Names such as "01 ....csv" in an Arabic sentence: each in its own <bdi>, joined by "و"."""
    response = organiser_client.get(f"/editions/{world['edition'].slug}/dashboard?lang=ar")
    html = response.get_data(as_text=True)
    with app.test_request_context(), force_locale("ar"):
        names = list(readable_file_names(report_tables(edition_report(world["edition"]))).values())
    line = re.search(r'<p class="muted">[^<]*ZIP[^<]*(<bdi.*?)\.</p>', html)
    assert line is not None
    shown = re.findall(r'<bdi dir="(?:ltr|rtl)">\u2067?\u2066?(.*?)\u2069</bdi>', line.group(1))
    assert shown == names and len(names) > 3
    assert line.group(1).count("</bdi> و<bdi") == len(names) - 1


def pdf_of(client, edition, language):
    response = client.get(f"/editions/{edition.slug}/report.pdf?language={language}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    name = {"fr": "Rapport des partenaires", "ar": "تقرير الشركاء"}[language]
    readable = quote(f"{name} - {edition.names[language]}.pdf")
    assert disposition.startswith("attachment; filename=") and edition.slug not in disposition
    assert disposition.endswith(f"filename*=UTF-8''{readable}")
    return response.data


def test_french_pdf_shows_the_raw_figures(app, world, organiser_client):
    edition = world["edition"]
    expected = expected_figures(edition)
    text = squeeze(pdf_text(pdf_of(organiser_client, edition, "fr")))
    with app.test_request_context(), force_locale("fr"):
        assert squeeze(format_mad(expected["sales_centimes"])) in text
        assert squeeze(format_mad(expected["owed_centimes"])) in text
        for province, values in expected["provinces"].items():
            assert squeeze(format_mad(values["sales_centimes"])) in text, province
        for site in expected["sites"].values():  # each day as a French reader writes it
            for date_text in site["days"]:
                assert squeeze(show_date(date_text)) in text
    assert "Édition" in text  # the cover names the edition in French


def test_pdf_in_arabic_or_french_as_chosen(world, organiser_client):
    edition = world["edition"]
    arabic = pdf_text(pdf_of(organiser_client, edition, "ar"))
    french = pdf_text(pdf_of(organiser_client, edition, "fr"))
    assert "الدورة" in arabic and "الدورة" not in french
    assert "Édition" in french
    # An unknown language falls back to French.
    other = organiser_client.get(f"/editions/{edition.slug}/report.pdf?language=xx")
    assert "Édition" in pdf_text(other.data)


def test_pdf_is_reproducible(world, organiser_client):
    edition = world["edition"]
    assert pdf_text(pdf_of(organiser_client, edition, "fr")) == pdf_text(
        pdf_of(organiser_client, edition, "fr")
    )


def test_zip_download_is_byte_identical_and_holds_the_figures(world, organiser_client):
    edition = world["edition"]
    first = organiser_client.get(f"/editions/{edition.slug}/report.zip")
    second = organiser_client.get(f"/editions/{edition.slug}/report.zip")
    assert first.status_code == 200 and first.headers["Content-Type"] == "application/zip"
    assert first.data == second.data
    entry = readable_file_names(report_tables(edition_report(edition)))
    with zipfile.ZipFile(io.BytesIO(first.data)) as archive:
        names = set(archive.namelist())
        sales = archive.read(entry["sales_by_cooperative.csv"]).decode("utf-8-sig")
        readme = archive.read("README.txt").decode("utf-8")
    assert {
        entry[name]
        for name in (
            "key_figures.csv",
            "visitors_by_site_and_day.csv",
            "cooperatives_by_province.csv",
            "fairness_women_youth_led.csv",
            "sales_by_channel.csv",
            "workshops_by_topic.csv",
        )
    } <= names
    assert "centimes" in readme and f"- {entry['key_figures.csv']}" in readme
    expected = expected_figures(edition)
    for cooperative_id, amount in expected["sales_of"].items():
        number = next(c for c in world["cooperatives"].values() if c.id == cooperative_id)
        assert f"{number.registration_number},{number.name_latin}," in sales
        assert f",{amount}\r\n" in sales


def test_edition_page_links_to_the_dashboard(world, organiser_client):
    html = organiser_client.get(f"/editions/{world['edition'].slug}").get_data(as_text=True)
    assert f"/editions/{world['edition'].slug}/dashboard" in html


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("role", ["volunteer", "cashier", "cooperative"])
def test_other_roles_may_not_see_the_report(app, make_edition, make_user, login, role, route):
    edition = make_edition()
    client = login(make_user(role))
    assert client.get(route.format(slug=edition.slug)).status_code == 403


@pytest.mark.parametrize("route", ROUTES)
def test_anonymous_visitors_are_sent_to_sign_in(app, client, make_edition, route):
    edition = make_edition()
    response = client.get(route.format(slug=edition.slug))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("route", ROUTES)
def test_unknown_edition_is_404(app, organiser_client, route):
    assert organiser_client.get(route.format(slug="no-such-edition")).status_code == 404


def test_a_cooperative_user_gets_nothing_of_the_report(world, make_user, login):
    own = world["cooperatives"]["R-MEK-1"]
    client = login(make_user("cooperative", cooperative=own))
    slug = world["edition"].slug
    for route in ROUTES:
        response = client.get(route.format(slug=slug))
        assert response.status_code == 403
        body = response.get_data()
        for other in world["cooperatives"].values():
            assert other.name_latin.encode() not in body


def test_dashboard_updates_its_figures_in_place_only_while_the_edition_is_open(
    app, make_edition, organiser_client
):
    open_edition, closed_edition = make_edition(status="open"), make_edition(status="closed")
    live = organiser_client.get(f"/editions/{open_edition.slug}/dashboard").get_data(as_text=True)
    done = organiser_client.get(f"/editions/{closed_edition.slug}/dashboard").get_data(as_text=True)
    # Never a reload (axe-core: meta-refresh is critical); a small JSON feeds the key figures.
    assert 'http-equiv="refresh"' not in live and 'http-equiv="refresh"' not in done
    assert "data-live-url" in live and "data-live-toggle" in live
    assert "data-live-url" not in done
    figures = organiser_client.get(f"/editions/{open_edition.slug}/dashboard/figures.json")
    assert figures.status_code == 200
    assert "as-of" in figures.get_json()["figures"]
