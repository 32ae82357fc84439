"""JSON shapes of editions and sites (API.md, *Editions*), shared by the API and the pages."""

from core.i18n import localized


def site_json(site):
    return {
        "slug": site.slug,
        "city": site.city,
        "name": localized(site.names),
        "province": site.province,
        "province_code": site.province_code,
        "venue": localized(site.venue),
        "opens_on": site.opens_on.isoformat(),
        "closes_on": site.closes_on.isoformat(),
        "opens_at": f"{site.opens_minute // 60:02d}:{site.opens_minute % 60:02d}",
        "closes_at": f"{site.closes_minute // 60:02d}:{site.closes_minute % 60:02d}",
        "latitude": site.latitude,
        "longitude": site.longitude,
        "area_m2": site.area_m2,
        "target": site.visitor_target,
        "gates": list(site.gates),
    }


def edition_json(edition):
    return {
        "slug": edition.slug,
        "number": edition.number,
        "name": localized(edition.names),
        "slogan": localized(edition.slogans),
        "status": edition.status,
        "starts_on": edition.starts_on.isoformat(),
        "ends_on": edition.ends_on.isoformat(),
        "target": edition.visitor_target,
        "commission_basis_points": edition.commission_basis_points,
        "sites": [site_json(site) for site in edition.sites],
    }
