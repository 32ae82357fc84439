"""Several processes register for the last seat at once: never over capacity.

Each process has its own connection to the same database (PostgreSQL with TEST_DATABASE_URL,
else the SQLite file); the workshop row lock serialises them.
"""

import multiprocessing

from sqlalchemy import func, select

from core.extensions import db
from workshops import services
from workshops.models import Registration

WORKERS = 6


def register_in_process(config, workshop_id, index, barrier, results):
    from app import create_app

    app = create_app(config)
    with app.test_request_context():
        db.session.execute(select(1))
        db.session.rollback()  # connected, and holding no transaction while waiting
        barrier.wait(timeout=60)
        workshop = services.get_workshop(workshop_id)
        registration = services.register_visitor(
            workshop, {"person_name": f"Visiteur {index}", "phone": f"0770{index:06d}"}
        )
        db.session.commit()
        results.put(registration.status)
        db.session.remove()
        db.engine.dispose()


def test_last_seat_under_concurrent_registrations(app_config, future_edition, make_workshop):
    workshop = make_workshop(future_edition, capacity=3)
    workshop_id, capacity = workshop.id, workshop.capacity
    for index in range(2):
        services.register_visitor(workshop, {"person_name": "Early", "phone": f"0660{index:06d}"})
    db.session.commit()
    db.session.close()  # hold no transaction (and on SQLite no write lock) while they run
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(WORKERS), context.Queue()
    processes = [
        context.Process(
            target=register_in_process, args=(app_config, workshop_id, i, barrier, results)
        )
        for i in range(WORKERS)
    ]
    for process in processes:
        process.start()
    statuses = sorted(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert statuses == ["registered"] + ["waitlisted"] * (WORKERS - 1)
    registered = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.workshop_id == workshop_id, Registration.status == "registered")
    )
    assert registered == capacity
