from django.urls import path

from . import views

app_name = "earlywarning"
urlpatterns = [
    path("missions/<str:acronym>/risk/", views.index, name="index"),
    path("missions/<str:acronym>/risk/map.json", views.map_data, name="map-data"),
    path("missions/<str:acronym>/risk/units/<int:pk>.json", views.unit_data, name="unit-data"),
    path("missions/<str:acronym>/risk/runs/", views.start_run, name="start-run"),
    path("missions/<str:acronym>/risk/runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("missions/<str:acronym>/risk/runs/<int:pk>/status/", views.run_status, name="run-status"),
]
