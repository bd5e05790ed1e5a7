from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import gate
from .models import Mission, Organization, Place, Role


class PlaceRefSerializer(serializers.ModelSerializer):
    """A place named inside another record."""

    class Meta:
        model = Place
        fields = ["id", "kind", "name", "pcode"]


class MissionSerializer(serializers.ModelSerializer):
    host_countries = PlaceRefSerializer(many=True, read_only=True)
    role = serializers.SerializerMethodField(help_text="The requesting user's role in this mission.")

    class Meta:
        model = Mission
        fields = ["id", "acronym", "name", "mandate", "start", "end", "host_countries", "role"]

    @extend_schema_field(serializers.ChoiceField(choices=Role.choices, allow_null=True))
    def get_role(self, mission) -> str | None:
        return gate.access(self.context["request"].user, mission).role


class PlaceSerializer(serializers.ModelSerializer):
    """A place; lists leave out `geometry` (often large) unless asked with ?geometry=1."""

    class Meta:
        model = Place
        fields = [
            "id",
            "key",
            "kind",
            "name",
            "code",
            "pcode",
            "parent",
            "country",
            "latitude",
            "longitude",
            "priogrid_gid",
            "min_lon",
            "min_lat",
            "max_lon",
            "max_lat",
            "geometry",
        ]

    def get_fields(self):
        # Left out of a request's fields, not only popped after: a list defers `geometry`, and
        # reading it would load it again, one query per place. (The schema, made without a
        # request, keeps the field.)
        fields = super().get_fields()
        if "request" in self.context and not self.includes_geometry():
            fields.pop("geometry")
        return fields

    def to_representation(self, place):
        data = super().to_representation(place)
        if not self.includes_geometry():
            data.pop("geometry", None)
        return data

    def includes_geometry(self) -> bool:
        return bool(self.context.get("geometry"))


class PlaceDetailSerializer(PlaceSerializer):
    admin_areas = serializers.SerializerMethodField(help_text="The admin areas the place lies in, innermost first.")

    class Meta(PlaceSerializer.Meta):
        fields = [*PlaceSerializer.Meta.fields, "admin_areas"]

    @extend_schema_field(PlaceRefSerializer(many=True))
    def get_admin_areas(self, place):
        return PlaceRefSerializer(place.admin_areas(), many=True).data

    def includes_geometry(self) -> bool:
        return True


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "key", "name", "acronym", "kind", "country"]
