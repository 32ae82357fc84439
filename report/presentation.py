"""How the report's figures are shown: labels in the reader's language and SVG charts.

Shared by the dashboard page and the PDF so that both show the same thing.
"""

import re

import arabic_reshaper
from bidi import get_display
from flask_babel import format_currency, format_decimal, format_percent
from flask_babel import lazy_gettext as _l

from booths.labels import LEGAL_FORM_LABELS, SECTOR_LABELS
from booths.models import cooperative_name
from core import charts
from core.bidi import isolate
from core.i18n import current_language, is_rtl, localized
from core.money import format_mad
from core.timeutil import page_date, show_datetime, show_day_month, utc_now
from markets import gazetteer
from store.labels import CHANNEL_LABELS, PAYMENT_LABELS
from store.services import reports as store_reports
from workshops.labels import TOPIC_LABELS

GROUP_LABELS = {
    "women_led": _l("Women-led cooperatives"),
    "youth_led": _l("Youth-led cooperatives"),
}
MEASURE_LABELS = {
    "admitted": _l("admitted"),
    "stall_area_m2": _l("stall area"),
    "sales_centimes": _l("sales"),
}
FIGURE_LABELS = {
    "visitors": _l("Visitors"),
    "entries": _l("Entries"),
    "cooperatives": _l("Cooperatives present"),
    "women_members": _l("Women members"),
    "young_members": _l("Young members"),
    "stall_area_m2": _l("Stall area allocated (m²)"),
    "sales_centimes": _l("Sales"),
    "workshops": _l("Workshop sessions"),
    "workshop_attendance": _l("Workshop attendance"),
}
MONEY_FIGURES = {"sales_centimes"}


def label(labels, key):
    return str(labels.get(key, key))


def sector_label(key):
    return label(SECTOR_LABELS, key)


def province_name(province):
    return gazetteer.province_label(province, current_language()) if province else "—"


def percent(value):
    return "—" if value is None else format_percent(value, "#,##0.0%")


def figure_value(name, value):
    """A compared figure shown in its unit (money in MAD, the rest as numbers)."""
    if value is None:
        return "—"
    if name in MONEY_FIGURES:
        return format_mad(value)
    return format_decimal(value)


def live_key_figures(key_figures):
    """The dashboard's key figures as the page shows them, for its in-place updates."""
    money = {"sales_centimes", "owed_centimes"}
    figures = {
        "as-of": str(_l("Figures as of %(moment)s.", moment=isolate(show_datetime(utc_now()))))
    }
    for name, value in key_figures.items():
        if value is None or isinstance(value, (dict, list)):
            continue
        if name in money:
            text = format_mad(value)
        elif name.endswith("_share") or name == "occupancy":
            text = percent(value)
        elif name == "stall_area_m2":
            text = f"{format_decimal(value)} m²"
        else:
            text = format_decimal(value)
        figures[name] = isolate(text) if is_rtl() else text
    return {"figures": figures}


def signed_figure_value(name, value):
    if value is None:
        return "—"
    text = figure_value(name, abs(value))
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def topic_label(key):
    return label(TOPIC_LABELS, key)


def report_labels():
    """Helpers the report templates use."""
    return {
        "topic_label": topic_label,
        "sector_label": sector_label,
        "legal_form_label": lambda key: label(LEGAL_FORM_LABELS, key),
        "channel_label": lambda key: label(CHANNEL_LABELS, key),
        "payment_label": lambda key: label(PAYMENT_LABELS, key),
        "group_label": lambda key: label(GROUP_LABELS, key),
        "measure_label": lambda key: label(MEASURE_LABELS, key),
        "figure_label": lambda key: label(FIGURE_LABELS, key),
        "province_name": province_name,
        "cooperative_name": cooperative_name,
        "day_label": page_date,
        "top_sellers": store_reports.TOP_SELLERS,
        "percent": percent,
        "figure_value": figure_value,
        "signed_figure_value": signed_figure_value,
    }


RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def visual_order(text):
    """Arabic text shaped and put in visual order, for WeasyPrint's SVG renderer.

    WeasyPrint draws SVG <text> one letter at a time from left to right, with neither Arabic
    joining nor bidi reordering; browsers do both. So labels in a PDF chart are shaped
    (presentation forms) and reordered here; the HTML dashboard keeps the plain text.
    """
    text = str(text)
    if not RIGHT_TO_LEFT.search(text):
        return text
    return get_display(arabic_reshaper.reshape(text))


class ChartText:
    """How charts are drawn: HTML bars whose text is as it is (browsers), or SVG bars with their
    text in visual order (PDF: WeasyPrint does not reorder SVG text)."""

    def __init__(self, for_pdf):
        self.for_pdf = for_pdf
        self.write = visual_order if for_pdf else str

    def items(self, pairs):
        return [(self.write(label), value) for label, value in pairs]

    def values(self, value_label):
        return lambda value: self.write(value_label(value))


def bars(text, pairs, value_label, title):
    if not text.for_pdf:
        return charts.bar_list(pairs, value_label=value_label, title=title)
    return charts.bar_chart(
        text.items(pairs), rtl=is_rtl(), value_label=text.values(value_label), title=title
    )


def targets(text, rows, title):
    """Visitors against each site's own target (a marked 100 % line), not against each other."""
    if not text.for_pdf:
        return charts.target_list(rows, value_label=format_decimal, title=title)
    return charts.target_chart(
        [(text.write(label), value, target) for label, value, target in rows],
        rtl=is_rtl(),
        value_label=format_decimal,
        title=title,
    )


def day_label(text, day):
    """A chart's day as its reader writes it ("6 nov.", "6 نوفمبر"), in visual order in PDFs."""
    return text.write(show_day_month(day))


def whole_mad(centimes):
    """Dirhams without centimes, short enough to sit beside a bar."""
    return format_currency(round(centimes / 100), "MAD", "#,##0\u00a0¤", currency_digits=False)


def money_bars(text, rows, key_label, title):
    return bars(text, [(key_label(row["key"]), row["centimes"]) for row in rows], whole_mad, title)


def report_charts(report, for_pdf=False):
    """The SVG charts of the report (each one's numbers are also in a table)."""
    rtl = is_rtl()
    text = ChartText(for_pdf)
    drawn = {}
    visitors = report["visitors"]
    if visitors:
        drawn["visitors_by_site"] = targets(
            text,
            [
                (localized(site["names"]) or site["site"], site["visitors"], site["target"])
                for site in visitors["sites"]
            ],
            title=str(_l("Visitors against target, per site")),
        )
        drawn["visitors_by_day"] = {
            site["site"]: charts.column_chart(
                [(day_label(text, day["date"]), day["visitors"]) for day in site["days"]],
                rtl=rtl,
                title=str(_l("Visitors per day")),
                value_label=format_decimal,
            )
            for site in visitors["sites"]
        }
    by_province = report["cooperatives"]["by_province"]
    drawn["cooperatives_by_province"] = bars(
        text,
        [(province_name(row["key"]), row["cooperatives"]) for row in by_province],
        format_decimal,
        str(_l("Cooperatives present by province")),
    )
    sales = report["sales"]
    if sales:
        drawn["sales_by_sector"] = money_bars(
            text, sales["by_sector"], sector_label, str(_l("Sales by sector"))
        )
        drawn["sales_by_province"] = money_bars(
            text, sales["by_province"], province_name, str(_l("Sales by province"))
        )
        drawn["sales_by_channel"] = money_bars(
            text,
            sales["by_channel"],
            lambda key: label(CHANNEL_LABELS, key),
            str(_l("Sales by channel")),
        )
        drawn["sales_by_day"] = charts.column_chart(
            [(day_label(text, row["key"]), row["centimes"] // 100) for row in sales["by_day"]],
            rtl=rtl,
            title=str(_l("Sales per day (MAD)")),
            value_label=format_decimal,
        )
    workshops = report["workshops"]
    if workshops:
        drawn["workshops_by_topic"] = bars(
            text,
            [(topic_label(row["key"]), row["attendance"]) for row in workshops["by_topic"]],
            format_decimal,
            str(_l("Workshop attendance by topic")),
        )
    drawn["fairness_admitted"] = bars(
        text,
        [
            (province_name(row["province"]), round((row["admitted_share"] or 0) * 100, 1))
            for row in report["fairness"]["provinces"]
        ],
        lambda value: f"{format_decimal(value)} %",
        str(_l("Share of the cooperatives admitted, by province")),
    )
    return drawn
