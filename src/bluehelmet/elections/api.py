"""REST endpoints of this area: elections with their rounds, polling stations with their
latest risk, and station results with their flags, scoped to the user's missions (partners:
shared elections only, and nothing below them)."""

from django.db.models import Q
from rest_framework import serializers

from bluehelmet.core import access, gate
from bluehelmet.core.api import ScopedViewSet

from .models import Election, PollingStation, StationResult


def _staff_missions(user):
    return gate.missions_with(user, "elections.staff").values("pk")


def staff_scope(mission_field: str):
    def scope(user):
        if not user.is_authenticated:
            return Q(pk__in=[])
        if user.is_superuser:
            return Q()
        return Q(**{f"{mission_field}__in": _staff_missions(user)})

    return scope


class ElectionSerializer(serializers.ModelSerializer):
    mission = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    rounds = serializers.SerializerMethodField()

    class Meta:
        model = Election
        fields = ["id", "mission", "name", "kind", "description", "sharing", "rounds"]

    def get_rounds(self, election) -> list[dict]:
        return [
            {"id": r.pk, "number": r.number, "date": r.date.isoformat(), "label": r.label}
            for r in election.rounds.all()
        ]


class ElectionViewSet(ScopedViewSet):
    queryset = Election.objects.select_related("mission").prefetch_related("rounds")
    serializer_class = ElectionSerializer
    scope = access.mission_scope
    filterset_fields = {"kind": ["exact"]}
    ordering_fields = ["name"]


class StationSerializer(serializers.ModelSerializer):
    centre = serializers.CharField(source="centre.name")
    centre_code = serializers.CharField(source="centre.code")
    latitude = serializers.FloatField(source="centre.latitude")
    longitude = serializers.FloatField(source="centre.longitude")
    access = serializers.CharField(source="centre.access")
    place = serializers.IntegerField(source="centre.place_id")

    class Meta:
        model = PollingStation
        fields = [
            "id",
            "code",
            "centre",
            "centre_code",
            "place",
            "latitude",
            "longitude",
            "access",
            "registered_voters",
            "accessible",
        ]


class StationViewSet(ScopedViewSet):
    queryset = PollingStation.objects.select_related("centre")
    serializer_class = StationSerializer
    scope = staff_scope("centre__mission")
    ordering_fields = ["code", "registered_voters"]


class ResultSerializer(serializers.ModelSerializer):
    station = serializers.CharField(source="station.code")
    votes = serializers.SerializerMethodField()

    class Meta:
        model = StationResult
        fields = [
            "id",
            "round",
            "station",
            "registered_voters",
            "ballots_cast",
            "valid_votes",
            "invalid_votes",
            "flags",
            "votes",
        ]

    def get_votes(self, result) -> dict:
        return {v.candidate.name: v.votes for v in result.votes.all()}


class ResultViewSet(ScopedViewSet):
    queryset = StationResult.objects.select_related("station").prefetch_related("votes__candidate")
    serializer_class = ResultSerializer
    scope = staff_scope("round__election__mission")
    filterset_fields = ["round"]
    ordering_fields = ["station__code"]


def register(router) -> None:
    router.register("elections", ElectionViewSet, basename="api-election")
    router.register("polling-stations", StationViewSet, basename="api-polling-station")
    router.register("election-results", ResultViewSet, basename="api-election-result")
