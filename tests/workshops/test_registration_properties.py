"""Property: whatever the order of registrations and cancellations, the workshop is never over
capacity, no seat stays empty while someone waits, and the waiting list is first come first served."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.extensions import db
from workshops import services
from workshops.models import Registration

steps = st.lists(
    st.one_of(st.just(("register", None)), st.tuples(st.just("cancel"), st.integers(0, 30))),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(capacity=st.integers(1, 4), actions=steps)
def test_waiting_list_invariants(future_edition, make_workshop, capacity, actions):
    workshop = make_workshop(future_edition, capacity=capacity)
    made = []
    for action, index in actions:
        if action == "register":
            made.append(
                services.register_visitor(
                    workshop, {"person_name": "P", "phone": f"06{len(made):08d}"}
                )
            )
        elif made:
            registration = made[index % len(made)]
            if registration.status != "cancelled":
                services.cancel_registration(registration, None)
        rows = db.session.query(Registration).filter_by(workshop_id=workshop.id).all()
        registered = [r for r in rows if r.status == "registered"]
        waiting = sorted((r for r in rows if r.status == "waitlisted"), key=lambda r: r.id)
        assert len(registered) <= capacity
        assert not waiting or len(registered) == capacity
        promoted = [r for r in registered if r.promoted_at is not None]
        if waiting and promoted:
            assert max(r.id for r in promoted) < waiting[0].id
    db.session.rollback()
