"""The reference data filing a report looks up, cached per mission and process: the active
incident types by code and the active alert rules with the types they watch. The monitored
zones (incidents.ceasefires.mission_zones) and the admin areas (incidents.locating) are cached
the same way. Each cache holds until the mission's reference data stamp moves
(core.mission_cache): the receivers below raise it whenever one of these records, or a link
between them, is saved or deleted, in the same transaction as the change."""

from dataclasses import dataclass

from bluehelmet.core import mission_cache
from bluehelmet.core.models import Mission

from .models import Agreement, AlertRule, IncidentType, MonitoredZone


def _active_types(mission: Mission) -> dict[str, IncidentType]:
    return {t.code: t for t in IncidentType.objects.filter(mission=mission, active=True)}


def active_types(mission: Mission) -> dict[str, IncidentType]:
    """The mission's types a new report may take, by code."""
    return mission_cache.cached("incidents.types", mission, _active_types)


@dataclass(frozen=True)
class WatchingRule:
    """An active incident rule and the type ids it watches (none: every type)."""

    rule: AlertRule
    type_ids: frozenset[int]

    def applies_to(self, type_id: int) -> bool:
        return not self.type_ids or type_id in self.type_ids


def _incident_rules(mission: Mission) -> list[WatchingRule]:
    rules = AlertRule.objects.filter(
        mission=mission, active=True, kind__in=(AlertRule.Kind.ZONE, AlertRule.Kind.CASUALTIES, AlertRule.Kind.CLUSTER)
    ).prefetch_related("incident_types")
    return [WatchingRule(rule, frozenset(t.pk for t in rule.incident_types.all())) for rule in rules.order_by("pk")]


def incident_rules(mission: Mission) -> list[WatchingRule]:
    """The mission's active zone, casualty and cluster rules."""
    return mission_cache.cached("incidents.rules", mission, _incident_rules)


def _mission_of(instance) -> int | None:
    if isinstance(instance, MonitoredZone):
        return Agreement.objects.filter(pk=instance.agreement_id).values_list("mission_id", flat=True).first()
    return instance.mission_id


def _record_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        mission_cache.changed([_mission_of(instance)])


def _rule_types_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    # `instance` is the rule, or the type when the link is changed from the type's side: both
    # belong to the mission whose rules change.
    if action.startswith("post_"):
        mission_cache.changed([instance.mission_id])


def connect_receivers() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in (IncidentType, AlertRule, Agreement, MonitoredZone):
        name = model._meta.model_name
        post_save.connect(_record_changed, sender=model, dispatch_uid=f"lookups-{name}-saved")
        post_delete.connect(_record_changed, sender=model, dispatch_uid=f"lookups-{name}-deleted")
    m2m_changed.connect(_rule_types_changed, sender=AlertRule.incident_types.through, dispatch_uid="lookups-rule-types")
