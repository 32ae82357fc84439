"""The allocation: property-based tests of the pure planner, then the service on the database."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booths import services
from booths.models import NEEDS, Application, Badge, Stall
from booths.services.allocation import Candidate, StallSlot, fits, plan_allocation
from core.errors import RuleBroken
from core.extensions import db

ZONES = ("food", "crafts", "demonstration")
TYPES = ("standard", "double", "demonstration")
PROVINCES = ("Fès", "Meknès", "Taza", "Ifrane", "Errachidia")
needs_sets = st.frozensets(st.sampled_from(NEEDS), max_size=4)


@st.composite
def allocation_inputs(draw):
    candidates = [
        Candidate(
            id=index + 1,
            province=draw(st.sampled_from(PROVINCES)),
            zone=draw(st.sampled_from(ZONES)),
            stall_type=draw(st.sampled_from(TYPES)),
            needs=draw(needs_sets),
            order=(draw(st.integers(0, 50)),),
        )
        for index in range(draw(st.integers(0, 40)))
    ]
    slots = []
    taken = set()
    for index in range(draw(st.integers(0, 40))):
        pinned = draw(st.booleans()) and draw(st.booleans())
        occupant = None
        if pinned and candidates and draw(st.booleans()):
            choice = draw(st.sampled_from(candidates))
            if choice.id not in taken:
                taken.add(choice.id)
                occupant = choice.id
        slots.append(
            StallSlot(
                id=1000 + index,
                code=f"{'ABCD'[index % 4]}-{index:02d}",
                zone=draw(st.sampled_from(ZONES)),
                stall_type=draw(st.sampled_from(TYPES)),
                amenities=draw(needs_sets),
                pinned=pinned,
                application_id=occupant,
            )
        )
    return slots, candidates


@settings(max_examples=300, deadline=None)
@given(allocation_inputs())
def test_allocation_properties(inputs):
    slots, candidates = inputs
    result = plan_allocation(slots, candidates)
    slot_by_id = {slot.id: slot for slot in slots}
    candidate_by_id = {candidate.id: candidate for candidate in candidates}
    placed = {**result.assignments, **result.kept}
    # No stall given twice.
    assert len(set(placed.values())) == len(placed)
    # Every candidate placed (once) or waitlisted with a reason, never both.
    assert set(placed) | set(result.waitlist) == set(candidate_by_id)
    assert not set(placed) & set(result.waitlist)
    assert all(reason for reason in result.waitlist.values())
    # Sizes, zones and amenities respected for every new assignment.
    for application_id, slot_id in result.assignments.items():
        assert fits(slot_by_id[slot_id], candidate_by_id[application_id])
        assert not slot_by_id[slot_id].pinned
    # Pinned stalls keep their occupant; nobody else lands on a pinned stall.
    for slot in slots:
        if slot.pinned and slot.application_id is not None:
            assert result.kept[slot.application_id] == slot.id
    # A waitlisted candidate really had no free fitting stall left.
    used = set(placed.values())
    for application_id in result.waitlist:
        candidate = candidate_by_id[application_id]
        assert not any(
            fits(slot, candidate) and not slot.pinned and slot.id not in used for slot in slots
        )
    # Deterministic, whatever the order of the input.
    again = plan_allocation(list(reversed(slots)), list(reversed(candidates)))
    assert again == result


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(PROVINCES), min_size=1, max_size=60),
    st.integers(min_value=0, max_value=30),
)
def test_provinces_take_turns_when_stalls_are_scarce(provinces, stall_count):
    """With identical stalls, placed counts per province differ by at most one unless a
    province has run out of applicants."""
    candidates = [
        Candidate(
            id=n + 1, province=p, zone="food", stall_type="standard", needs=frozenset(), order=(n,)
        )
        for n, p in enumerate(provinces)
    ]
    slots = [
        StallSlot(
            id=100 + n, code=f"A-{n:02d}", zone="food", stall_type="standard", amenities=frozenset()
        )
        for n in range(stall_count)
    ]
    result = plan_allocation(slots, candidates)
    wanted = Counter(provinces)
    placed = Counter(
        candidates[application_id - 1].province for application_id in result.assignments
    )
    assert sum(placed.values()) == min(stall_count, len(candidates))
    waiting = {p for p in wanted if placed[p] < wanted[p]}
    for province in waiting:
        assert all(placed[province] >= placed[other] - 1 for other in wanted)


def test_first_come_first_served_within_a_province():
    candidates = [
        Candidate(
            id=n,
            province="Fès",
            zone="crafts",
            stall_type="standard",
            needs=frozenset(),
            order=(10 - n,),
        )
        for n in range(1, 4)
    ]
    slots = [
        StallSlot(id=1, code="A-01", zone="crafts", stall_type="standard", amenities=frozenset())
    ]
    result = plan_allocation(slots, candidates)
    assert result.assignments == {3: 1}
    assert set(result.waitlist) == {1, 2}


def test_the_stall_with_fewest_unneeded_amenities_is_chosen():
    candidate = Candidate(
        id=1, province="Fès", zone="food", stall_type="standard", needs=frozenset({"water"})
    )
    rich = StallSlot(
        id=1, code="A-01", zone="food", stall_type="standard", amenities=frozenset(NEEDS)
    )
    plain = StallSlot(
        id=2, code="A-02", zone="food", stall_type="standard", amenities=frozenset({"water"})
    )
    assert plan_allocation([rich, plain], [candidate]).assignments == {1: 2}


# ---------------------------------------------------------------- the service on the database


@pytest.fixture
def site(future_edition):
    return future_edition().sites[0]


def test_allocation_groups_sectors_into_zones_and_issues_badges(
    app, site, organiser, make_plan, make_application, make_cooperative
):
    make_plan(site, standard=6, double=2, demonstration=1, food_share=0.5)
    honey = make_application(make_cooperative(), site, people=2)
    wood = make_application(
        make_cooperative(sectors=["carpentry_wood"], main_sector="carpentry_wood"),
        site,
        stall_type="double",
    )
    show = make_application(make_cooperative(), site, stall_type="demonstration")
    result = services.allocate_stalls(site, organiser)
    db.session.commit()
    assert not result.waitlist
    assert honey.stall.zone == "food" and honey.stall.stall_type == "standard"
    assert wood.stall.zone == "crafts" and wood.stall.stall_type == "double"
    assert show.stall.zone == "demonstration"
    badges = db.session.query(Badge).filter_by(application_id=honey.id).all()
    assert len(badges) == 2 and {badge.stall_id for badge in badges} == {honey.stall.id}


def test_more_applications_than_stalls_waitlists_the_rest_with_a_reason(
    app, site, organiser, make_plan, make_application, make_cooperative
):
    make_plan(site, standard=2, food_share=1.0)
    applications = [make_application(make_cooperative(), site) for _ in range(3)]
    crafts = make_application(make_cooperative(sectors=["pottery"], main_sector="pottery"), site)
    watered = make_application(make_cooperative(), site, stall_type="double")
    result = services.allocate_stalls(site, organiser)
    db.session.commit()
    assert len(result.assignments) == 2
    waiting = db.session.query(Application).filter_by(status="waitlisted").all()
    assert {a.id for a in waiting} == {applications[2].id, crafts.id, watered.id}
    assert all(a.reason and a.waitlisted_by_allocation for a in waiting)
    assert "crafts" in crafts.reason or "artisanat" in crafts.reason.lower()
    # A new stall: the next run places a waitlisted application again.
    services.add_stall(
        site,
        {"code": "Z-01", "x_m": 0, "y_m": 0, "width_m": 3, "depth_m": 3, "zone": "crafts"},
        organiser,
    )
    services.allocate_stalls(site, organiser)
    db.session.commit()
    assert crafts.status == "approved" and crafts.stall.code == "Z-01" and crafts.reason == ""


def test_pinned_stalls_are_never_moved(
    app, site, organiser, make_plan, make_application, make_cooperative
):
    make_plan(site, standard=4, food_share=1.0)
    first = make_application(make_cooperative(), site)
    second = make_application(make_cooperative(), site)
    stalls = services.site_stalls(site)
    services.assign_stall(stalls[-1], second, organiser)
    services.set_stall_pinned(stalls[1], True, organiser)  # kept empty
    places = []
    for _ in range(2):
        services.allocate_stalls(site, organiser)
        db.session.commit()
        assert second.stall.id == stalls[-1].id and stalls[-1].pinned
        assert first.stall.id not in (stalls[1].id, stalls[-1].id)
        assert stalls[1].application_id is None
        places.append(first.stall.id)
    assert places[0] == places[1]


def test_allocation_is_deterministic(
    app, site, organiser, make_plan, make_application, make_cooperative
):
    make_plan(site, standard=10, food_share=0.5)
    for n in range(12):
        province, city = [("Fès", "Fès"), ("Taza", "Taza"), ("Ifrane", "Azrou")][n % 3]
        sector = ["honey", "pottery"][n % 2]
        make_application(
            make_cooperative(province=province, city=city, sectors=[sector], main_sector=sector),
            site,
        )
    services.allocate_stalls(site, organiser)
    db.session.commit()
    first = {stall.code: stall.application_id for stall in services.site_stalls(site)}
    services.clear_allocation(site, organiser)
    services.allocate_stalls(site, organiser)
    db.session.commit()
    assert {stall.code: stall.application_id for stall in services.site_stalls(site)} == first


def test_hand_assignment_checks_fit_and_pins(
    app, site, organiser, make_plan, make_application, make_cooperative
):
    make_plan(site, standard=2, double=1, food_share=1.0)
    application = make_application(make_cooperative(), site)
    pending = make_application(make_cooperative(), site, status="pending")
    double = next(stall for stall in services.site_stalls(site) if stall.stall_type == "double")
    with pytest.raises(RuleBroken):
        services.assign_stall(double, application, organiser)
    with pytest.raises(RuleBroken):
        services.assign_stall(services.site_stalls(site)[0], pending, organiser)
    standard = next(stall for stall in services.site_stalls(site) if stall.stall_type == "standard")
    services.assign_stall(standard, application, organiser)
    assert standard.pinned and standard.application_id == application.id
    services.free_stall(standard, organiser)
    assert standard.application_id is None and not standard.pinned


def test_a_site_without_stalls_cannot_be_allocated(app, site, organiser):
    with pytest.raises(RuleBroken):
        services.allocate_stalls(site, organiser)


def test_one_stall_per_cooperative_and_site(
    app, site, organiser, make_plan, make_application, make_cooperative
):
    make_plan(site, standard=6, food_share=1.0)
    make_application(make_cooperative(), site)
    services.allocate_stalls(site, organiser)
    services.allocate_stalls(site, organiser)
    db.session.commit()
    assert db.session.query(Stall).filter(Stall.application_id.isnot(None)).count() == 1
