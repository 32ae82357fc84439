"""Several processes scan the same ticket at the same moment: exactly one first entry.

Runs on the test database (SQLite file by default, PostgreSQL with TEST_DATABASE_URL): each
process builds its own app and connection, waits at a barrier, then records its scan.
"""

import multiprocessing
import uuid

from core.extensions import db
from tests.visitors.conftest import OPEN_TIME
from visitors.models import AttendanceHour, FirstEntry, Scan
from visitors.services import attendance_summary, record_scans

PROCESSES = 6


def scan_in_process(config, user_id, scans, barrier, answers):
    from accounts.models import User
    from app import create_app

    app = create_app(config)
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.commit()
        barrier.wait(timeout=60)
        results = record_scans(scans, user)
        db.session.commit()
        answers.put([result["status"] for result in results])
        db.session.remove()
        db.engine.dispose()


def run_processes(app_config, user_id, batches):
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(batches))
    answers = context.Queue()
    config = {key: value for key, value in app_config.items()}
    processes = [
        context.Process(target=scan_in_process, args=(config, user_id, batch, barrier, answers))
        for batch in batches
    ]
    for process in processes:
        process.start()
    statuses = [answers.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return [status for batch in statuses for status in batch]


def test_same_ticket_at_several_gates_at_once(app, app_config, ticket, volunteer, edition):
    gates = ["gate-north", "gate-south"]
    batches = [
        [
            {
                "id": str(uuid.uuid4()),
                "code": ticket.code,
                "edition": edition.slug,
                "site": "meknes",
                "checkpoint": gates[index % 2],
                "scanned_at": OPEN_TIME,
            }
        ]
        for index in range(PROCESSES)
    ]
    db.session.commit()
    db.engine.dispose()
    statuses = run_processes(app_config, volunteer.id, batches)
    assert sorted(statuses) == ["accepted"] + ["reentry"] * (PROCESSES - 1)
    assert db.session.query(FirstEntry).count() == 1
    assert db.session.query(Scan).filter_by(status="accepted").count() == 1
    counters = db.session.query(AttendanceHour).one()
    assert (counters.visitors, counters.entries) == (1, PROCESSES)
    summary = attendance_summary(edition)
    assert (summary["visitors"], summary["entries"]) == (1, PROCESSES)


def test_same_scan_resent_by_several_processes_is_recorded_once(
    app, app_config, ticket, volunteer, edition
):
    scan = {
        "id": str(uuid.uuid4()),
        "code": ticket.code,
        "edition": edition.slug,
        "site": "el-hajeb",
        "checkpoint": "gate-north",
        "scanned_at": OPEN_TIME,
    }
    db.session.commit()
    db.engine.dispose()
    statuses = run_processes(app_config, volunteer.id, [[dict(scan)] for _ in range(PROCESSES)])
    assert statuses == ["accepted"] * PROCESSES
    assert db.session.query(Scan).count() == 1
    assert attendance_summary(edition)["entries"] == 1
