from django.urls import path

from . import views

app_name = "civilaffairs"
urlpatterns = [
    path("missions/<str:acronym>/civilaffairs/", views.index, name="index"),
]
