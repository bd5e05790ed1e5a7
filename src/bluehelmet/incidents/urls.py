from django.urls import path

from . import views

app_name = "incidents"
M = "missions/<str:acronym>/incidents/"

urlpatterns = [
    path(M, views.index, name="index"),
    path(M + "feed/", views.live_feed, name="feed"),
    path(M + "map.geojson", views.map_data, name="map-data"),
    path(M + "list/", views.incident_list, name="list"),
    path(M + "report/", views.report, name="report"),
    path(M + "offline.json", views.offline_manifest, name="offline"),
    path(M + "offline/mine.json", views.offline_mine, name="offline-mine"),
    path(M + "export.<str:format>", views.export_incidents, name="export"),
    path(M + "import/", views.import_incidents, name="import"),
    path(M + "<int:pk>/", views.detail, name="detail"),
    path(M + "<int:pk>/edit/", views.edit, name="edit"),
    path(M + "<int:pk>/status/", views.change_status, name="status"),
    path(M + "<int:pk>/sources/", views.add_source, name="add-source"),
    path(M + "<int:pk>/sources/<int:source_pk>/identity/", views.source_identity, name="source-identity"),
    path(M + "<int:pk>/sources/<int:source_pk>/grade/", views.regrade_source, name="regrade-source"),
    path(M + "<int:pk>/attachments/", views.add_attachment, name="add-attachment"),
    path(M + "<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="attachment"),
    path(M + "<int:pk>/merge/", views.merge, name="merge"),
    path(M + "duplicates/", views.duplicates, name="duplicates"),
    path(M + "duplicates/<int:pk>/reject/", views.reject_duplicate, name="reject-duplicate"),
    path(M + "alerts/", views.alert_list, name="alerts"),
    path(M + "alerts/<int:pk>/", views.alert_detail, name="alert"),
    path(M + "alerts/<int:pk>/acknowledge/", views.acknowledge_alert, name="alert-acknowledge"),
    path(M + "alerts/<int:pk>/close/", views.close_alert, name="alert-close"),
    path(M + "alerts/<int:pk>/read/", views.mark_alert_read, name="alert-read"),
    path(M + "alerts/rules/", views.rules, name="rules"),
    path(M + "alerts/rules/<int:pk>/", views.rule_edit, name="rule"),
    path(M + "alerts/rules/<int:pk>/subscribe/", views.subscribe, name="subscribe"),
    path(M + "tasks/", views.task_list, name="tasks"),
    path(M + "tasks/new/", views.task_new, name="task-new"),
    path(M + "tasks/<int:pk>/", views.task_detail, name="task"),
    path(M + "ceasefires/", views.agreement_list, name="ceasefires"),
    path(M + "ceasefires/zones.geojson", views.zones_geojson, name="zones-geojson"),
    path(M + "ceasefires/<int:pk>/", views.agreement_detail, name="ceasefire"),
    path(M + "types/", views.types, name="types"),
]
