from django.urls import path

from . import views

app_name = "importers"

urlpatterns = [
    path("", views.jobs, name="jobs"),
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/status/", views.job_status, name="job-status"),
    path("places/", views.place_matches, name="place-matches"),
]
