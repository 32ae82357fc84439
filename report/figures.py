"""The edition report: every figure of the dashboard, the PDF, the ZIP and the API, in one dict.

`edition_report(edition)` composes the figure services of the other features (imported below)
with what markets and the cooperative registry know. Everything is sorted so that the same data
always gives the same report, down to the order of rows.
"""

from datetime import timedelta

from booths.services.figures import (
    applicant_cooperative_ids,
    edition_booth_figures,
    stall_area_by_cooperative,
)
from core.i18n import localized
from core.timeutil import to_local, utc_now
from report import fairness
from report.cooperatives import cooperative_composition, cooperative_records
from report.numbers import area, rounded, share
from store.services.reports import edition_sales_figures, sales_by_sector
from visitors.services.attendance import attendance_summary
from workshops.services.reports import edition_workshop_figures

COMPARED_FIGURES = (
    "visitors",
    "entries",
    "cooperatives",
    "women_members",
    "young_members",
    "stall_area_m2",
    "sales_centimes",
    "workshops",
    "workshop_attendance",
)
# The figures that grow day by day: compared at the same day of both editions.
SAME_DAY_FIGURES = ("visitors", "entries", "sales_centimes")


def edition_report(edition, with_previous=True, today=None):
    """All the figures of an edition's report (plain dicts, lists and numbers).

    `today` (a local date, Africa/Casablanca; default now) sets which day of the edition the
    comparison with the previous edition is taken at."""
    booths = edition_booth_figures(edition)
    attendance = attendance_summary(edition)
    sales = edition_sales_figures(edition)
    workshops = edition_workshop_figures(edition)

    admitted_ids = sorted(int(i) for i in booths["admitted_cooperative_ids"]) if booths else []
    applicant_ids = applicant_cooperative_ids(edition) if booths else []
    sales_by_cooperative = (
        {int(key): int(value) for key, value in sales["by_cooperative"].items()} if sales else {}
    )
    registry = cooperative_records(
        set(admitted_ids) | set(applicant_ids) | set(sales_by_cooperative)
    )
    admitted = [registry[i] for i in admitted_ids if i in registry]

    report = {
        "edition": edition_summary(edition),
        "available": {
            "booths": booths is not None,
            "visitors": attendance is not None,
            "store": sales is not None,
            "workshops": workshops is not None,
        },
        "visitors": visitor_figures(edition, attendance),
        "cooperatives": cooperative_composition(admitted),
        "stalls": stall_figures(booths),
        "sales": sales_figures(sales, sales_by_cooperative, registry, edition),
        "payouts": payout_figures(sales),
        "workshops": workshop_figures(workshops),
    }
    report["fairness"] = {
        "provinces": fairness.province_rows(
            booths,
            report["sales"]["by_province"] if sales else [],
            fairness.edition_provinces(edition),
        ),
        "groups": fairness.group_rows(
            registry,
            applicant_ids,
            admitted_ids,
            stall_area_by_cooperative(edition) if booths else {},
            sales_by_cooperative,
        ),
    }
    report["key_figures"] = key_figures(edition, report, booths)
    report["comparison"] = None
    if with_previous and edition.previous is not None:
        previous = edition_report(edition.previous, with_previous=False)
        report["comparison"] = comparison(report, previous)
        report["comparison"]["same_day"] = same_day_comparison(
            report, previous, edition, edition.previous, today or to_local(utc_now()).date()
        )
    return report


def edition_summary(edition):
    return {
        "slug": edition.slug,
        "number": edition.number,
        "names": dict(edition.names or {}),
        "slogans": dict(edition.slogans or {}),
        "organiser": localized(edition.organiser),
        "partners": localized(edition.partners),
        "status": edition.status,
        "starts_on": edition.starts_on.isoformat(),
        "ends_on": edition.ends_on.isoformat(),
        "target": edition.visitor_target,
        "sites": [
            {
                "slug": site.slug,
                "names": dict(site.names or {}),
                "city": site.city,
                "province": site.province,
                "area_m2": site.area_m2,
                "target": site.visitor_target,
                "opens_on": site.opens_on.isoformat(),
                "closes_on": site.closes_on.isoformat(),
            }
            for site in edition.sites
        ],
    }


def visitor_figures(edition, attendance):
    """Attendance against target, per site and per day (each day against the daily target)."""
    if attendance is None:
        return None
    sites_by_slug = {site.slug: site for site in edition.sites}
    sites = []
    for entry in sorted(attendance.get("sites", []), key=lambda item: item["site"]):
        site = sites_by_slug.get(entry["site"])
        target = entry.get("target") or (site.visitor_target if site else 0)
        daily_target = round(target / len(site.days)) if site else None
        days = [
            {
                "date": day["date"],
                "visitors": day["visitors"],
                "entries": day["entries"],
                "tallied": day["tallied"],
                "target": daily_target,
                "target_share": share(day["visitors"], daily_target),
            }
            for day in sorted(entry.get("days", []), key=lambda item: item["date"])
        ]
        sites.append(
            {
                "site": entry["site"],
                "names": dict(site.names or {}) if site else {},
                "target": target,
                "visitors": entry["visitors"],
                "entries": entry["entries"],
                "tallied": entry["tallied"],
                "target_share": share(entry["visitors"], target),
                "days": days,
            }
        )
    projection = attendance.get("projection") or {}
    target = attendance.get("target") or edition.visitor_target
    return {
        "target": target,
        "visitors": attendance["visitors"],
        "entries": attendance["entries"],
        "tallied": attendance["tallied"],
        "target_share": share(attendance["visitors"], target),
        "expected_total": projection.get("expected_total"),
        "on_track": projection.get("on_track"),
        "sites": sites,
    }


def stall_figures(booths):
    if booths is None:
        return None
    return {
        "applicants": booths["applicants"],
        "admitted": booths["admitted"],
        "stall_area_m2": area(booths["stall_area_m2"]),
        "site_area_m2": area(booths["site_area_m2"]),
        "occupancy": share(booths["stall_area_m2"], booths["site_area_m2"]),
        "stalls": booths["stalls"],
        "stalls_empty": booths["stalls_empty"],
        "stalls_taken": booths["stalls"] - booths["stalls_empty"],
        "sites": [
            {**site, "site": slug, "occupancy": share(site["stall_area_m2"], site["site_area_m2"])}
            for slug, site in booths.get("by_site", {}).items()
        ],
    }


def ranked(mapping):
    """[{"key", "centimes"}] largest first, then by key (a stable order)."""
    return [
        {"key": key, "centimes": int(value)}
        for key, value in sorted(mapping.items(), key=lambda item: (-item[1], str(item[0])))
    ]


def sales_figures(sales, sales_by_cooperative, registry, edition):
    if sales is None:
        return None
    by_province = {}
    cooperatives = []
    for cooperative_id, centimes in sales_by_cooperative.items():
        record = registry.get(cooperative_id)
        sector = record["main_sector"] if record else "other"
        province = record["province"] if record else ""
        by_province[province] = by_province.get(province, 0) + centimes
        cooperatives.append(
            {
                "id": cooperative_id,
                "name_latin": record["name_latin"] if record else str(cooperative_id),
                "name_ar": record["name_ar"] if record else "",
                "registration_number": record["registration_number"] if record else "",
                "province": province,
                "main_sector": sector,
                "centimes": centimes,
            }
        )
    cooperatives.sort(key=lambda row: (-row["centimes"], row["registration_number"], row["id"]))
    return {
        "sales_centimes": int(sales["sales_centimes"]),
        "lines": int(sales["lines"]),
        "by_channel": ranked(sales["by_channel"]),
        "by_payment": ranked(sales["by_payment"]),
        "by_site": ranked(sales["by_site"]),
        "by_day": [
            {"key": day, "centimes": int(value)} for day, value in sorted(sales["by_day"].items())
        ],
        "by_sector": ranked(sales_by_sector(edition)),
        "by_province": ranked(by_province),
        "by_cooperative": cooperatives,
    }


def payout_figures(sales):
    if sales is None:
        return None
    return {
        "owed_centimes": int(sales["owed_centimes"]),
        "commission_centimes": int(sales["commission_centimes"]),
        "paid_centimes": int(sales["paid_centimes"]),
        "overdue_centimes": int(sales["overdue_centimes"]),
        "unpaid_centimes": int(sales["owed_centimes"]) - int(sales["paid_centimes"]),
        "paid_share": share(int(sales["paid_centimes"]), int(sales["owed_centimes"])),
        "paid_on_time_share": (
            None
            if sales["paid_on_time_share"] is None
            else round(float(sales["paid_on_time_share"]), 4)
        ),
    }


def workshop_figures(workshops):
    if workshops is None:
        return None
    topics = [
        {
            "key": topic,
            "sessions": values["sessions"],
            "attendance": values["attendance"],
            "capacity": values["capacity"],
            "fill_rate": share(values["attendance"], values["capacity"]),
        }
        for topic, values in sorted(workshops["by_topic"].items())
    ]
    return {
        "workshops": workshops["workshops"],
        "attendance": workshops["attendance"],
        "capacity": workshops["capacity"],
        "fill_rate": rounded(workshops["fill_rate"]),
        "average_rating": rounded(workshops["average_rating"], 2),
        "women_share": rounded(workshops["women_share"]),
        "young_share": rounded(workshops["young_share"]),
        "by_topic": topics,
    }


def key_figures(edition, report, booths):
    """The flat key figures: the API's fields (API.md, *Edition report*) and a few more."""
    visitors, stalls = report["visitors"] or {}, report["stalls"] or {}
    sales, payouts = report["sales"] or {}, report["payouts"] or {}
    workshops, total = report["workshops"] or {}, report["cooperatives"]["total"]
    return {
        "visitors": visitors.get("visitors"),
        "entries": visitors.get("entries"),
        "tallied": visitors.get("tallied"),
        "target": edition.visitor_target,
        "target_share": visitors.get("target_share"),
        "applicants": stalls.get("applicants"),
        "cooperatives": total["cooperatives"] if booths is not None else None,
        "members": total["members"] if booths is not None else None,
        "women_members": total["women_members"] if booths is not None else None,
        "young_members": total["young_members"] if booths is not None else None,
        "women_led": total["women_led"] if booths is not None else None,
        "youth_led": total["youth_led"] if booths is not None else None,
        "stall_area_m2": stalls.get("stall_area_m2"),
        "site_area_m2": stalls.get("site_area_m2", sum(s.area_m2 for s in edition.sites)),
        "occupancy": stalls.get("occupancy"),
        "stalls": stalls.get("stalls"),
        "stalls_empty": stalls.get("stalls_empty"),
        "sales_centimes": sales.get("sales_centimes"),
        "sale_lines": sales.get("lines"),
        "sales_per_cooperative_centimes": per_cooperative(sales, total, booths),
        "owed_centimes": payouts.get("owed_centimes"),
        "commission_centimes": payouts.get("commission_centimes"),
        "paid_centimes": payouts.get("paid_centimes"),
        "overdue_centimes": payouts.get("overdue_centimes"),
        "paid_on_time_share": payouts.get("paid_on_time_share"),
        "workshops": workshops.get("workshops"),
        "workshop_attendance": workshops.get("attendance"),
        "workshop_capacity": workshops.get("capacity"),
        "fill_rate": workshops.get("fill_rate"),
        "average_rating": workshops.get("average_rating"),
        "days": (edition.ends_on - edition.starts_on + timedelta(days=1)).days,
    }


def per_cooperative(sales, total, booths):
    """Average sales of a cooperative present (whole centimes), or None."""
    if not sales or booths is None or not total["cooperatives"]:
        return None
    return round(sales["sales_centimes"] / total["cooperatives"])


def compared_row(name, current_value, previous_value):
    both = current_value is not None and previous_value is not None
    change = round(current_value - previous_value, 2) if both else None
    return {
        "figure": name,
        "current": current_value,
        "previous": previous_value,
        "change": change,
        "change_share": share(change, previous_value) if both else None,
    }


def comparison(report, previous):
    """The edition against the previous one: each compared figure with its change."""
    rows = [
        compared_row(name, report["key_figures"][name], previous["key_figures"][name])
        for name in COMPARED_FIGURES
    ]
    return {"previous": previous["edition"], "rows": rows}


def edition_length(edition):
    return (edition.ends_on - edition.starts_on).days + 1


def edition_day(edition, today):
    """Which day of the edition `today` is (1 = its first day), capped at its last; 0 before."""
    return max(0, min(edition_length(edition), (today - edition.starts_on).days + 1))


def figures_to_day(report, starts_on, day):
    """Visitors, entries and sales of an edition's first `day` days (None where not available)."""
    last = (starts_on + timedelta(days=day - 1)).isoformat()
    values = dict.fromkeys(SAME_DAY_FIGURES)
    if report["visitors"] is not None:
        days = [
            d for site in report["visitors"]["sites"] for d in site["days"] if d["date"] <= last
        ]
        values["visitors"] = sum(d["visitors"] for d in days)
        values["entries"] = sum(d["entries"] for d in days)
    if report["available"]["store"] and report["sales"]:
        values["sales_centimes"] = sum(
            row["centimes"] for row in report["sales"]["by_day"] if row["key"] <= last
        )
    return values


def same_day_comparison(report, previous, edition, previous_edition, today):
    """Day N of this edition against day N of the previous one (its last day if it was shorter),
    for the figures that grow day by day. None before the edition's first day."""
    day = edition_day(edition, today)
    if day == 0:
        return None
    previous_day = min(day, edition_length(previous_edition))
    current = figures_to_day(report, edition.starts_on, day)
    before = figures_to_day(previous, previous_edition.starts_on, previous_day)
    return {
        "day": day,
        "days": edition_length(edition),
        "date": (edition.starts_on + timedelta(days=day - 1)).isoformat(),
        "previous_day": previous_day,
        "previous_date": (
            previous_edition.starts_on + timedelta(days=previous_day - 1)
        ).isoformat(),
        "rows": [compared_row(name, current[name], before[name]) for name in SAME_DAY_FIGURES],
    }
