from django.urls import path

from . import views

app_name = "humanitarian"
urlpatterns = [
    path("missions/<str:acronym>/humanitarian/", views.index, name="index"),
]
