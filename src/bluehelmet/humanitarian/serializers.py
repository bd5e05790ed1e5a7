from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import AccessConstraint, Activity, Delivery, NeedsAssessment

COMMON = ["id", "mission", "place", "place_name", "sharing", "exercise", "updated_at"]


class RecordSerializer(serializers.ModelSerializer):
    mission = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    place_name = serializers.CharField(source="place.name", read_only=True)


class NeedsAssessmentSerializer(RecordSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = NeedsAssessment
        fields = [
            *COMMON,
            "sector",
            "people_in_need",
            "severity",
            "assessed_on",
            "method",
            "organization",
            "organization_name",
            "notes",
        ]


class ActivitySerializer(RecordSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Activity
        fields = [
            *COMMON,
            "organization",
            "organization_name",
            "implementing_partner",
            "sector",
            "activity",
            "location",
            "start",
            "end",
            "status",
            "targeted",
            "targeted_female",
            "targeted_male",
            "reached",
            "reached_female",
            "reached_male",
        ]


class DeliverySerializer(RecordSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            *COMMON,
            "organization",
            "organization_name",
            "sector",
            "item",
            "quantity",
            "unit",
            "destination",
            "delivered_on",
            "escorted",
            "outcome",
            "beneficiaries",
            "access_constraint",
            "notes",
        ]


class AccessConstraintSerializer(RecordSerializer):
    incident = serializers.SerializerMethodField()

    class Meta:
        model = AccessConstraint
        fields = [*COMMON, "type", "started_on", "ended_on", "impact", "people_affected", "description", "incident"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_incident(self, constraint) -> int | None:
        # The link only where the incident is one the user may see (incidents have their own rules).
        visible = self.context.get("visible_incidents")
        if constraint.incident_id is None or visible is None or constraint.incident_id not in visible:
            return None
        return constraint.incident_id


class GapSerializer(serializers.Serializer):
    area = serializers.IntegerField(help_text="place id of the admin area")
    area_name = serializers.CharField()
    sector = serializers.CharField()
    people_in_need = serializers.IntegerField(allow_null=True)
    severity = serializers.IntegerField(allow_null=True)
    assessed_on = serializers.DateField(allow_null=True)
    targeted = serializers.IntegerField()
    reached = serializers.IntegerField()
    coverage = serializers.IntegerField(allow_null=True)
    gap = serializers.IntegerField(allow_null=True)
    covered_share = serializers.FloatField(allow_null=True)
    activities = serializers.IntegerField()
