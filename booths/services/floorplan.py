"""Floor plans: generate rows of stalls from a site's area, then adjust them by hand."""

import math
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, or_

from accounts.activity import record_activity
from booths.models import (
    NEEDS,
    STALL_SIZES,
    ZONES,
    Application,
    FloorPlan,
    Stall,
    stall_type_of,
)
from booths.services.allocation import StallSlot, misfit_reason
from booths.services.registry import cooperative_matches
from core.errors import Conflict, NotFound, RuleBroken
from core.extensions import db

CODE_PATTERN = re.compile(r"^[A-Z]{1,2}-\d{2,3}$")
EPSILON = 1e-6
MAX_STALLS = 2000
STALL_STATES = ("free", "allocated", "pinned")  # the floor plan's table filters stalls by these


@dataclass
class LayoutRule:
    """How to lay out a site: how many stalls of each type, aisles, row length, amenities."""

    standard: int = 0
    double: int = 0
    demonstration: int = 0
    aisle_m: float = 3.0
    row_length_m: float = 0.0  # 0: chosen from the area
    food_share: float = 0.5  # share of standard and double stalls in the food zone
    electricity: bool = True
    shade: bool = True

    def stall_area(self):
        return sum(
            count * STALL_SIZES[kind][0] * STALL_SIZES[kind][1]
            for kind, count in self.counts().items()
        )

    def counts(self):
        return {
            "standard": self.standard,
            "double": self.double,
            "demonstration": self.demonstration,
        }


def get_floor_plan(site):
    return db.session.query(FloorPlan).filter_by(site_id=site.id).first()


def site_stalls(site):
    return (
        db.session.query(Stall)
        .filter_by(site_id=site.id)
        .options(db.joinedload(Stall.application).joinedload(Application.cooperative))
        .order_by(Stall.code)
        .all()
    )


def site_stalls_query(site, search=None, zone=None, state=None):
    """A site's stalls in code order, narrowed as an organiser narrows the plan's table: words
    of the stall's code or of its cooperative (the registry's rule), a zone, a state."""
    query = (
        db.session.query(Stall)
        .filter(Stall.site_id == site.id)
        .outerjoin(Stall.application)
        .outerjoin(Application.cooperative)
        .options(db.contains_eager(Stall.application).contains_eager(Application.cooperative))
        .order_by(Stall.code)
    )
    if search and search.strip():
        query = query.filter(
            or_(Stall.code.ilike(f"%{search.strip()}%"), cooperative_matches(search))
        )
    if zone in ZONES:
        query = query.filter(Stall.zone == zone)
    if state == "free":
        query = query.filter(Stall.application_id.is_(None))
    elif state == "allocated":
        query = query.filter(Stall.application_id.is_not(None))
    elif state == "pinned":
        query = query.filter(Stall.pinned.is_(True))
    return query


def occupied_by_sector(stalls):
    """The allocated stalls, grouped by their cooperative's main sector, then by name."""
    occupied = [stall for stall in stalls if stall.application]
    return sorted(
        occupied,
        key=lambda s: (s.application.cooperative.main_sector, s.application.cooperative.name_latin),
    )


def get_stall(site, stall_id):
    stall = db.session.get(Stall, stall_id)
    if stall is None or stall.site_id != site.id:
        raise NotFound(_("No such stall on this site."), code="unknown_stall")
    return stall


def row_letters(index):
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def check_rule(site, rule):
    counts = rule.counts()
    if any(not isinstance(count, int) or count < 0 for count in counts.values()):
        raise RuleBroken(_("Stall counts are whole numbers, 0 or more."), field="standard")
    if sum(counts.values()) > MAX_STALLS:
        raise RuleBroken(
            _("At most %(count)d stalls per site.", count=MAX_STALLS), field="standard"
        )
    if not 0 <= rule.food_share <= 1:
        raise RuleBroken(_("The food share is between 0 and 100 %."), field="food_share")
    if not 1 <= rule.aisle_m <= 20:
        raise RuleBroken(_("Aisles are between 1 and 20 m wide."), field="aisle_m")
    if rule.stall_area() > site.area_m2 + EPSILON:
        raise RuleBroken(
            _(
                "These stalls need %(needed)s m² but the site has %(area)s m² of stalls.",
                needed=round(rule.stall_area()),
                area=site.area_m2,
            ),
            code="area_exceeded",
            field="standard",
        )


def default_rule(site):
    """Fill the site's area with standard stalls."""
    return LayoutRule(standard=int(site.area_m2 // 9))


def generate_floor_plan(site, rule, actor):
    """Replace the site's stalls with rows laid out by the rule (none may be allocated yet)."""
    if not sum(rule.counts().values()):
        rule = LayoutRule(**{**rule.__dict__, **default_rule(site).counts()})
    check_rule(site, rule)
    plan = lock_floor_plan(site)
    if (
        db.session.query(Stall.id)
        .filter(Stall.site_id == site.id, Stall.application_id.isnot(None))
        .first()
    ):
        raise Conflict(
            _("Stalls are already allocated: clear the allocation before generating a new plan."),
            code="plan_allocated",
        )
    db.session.query(Stall).filter_by(site_id=site.id).delete(synchronize_session=False)
    width = rule.row_length_m or max(12.0, math.ceil(math.sqrt(site.area_m2 * 2) / 3) * 3)
    widest = max(
        (STALL_SIZES[kind][0] for kind, count in rule.counts().items() if count), default=3
    )
    if width < widest:
        raise RuleBroken(
            _("Rows must be at least %(width)s m long.", width=widest), field="row_length_m"
        )
    stalls, depth = lay_out_rows(site, rule, width)
    db.session.add_all(stalls)
    if plan is None:
        plan = FloorPlan(site_id=site.id, width_m=width, depth_m=depth, aisle_m=rule.aisle_m)
        db.session.add(plan)
    else:
        plan.width_m, plan.depth_m, plan.aisle_m = width, depth, rule.aisle_m
    db.session.flush()
    return plan


def zone_batches(rule):
    """[(zone, [stall type, ...])] in layout order: food rows, crafts rows, demonstration rows."""
    food_double = round(rule.double * rule.food_share)
    food_standard = round(rule.standard * rule.food_share)
    return [
        ("food", ["double"] * food_double + ["standard"] * food_standard),
        (
            "crafts",
            ["double"] * (rule.double - food_double)
            + ["standard"] * (rule.standard - food_standard),
        ),
        ("demonstration", ["demonstration"] * rule.demonstration),
    ]


def lay_out_rows(site, rule, width):
    """Rows in back-to-back pairs with an aisle before each pair; each zone starts a row."""
    rows = []  # [(zone, [types])]
    for zone, kinds in zone_batches(rule):
        current, used = [], 0.0
        for kind in kinds:
            stall_width = STALL_SIZES[kind][0]
            if used + stall_width > width + EPSILON:
                rows.append((zone, current))
                current, used = [], 0.0
            current.append(kind)
            used += stall_width
        if current:
            rows.append((zone, current))
    stalls, y = [], 0.0
    for index, (zone, kinds) in enumerate(rows):
        if index % 2 == 0:
            y += rule.aisle_m
        row_depth = max(STALL_SIZES[kind][1] for kind in kinds)
        faces_aisle_only = index == 0 or index == len(rows) - 1
        x = 0.0
        for number, kind in enumerate(kinds, start=1):
            stall_width, stall_depth = STALL_SIZES[kind]
            amenities = set()
            if rule.electricity or kind == "demonstration":
                amenities.add("electricity")
            if rule.shade:
                amenities.add("shade")
            if number in (1, len(kinds)) or kind == "demonstration":
                amenities.add("water")
            if faces_aisle_only or kind == "demonstration":
                amenities.add("ground_access")
            stalls.append(
                Stall(
                    site_id=site.id,
                    code=f"{row_letters(index)}-{number:02d}",
                    x_m=x,
                    y_m=y,
                    width_m=stall_width,
                    depth_m=stall_depth,
                    zone=zone,
                    amenities=[need for need in NEEDS if need in amenities],
                    pinned=False,
                )
            )
            x += stall_width
        y += row_depth
    return stalls, y + rule.aisle_m


def lock_floor_plan(site):
    """Lock the plan row so that hand edits of one site queue one after the other."""
    return db.session.query(FloorPlan).filter_by(site_id=site.id).with_for_update().first()


def require_floor_plan(site):
    plan = lock_floor_plan(site)
    if plan is None:
        raise RuleBroken(
            _("Generate the floor plan (or give the ground's size) first."), code="no_floor_plan"
        )
    return plan


def set_ground_size(site, width_m, depth_m, aisle_m, actor):
    """Create or resize the ground; every stall must stay inside it."""
    if not (width_m and depth_m and width_m > 0 and depth_m > 0):
        raise RuleBroken(_("The ground's width and depth must be positive."), field="width_m")
    plan = lock_floor_plan(site)
    outside = (
        db.session.query(Stall.code)
        .filter(
            Stall.site_id == site.id,
            (Stall.x_m + Stall.width_m > width_m + EPSILON)
            | (Stall.y_m + Stall.depth_m > depth_m + EPSILON),
        )
        .order_by(Stall.code)
        .all()
    )
    if outside:
        raise RuleBroken(
            _(
                "These stalls would fall outside the ground: %(codes)s.",
                codes=", ".join(code for (code,) in outside),
            ),
            field="width_m",
        )
    if plan is None:
        plan = FloorPlan(site_id=site.id, width_m=width_m, depth_m=depth_m, aisle_m=aisle_m or 3)
        db.session.add(plan)
    else:
        plan.width_m, plan.depth_m, plan.aisle_m = width_m, depth_m, aisle_m or plan.aisle_m
    db.session.flush()
    return plan


def clean_stall_values(values):
    code = (values.get("code") or "").strip().upper()
    if not CODE_PATTERN.match(code):
        raise RuleBroken(_("Write stall codes like A-07."), field="code")
    try:
        numbers = {key: float(values[key]) for key in ("x_m", "y_m", "width_m", "depth_m")}
    except (KeyError, TypeError, ValueError):
        raise RuleBroken(_("Give the position and size in metres."), field="x_m") from None
    if numbers["width_m"] <= 0 or numbers["depth_m"] <= 0:
        raise RuleBroken(_("A stall's width and depth must be positive."), field="width_m")
    zone = values.get("zone") or "crafts"
    if zone not in ZONES:
        raise RuleBroken(_("Unknown zone."), field="zone")
    amenities = list(values.get("amenities") or [])
    if any(item not in NEEDS for item in amenities):
        raise RuleBroken(_("Unknown amenity."), field="amenities")
    return {
        "code": code,
        **numbers,
        "zone": zone,
        "amenities": [need for need in NEEDS if need in amenities],
    }


def check_stall_place(site, plan, values, stall=None):
    """Inside the ground, not on another stall, a free code, total area within the site's m²."""
    if (
        values["x_m"] < -EPSILON
        or values["y_m"] < -EPSILON
        or values["x_m"] + values["width_m"] > plan.width_m + EPSILON
        or values["y_m"] + values["depth_m"] > plan.depth_m + EPSILON
    ):
        raise RuleBroken(
            _(
                "The stall must lie inside the ground (%(width)s × %(depth)s m).",
                width=plan.width_m,
                depth=plan.depth_m,
            ),
            code="outside_ground",
            field="x_m",
        )
    others = db.session.query(Stall).filter(Stall.site_id == site.id)
    if stall is not None:
        others = others.filter(Stall.id != stall.id)
    if others.filter(Stall.code == values["code"]).first():
        raise Conflict(_("Another stall already has this code."), field="code")
    overlapping = others.filter(
        Stall.x_m < values["x_m"] + values["width_m"] - EPSILON,
        Stall.x_m + Stall.width_m > values["x_m"] + EPSILON,
        Stall.y_m < values["y_m"] + values["depth_m"] - EPSILON,
        Stall.y_m + Stall.depth_m > values["y_m"] + EPSILON,
    ).first()
    if overlapping is not None:
        raise RuleBroken(
            _("The stall would overlap stall %(code)s.", code=overlapping.code),
            code="stall_overlap",
            field="x_m",
        )
    other_area = others.with_entities(
        func.coalesce(func.sum(Stall.width_m * Stall.depth_m), 0)
    ).scalar()
    if float(other_area) + values["width_m"] * values["depth_m"] > site.area_m2 + EPSILON:
        raise RuleBroken(
            _("The stalls would cover more than the site's %(area)s m².", area=site.area_m2),
            code="area_exceeded",
            field="width_m",
        )


def add_stall(site, values, actor):
    plan = require_floor_plan(site)
    values = clean_stall_values(values)
    check_stall_place(site, plan, values)
    stall = Stall(site_id=site.id, pinned=False, **values)
    db.session.add(stall)
    db.session.flush()
    return stall


def update_stall(stall, values, actor):
    """Move, resize or re-zone a stall (its occupant must still fit it)."""
    site = stall.site
    plan = require_floor_plan(site)
    merged = {
        key: values.get(key, getattr(stall, key))
        for key in ("code", "x_m", "y_m", "width_m", "depth_m", "zone", "amenities")
    }
    merged = clean_stall_values(merged)
    check_stall_place(site, plan, merged, stall)
    if stall.application is not None:
        resized = StallSlot(
            id=stall.id,
            code=merged["code"],
            zone=merged["zone"],
            stall_type=stall_type_of(merged["width_m"], merged["depth_m"]),
            amenities=frozenset(merged["amenities"]),
        )
        reason = misfit_reason(resized, stall.application)
        if reason:
            raise RuleBroken(reason, code="occupant_misfit", field="width_m")
    for key, value in merged.items():
        setattr(stall, key, value)
    db.session.flush()
    return stall


def delete_stall(stall, actor):
    require_floor_plan(stall.site)
    if stall.application_id is not None:
        raise Conflict(
            _("Stall %(code)s is allocated: free it before deleting it.", code=stall.code),
            code="stall_allocated",
        )
    record_activity(
        actor,
        "stall.delete",
        stall,
        label=stall.code,
        edition_id=stall.site.edition_id,
        width_m=stall.width_m,
        depth_m=stall.depth_m,
    )
    db.session.delete(stall)
    db.session.flush()


def plan_figures(site, stalls):
    allocated = [stall for stall in stalls if stall.application_id is not None]
    return {
        "stalls": len(stalls),
        "allocated": len(allocated),
        "empty": len(stalls) - len(allocated),
        "stall_area_m2": round(sum(stall.area_m2 for stall in stalls), 1),
        "allocated_area_m2": round(sum(stall.area_m2 for stall in allocated), 1),
        "site_area_m2": site.area_m2,
    }
