from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from .models import ConflictEvent, ConflictMonth


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
    coordinates = serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2, help_text="[longitude, latitude]")


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
