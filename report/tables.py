"""The report's underlying figures as CSV files in a ZIP, byte for byte reproducible.

Column names are stable machine names (in English) so that partners can process the files;
money is in integer centimes of MAD, shares are fractions of 1.
"""

import io
import zipfile
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.csvio import csv_text
from core.i18n import localized

COMPOSITION_HEADER = [
    "cooperatives",
    "members",
    "women_members",
    "young_members",
    "women_share",
    "young_share",
    "women_led",
    "youth_led",
]
FAIRNESS_MEASURES = ["applicants", "admitted", "stall_area_m2", "sales_centimes"]


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return value


def key_figures_table(report):
    rows = [[name, cell(value)] for name, value in report["key_figures"].items()]
    return ["figure", "value"], rows


def visitors_table(report):
    header = ["site", "date", "visitors", "entries", "tallied", "target", "target_share"]
    rows = []
    for site in (report["visitors"] or {}).get("sites", []):
        rows.append(
            [site["site"], "total"]
            + [cell(site[key]) for key in ("visitors", "entries", "tallied", "target")]
            + [cell(site["target_share"])]
        )
        for day in site["days"]:
            rows.append([site["site"], day["date"]] + [cell(day[key]) for key in header[2:]])
    return header, rows


def composition_table(report, grouping):
    rows = [
        [row["key"]] + [cell(row[key]) for key in COMPOSITION_HEADER]
        for row in report["cooperatives"][grouping]
    ]
    return [grouping.removeprefix("by_")] + COMPOSITION_HEADER, rows


def fairness_table(rows, first_column):
    header = [first_column]
    for measure in FAIRNESS_MEASURES:
        header += [measure, f"{measure}_share"]
    header += ["admission_rate", "left_behind"]
    table = []
    for row in rows:
        line = [row[first_column]]
        for measure in FAIRNESS_MEASURES:
            line += [cell(row[measure]), cell(row[f"{measure}_share"])]
        line += [cell(row["admission_rate"]), cell(row["left_behind"])]
        table.append(line)
    return header, table


def sales_tables(report):
    sales = report["sales"]
    if sales is None:
        return {}
    tables = {
        f"sales_{breakdown}.csv": (
            [breakdown.removeprefix("by_"), "sales_centimes"],
            [[row["key"], row["centimes"]] for row in sales[breakdown]],
        )
        for breakdown in (
            "by_sector",
            "by_province",
            "by_channel",
            "by_payment",
            "by_site",
            "by_day",
        )
    }
    tables["sales_by_cooperative.csv"] = (
        ["registration_number", "name", "name_ar", "province", "main_sector", "sales_centimes"],
        [
            [
                row["registration_number"],
                row["name_latin"],
                row["name_ar"],
                row["province"],
                row["main_sector"],
                row["centimes"],
            ]
            for row in sales["by_cooperative"]
        ],
    )
    return tables


def report_tables(report):
    """{file name: (header, rows)} for every table of the report, in a fixed order."""
    tables = {"key_figures.csv": key_figures_table(report)}
    if report["visitors"] is not None:
        tables["visitors_by_site_and_day.csv"] = visitors_table(report)
    for grouping in ("by_province", "by_sector", "by_legal_form"):
        tables[f"cooperatives_{grouping}.csv"] = composition_table(report, grouping)
    tables["fairness_by_province.csv"] = fairness_table(report["fairness"]["provinces"], "province")
    tables["fairness_women_youth_led.csv"] = fairness_table(report["fairness"]["groups"], "group")
    tables.update(sales_tables(report))
    if report["workshops"] is not None:
        tables["workshops_by_topic.csv"] = (
            ["topic", "sessions", "attendance", "capacity", "fill_rate"],
            [
                [
                    row["key"],
                    row["sessions"],
                    row["attendance"],
                    row["capacity"],
                    cell(row["fill_rate"]),
                ]
                for row in report["workshops"]["by_topic"]
            ],
        )
    if report["comparison"] is not None:
        tables["compared_with_previous.csv"] = (
            ["figure", "current", "previous", "change", "change_share"],
            [
                [row["figure"]]
                + [cell(row[key]) for key in ("current", "previous", "change", "change_share")]
                for row in report["comparison"]["rows"]
            ],
        )
        same = report["comparison"].get("same_day")
        if same is not None:
            tables["compared_at_the_same_day.csv"] = (
                [
                    "figure",
                    "day",
                    "date",
                    "previous_date",
                    "current",
                    "previous",
                    "change",
                    "change_share",
                ],
                [
                    [row["figure"], same["day"], same["date"], same["previous_date"]]
                    + [cell(row[key]) for key in ("current", "previous", "change", "change_share")]
                    for row in same["rows"]
                ],
            )
    return tables


def csv_bytes(header, rows):
    """UTF-8 with BOM (spreadsheets then show Arabic correctly), CRLF line ends, neutral cells."""
    return csv_text(header, rows).encode("utf-8")


def readme_text(report, names):
    """A short note for the partners: what the files hold and in which units."""
    edition = report["edition"]
    lines = [
        localized(edition["names"]),
        f"{edition['starts_on']} – {edition['ends_on']}",
        "",
        _("The figures of the partners' report, one table per file (UTF-8 CSV)."),
        _("Money is in centimes of Moroccan dirhams (100 = 1 MAD)."),
        _("Shares and rates are fractions of 1 (0.25 = 25 %)."),
        _("Stall areas are in square metres."),
        "",
    ]
    lines += [f"- {name}" for name in names]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


# What a person reads in the ZIP: each table's title in the reader's language, numbered in the
# report's order (the keys above stay the stable machine names used by code and tests).
FILE_TITLES = {
    "key_figures": _l("Key figures"),
    "visitors_by_site_and_day": _l("Visitors by site and day"),
    "cooperatives_by_province": _l("Cooperatives by province"),
    "cooperatives_by_sector": _l("Cooperatives by sector"),
    "cooperatives_by_legal_form": _l("Cooperatives by legal form"),
    "fairness_by_province": _l("Fairness between provinces"),
    "fairness_women_youth_led": _l("Women-led and youth-led cooperatives"),
    "sales_by_sector": _l("Sales by sector"),
    "sales_by_province": _l("Sales by province"),
    "sales_by_channel": _l("Sales by channel"),
    "sales_by_payment": _l("Sales by payment"),
    "sales_by_site": _l("Sales by site"),
    "sales_by_day": _l("Sales per day"),
    "sales_by_cooperative": _l("Sales by cooperative"),
    "workshops_by_topic": _l("Workshop attendance by topic"),
    "compared_with_previous": _l("Compared with the previous edition"),
    "compared_at_the_same_day": _l("Compared at the same day of the edition"),
}
UNSAFE_IN_FILE_NAMES = str.maketrans({character: " " for character in '/\\:*?"<>|'})


def readable_file_names(names):
    """{machine name: "03 Cooperatives by province.csv"} in the reader's language."""
    readable = {}
    for index, name in enumerate(names, start=1):
        stem = name.removesuffix(".csv")
        title = str(FILE_TITLES.get(stem, stem)).translate(UNSAFE_IN_FILE_NAMES).strip()
        readable[name] = f"{index:02d} {title}.csv"
    return readable


def report_zip(report):
    """The ZIP of CSV files and a README; entries carry a fixed date (the edition's last day) so
    that the same figures always give the same bytes."""
    ends_on = date.fromisoformat(report["edition"]["ends_on"])
    stamp = (max(ends_on.year, 1980), ends_on.month, ends_on.day, 0, 0, 0)
    tables = report_tables(report)
    names = readable_file_names(tables)
    files = [("README.txt", readme_text(report, list(names.values())))]
    files += [(names[name], csv_bytes(header, rows)) for name, (header, rows) in tables.items()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, content)
    return buffer.getvalue()
