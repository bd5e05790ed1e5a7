from django.urls import path

from . import (
    audit_views,
    basemap_views,
    comment_views,
    inbox_views,
    password_views,
    place_views,
    pwa_views,
    search_views,
    team_views,
)

urlpatterns = [
    # At the root: a service worker's scope is the folder of its script.
    path("sw.js", pwa_views.service_worker, name="service-worker"),
    path("manifest.webmanifest", pwa_views.web_manifest, name="web-manifest"),
    path("inbox/", inbox_views.inbox_page, name="inbox"),
    path("inbox/count.json", inbox_views.inbox_count, name="inbox-count"),
    path("search/", search_views.search_page, name="search"),
    # Beside the router's /api/ (an answer, not a list of records).
    path("api/search/", search_views.SearchView.as_view(), name="api-search"),
    path("audit/", audit_views.changes, name="audit-changes"),
    path("audit/changes.csv", audit_views.changes, {"format": "csv"}, name="audit-changes-csv"),
    path("audit/accesses/", audit_views.accesses, name="audit-accesses"),
    path("audit/accesses.csv", audit_views.accesses, {"format": "csv"}, name="audit-accesses-csv"),
    # Ends in .pmtiles: protomaps-leaflet reads a URL so named as one PMTiles file (byte ranges).
    path("missions/<str:acronym>/map/basemap.pmtiles", basemap_views.mission_basemap_file, name="mission-basemap"),
    path("missions/<str:acronym>/basemap/", basemap_views.mission_basemap_settings, name="mission-basemap-settings"),
    path(
        "missions/<str:acronym>/comments/<str:model>/<int:pk>/", comment_views.record_comments, name="record-comments"
    ),
    path(
        "missions/<str:acronym>/comments/<str:model>/<int:pk>/read/",
        comment_views.mark_mentions_read,
        name="record-comments-read",
    ),
    path(
        "missions/<str:acronym>/comments/<str:model>/<int:pk>/<int:comment>/withdraw/",
        comment_views.withdraw_comment,
        name="record-comment-withdraw",
    ),
    path("missions/<str:acronym>/members/", password_views.members, name="mission-members"),
    path("missions/<str:acronym>/teams/", team_views.teams, name="mission-teams"),
    path("missions/<str:acronym>/teams/<int:pk>/", team_views.teams, name="mission-team"),
    path("missions/<str:acronym>/members/<int:pk>/reset/", password_views.member_reset, name="mission-member-reset"),
    path("missions/<str:acronym>/places/search.json", place_views.place_search, name="mission-place-search"),
    path("missions/<str:acronym>/places/gazetteer.json", place_views.place_gazetteer, name="mission-gazetteer"),
    path("missions/<str:acronym>/places/labels.geojson", place_views.place_labels, name="mission-place-labels"),
    path("missions/<str:acronym>/map/water.geojson", place_views.water, name="mission-water"),
]
