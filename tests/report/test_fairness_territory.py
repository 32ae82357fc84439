"""The fairness report speaks of the whole region: every province of the edition's region is
listed, those without an applicant too, and provinces outside it count together by region."""

from hypothesis import given
from hypothesis import strategies as st

from booths.models import Application
from core.extensions import db
from markets import territory
from report import fairness
from tests.report.test_report_pages import cells, digits, page_tree

FES_MEKNES = [item.name_fr for item in territory.find_region("MA-03").provinces]
ANYWHERE = [item.name_fr for item in territory.provinces()]


@given(
    st.dictionaries(
        st.sampled_from(ANYWHERE),
        st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(0, 10**6)),
        max_size=20,
    )
)
def test_home_provinces_stand_alone_and_the_others_count_by_region(provinces):
    booths = {
        "by_province": {
            name: {"applicants": a, "admitted": min(a, b), "stall_area_m2": 9.0 * min(a, b)}
            for name, (a, b, _) in provinces.items()
        }
    }
    sales = [{"key": name, "centimes": values[2]} for name, values in provinces.items()]
    rows = fairness.province_rows(booths, sales, FES_MEKNES)
    home = [row["province"] for row in rows if row["kind"] == "province"]
    assert sorted(home) == sorted(FES_MEKNES)  # each once, applicants or not
    regions = {row["province"] for row in rows if row["kind"] == "region"}
    expected_regions = {
        territory.region_of(territory.province_code_for(name)).name_fr
        for name in provinces
        if name not in FES_MEKNES
    }
    assert regions == expected_regions and "Fès-Meknès" not in regions
    assert sum(row["applicants"] for row in rows) == sum(v[0] for v in provinces.values())
    assert sum(row["sales_centimes"] for row in rows) == sum(v[2] for v in provinces.values())
    kinds = [row["kind"] for row in rows]
    assert kinds == sorted(kinds, key=lambda kind: kind == "region")  # provinces first


def test_the_dashboard_lists_a_province_with_no_applicant_in_arabic(make_edition, make_user, login):
    edition = make_edition(status="published")
    client = login(make_user("organiser"))
    tree = page_tree(client.get(f"/editions/{edition.slug}/dashboard?lang=ar"))
    row = cells(tree, 'table[data-table="fairness-province"] tr[data-key="Boulemane"]')
    assert row[0] == "بولمان" and digits(row[1]) == "0"


def test_a_cooperative_from_afar_counts_for_its_region(
    make_edition, make_cooperative, make_user, login
):
    edition = make_edition(status="published")
    from_afar = make_cooperative(province="Settat", city="Settat")
    db.session.add(Application(cooperative=from_afar, site=edition.sites[0], products="miel"))
    db.session.commit()
    client = login(make_user("organiser"))
    tree = page_tree(client.get(f"/editions/{edition.slug}/dashboard?lang=fr"))
    selector = 'table[data-table="fairness-province"] tr[data-key="Casablanca-Settat"]'
    row = cells(tree, selector)
    assert row[0].startswith("Casablanca-Settat") and digits(row[1].split("(")[1]) == "1"
    assert next(tree.query_all(selector)).etree_element.get("data-kind") == "region"
    assert not list(tree.query_all('tr[data-key="Settat"]'))
