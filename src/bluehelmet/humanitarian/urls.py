from django.urls import path

from . import views

app_name = "humanitarian"
M = "missions/<str:acronym>/humanitarian/"
urlpatterns = [
    path(M, views.index, name="index"),
    path(M + "gaps.csv", views.gaps_csv, name="gaps-csv"),
    path(M + "import/", views.import_file, name="import"),
    path(M + "import/<int:pk>/", views.import_job, name="import-job"),
    path(M + "import/<int:pk>/status/", views.import_job_status, name="import-job-status"),
]
for kind in views.KINDS:
    urlpatterns += [
        path(M + f"{kind}/", views.record_list, {"kind": kind}, name=kind),
        path(M + f"{kind}/export.csv", views.export_csv, {"kind": kind}, name=f"{kind}-csv"),
        path(M + f"{kind}/new/", views.record_new, {"kind": kind}, name=f"{kind}-new"),
        path(M + f"{kind}/<int:pk>/edit/", views.record_edit, {"kind": kind}, name=f"{kind}-edit"),
    ]
    if views.KINDS[kind].hxl:
        urlpatterns.append(path(M + f"{kind}/export-hxl.csv", views.export_hxl, {"kind": kind}, name=f"{kind}-hxl"))
