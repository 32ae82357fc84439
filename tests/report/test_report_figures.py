"""The report's figures (report.figures) against the raw rows, fairness rules,
editions compared, and reproducibility of the ZIP of CSV files."""

import csv
import io
import zipfile
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.extensions import db
from core.timeutil import to_local
from report import fairness
from report.figures import edition_report
from report.tables import readable_file_names, report_tables, report_zip
from store.services.tallies import rebuild_tallies
from tests.report.test_report_data import SALES, build_report_world, expected_figures


@pytest.fixture
def world(app, make_edition, make_cooperative, make_user):
    return build_report_world(make_edition, make_cooperative, make_user)


def test_key_figures_match_the_raw_rows(world):
    edition = world["edition"]
    expected = expected_figures(edition)
    key = edition_report(edition)["key_figures"]
    for name in (
        "visitors",
        "entries",
        "tallied",
        "target",
        "applicants",
        "cooperatives",
        "members",
        "women_members",
        "young_members",
        "stall_area_m2",
        "site_area_m2",
        "stalls",
        "stalls_empty",
        "sales_centimes",
        "owed_centimes",
        "workshops",
        "workshop_attendance",
        "workshop_capacity",
    ):
        assert key[name] == expected[name], name
    assert key["paid_on_time_share"] == pytest.approx(expected["paid_on_time_share"])
    assert key["average_rating"] == pytest.approx(expected["average_rating"], abs=0.01)
    assert key["women_led"] == len(expected["women_led"] & expected["admitted_ids"])
    assert key["youth_led"] == len(expected["youth_led"] & expected["admitted_ids"])
    assert key["occupancy"] == pytest.approx(expected["stall_area_m2"] / expected["site_area_m2"])
    assert key["sale_lines"] == len(SALES)
    assert key["sales_per_cooperative_centimes"] == round(
        expected["sales_centimes"] / expected["cooperatives"]
    )


def test_visitors_per_site_and_day_match_the_scans(world):
    edition = world["edition"]
    expected = expected_figures(edition)["sites"]
    visitors = edition_report(edition)["visitors"]
    assert {site["site"] for site in visitors["sites"]} == set(expected)
    for site in visitors["sites"]:
        wanted = expected[site["site"]]
        assert (site["visitors"], site["entries"], site["tallied"]) == (
            wanted["visitors"],
            wanted["entries"],
            wanted["tallied"],
        )
        assert site["target_share"] == pytest.approx(site["visitors"] / site["target"], abs=1e-4)
        counted = {day["date"]: day for day in site["days"] if day["entries"]}
        assert set(counted) == set(wanted["days"])
        for date_text, day in counted.items():
            assert day["visitors"] == wanted["days"][date_text]["visitors"]
            assert day["entries"] == wanted["days"][date_text]["entries"]
        # 9 days from 5 to 13 November, target 5000 per site: 556 a day.
        assert {day["target"] for day in site["days"]} == {round(5000 / 9)}


def test_cooperatives_present_by_province_sector_and_legal_form(world):
    edition = world["edition"]
    expected = expected_figures(edition)
    composition = edition_report(edition)["cooperatives"]
    by_id = {c.id: c for c in world["cooperatives"].values()}
    present = [by_id[i] for i in expected["admitted_ids"]]
    for grouping, attribute in (
        ("by_province", "province"),
        ("by_sector", "main_sector"),
        ("by_legal_form", "legal_form"),
    ):
        rows = {row["key"]: row for row in composition[grouping]}
        for key in {getattr(c, attribute) for c in present}:
            group = [c for c in present if getattr(c, attribute) == key]
            assert rows[key]["cooperatives"] == len(group)
            assert rows[key]["women_members"] == sum(c.women_members for c in group)
            assert rows[key]["young_members"] == sum(c.young_members for c in group)
        assert sum(row["cooperatives"] for row in rows.values()) == len(present)


def test_sales_breakdowns_match_the_sale_lines(world):
    edition = world["edition"]
    expected = expected_figures(edition)
    sales = edition_report(edition)["sales"]
    assert {row["key"]: row["centimes"] for row in sales["by_channel"]} == expected["by_channel"]
    assert {row["id"]: row["centimes"] for row in sales["by_cooperative"]} == expected["sales_of"]
    by_province = {row["key"]: row["centimes"] for row in sales["by_province"]}
    assert by_province == {
        province: values["sales_centimes"]
        for province, values in expected["provinces"].items()
        if values["sales_centimes"]
    }
    assert sum(row["centimes"] for row in sales["by_sector"]) == expected["sales_centimes"]
    assert sum(row["centimes"] for row in sales["by_day"]) == expected["sales_centimes"]
    assert [row["key"] for row in sales["by_day"]] == sorted(row["key"] for row in sales["by_day"])


def test_payouts_paid_on_time_and_overdue(world):
    payouts = edition_report(world["edition"])["payouts"]
    # One payout per sale line: two on time, two late, one unpaid (overdue since 2022).
    assert payouts["paid_on_time_share"] == pytest.approx(2 / 5)
    unpaid = [sale for sale in SALES if sale[-1] == "unpaid"]
    overdue = sum(q * p - (q * p * 1000 + 5000) // 10000 for *_, q, p, _paid in unpaid)
    assert payouts["overdue_centimes"] == overdue
    assert payouts["paid_centimes"] + payouts["overdue_centimes"] == payouts["owed_centimes"]


def test_fairness_by_province_matches_the_raw_rows(world):
    edition = world["edition"]
    expected = expected_figures(edition)
    rows = {row["province"]: row for row in edition_report(edition)["fairness"]["provinces"]}
    assert set(rows) == set(expected["provinces"])
    totals = {
        measure: sum(values[measure] for values in expected["provinces"].values())
        for measure in fairness.MEASURES
    }
    for province, values in expected["provinces"].items():
        for measure in fairness.MEASURES:
            assert rows[province][measure] == pytest.approx(values[measure]), (province, measure)
            assert rows[province][f"{measure}_share"] == pytest.approx(
                values[measure] / totals[measure], abs=1e-4
            )
    # Ifrane's only applicant was turned down: left behind in places, area and sales.
    assert rows["Ifrane"]["left_behind"] == ["admitted", "stall_area_m2", "sales_centimes"]
    assert rows["Meknès"]["admission_rate"] == pytest.approx(2 / 3, abs=1e-4)


def test_fairness_for_women_led_and_youth_led_cooperatives(world):
    edition = world["edition"]
    expected = expected_figures(edition)
    groups = {row["group"]: row for row in edition_report(edition)["fairness"]["groups"]}
    for group in ("women_led", "youth_led"):
        members = expected[group]
        row = groups[group]
        assert row["applicants"] == len(members & expected["applicant_ids"])
        assert row["admitted"] == len(members & expected["admitted_ids"])
        assert row["stall_area_m2"] == pytest.approx(
            sum(area for i, area in expected["area_of"].items() if i in members)
        )
        assert row["sales_centimes"] == sum(
            amount for i, amount in expected["sales_of"].items() if i in members
        )
        assert row["applicants_share"] == pytest.approx(
            len(members & expected["applicant_ids"]) / len(expected["applicant_ids"]), abs=1e-4
        )


def test_previous_edition_compared_side_by_side(app, make_edition, make_cooperative, make_user):
    before = build_report_world(make_edition, make_cooperative, make_user)["edition"]
    from store.models import SaleLine

    extra = db.session.query(SaleLine).filter_by(edition_id=before.id).first()
    db.session.delete(extra)
    rebuild_tallies(before.id)  # a line removed by hand, not by the sale service
    db.session.commit()
    now = build_report_world(make_edition, make_cooperative, make_user, previous=before)
    report = edition_report(now["edition"])
    rows = {row["figure"]: row for row in report["comparison"]["rows"]}
    assert report["comparison"]["previous"]["slug"] == before.slug
    expected_now, expected_before = expected_figures(now["edition"]), expected_figures(before)
    for name in ("visitors", "cooperatives", "sales_centimes", "workshops", "workshop_attendance"):
        assert rows[name]["current"] == expected_now[name]
        assert rows[name]["previous"] == expected_before[name]
        assert rows[name]["change"] == expected_now[name] - expected_before[name]
    gained = expected_now["sales_centimes"] - expected_before["sales_centimes"]
    assert rows["sales_centimes"]["change_share"] == pytest.approx(
        gained / expected_before["sales_centimes"], abs=1e-4
    )
    assert edition_report(before)["comparison"] is None


def test_an_edition_with_nothing_yet_reports_zeros(app, make_edition):
    edition = make_edition(status="published")
    report = edition_report(edition)
    key = report["key_figures"]
    assert (key["visitors"], key["cooperatives"], key["sales_centimes"], key["workshops"]) == (
        0,
        0,
        0,
        0,
    )
    assert key["paid_on_time_share"] is None
    # Every province of the sites' region is listed before anyone applied, each with nothing.
    rows = report["fairness"]["provinces"]
    assert {row["province"] for row in rows} == {
        "Fès", "Meknès", "El Hajeb", "Ifrane", "Moulay Yacoub", "Sefrou", "Boulemane",
        "Taounate", "Taza",
    }  # fmt: skip
    assert all(row["applicants"] == row["sales_centimes"] == 0 for row in rows)
    assert all(row["left_behind"] == [] and row["kind"] == "province" for row in rows)
    assert key["site_area_m2"] == 1500


def test_same_data_same_report_and_byte_identical_zip(world):
    edition = world["edition"]
    first, second = edition_report(edition), edition_report(edition)
    assert first == second
    archive = report_zip(first)
    assert archive == report_zip(second)
    # Entries are named for people, by title in the reader's language ("01 Chiffres clés.csv").
    entry = readable_file_names(report_tables(first))
    assert entry["key_figures.csv"].startswith("01 ")
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        names = opened.namelist()
        assert entry["key_figures.csv"] in names and entry["fairness_by_province.csv"] in names
        assert not any("_" in name for name in names)
        key = dict(
            csv.reader(io.StringIO(opened.read(entry["key_figures.csv"]).decode("utf-8-sig")))
        )
        provinces = list(
            csv.DictReader(
                io.StringIO(opened.read(entry["fairness_by_province.csv"]).decode("utf-8-sig"))
            )
        )
    expected = expected_figures(edition)
    assert int(key["visitors"]) == expected["visitors"]
    assert int(key["sales_centimes"]) == expected["sales_centimes"]
    assert {row["province"]: int(row["applicants"]) for row in provinces} == {
        province: values["applicants"] for province, values in expected["provinces"].items()
    }


province_rows_strategy = st.dictionaries(
    st.sampled_from(["Meknès", "Fès", "El Hajeb", "Ifrane", "Taza", "Sefrou"]),
    st.tuples(st.integers(0, 50), st.integers(0, 50), st.floats(0, 500), st.integers(0, 10**7)),
    max_size=6,
)


@given(province_rows_strategy)
def test_province_shares_add_up_and_follow_the_four_fifths_rule(provinces):
    booths = {
        "by_province": {
            name: {"applicants": a, "admitted": min(b, a), "stall_area_m2": area}
            for name, (a, b, area, _) in provinces.items()
        }
    }
    sales = [{"key": name, "centimes": values[3]} for name, values in provinces.items()]
    rows = fairness.province_rows(booths, sales)
    assert [row["province"] for row in rows] == sorted(
        (row["province"] for row in rows),
        key=lambda name: (-provinces[name][0], -min(provinces[name][:2]), name),
    )
    for measure in fairness.MEASURES:
        shares = [row[f"{measure}_share"] for row in rows]
        if any(row[measure] for row in rows):
            assert sum(shares) == pytest.approx(1, abs=1e-3)
        else:
            assert all(share is None for share in shares)
    for row in rows:
        for measure in ("admitted", "stall_area_m2", "sales_centimes"):
            behind = (
                bool(row["applicants_share"])
                and row[f"{measure}_share"] is not None
                and row[f"{measure}_share"] < 0.8 * row["applicants_share"]
            )
            assert (measure in row["left_behind"]) == behind


def test_previous_edition_compared_at_the_same_day(app, make_edition, make_cooperative, make_user):
    """Day N of the edition against day N of the previous one, recomputed from the raw rows."""
    from store.models import SaleLine

    before = build_report_world(make_edition, make_cooperative, make_user)["edition"]
    dropped = db.session.query(SaleLine).filter_by(edition_id=before.id).first()
    db.session.delete(dropped)
    rebuild_tallies(before.id)  # a line removed by hand, not by the sale service
    db.session.commit()
    now = build_report_world(make_edition, make_cooperative, make_user, previous=before)["edition"]
    expected_now, expected_before = expected_figures(now), expected_figures(before)

    def to_day(edition, expected, last):
        days = [
            counts
            for site in expected["sites"].values()
            for day, counts in site["days"].items()
            if day <= last.isoformat()
        ]
        lines = db.session.query(SaleLine).filter(SaleLine.edition_id == edition.id)
        return {
            "visitors": sum(d["visitors"] for d in days),
            "entries": sum(d["entries"] for d in days),
            "sales_centimes": sum(
                line.amount_centimes for line in lines if to_local(line.occurred_at).date() <= last
            ),
        }

    length = (now.ends_on - now.starts_on).days + 1
    assert (
        edition_report(now, today=now.starts_on - timedelta(days=1))["comparison"]["same_day"]
        is None
    )
    seen = set()
    for offset, day in ((0, 1), (1, 2), (3, 4), (length - 1, length), (length + 30, length)):
        today = now.starts_on + timedelta(days=offset)
        same = edition_report(now, today=today)["comparison"]["same_day"]
        last = now.starts_on + timedelta(days=day - 1)
        previous_last = before.starts_on + timedelta(days=day - 1)
        assert (same["day"], same["days"]) == (day, length)
        assert (same["date"], same["previous_date"]) == (
            last.isoformat(),
            previous_last.isoformat(),
        )
        current, previous = (
            to_day(now, expected_now, last),
            to_day(before, expected_before, previous_last),
        )
        rows = {row["figure"]: row for row in same["rows"]}
        assert set(rows) == {"visitors", "entries", "sales_centimes"}
        for name, row in rows.items():
            assert (row["current"], row["previous"]) == (current[name], previous[name])
            assert row["change"] == current[name] - previous[name]
        seen.add(tuple(current.values()))
    assert len(seen) > 1  # the days chosen do see different figures
