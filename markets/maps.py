"""A small map of an edition's sites drawn as SVG from their coordinates (no tile server)."""

from flask_babel import gettext as _
from markupsafe import Markup, escape

from core.i18n import current_language, localized
from markets.gazetteer import HOME_REGION, places

WIDTH, HEIGHT, MARGIN = 520, 360, 40


def sites_map(sites):
    """Plot the sites over the region's towns (equirectangular projection, fine at this scale)."""
    region = [place for place in places() if place.region == HOME_REGION]
    points = [(place.latitude, place.longitude) for place in region] + [
        (s.latitude, s.longitude) for s in sites
    ]
    if not points:
        return Markup("")
    south, north = min(p[0] for p in points), max(p[0] for p in points)
    west, east = min(p[1] for p in points), max(p[1] for p in points)

    def project(latitude, longitude):
        x = MARGIN + (longitude - west) / ((east - west) or 1) * (WIDTH - 2 * MARGIN)
        y = MARGIN + (north - latitude) / ((north - south) or 1) * (HEIGHT - 2 * MARGIN)
        return round(x, 1), round(y, 1)

    language = current_language()
    names = ", ".join(localized(site.names) or site.city for site in sites)
    description = _("Map of the sites: %(sites)s", sites=names)
    parts = [
        f'<svg class="map" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-label="{escape(description)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for place in region:
        x, y = project(place.latitude, place.longitude)
        label = place.name_ar if language == "ar" else place.name
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="2.5" fill="#9aa8a0"/>'
            f'<text x="{x + 4}" y="{y - 3}" font-size="9" fill="#6b7770">{escape(label)}</text>'
        )
    for first, second in zip(sites, sites[1:], strict=False):
        (x1, y1), (x2, y2) = (
            project(first.latitude, first.longitude),
            project(second.latitude, second.longitude),
        )
        parts.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#1b7f5c" stroke-dasharray="4 3"/>'
        )
    for site in sites:
        x, y = project(site.latitude, site.longitude)
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="7" fill="#d98e04" stroke="#fff" stroke-width="2"/>'
            f'<text x="{x + 10}" y="{y + 4}" font-size="14" font-weight="bold">{escape(localized(site.names))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
