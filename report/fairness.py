"""Fairness indicators: did every province, and women-led and youth-led cooperatives, get their
share of places, stall area and sales, compared with their share of the applicants?

A group is flagged as left behind when its share of cooperatives admitted, of stall area or of
sales falls below four fifths of its share of applicants (the "four-fifths rule" used to detect
adverse impact in selection).
"""

from markets import territory
from report.numbers import share

FOUR_FIFTHS = 0.8
MEASURES = ("applicants", "admitted", "stall_area_m2", "sales_centimes")


def left_behind(row):
    """Which of admitted / stall area / sales fall under 4/5 of the applicants' share."""
    base = row["applicants_share"]
    if not base:
        return []
    return [
        measure
        for measure in ("admitted", "stall_area_m2", "sales_centimes")
        if row[f"{measure}_share"] is not None and row[f"{measure}_share"] < FOUR_FIFTHS * base
    ]


def with_shares(rows, totals):
    for row in rows:
        for measure in MEASURES:
            row[f"{measure}_share"] = share(row[measure], totals[measure])
        row["admission_rate"] = share(row["admitted"], row["applicants"])
        row["left_behind"] = left_behind(row)
    return rows


def edition_provinces(edition):
    """French names of every province of the regions the edition's sites are in."""
    regions = {territory.region_of(site.province_code) for site in edition.sites}
    return [item.name_fr for region in regions if region for item in region.provinces]


def place_key(province, home):
    """A province of the edition's region stands alone; one outside it counts for its region."""
    if not home or province in home:  # no region known (no site yet): provinces stand alone
        return province, "province"
    item = territory.province_named(province)
    region = territory.find_region(item.region_code) if item else None
    return (region.name_fr, "region") if region else (province, "province")


def province_rows(booths, sales_by_province, home_provinces=()):
    """One row per province of the edition's region (those without an applicant too), then one
    per other region: applicants, admitted, stall area, sales, and each one's share."""
    home = set(home_provinces)
    rows = {
        name: {"province": name, "kind": "province", **dict.fromkeys(MEASURES, 0)} for name in home
    }
    by_province = (booths or {}).get("by_province", {})
    sales = {row["key"]: row["centimes"] for row in sales_by_province}
    for province in set(by_province) | set(sales):
        key, kind = place_key(province, home)
        row = rows.setdefault(key, {"province": key, "kind": kind, **dict.fromkeys(MEASURES, 0)})
        figures = by_province.get(province, {})
        row["applicants"] += int(figures.get("applicants", 0))
        row["admitted"] += int(figures.get("admitted", 0))
        row["stall_area_m2"] += float(figures.get("stall_area_m2", 0) or 0)
        row["sales_centimes"] += int(sales.get(province, 0))
    rows = list(rows.values())
    for row in rows:
        row["stall_area_m2"] = round(row["stall_area_m2"], 2)
    totals = {measure: sum(row[measure] for row in rows) for measure in MEASURES}
    rows.sort(
        key=lambda row: (
            row["kind"] == "region",
            -row["applicants"],
            -row["admitted"],
            row["province"],
        )
    )
    return with_shares(rows, totals)


def group_rows(registry, applicant_ids, admitted_ids, stall_area, sales_by_cooperative):
    """Women-led and youth-led cooperatives: the same four shares as the provinces."""
    totals = {
        "applicants": len(applicant_ids),
        "admitted": len(admitted_ids),
        "stall_area_m2": round(sum(stall_area.values()), 2),
        "sales_centimes": sum(sales_by_cooperative.values()),
    }
    rows = []
    for group in ("women_led", "youth_led"):
        members = {i for i, record in registry.items() if record[group]}
        rows.append(
            {
                "group": group,
                "applicants": len(members.intersection(applicant_ids)),
                "admitted": len(members.intersection(admitted_ids)),
                "stall_area_m2": round(
                    sum(value for i, value in stall_area.items() if i in members), 2
                ),
                "sales_centimes": sum(
                    value for i, value in sales_by_cooperative.items() if i in members
                ),
            }
        )
    return with_shares(rows, totals)
