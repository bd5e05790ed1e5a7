"""Search everywhere (core.search): the page behind the header's search box, and its API.

Both search the user's missions (or one of them), through the gate: what the user may not see
is neither listed nor counted."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from . import gate, search
from .access import missions_for
from .forms import SearchForm

PER_PAGE = 20
PER_KIND = 5  # results of each kind on the page of every kind


def _too_short() -> str:
    return _("Type at least %(n)d letters to search.") % {"n": search.MIN_QUERY_LENGTH}


def _run(request, params):
    """The form, and the results of its query (None when it asks for nothing), for the user's
    missions (or the one chosen) and kinds (or the one chosen)."""
    accesses = [gate.access(request.user, mission) for mission in missions_for(request.user)]
    kinds = search.kinds()
    form = SearchForm(params, acronyms=[access.mission.acronym for access in accesses], kinds=kinds)
    if not form.is_valid() or not form.cleaned_data["q"].strip():
        return form, None
    chosen = form.cleaned_data["mission"]
    if chosen:
        accesses = [access for access in accesses if access.mission.acronym == chosen]
    results = search.search(request.user, accesses, form.cleaned_data["q"])
    if results.query.too_short:
        form.add_error("q", _too_short())
        return form, None
    return form, results


@require_GET
def search_page(request):
    form, results = _run(request, request.GET)
    context = {"form": form, "results": results}
    if results is not None:
        chosen = form.cleaned_data["kind"]
        context["facets"] = [(kind, results.counts.get(kind.name, 0)) for kind in search.kinds()]
        if chosen:
            page = Paginator(results.of_kind(chosen), PER_PAGE).get_page(request.GET.get("page"))
            search.describe(results, page.object_list)
            context.update(page=page, chosen=search.kind(chosen))
        else:
            groups = [(kind, results.of_kind(kind.name)[:PER_KIND]) for kind in search.kinds()]
            groups = [(kind, hits, results.counts[kind.name]) for kind, hits in groups if hits]
            search.describe(results, [hit for _kind, hits, _count in groups for hit in hits])
            context["groups"] = groups
    return render(request, "core/search.html", context, status=400 if form.errors else 200)


class SearchResultSerializer(serializers.Serializer):
    kind = serializers.CharField(source="kind.name")
    kind_label = serializers.CharField(source="kind.label")
    mission = serializers.CharField(source="acronym")
    id = serializers.IntegerField(source="object_id")
    title = serializers.CharField(source="title_text")
    snippet = serializers.CharField(source="snippet_text")
    url = serializers.CharField()


class SearchAnswerSerializer(serializers.Serializer):
    query = serializers.CharField()
    count = serializers.IntegerField(help_text="results of the kind asked for (all kinds: every result)")
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="results by kind")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = SearchResultSerializer(many=True)
    detail = serializers.CharField(required=False, help_text="why nothing was searched (no words)")


class SearchView(APIView):
    """GET /api/search/?q=words[&mission=ACRONYM][&kind=incidents.incident][&page=N]: what the
    user may see of the records matching the words in their missions, best first, with the
    number found of each kind."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="the words to find (at least 2 letters)"),
            OpenApiParameter("mission", str, description="one of your missions' acronyms (default: all)"),
            OpenApiParameter("kind", str, description="one kind of record, e.g. incidents.incident (default: all)"),
            OpenApiParameter("page", int, description="page of 20 results"),
        ],
        responses=SearchAnswerSerializer,
    )
    def get(self, request):
        form, results = _run(request, request.query_params)
        if results is None:
            if form.errors:
                raise ValidationError(dict(form.errors))
            return Response(
                {"query": "", "count": 0, "counts": {}, "page": 1, "pages": 1, "results": [], "detail": _too_short()}
            )
        chosen = form.cleaned_data["kind"]
        hits = results.of_kind(chosen) if chosen else results.hits
        page = Paginator(hits, PER_PAGE).get_page(request.query_params.get("page"))
        search.describe(results, page.object_list)
        return Response(
            {
                "query": form.cleaned_data["q"],
                "count": len(hits),
                "counts": dict(results.counts),
                "page": page.number,
                "pages": page.paginator.num_pages,
                "results": SearchResultSerializer(page.object_list, many=True).data,
            }
        )
