from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/data/", views.about_data, name="about-data"),
    path("missions/<str:acronym>/", views.mission_detail, name="mission-detail"),
    path("missions/<str:acronym>/events/", views.mission_events_table, name="mission-events"),
    path("missions/<str:acronym>/events.csv", views.mission_events_csv, name="mission-events-csv"),
    path("missions/<str:acronym>/events.geojson", views.mission_events_geojson, name="mission-events-geojson"),
    path("missions/<str:acronym>/map/areas.geojson", views.mission_areas_geojson, name="mission-areas"),
    path("missions/<str:acronym>/map/events.geojson", views.mission_event_points, name="mission-event-points"),
    path(
        "missions/<str:acronym>/map/deployments/<str:month>.json", views.mission_deployments, name="mission-deployments"
    ),
]
