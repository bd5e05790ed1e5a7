"""The audit pages: change history and views of sensitive records, for administrators
(see core.audit_trail for who sees what). Read-only: GET only, no form writes anything."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import audit_trail

PER_PAGE = 50


def _auditor(request):
    if not audit_trail.can_read_audit(request.user):
        raise PermissionDenied


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _csv(lines, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.now():%Y%m%d-%H%M}.csv"'
    return response


@require_GET
def changes(request, format=None):
    _auditor(request)
    entries = audit_trail.visible_changes(request.user)
    form = audit_trail.change_filter_form(request.GET or None, entries)
    if form.is_bound and form.is_valid():
        entries = audit_trail.filter_changes(entries, form.cleaned_data)
    elif form.is_bound:
        entries = entries.none()
    if format == "csv":
        return _csv(audit_trail.changes_csv_lines(entries), "change-history")
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": audit_trail.readable_change_rows(page.object_list),
        "filter_query": _query_without_page(request),
        "tab": "changes",
        "csv_url": reverse("audit-changes-csv"),
    }
    return render(request, "core/audit_changes.html", context)


@require_GET
def accesses(request, format=None):
    _auditor(request)
    records = audit_trail.visible_accesses(request.user)
    form = audit_trail.access_filter_form(request.GET or None, records)
    if form.is_bound and form.is_valid():
        records = audit_trail.filter_accesses(records, form.cleaned_data)
    elif form.is_bound:
        records = records.none()
    if format == "csv":
        return _csv(audit_trail.accesses_csv_lines(records), "sensitive-accesses")
    page = Paginator(records, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": audit_trail.readable_access_rows(page.object_list),
        "filter_query": _query_without_page(request),
        "tab": "accesses",
        "csv_url": reverse("audit-accesses-csv"),
    }
    return render(request, "core/audit_accesses.html", context)
