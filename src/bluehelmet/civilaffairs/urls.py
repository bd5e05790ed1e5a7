from django.urls import path

from . import views

app_name = "civilaffairs"
M = "missions/<str:acronym>/civilaffairs/"
urlpatterns = [
    path(M, views.index, name="index"),
    path(M + "list/<str:table>/", views.record_list, name="list"),
    path(M + "list/<str:table>/export.csv", views.record_export, name="export"),
    path(M + "partners/new/", views.edit, {"kind": "partner"}, name="partner-new"),
    path(M + "partners/<int:pk>/", views.partner, name="partner"),
    path(M + "partners/<int:pk>/edit/", views.edit, {"kind": "partner"}, name="partner-edit"),
    path(M + "partners/<int:pk>/contacts/", views.contact_new, name="contact-new"),
    path(M + "partners/<int:pk>/contacts/<int:contact>/delete/", views.contact_delete, name="contact-delete"),
    path(M + "partners/contacts.csv", views.contacts_export, name="contacts-export"),
    path(M + "engagements/new/", views.edit, {"kind": "engagement"}, name="engagement-new"),
    path(M + "engagements/<int:pk>/", views.engagement, name="engagement"),
    path(M + "engagements/<int:pk>/edit/", views.edit, {"kind": "engagement"}, name="engagement-edit"),
    path(M + "engagements/<int:pk>/commitments/", views.commitment_save, name="commitment-new"),
    path(M + "engagements/<int:pk>/commitments/<int:commitment>/", views.commitment_save, name="commitment-edit"),
    path(M + "coverage/", views.coverage, name="coverage"),
    path(M + "alerts/new/", views.alert_new, name="alert-new"),
    path(M + "alerts/<int:pk>/", views.alert, name="alert"),
    path(M + "alerts/<int:pk>/<str:action>/", views.alert_triage, name="alert-triage"),
    path(M + "grievances/new/", views.grievance_new, name="grievance-new"),
    path(M + "grievances/<int:pk>/", views.grievance, name="grievance"),
    path(M + "mediation/new/", views.edit, {"kind": "mediation"}, name="mediation-new"),
    path(M + "mediation/<int:pk>/", views.mediation, name="mediation"),
    path(M + "mediation/<int:pk>/edit/", views.edit, {"kind": "mediation"}, name="mediation-edit"),
    path(M + "agreements/new/", views.edit, {"kind": "agreement"}, name="agreement-new"),
    path(M + "agreements/<int:pk>/", views.agreement, name="agreement"),
    path(M + "agreements/<int:pk>/edit/", views.edit, {"kind": "agreement"}, name="agreement-edit"),
    path(M + "provisions/<int:pk>/", views.provision, name="provision"),
    path(M + "surveys/", views.surveys, name="surveys"),
    path(M + "surveys/perception.csv", views.perception_export, name="perception-export"),
    path(M + "gateways/", views.gateways, name="gateways"),
]
