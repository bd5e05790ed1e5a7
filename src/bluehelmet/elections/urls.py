from django.urls import path

from . import views

app_name = "elections"
M = "missions/<str:acronym>/elections/"
urlpatterns = [
    path(M, views.index, name="index"),
    path(M + "<int:pk>/rounds/new/", views.round_new, name="round-new"),
    path(M + "rounds/<int:pk>/", views.round_detail, name="round"),
    path(M + "rounds/<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path(M + "rounds/<int:pk>/observe/", views.observe, name="observe"),
    path(M + "rounds/<int:pk>/checklist/", views.checklist, name="checklist"),
    path(M + "rounds/<int:pk>/incident/", views.incident, name="incident"),
    path(M + "rounds/<int:pk>/results/", views.results_page, name="results"),
    path(M + "rounds/<int:pk>/results/sample.csv", views.results_sample, name="results-sample"),
    path(M + "rounds/<int:pk>/preparation/", views.preparation, name="preparation"),
]
