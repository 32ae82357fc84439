"""Property: whatever the order, duplicates and resends of a batch, the counts follow the rows."""

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.extensions import db
from tests.visitors.conftest import OPEN_TIME
from visitors.models import AttendanceHour, EditionEntry, FirstEntry, Scan, Tally
from visitors.services import attendance_summary, create_ticket, record_scans

SCAN = st.tuples(
    st.integers(0, 3),  # which ticket (3 = a forged code)
    st.sampled_from(["meknes", "el-hajeb"]),
    st.integers(0, 2),  # how many times the phone resends it
)


def clean():
    for model in (AttendanceHour, EditionEntry, FirstEntry, Scan, Tally):
        db.session.query(model).delete()
    db.session.commit()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(SCAN, max_size=8), min_size=1, max_size=4))
def test_counts_match_distinct_scans(edition, volunteer, batches):
    clean()
    codes = [create_ticket(edition, {}, None).code for _ in range(3)] + ["SK1.forged"]
    db.session.commit()
    sent, expected_statuses = {}, {}
    for batch in batches:
        scans = []
        for ticket, site, resends in batch:
            scan = {
                "id": str(uuid.uuid4()),
                "code": codes[ticket],
                "edition": edition.slug,
                "site": site,
                "checkpoint": "gate-north",
                "scanned_at": OPEN_TIME,
            }
            scans.extend([scan] * (resends + 1))
            sent[scan["id"]] = (ticket, site)
        results = record_scans(scans, volunteer)
        db.session.commit()
        assert [r["id"] for r in results] == [s["id"] for s in scans]
        for result in results:
            first = expected_statuses.setdefault(result["id"], result["status"])
            assert result["status"] == first  # a resend answers the first result
    valid = [(ticket, site) for ticket, site in sent.values() if ticket < 3]
    summary = attendance_summary(edition)
    assert summary["entries"] == len(valid)
    assert summary["visitors"] == len({ticket for ticket, _site in valid})
    by_site = {site["site"]: site for site in summary["sites"]}
    for slug in ("meknes", "el-hajeb"):
        assert by_site[slug]["visitors"] == len({t for t, s in valid if s == slug})
    statuses = list(expected_statuses.values())
    assert statuses.count("accepted") == len(set(valid))
    assert statuses.count("invalid") == sum(1 for t, _s in sent.values() if t == 3)
