import json

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from bluehelmet.core import access, gate
from bluehelmet.core.basemaps import basemap_file_url
from bluehelmet.core.missions import mission_bounds

register = template.Library()


@register.filter
def can_read_audit(user) -> bool:
    """{% if user|can_read_audit %}: whether to offer the audit pages."""
    from bluehelmet.core.audit_trail import can_read_audit as allowed

    return allowed(user)


@register.filter
def can_import(user) -> bool:
    """{% if user|can_import %}: whether to offer the imports page."""
    return access.can_import(user)


@register.filter
def access_in(user, mission):
    """{{ user|access_in:mission }}: what the user may do in the mission (core.gate.Access)."""
    return gate.access(user, mission)


@register.filter
def can(access, capability: str) -> bool:
    """{% if access|can:"ddr.aggregates" %} or {% if user|access_in:mission|can:"..." %}:
    whether the gate gives the user this capability in the mission."""
    return access.can(capability)


@register.filter
def second_factor_pending(user) -> bool:
    """{% if user|second_factor_pending %}: the password is in but the second factor is not
    (core.twofactor): every page but the two-factor ones leads back to the code prompt, so the
    menu offers none of them."""
    from bluehelmet.core import twofactor

    if not user.is_authenticated or getattr(user, "is_verified", lambda: True)():
        return False
    return twofactor.must_enrol(user) or twofactor.must_verify(user)


@register.simple_tag(takes_context=True)
def map_attrs(context, mission, areas=True, search=True):
    """<div id="..." class="map" {% map_attrs mission %}>: what static/js/bhmap.js needs to
    set up any map of the mission, as data attributes (the content security policy refuses
    inline scripts): the mission's bounds (core.missions.mission_bounds), its offline basemap
    when it has one (basemap_attrs), the optional tile server (BLUEHELMET_TILE_URL), the URLs
    of the gazetteer's towns for the place labels and of the shipped water (core/water.py)
    and, unless areas=False, the URL of its admin areas; unless search=False (a page with a
    place search of its own), the place search drawn on the map, with its words."""
    bounds = mission_bounds(context["request"].user, mission)
    return format_html(
        'data-bounds="{}"{} data-tile-url="{}" data-tile-attribution="{}" data-areas-url="{}" data-places-url="{}"'
        ' data-water-url="{}" data-place-search-url="{}" data-place-search-label="{}" data-place-search-empty="{}"',
        json.dumps(bounds) if bounds else "",
        basemap_attrs(mission),
        settings.BLUEHELMET_TILE_URL,
        settings.BLUEHELMET_TILE_ATTRIBUTION,
        reverse("mission-areas", args=[mission.acronym]) if areas else "",
        reverse("mission-place-labels", args=[mission.acronym]),
        reverse("mission-water", args=[mission.acronym]),
        reverse("mission-place-search", args=[mission.acronym]) if search else "",
        _("Find a place"),
        _("No place of this name in the mission's countries"),
    )


def basemap_attrs(mission) -> str:
    """The data attributes of the mission's PMTiles basemap (core/basemaps.py), or nothing when
    it has none: its URL, versioned by the file's time and size so a replaced file is fetched
    anew (the file is cached for long), its highest zoom (the reader zooms its tiles in beyond
    it) and the reader script, loaded only by maps that draw a basemap."""
    found = basemap_file_url(mission)
    if found is None:
        return ""  # none, or a file damaged since it was set: the maps draw what they draw without one
    url, header = found
    return format_html(
        ' data-basemap-url="{}" data-basemap-max-zoom="{}" data-basemap-script="{}"',
        url,
        header.max_zoom,
        static("vendor/protomaps-leaflet/protomaps-leaflet.js"),
    )


@register.simple_tag(takes_context=True)
def page_query(context, number) -> str:
    """{% page_query page.next_page_number as query %}: the request's query string with `page`
    set to `number` (last) and every other parameter (the list's filters) kept, for the
    shared templates/_pagination.html."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    params["page"] = number
    return params.urlencode()
