from rest_framework import serializers

from bluehelmet.datasets.models import Deployment, DeploymentContribution, MissionStrength

from .models import Base, Patrol, Unit, UnitPosting


class ContributionSerializer(serializers.ModelSerializer):
    country_name = serializers.CharField(source="country.name", read_only=True)

    class Meta:
        model = DeploymentContribution
        fields = ["country", "country_name", "troops"]


class DeploymentSerializer(serializers.ModelSerializer):
    mission_acronym = serializers.CharField(source="mission.acronym", read_only=True)
    site_name = serializers.CharField(source="site.name", read_only=True)
    latitude = serializers.FloatField(source="site.latitude", read_only=True, allow_null=True)
    longitude = serializers.FloatField(source="site.longitude", read_only=True, allow_null=True)
    contributions = ContributionSerializer(many=True, read_only=True)

    class Meta:
        model = Deployment
        fields = [
            "id",
            "mission",
            "mission_acronym",
            "site",
            "site_name",
            "latitude",
            "longitude",
            "month",
            "source",
            "sequence",
            "sharing",
            "troops",
            "contributor_count",
            "police",
            "observers",
            "headquarters",
            "liaison_office",
            "reserve_troops",
            "force_protection_troops",
            "comments",
            "contributions",
        ]


class MissionStrengthSerializer(serializers.ModelSerializer):
    mission_acronym = serializers.CharField(source="mission.acronym", read_only=True)
    # Authorised minus deployed, never below zero; null when either number is unknown.
    troop_shortfall = serializers.IntegerField(read_only=True, allow_null=True)
    police_shortfall = serializers.IntegerField(read_only=True, allow_null=True)
    observer_shortfall = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = MissionStrength
        fields = [
            "id",
            "mission",
            "mission_acronym",
            "month",
            "authorised_troops",
            "authorised_police",
            "authorised_observers",
            "troops",
            "police",
            "observers",
            "contributor_count",
            "troop_shortfall",
            "police_shortfall",
            "observer_shortfall",
        ]


class BaseSerializer(serializers.ModelSerializer):
    place_name = serializers.CharField(source="place.name", read_only=True)
    latitude = serializers.FloatField(source="place.latitude", read_only=True, allow_null=True)
    longitude = serializers.FloatField(source="place.longitude", read_only=True, allow_null=True)

    class Meta:
        model = Base
        fields = [
            "id",
            "mission",
            "place",
            "place_name",
            "latitude",
            "longitude",
            "kind",
            "opened",
            "closed",
            "max_units",
            "source",
            "sharing",
        ]


class PostingSerializer(serializers.ModelSerializer):
    place_name = serializers.CharField(source="base.place.name", read_only=True)

    class Meta:
        model = UnitPosting
        fields = ["id", "base", "place_name", "kind", "start", "end", "troops", "source"]


class UnitSerializer(serializers.ModelSerializer):
    country_name = serializers.CharField(source="country.name", read_only=True, allow_null=True)
    postings = PostingSerializer(many=True, read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "mission",
            "name",
            "kind",
            "country",
            "country_name",
            "authorised_strength",
            "actual_strength",
            "strength_reason",
            "patrol_radius_km",
            "max_move_km",
            "source",
            "sharing",
            "postings",
        ]


class PatrolSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Patrol
        fields = [
            "id",
            "mission",
            "unit",
            "unit_name",
            "kind",
            "period",
            "status",
            "start",
            "end",
            "actual_start",
            "actual_end",
            "route",
            "places",
            "incidents",
            "community_contacts",
            "sharing",
        ]
