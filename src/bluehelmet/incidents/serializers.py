from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from bluehelmet.core.serializers import PlaceRefSerializer
from bluehelmet.datasets.models import ConflictEvent, ConflictMonth

from .models import Agreement, Alert, Casualty, Incident, ResponseTask, Source


class ConflictEventSerializer(serializers.ModelSerializer):
    """An event with all the UCDP GED codebook fields."""

    class Meta:
        model = ConflictEvent
        fields = "__all__"


class ConflictMonthSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConflictMonth
        fields = "__all__"


# The three below only document the GeoJSON output in the schema: incidents.api's
# GeoJSONRenderer builds it from ConflictEventSerializer's output.


class PointSerializer(serializers.Serializer):
    type = serializers.CharField(help_text='"Point"')
    coordinates = serializers.ListField(
        child=serializers.FloatField(), min_length=2, max_length=2, help_text="[longitude, latitude]"
    )


class EventFeatureSerializer(serializers.Serializer):
    type = serializers.CharField(help_text='"Feature"')
    id = serializers.IntegerField()
    geometry = PointSerializer()
    properties = ConflictEventSerializer(help_text="The event's fields but latitude and longitude.")


@extend_schema_serializer(many=False)  # already a whole page: not to be wrapped in pagination
class EventFeatureCollectionSerializer(serializers.Serializer):
    type = serializers.CharField(help_text='"FeatureCollection"')
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    features = EventFeatureSerializer(many=True)


# --- Incidents ------------------------------------------------------------------------------


class OrganizationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CasualtySerializer(serializers.ModelSerializer):
    count = serializers.IntegerField(min_value=0, max_value=Casualty.MAX_COUNT)

    class Meta:
        model = Casualty
        fields = ["kind", "group", "sex", "age", "count"]


class SourceGradingSerializer(serializers.ModelSerializer):
    """A source as reporters may see it: kind and grading, never the identity."""

    class Meta:
        model = Source
        fields = ["id", "kind", "description", "reliability", "credibility", "first_incident"]


class IncidentSerializer(serializers.ModelSerializer):
    """An incident. `sources` (gradings only; identities are never sent by the API) are
    given to mission staff, an empty list to partners."""

    type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    type_name = serializers.CharField(source="type.name", read_only=True)
    mission = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    place = PlaceRefSerializer(read_only=True)
    perpetrators = OrganizationRefSerializer(many=True, read_only=True)
    targets = OrganizationRefSerializer(many=True, read_only=True)
    casualties = CasualtySerializer(many=True, read_only=True)
    sources = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            "id",
            "client_id",
            "mission",
            "type",
            "type_name",
            "status",
            "occurred_at",
            "date_precision",
            "latitude",
            "longitude",
            "location_precision",
            "place",
            "location_description",
            "priogrid_gid",
            "perpetrators",
            "targets",
            "narrative",
            "killed",
            "injured",
            "abducted",
            "casualties",
            "sources",
            "sharing",
            "sensitivity",
            "agreement",
            "in_zone",
            "external",
            "source_dataset",
            "external_id",
            "merged_into",
            "reported_at",
            "updated_at",
        ]

    def get_sources(self, incident) -> list[dict]:
        staff_missions = self.context.get("staff_missions")
        if staff_missions is None or incident.mission_id not in staff_missions:
            return []
        return SourceGradingSerializer(incident.sources.all(), many=True).data


class ReportSourceInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Source.Kind.choices)
    description = serializers.CharField(required=False, allow_blank=True)
    identity = serializers.CharField(
        required=False, allow_blank=True, help_text="Sensitive: seen only by the mission's administrators and analysts."
    )
    reliability = serializers.ChoiceField(choices=Source.Reliability.choices)
    credibility = serializers.ChoiceField(choices=Source.Credibility.choices)


class ReportInput(serializers.Serializer):
    """A report as a device sends it (documentation of the request body: the checks are the
    report form's, incidents.forms.IncidentReportForm)."""

    mission = serializers.CharField(help_text="Mission acronym.")
    client_id = serializers.UUIDField(
        help_text="Generated by the device: a report re-sent with the same id is stored once."
    )
    type = serializers.CharField(help_text="Code of one of the mission's incident types, e.g. armed-clash.")
    occurred_at = serializers.DateTimeField()
    date_precision = serializers.ChoiceField(choices=Incident.DatePrecision.choices, required=False)
    latitude = serializers.FloatField(required=False)
    longitude = serializers.FloatField(required=False)
    location_precision = serializers.ChoiceField(choices=Incident.LocationPrecision.choices, required=False)
    place = serializers.IntegerField(
        required=False, help_text="An admin area of the host countries, instead of coordinates."
    )
    location_description = serializers.CharField(required=False, allow_blank=True)
    perpetrators = serializers.ListField(child=serializers.IntegerField(), required=False)
    targets = serializers.ListField(child=serializers.IntegerField(), required=False)
    narrative = serializers.CharField()
    sharing = serializers.ChoiceField(choices=Incident._meta.get_field("sharing").choices, required=False)
    sensitivity = serializers.ChoiceField(
        choices=Incident._meta.get_field("sensitivity").choices,
        required=False,
        help_text="TLP label (default amber): clear/green are seen by partners, red only by analysts, administrators and the author.",
    )
    agreement = serializers.IntegerField(required=False)
    casualties = CasualtySerializer(many=True, required=False)
    sources = ReportSourceInput(many=True)


class BatchInput(serializers.Serializer):
    mission = serializers.CharField(help_text="Mission acronym, for every report of the batch.")
    reports = ReportInput(many=True, help_text="Up to 500 reports; each report's own `mission` is ignored.")


class BatchResultSerializer(serializers.Serializer):
    client_id = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=["created", "duplicate", "invalid"])
    id = serializers.IntegerField(required=False)
    errors = serializers.DictField(required=False)


class BatchOutput(serializers.Serializer):
    results = BatchResultSerializer(many=True)


class AlertSerializer(serializers.ModelSerializer):
    mission = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    rule = serializers.CharField(source="rule.name", read_only=True)
    kind = serializers.CharField(source="rule.kind", read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "mission",
            "rule",
            "kind",
            "severity",
            "title",
            "message",
            "status",
            "incident",
            "incidents",
            "place",
            "risk",
            "sensitivity",
            "created_at",
            "acknowledged_at",
        ]


class ResponseTaskSerializer(serializers.ModelSerializer):
    mission = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)
    team = serializers.SlugRelatedField(slug_field="name", read_only=True)
    assigned_to = serializers.CharField(read_only=True, help_text="the team and the person, as shown")

    class Meta:
        model = ResponseTask
        fields = [
            "id",
            "mission",
            "alert",
            "incident",
            "title",
            "assigned_to",
            "team",
            "assignee",
            "due_at",
            "escalated_at",
            "status",
            "outcome",
            "sensitivity",
            "created_at",
            "started_at",
            "closed_at",
        ]


class AgreementSerializer(serializers.ModelSerializer):
    mission = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    parties = OrganizationRefSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = ["id", "mission", "name", "signed_on", "effective_from", "ends_on", "parties", "provisions"]
