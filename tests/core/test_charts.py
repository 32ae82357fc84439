"""Charts drawn on the server: HTML bars for pages, columns that keep a readable size, days
written as the reader writes them."""

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.charts import bar_list, column_chart, target_list
from core.timeutil import show_day_month

LRI, RLI, PDI = "\u2066", "\u2067", "\u2069"


def widths(html):
    return [
        float(width)
        for width in re.findall(r'class="bar[^"]*" style="inline-size: ([\d.]+)%"', html)
    ]


def test_bars_are_html_rows_of_isolated_label_and_value_each_a_share_of_the_largest():
    html = str(
        bar_list(
            [("Miel", 5000), ("Coopérative <b>", 20000)],
            value_label=lambda v: f"{v} MAD",
            title="Ventes",
        )
    )
    assert html.startswith('<ul class="bar-list" aria-label="Ventes"><li>')
    assert html.count("<li>") == 2
    first = html[: html.index("</li>")]
    assert f'<span class="bar-label"><bdi dir="ltr">{LRI}Miel{PDI}</bdi></span>' in first
    assert f'<span class="bar-value"><bdi dir="ltr">{LRI}5000 MAD{PDI}</bdi></span>' in first
    assert "Coopérative &lt;b&gt;" in html and "<b>" not in html
    assert widths(html) == [25.0, 100.0]
    assert 'aria-hidden="true"' in first  # the bar itself is not read: its value is


def test_arabic_labels_are_isolated_right_to_left_and_no_bar_is_mirrored_by_hand():
    html = str(bar_list([("مكناس", 3), ("فاس", 0)], title="حسب الإقليم"))
    assert f'<bdi dir="rtl">{RLI}مكناس{PDI}</bdi>' in html
    assert widths(html) == [100.0, 0.0]
    assert "direction" not in html and "x=" not in html  # the page's direction places the bars


def test_no_items_no_chart():
    assert str(bar_list([])) == str(target_list([])) == str(column_chart([])) == ""


def test_a_target_row_says_value_target_and_share_with_the_target_marked():
    html = str(target_list([("Meknès", 6050, 6000), ("El Hajeb", 3000, 4000)], title="Visiteurs"))
    assert html.startswith('<ul class="bar-list targets" aria-label="Visiteurs">')
    meknes, el_hajeb = html.split("</li>")[:2]
    assert f"{LRI}6050 / 6000 (101 %){PDI}" in meknes
    assert f"{LRI}3000 / 4000 (75 %){PDI}" in el_hajeb
    # The track is 130 % of the target: the marker at 1 / 1.3, bars scaled to it.
    assert meknes.count('class="bar-target" style="inset-inline-start: 76.9%"') == 1
    assert widths(html) == [pytest.approx(6050 / 6000 / 1.3 * 100, abs=0.05), 57.7]
    assert 'class="bar short"' in el_hajeb and 'class="bar short"' not in meknes


def test_a_bar_far_past_its_target_stops_at_the_end_of_its_track():
    assert widths(str(target_list([("Fès", 900, 100)]))) == [100.0]


@given(st.lists(st.integers(0, 10**9), min_size=1, max_size=30))
def test_every_bar_is_between_empty_and_full_and_the_largest_is_full(values):
    found = widths(str(bar_list([(str(index), value) for index, value in enumerate(values)])))
    assert len(found) == len(values)
    assert all(0 <= width <= 100 for width in found)
    if max(values):
        assert max(found) == 100.0
        assert [width for width, value in zip(found, values, strict=True) if value == 0] == [
            0.0
        ] * values.count(0)


def test_columns_scroll_in_their_own_box_and_leave_room_for_the_largest_value():
    html = str(column_chart([("5 nov.", 74005), ("6 nov.", 100)], value_label=lambda v: f"{v:,}"))
    assert html.startswith('<div class="chart-scroll" tabindex="0"><svg class="chart"')
    assert html.endswith("</svg></div>")
    axis = float(re.search(r'<line x1="([\d.]+)"', html).group(1))
    assert axis >= len("74,005") * 7  # the axis' label "74,005" is not cut at the left edge
    assert ">74,005</text>" in html and ">5 nov.</text>" in html


@pytest.mark.parametrize(
    "language, shown",
    [("fr", "6 nov."), ("ar", "6 نوفمبر"), ("en", "Nov 6"), ("es", "6 nov"), ("zgh", "6 ⵏⵓⵡ")],
)
def test_a_chart_day_is_written_without_its_year_as_the_reader_writes_it(app, language, shown):
    with app.test_request_context(f"/?lang={language}"):
        assert show_day_month(date(2022, 11, 6)) == shown
        assert show_day_month("2022-11-06") == shown
        assert show_day_month(None) == ""
