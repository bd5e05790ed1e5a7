from django.urls import path

from . import views

app_name = "forces"
urlpatterns = [
    path("missions/<str:acronym>/forces/", views.index, name="index"),
    path("missions/<str:acronym>/forces/training/", views.training, name="training"),
    path("missions/<str:acronym>/forces/plan/", views.plan, name="plan"),
    path("missions/<str:acronym>/forces/plan/runs/<int:pk>/status/", views.plan_status, name="plan-status"),
    path("missions/<str:acronym>/forces/risk/", views.risk, name="risk"),
    path("missions/<str:acronym>/forces/patrols/", views.patrols, name="patrols"),
    path("missions/<str:acronym>/forces/patrols/new/", views.patrol_new, name="patrol-new"),
    path("missions/<str:acronym>/forces/patrols/<int:pk>/report/", views.patrol_report, name="patrol-report"),
    path("missions/<str:acronym>/forces/equipment/", views.equipment, name="equipment"),
    path("missions/<str:acronym>/forces/equipment/new/", views.equipment_edit, name="equipment-new"),
    path("missions/<str:acronym>/forces/equipment/<int:pk>/", views.equipment_edit, name="equipment-edit"),
    path("missions/<str:acronym>/forces/imports/", views.imports, name="imports"),
    path("missions/<str:acronym>/forces/recognition/", views.recognition, name="recognition"),
    path("missions/<str:acronym>/forces/parades/<int:pk>/", views.parade, name="parade"),
    path("missions/<str:acronym>/forces/awards/<int:pk>/decide/", views.award_decide, name="award-decide"),
    path("missions/<str:acronym>/forces/awards/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
]
