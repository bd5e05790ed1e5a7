from django.urls import path

from . import views

app_name = "performance"
PREFIX = "missions/<str:acronym>/performance/"
LESSONS = "missions/<str:acronym>/lessons/"

urlpatterns = [
    path(PREFIX, views.index, name="index"),
    path(PREFIX + "compute/", views.compute_indicators, name="compute"),
    path(PREFIX + "indicators/new/", views.indicator_edit, name="indicator-new"),
    path(PREFIX + "indicators/<int:pk>/", views.indicator_detail, name="indicator"),
    path(PREFIX + "indicators/<int:pk>/edit/", views.indicator_edit, name="indicator-edit"),
    path(PREFIX + "indicators/<int:pk>/values/", views.measurement_add, name="measurement-add"),
    path(PREFIX + "indicators/<int:pk>/assessments/", views.assessment_add, name="assessment-add"),
    path(PREFIX + "evidence/<int:pk>/", views.evidence, name="evidence"),
    path(PREFIX + "effects/", views.effects, name="effects"),
    path(PREFIX + "effects/run/", views.effects_run, name="effects-run"),
    path(PREFIX + "effects/<int:pk>/figure.svg", views.effect_figure, name="effect-figure"),
    path(PREFIX + "missions-compared/", views.comparison, name="comparison"),
    path(PREFIX + "ceasefires/", views.ceasefire_durability, name="ceasefire-durability"),
    path(PREFIX + "reports/", views.report_request, name="report-request"),
    path(PREFIX + "reports/<int:pk>/", views.report_detail, name="report"),
    path(PREFIX + "reports/<int:pk>/report.html", views.report_html, name="report-html"),
    path(PREFIX + "reports/<int:pk>/report.pdf", views.report_pdf, name="report-pdf"),
    path(LESSONS, views.lessons, name="lessons"),
    path(LESSONS + "new/", views.lesson_create, name="lesson-new"),
    path(LESSONS + "<int:pk>/", views.lesson_detail, name="lesson"),
    path(LESSONS + "<int:pk>/applied/", views.lesson_apply, name="lesson-apply"),
    path(LESSONS + "<int:pk>/links/", views.lesson_link, name="lesson-link"),
]
