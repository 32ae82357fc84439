"""Races: the same cooperative applies from several processes at once; two organisers
allocate the same site at once. Each process has its own connection to the same database
(PostgreSQL with TEST_DATABASE_URL, else the SQLite file)."""

import multiprocessing

from sqlalchemy import func, select

from booths.models import Application, Badge, Stall
from core.extensions import db

WORKERS = 5
REQUEST = {
    "stall_type": "standard",
    "needs": [],
    "products": "miel",
    "representatives": [{"name": "Khadija", "phone": "0612345678"}],
}


def in_process(config, action, arguments, barrier, results):
    from app import create_app

    app = create_app(config)
    with app.test_request_context():
        db.session.execute(select(1))
        db.session.rollback()  # connected, holding no transaction while waiting
        barrier.wait(timeout=60)
        try:
            results.put(action(*arguments))
            db.session.commit()
        except Exception as error:  # the outcome is what the test checks
            db.session.rollback()
            results.put(getattr(error, "code", type(error).__name__))
        finally:
            db.session.remove()
            db.engine.dispose()


def apply_action(cooperative_id, site_id, user_id):
    from accounts.models import User
    from booths import services
    from markets.models import Site

    cooperative = services.get_cooperative(cooperative_id)
    site = db.session.get(Site, site_id)
    services.apply_for_stall(cooperative, site, REQUEST, db.session.get(User, user_id))
    return "applied"


def allocate_action(site_id, user_id):
    from accounts.models import User
    from booths import services
    from markets.models import Site

    services.allocate_stalls(db.session.get(Site, site_id), db.session.get(User, user_id))
    return "allocated"


def run_together(app_config, action, arguments):
    db.session.close()
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(WORKERS), context.Queue()
    processes = [
        context.Process(target=in_process, args=(app_config, action, arguments, barrier, results))
        for _ in range(WORKERS)
    ]
    for process in processes:
        process.start()
    outcomes = sorted(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return outcomes


def test_one_application_however_many_times_it_is_sent(
    app, app_config, future_edition, make_cooperative, organiser
):
    site = future_edition().sites[0]
    cooperative = make_cooperative()
    outcomes = run_together(app_config, apply_action, (cooperative.id, site.id, organiser.id))
    assert outcomes == ["already_applied"] * (WORKERS - 1) + ["applied"]
    count = db.session.scalar(select(func.count()).select_from(Application))
    assert count == 1


def test_concurrent_allocations_give_each_stall_once(
    app, app_config, future_edition, organiser, make_plan, make_application, make_cooperative
):
    site = future_edition().sites[0]
    make_plan(site, standard=8, food_share=1.0)
    for _ in range(6):
        make_application(make_cooperative(), site)
    outcomes = run_together(app_config, allocate_action, (site.id, organiser.id))
    assert outcomes == ["allocated"] * WORKERS
    placed = db.session.scalars(
        select(Stall.application_id).where(Stall.application_id.isnot(None))
    ).all()
    assert len(placed) == len(set(placed)) == 6
    badges = db.session.scalar(
        select(func.count()).select_from(Badge).where(Badge.revoked_at.is_(None))
    )
    assert badges == 6  # one per representative, never issued twice
