from django.urls import path

from . import views

app_name = "ddr"
urlpatterns = [
    path("missions/<str:acronym>/ddr/", views.index, name="index"),
    path("missions/<str:acronym>/ddr/participants/", views.participant_list, name="participants"),
    path("missions/<str:acronym>/ddr/participants.csv", views.participants_csv, name="participants-csv"),
    path("missions/<str:acronym>/ddr/participants/new/", views.register, name="register"),
    path("missions/<str:acronym>/ddr/participants/<int:pk>/", views.participant, name="participant"),
    path("missions/<str:acronym>/ddr/participants/<int:pk>/<str:stage>/", views.record_stage, name="record-stage"),
]
