"""The report as the API's JSON (API.md, *Edition report*): the contract's fields, then extras."""

from core.i18n import localized


def report_json(report):
    key = report["key_figures"]
    edition = report["edition"]
    return {
        "edition": edition["slug"],
        "visitors": key["visitors"],
        "entries": key["entries"],
        "target": key["target"],
        "cooperatives": key["cooperatives"],
        "stall_area_m2": key["stall_area_m2"],
        "sales_centimes": key["sales_centimes"],
        "owed_centimes": key["owed_centimes"],
        "paid_on_time_share": key["paid_on_time_share"],
        "workshops": key["workshops"],
        "workshop_attendance": key["workshop_attendance"],
        "provinces": [
            {
                "province": row["province"],
                "applicants": row["applicants"],
                "admitted": row["admitted"],
                "stall_area_m2": row["stall_area_m2"],
                "sales_centimes": row["sales_centimes"],
                "applicants_share": row["applicants_share"],
                "admitted_share": row["admitted_share"],
                "stall_area_m2_share": row["stall_area_m2_share"],
                "sales_centimes_share": row["sales_centimes_share"],
                "left_behind": row["left_behind"],
            }
            for row in report["fairness"]["provinces"]
        ],
        "women_members": key["women_members"],
        "young_members": key["young_members"],
        # Beyond the contract: everything else the dashboard shows.
        "name": localized(edition["names"]),
        "status": edition["status"],
        "key_figures": key,
        "sites": (report["visitors"] or {}).get("sites"),
        "cooperatives_by": {
            grouping: report["cooperatives"][f"by_{grouping}"]
            for grouping in ("province", "sector", "legal_form")
        },
        "sales": report["sales"],
        "payouts": report["payouts"],
        "workshop_figures": report["workshops"],
        "groups": report["fairness"]["groups"],
        "comparison": report["comparison"],
    }
