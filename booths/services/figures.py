"""Booth figures of an edition for the dashboard and the partners' report (set-based queries)."""

from sqlalchemy import case, func, select

from booths.models import Application, Cooperative, Stall
from core.extensions import db
from markets.models import Site


def edition_booth_figures(edition):
    """Applicants, admitted cooperatives and stall area of an edition, overall and per province."""
    site_ids = db.session.query(Site.id).filter(Site.edition_id == edition.id)
    site_area = (
        db.session.query(func.coalesce(func.sum(Site.area_m2), 0))
        .filter(Site.edition_id == edition.id)
        .scalar()
    )
    applicant_rows = (
        db.session.query(Cooperative.id, Cooperative.province)
        .join(Application, Application.cooperative_id == Cooperative.id)
        .filter(Application.site_id.in_(site_ids))
        .distinct()
        .all()
    )
    admitted_rows = (
        db.session.query(Cooperative.id, Cooperative.province)
        .join(Application, Application.cooperative_id == Cooperative.id)
        .filter(Application.site_id.in_(site_ids), Application.status == "approved")
        .distinct()
        .all()
    )
    area_rows = (
        db.session.query(Cooperative.province, func.sum(Stall.width_m * Stall.depth_m))
        .join(Application, Stall.application_id == Application.id)
        .join(Cooperative, Application.cooperative_id == Cooperative.id)
        .filter(Stall.site_id.in_(site_ids))
        .group_by(Cooperative.province)
        .all()
    )
    stall_count, stalls_empty = (
        db.session.query(
            func.count(Stall.id),
            func.coalesce(func.sum(func.cast(Stall.application_id.is_(None), db.Integer)), 0),
        )
        .filter(Stall.site_id.in_(site_ids))
        .one()
    )
    by_province = {}

    def province(name):
        return by_province.setdefault(name, {"applicants": 0, "admitted": 0, "stall_area_m2": 0.0})

    for _, name in applicant_rows:
        province(name)["applicants"] += 1
    for _, name in admitted_rows:
        province(name)["admitted"] += 1
    for name, area in area_rows:
        province(name)["stall_area_m2"] = round(float(area or 0), 2)
    return {
        "applicants": len(applicant_rows),
        "admitted": len(admitted_rows),
        "stall_area_m2": round(sum((float(area or 0) for _, area in area_rows), 0.0), 2),
        "site_area_m2": int(site_area or 0),
        "stalls": int(stall_count or 0),
        "stalls_empty": int(stalls_empty or 0),
        "by_province": dict(sorted(by_province.items())),
        "admitted_cooperative_ids": sorted(cooperative_id for cooperative_id, _ in admitted_rows),
        "by_site": site_occupancy(edition),
    }


def site_occupancy(edition):
    """{site slug: {"site_area_m2", "stall_area_m2", "stalls", "stalls_empty"}} in one grouped query."""
    taken_area = case((Stall.application_id.isnot(None), Stall.width_m * Stall.depth_m), else_=0)
    rows = (
        db.session.query(
            Site.slug,
            Site.area_m2,
            func.coalesce(func.sum(taken_area), 0),
            func.count(Stall.id),
            func.coalesce(func.sum(case((Stall.application_id.is_(None), 1), else_=0)), 0),
        )
        .outerjoin(Stall, Stall.site_id == Site.id)
        .filter(Site.edition_id == edition.id)
        .group_by(Site.id, Site.slug, Site.area_m2)
        .order_by(Site.slug)
    )
    return {
        slug: {
            "site_area_m2": int(site_area),
            "stall_area_m2": round(float(stall_area), 2),
            "stalls": int(stalls),
            "stalls_empty": int(empty),
        }
        for slug, site_area, stall_area, stalls, empty in rows
    }


def applicant_cooperative_ids(edition):
    """Ids of the cooperatives that applied to any site of the edition (the report's fairness
    table for women-led and youth-led cooperatives needs who they are, not only how many)."""
    query = (
        select(Application.cooperative_id)
        .join(Site, Site.id == Application.site_id)
        .where(Site.edition_id == edition.id)
        .distinct()
    )
    return sorted(db.session.scalars(query))


def stall_area_by_cooperative(edition):
    """{cooperative id: m² of stalls allocated to it in the edition} (the report's fairness
    table for women-led and youth-led cooperatives needs it per cooperative)."""
    query = (
        select(Application.cooperative_id, func.sum(Stall.width_m * Stall.depth_m))
        .join(Stall, Stall.application_id == Application.id)
        .join(Site, Site.id == Stall.site_id)
        .where(Site.edition_id == edition.id)
        .group_by(Application.cooperative_id)
    )
    return {cooperative_id: float(area or 0) for cooperative_id, area in db.session.execute(query)}
