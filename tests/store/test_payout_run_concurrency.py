"""Two organisers (separate processes, each with its own connection) posting the same payout
run at the same moment (a double click on two tabs, a retry): the run is paid once, both answer
the first posting's result, and each cooperative hears of its payout once."""

import multiprocessing
from datetime import date, datetime

from sqlalchemy import select

from accounts.models import OutboundMessage
from core.extensions import db
from store.models import Payout
from store.payout_models import PayoutRun
from store.services.payout_runs import build_payout_run
from tests.store.test_payout_runs import market  # noqa: F401 (the fixture)


def poster(database_uri, run_id, organiser_id, reference, barrier, results):
    from app import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": database_uri,
            "ARGON2_PROFILE": "CHEAPEST",
            "SERVER_NAME": "localhost",
        }
    )
    with app.test_request_context():
        from accounts.models import User
        from store.services.payout_runs import post_payout_run

        run = db.session.get(PayoutRun, run_id)
        organiser = db.session.get(User, organiser_id)
        db.session.commit()
        barrier.wait(timeout=60)
        try:
            run, replayed = post_payout_run(run, datetime(2024, 5, 20, 9), reference, organiser)
            db.session.commit()
            results.put((replayed, run.reference))
        except Exception as error:  # reported to the test instead of hanging it
            db.session.rollback()
            results.put((None, repr(error)))
        finally:
            db.session.remove()
            db.engine.dispose()


def test_a_run_posted_twice_at_once_pays_once(app, database_uri, market, organiser):  # noqa: F811
    run = build_payout_run(market["edition"], date(2024, 5, 10), 0, organiser)
    db.session.commit()
    db.engine.dispose()
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    processes = [
        context.Process(
            target=poster,
            args=(database_uri, run.id, organiser.id, reference, barrier, results),
        )
        for reference in ("LOT-A", "LOT-B")
    ]
    for process in processes:
        process.start()
    outcomes = sorted(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    first = next(reference for replayed, reference in outcomes if replayed is False)
    assert outcomes == sorted([(False, first), (True, first)])
    db.session.expire_all()
    paid = db.session.scalars(select(Payout).where(Payout.paid_at.isnot(None))).all()
    assert len(paid) == 3 and {p.reference for p in paid} == {first}
    told = db.session.scalars(
        select(OutboundMessage).where(OutboundMessage.event == "payout_paid")
    ).all()
    assert sorted(m.cooperative_id for m in told) == sorted(p.cooperative_id for p in paid)
