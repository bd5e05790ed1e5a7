from django.urls import path

from . import audit_views, password_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/data/", views.about_data, name="about-data"),
    path("audit/", audit_views.changes, name="audit-changes"),
    path("audit/changes.csv", audit_views.changes, {"format": "csv"}, name="audit-changes-csv"),
    path("audit/accesses/", audit_views.accesses, name="audit-accesses"),
    path("audit/accesses.csv", audit_views.accesses, {"format": "csv"}, name="audit-accesses-csv"),
    path("missions/<str:acronym>/", views.mission_detail, name="mission-detail"),
    path("missions/<str:acronym>/members/", password_views.members, name="mission-members"),
    path("missions/<str:acronym>/members/<int:pk>/reset/", password_views.member_reset, name="mission-member-reset"),
    path("missions/<str:acronym>/events/", views.mission_events_table, name="mission-events"),
    path("missions/<str:acronym>/events.csv", views.mission_events_csv, name="mission-events-csv"),
    path("missions/<str:acronym>/events.geojson", views.mission_events_geojson, name="mission-events-geojson"),
    path("missions/<str:acronym>/map/areas.geojson", views.mission_areas_geojson, name="mission-areas"),
    path("missions/<str:acronym>/map/events.geojson", views.mission_event_points, name="mission-event-points"),
    path("missions/<str:acronym>/map/deployments/<str:month>.json", views.mission_deployments, name="mission-deployments"),
]
