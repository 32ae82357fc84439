"""Floor plans: generation from the area and a layout rule, hand edits with their checks."""

import pytest

from booths import services
from booths.models import FloorPlan, Stall
from core.errors import Conflict, RuleBroken
from core.extensions import db


@pytest.fixture
def site(future_edition):
    return future_edition().sites[0]  # 750 m²


def stall_values(**overrides):
    record = {
        "code": "Z-01",
        "x_m": 0,
        "y_m": 0,
        "width_m": 3,
        "depth_m": 3,
        "zone": "food",
        "amenities": ["water"],
    }
    record.update(overrides)
    return record


def overlaps(first, second):
    return (
        first.x_m < second.x_m + second.width_m
        and second.x_m < first.x_m + first.width_m
        and first.y_m < second.y_m + second.depth_m
        and second.y_m < first.y_m + first.depth_m
    )


def test_generated_plan_keeps_stalls_apart_inside_the_ground_and_within_the_area(
    app, site, organiser
):
    rule = services.LayoutRule(standard=40, double=6, demonstration=2, food_share=0.5)
    plan = services.generate_floor_plan(site, rule, organiser)
    stalls = services.site_stalls(site)
    assert len(stalls) == 48
    assert sum(stall.area_m2 for stall in stalls) == 40 * 9 + 6 * 18 + 2 * 36 <= site.area_m2
    for index, stall in enumerate(stalls):
        assert 0 <= stall.x_m and stall.x_m + stall.width_m <= plan.width_m
        assert 0 <= stall.y_m and stall.y_m + stall.depth_m <= plan.depth_m
        assert not any(overlaps(stall, other) for other in stalls[index + 1 :])
    kinds = {(stall.zone, stall.stall_type) for stall in stalls}
    assert kinds == {
        ("food", "standard"),
        ("food", "double"),
        ("crafts", "standard"),
        ("crafts", "double"),
        ("demonstration", "demonstration"),
    }
    assert sum(1 for stall in stalls if stall.zone == "food") == 20 + 3
    assert len({stall.code for stall in stalls}) == 48
    assert all("electricity" in stall.amenities for stall in stalls)
    assert any("ground_access" in stall.amenities for stall in stalls)
    # Aisles: rows come in back-to-back pairs with an aisle before each pair.
    rows = sorted({stall.y_m for stall in stalls})
    assert rows[0] == rule.aisle_m


def test_an_empty_rule_fills_the_area_with_standard_stalls(app, site, organiser):
    services.generate_floor_plan(site, services.LayoutRule(), organiser)
    stalls = services.site_stalls(site)
    assert len(stalls) == site.area_m2 // 9
    assert {stall.stall_type for stall in stalls} == {"standard"}


def test_a_rule_needing_more_than_the_site_area_is_refused(app, site, organiser):
    with pytest.raises(RuleBroken) as caught:
        services.generate_floor_plan(site, services.LayoutRule(standard=84), organiser)
    assert caught.value.code == "area_exceeded"
    assert db.session.query(Stall).count() == 0


@pytest.mark.parametrize(
    "rule",
    [
        {"standard": -1},
        {"standard": 2, "food_share": 1.5},
        {"standard": 2, "aisle_m": 0.2},
        {"double": 2, "row_length_m": 4},
    ],
)
def test_bad_layout_rules(app, site, organiser, rule):
    with pytest.raises(RuleBroken):
        services.generate_floor_plan(site, services.LayoutRule(**rule), organiser)


def test_regenerating_replaces_stalls_until_some_are_allocated(
    app, site, organiser, make_plan, make_application, make_cooperative
):
    make_plan(site, standard=10)
    make_plan(site, standard=5)
    assert db.session.query(Stall).count() == 5
    assert db.session.query(FloorPlan).count() == 1
    make_application(make_cooperative(), site)
    services.allocate_stalls(site, organiser)
    with pytest.raises(Conflict) as caught:
        services.generate_floor_plan(site, services.LayoutRule(standard=3), organiser)
    assert caught.value.code == "plan_allocated"


def test_add_a_stall_by_hand(app, site, organiser):
    services.set_ground_size(site, 30, 20, 3, organiser)
    stall = services.add_stall(site, stall_values(code="z-1".upper() + "0"), organiser)
    assert stall.code == "Z-10" and stall.pinned is False


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"x_m": 28}, "outside_ground"),
        ({"y_m": 18.5}, "outside_ground"),
        ({"x_m": -1}, "outside_ground"),
        ({"code": "A-01", "x_m": 10}, "conflict"),
        ({"x_m": 2, "y_m": 2}, "stall_overlap"),
        ({"code": "seven"}, "rule_broken"),
        ({"width_m": 0}, "rule_broken"),
        ({"zone": "garage"}, "rule_broken"),
        ({"amenities": ["jacuzzi"]}, "rule_broken"),
        ({"x_m": "left"}, "rule_broken"),
    ],
)
def test_hand_edits_are_checked(app, site, organiser, overrides, code):
    services.set_ground_size(site, 30, 20, 3, organiser)
    services.add_stall(site, stall_values(code="A-01"), organiser)
    with pytest.raises((RuleBroken, Conflict)) as caught:
        services.add_stall(site, stall_values(**overrides), organiser)
    assert caught.value.code == code
    assert db.session.query(Stall).count() == 1


def test_touching_stalls_do_not_overlap(app, site, organiser):
    services.set_ground_size(site, 30, 20, 3, organiser)
    services.add_stall(site, stall_values(code="A-01"), organiser)
    services.add_stall(site, stall_values(code="A-02", x_m=3), organiser)
    services.add_stall(site, stall_values(code="B-01", y_m=3), organiser)
    stalls = db.session.query(Stall).filter_by(site_id=site.id).order_by(Stall.code).all()
    assert [(s.code, s.x_m, s.y_m) for s in stalls] == [
        ("A-01", 0, 0),
        ("A-02", 3, 0),
        ("B-01", 0, 3),
    ]


def test_hand_added_stalls_never_exceed_the_site_area(app, site, organiser):
    services.set_ground_size(site, 100, 100, 3, organiser)
    services.add_stall(site, stall_values(width_m=25, depth_m=29), organiser)  # 725 m²
    with pytest.raises(RuleBroken) as caught:
        services.add_stall(site, stall_values(code="A-02", x_m=50, width_m=5, depth_m=6), organiser)
    assert caught.value.code == "area_exceeded"


def test_no_hand_edit_before_the_ground_exists(app, site, organiser):
    with pytest.raises(RuleBroken) as caught:
        services.add_stall(site, stall_values(), organiser)
    assert caught.value.code == "no_floor_plan"


def test_move_resize_and_delete(app, site, organiser, make_plan):
    make_plan(site, standard=4, row_length_m=12)
    services.set_ground_size(site, 40, 30, 3, organiser)
    stalls = services.site_stalls(site)
    first, second = stalls[0], stalls[1]
    with pytest.raises(RuleBroken):
        services.update_stall(first, {"x_m": second.x_m}, organiser)
    services.update_stall(first, {"y_m": first.y_m + 10, "width_m": 6}, organiser)
    assert first.stall_type == "double"
    services.delete_stall(second, organiser)
    assert db.session.query(Stall).count() == 3


def test_the_ground_cannot_shrink_under_its_stalls(app, site, organiser, make_plan):
    plan = make_plan(site, standard=4, row_length_m=12)
    with pytest.raises(RuleBroken):
        services.set_ground_size(site, 5, plan.depth_m, 3, organiser)
    services.set_ground_size(site, 40, plan.depth_m + 5, 3, organiser)
    assert plan.width_m == 40


def test_an_occupied_stall_keeps_fitting_and_cannot_be_deleted(
    app, site, organiser, make_plan, make_application, make_cooperative
):
    make_plan(site, standard=2)
    application = make_application(make_cooperative(), site, needs=["electricity"])
    services.allocate_stalls(site, organiser)
    stall = application.stall
    with pytest.raises(Conflict):
        services.delete_stall(stall, organiser)
    with pytest.raises(RuleBroken) as caught:
        services.update_stall(stall, {"width_m": 6}, organiser)
    assert caught.value.code == "occupant_misfit"
    with pytest.raises(RuleBroken):
        services.update_stall(stall, {"amenities": ["water"]}, organiser)
    with pytest.raises(RuleBroken):
        services.update_stall(stall, {"zone": "crafts"}, organiser)
    db.session.refresh(stall)
    assert stall.width_m == 3 and stall.zone == "food"
