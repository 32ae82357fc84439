"""The scanner judges "is the site open?" offline from the windows the server computes with the
site's own rules (Site.opening_windows); node runs the phone's module (static/js/field-window.js)
over generated moments and must agree with Site.is_open_at, Morocco's clock changes included."""

import json
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from core.timeutil import iso_utc, local_to_utc_naive
from markets.models import Site
from visitors.services.field import edition_for_scanner, site_windows

ROOT = Path(__file__).resolve().parents[2]
MODULE = json.dumps((ROOT / "static" / "js" / "field-window.js").as_uri())
JUDGE = (
    f"import {{ openAt }} from {MODULE};\n"
    + """
let text = "";
for await (const chunk of process.stdin) text += chunk;
const cases = JSON.parse(text);
process.stdout.write(JSON.stringify(cases.map(([windows, moment]) => openAt(windows, new Date(moment)))));
"""
)


def judge_in_node(cases):
    """[(windows, ISO moment)] -> the phone's verdicts, in one node process."""
    answer = subprocess.run(
        ["node", "--input-type=module", "-e", JUDGE],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(answer.stdout)


def a_site(opens_on, days, hours):
    return Site(
        opens_on=opens_on,
        closes_on=opens_on + timedelta(days=days),
        opens_minute=hours[0],
        closes_minute=hours[1],
    )


# Around Morocco's clock changes of 2026 (back to UTC+0 on 15 February at 03:00, forward on
# 22 March at 02:00, UTC+0 for good from 20 September) and on ordinary days.
FIRST_DAYS = st.sampled_from(
    [date(2022, 11, 5), date(2026, 2, 14), date(2026, 3, 21), date(2026, 9, 19), date(2030, 5, 3)]
)
HOURS = st.tuples(st.integers(0, 1439), st.integers(1, 1440)).filter(lambda h: h[0] < h[1])


def moments_around(site, offsets):
    """Moments from a day before the first opening to a day after the last closing, and the
    windows' own edges (a second either side)."""
    start = local_to_utc_naive(datetime.combine(site.opens_on, datetime.min.time()))
    moments = [start + timedelta(seconds=offset) for offset in offsets]
    for opens, closes in site.opening_windows():
        for edge in (opens, closes):
            moments += [edge - timedelta(seconds=1), edge, edge + timedelta(seconds=1)]
    return moments


@settings(max_examples=25, deadline=None)
@given(
    first_day=FIRST_DAYS,
    days=st.integers(0, 3),
    hours=HOURS,
    offsets=st.lists(st.integers(-86400, 5 * 86400), min_size=1, max_size=40),
)
def test_the_phone_agrees_with_site_is_open_at(first_day, days, hours, offsets):
    site = a_site(first_day, days, hours)
    windows = site_windows(site)
    moments = moments_around(site, offsets)
    verdicts = judge_in_node([(windows, iso_utc(moment)) for moment in moments])
    expected = [site.is_open_at(moment) for moment in moments]
    assert verdicts == expected, [
        (iso_utc(m), v, e) for m, v, e in zip(moments, verdicts, expected, strict=True) if v != e
    ]


def test_the_windows_are_the_site_days_in_utc():
    # 2026-03-22: Morocco moves from UTC+0 to UTC+1 at 02:00; 10:00-22:00 local each day.
    site = a_site(date(2026, 3, 21), 1, (600, 1320))
    assert site_windows(site) == [
        ["2026-03-21T10:00:00Z", "2026-03-21T22:00:00Z"],
        ["2026-03-22T09:00:00Z", "2026-03-22T21:00:00Z"],
    ]


def test_the_scanner_session_carries_each_site_windows(app, edition):
    sites = {site["slug"]: site for site in edition_for_scanner(edition)["sites"]}
    for site in edition.sites:
        assert sites[site.slug]["windows"] == [
            [iso_utc(opens), iso_utc(closes)] for opens, closes in site.opening_windows()
        ]
        assert len(sites[site.slug]["windows"]) == len(site.days)


def test_a_window_closing_at_midnight_ends_where_the_next_day_starts():
    site = a_site(date(2030, 5, 3), 1, (0, 1440))
    (first_opens, first_closes), (second_opens, _) = site.opening_windows()
    assert first_closes == second_opens
    assert site.is_open_at(first_closes - timedelta(seconds=1))
    assert site.is_open_at(second_opens)
