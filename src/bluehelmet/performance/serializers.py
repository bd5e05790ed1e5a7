from rest_framework import serializers

from .models import EffectEstimate, Indicator, Lesson, Measurement


class MeasurementSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Measurement
        fields = ["id", "indicator", "period", "value", "no_data_reason", "source", "evidence_note", "updated"]


class IndicatorSerializer(serializers.ModelSerializer):
    mission = serializers.CharField(source="output.outcome.objective.mission.acronym", read_only=True)
    objective = serializers.CharField(source="output.outcome.objective.code", read_only=True)
    outcome = serializers.CharField(source="output.outcome.code", read_only=True)
    output = serializers.CharField(source="output.code", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "mission",
            "objective",
            "outcome",
            "output",
            "code",
            "name",
            "description",
            "unit",
            "direction",
            "frequency",
            "start",
            "end",
            "baseline",
            "target",
            "target_date",
            "method",
            "formula",
            "computed_at",
        ]


class LessonSerializer(serializers.ModelSerializer):
    mission = serializers.CharField(source="mission.acronym", read_only=True)
    applied_elsewhere = serializers.SerializerMethodField()

    class Meta:
        model = Lesson
        fields = [
            "id",
            "mission",
            "title",
            "observation",
            "lesson",
            "recommendation",
            "theme",
            "date",
            "sources",
            "exercise",
            "applied_elsewhere",
        ]

    def get_applied_elsewhere(self, lesson) -> bool:
        return lesson.applications.exists()


class EffectEstimateSerializer(serializers.ModelSerializer):
    mission = serializers.CharField(source="mission.acronym", read_only=True)

    class Meta:
        model = EffectEstimate
        fields = ["id", "mission", "kind", "result", "problem", "computed_at"]
