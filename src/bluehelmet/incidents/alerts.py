"""Alert rules fire alerts; alerts notify subscribers and are acknowledged by a person.

Rules of four kinds: a cluster (N incidents of given types within R km in T hours), any
incident inside a monitored zone, casualties at or above a threshold, and a place whose
early-warning risk reaches a threshold (check_risk_rules, called after each forecast run).
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bluehelmet.analytics.incidents.proximity import Report, bounding_box, cluster_members
from bluehelmet.core.models import Mission, Place

from . import history, labels, notifiers
from .lookups import incident_rules
from .models import Alert, AlertRule, Incident, Notification, Subscription

NOT_CLOSED = (Alert.Status.OPEN, Alert.Status.ACKNOWLEDGED)


class AlertStateError(ValueError):
    pass


def rules_for(incident: Incident, kinds) -> list[AlertRule]:
    """Active rules of these kinds in the incident's mission that apply to its type (from the
    mission's cached rules, incidents.lookups)."""
    return [
        watching.rule
        for watching in incident_rules(incident.mission)
        if watching.rule.kind in kinds and watching.applies_to(incident.type_id)
    ]


def evaluate_incident(incident: Incident) -> list[Alert]:
    """Run the mission's incident rules on a new or changed incident; returns new alerts."""
    if incident.is_merged or incident.status == Incident.Status.FALSE:
        return []
    raised = []
    for rule in rules_for(incident, (AlertRule.Kind.ZONE, AlertRule.Kind.CASUALTIES, AlertRule.Kind.CLUSTER)):
        if rule.kind == AlertRule.Kind.ZONE:
            alert = _zone_alert(rule, incident)
        elif rule.kind == AlertRule.Kind.CASUALTIES:
            alert = _casualty_alert(rule, incident)
        else:
            alert = _cluster_alert(rule, incident)
        if alert is not None:
            raised.append(alert)
    return raised


def _already_alerted(rule: AlertRule, incident: Incident) -> bool:
    return Alert.objects.filter(Q(incident=incident) | Q(incidents=incident), rule=rule).exists()


def _zone_alert(rule, incident):
    if not incident.in_zone or _already_alerted(rule, incident):
        return None
    zones = ", ".join(z.name for z in incident.zones.all())
    return raise_alert(
        rule,
        _("%(type)s inside a monitored zone: %(zones)s") % {"type": incident.type.name, "zones": zones},
        _("Incident #%(id)s on %(when)s lies inside %(zones)s (%(agreement)s).")
        % {
            "id": incident.pk,
            "when": incident.occurred_at.strftime("%Y-%m-%d %H:%M"),
            "zones": zones,
            "agreement": incident.agreement or "-",
        },
        incident=incident,
        place=incident.place,
    )


def _casualty_alert(rule, incident):
    total = incident.killed + incident.injured + incident.abducted
    if rule.casualty_threshold is None or total < rule.casualty_threshold or _already_alerted(rule, incident):
        return None
    return raise_alert(
        rule,
        _("%(type)s with %(n)d casualties") % {"type": incident.type.name, "n": total},
        _("Incident #%(id)s: %(killed)d killed, %(injured)d injured, %(abducted)d abducted.")
        % {"id": incident.pk, "killed": incident.killed, "injured": incident.injured, "abducted": incident.abducted},
        incident=incident,
        place=incident.place,
    )


def _cluster_alert(rule, incident):
    if not (rule.min_count and rule.radius_km and rule.window_hours):
        return None
    window = timedelta(hours=rule.window_hours)
    min_lat, max_lat, min_lon, max_lon = bounding_box(incident.latitude, incident.longitude, rule.radius_km)
    nearby = Incident.objects.filter(
        mission_id=incident.mission_id,
        merged_into__isnull=True,
        latitude__range=(min_lat, max_lat),
        longitude__range=(min_lon, max_lon),
        occurred_at__range=(incident.occurred_at - window, incident.occurred_at),
    ).exclude(status=Incident.Status.FALSE)
    types = [t.pk for t in rule.incident_types.all()]
    if types:
        nearby = nearby.filter(type_id__in=types)
    reports = [
        Report(i.pk, i.latitude, i.longitude, i.occurred_at)
        for i in nearby.only("id", "latitude", "longitude", "occurred_at")
    ]
    me = Report(incident.pk, incident.latitude, incident.longitude, incident.occurred_at)
    members = cluster_members(me, reports, rule.radius_km, rule.window_hours)
    if len(members) < rule.min_count:
        return None
    # One alert per cluster: a later member joins the open alert that already covers others.
    existing = Alert.objects.filter(rule=rule, status__in=NOT_CLOSED, incidents__in=members).distinct().first()
    if existing is not None:
        existing.incidents.add(*members)
        labels.relabel_alert(existing)  # a RED member makes the whole alert RED
        return None
    return raise_alert(
        rule,
        _("%(n)d incidents within %(km)g km in %(hours)d hours")
        % {"n": len(members), "km": rule.radius_km, "hours": rule.window_hours},
        _("Incidents %(ids)s near %(place)s.")
        % {
            "ids": ", ".join(f"#{m}" for m in sorted(members)),
            "place": incident.place or incident.location_description or "-",
        },
        incident=incident,
        place=incident.place,
        members=members,
    )


def check_risk_rules(mission: Mission, place_risks: dict[int, float]) -> list[Alert]:
    """Called after each forecast run with {Place id: probability}: every active "risk" rule
    raises one alert per place at or above its threshold, unless an alert of that rule for
    that place is still open (not closed)."""
    rules = list(
        AlertRule.objects.filter(mission=mission, kind=AlertRule.Kind.RISK, active=True, risk_threshold__isnull=False)
    )
    if not rules or not place_risks:
        return []
    places = Place.objects.in_bulk(list(place_risks))
    raised = []
    for rule in rules:
        open_places = set(
            Alert.objects.filter(rule=rule, status__in=NOT_CLOSED, place__isnull=False).values_list(
                "place_id", flat=True
            )
        )
        for place_id, risk in sorted(place_risks.items()):
            place = places.get(place_id)
            if place is None or risk is None or risk < rule.risk_threshold or place_id in open_places:
                continue
            raised.append(
                raise_alert(
                    rule,
                    _("Risk %(risk).0f%% in %(place)s") % {"risk": 100 * risk, "place": place.name},
                    _(
                        "The early-warning forecast puts the probability of violence in %(place)s at %(risk).2f (threshold %(threshold).2f)."
                    )
                    % {"place": place.name, "risk": risk, "threshold": rule.risk_threshold},
                    place=place,
                    risk=risk,
                )
            )
            open_places.add(place_id)
    return raised


def raise_alert(
    rule: AlertRule,
    title: str,
    message: str,
    *,
    incident: Incident | None = None,
    place: Place | None = None,
    risk: float | None = None,
    members=(),
) -> Alert:
    """Store the alert with its incidents (the triggering one and `members`, their ids), labelled
    as the strictest of them before anyone is told, and notify the rule's subscribers."""
    with transaction.atomic():
        alert = Alert.objects.create(
            mission_id=rule.mission_id,
            rule=rule,
            severity=rule.severity,
            title=title[:300],
            message=message,
            incident=incident,
            place=place,
            risk=risk,
        )
        if incident is not None:
            alert.incidents.add(incident)
        if members:
            alert.incidents.add(*members)
        labels.relabel_alert(alert)
        history.record(
            None,
            "alert raised",
            incident=incident,
            alert=alert,
            after={"alert": alert.pk, "rule": rule.name, "severity": alert.severity, "title": alert.title},
        )
        notify_subscribers(alert)
    return alert


def _subscriptions_told(alert: Alert) -> list:
    """The rule's subscriptions whose user may see the alert: a notice, an e-mail or an SMS
    carries its title, which tells what its incidents say."""
    subscriptions = list(alert.rule.subscriptions.select_related("user"))
    return [s for s in subscriptions if labels.visible_alerts(s.user, alert.mission_id).filter(pk=alert.pk).exists()]


def notify_subscribers(alert: Alert) -> None:
    """An in-app notification for every subscriber who may see the alert; e-mail and SMS
    once the alert is saved."""
    subscriptions = _subscriptions_told(alert)
    Notification.objects.bulk_create(
        [Notification(user=s.user, alert=alert) for s in subscriptions], ignore_conflicts=True
    )
    if subscriptions:
        transaction.on_commit(lambda: send_alert_messages(alert.pk))


def send_alert_messages(alert_id: int) -> None:
    alert = Alert.objects.select_related("rule", "mission").get(pk=alert_id)
    path = reverse("incidents:alert", args=[alert.mission.acronym, alert.pk])
    subject = f"[{alert.mission.acronym}] {alert.get_severity_display()}: {alert.title}"
    # Outside the f-string: xgettext does not read calls inside one.
    acknowledge = _("Acknowledge it in Blue Helmet")
    body = f"{alert.message}\n\n{acknowledge}: {path}"
    for subscription in _subscriptions_told(alert):
        sent = {}
        if subscription.by_email and subscription.user.email:
            sent["emailed"] = notifiers.send_alert_email(subscription.user.email, subject, body)
        if subscription.by_sms and subscription.phone:
            sent["sms_sent"] = notifiers.send_alert_sms(subscription.phone, subject)
        if sent:
            Notification.objects.filter(user=subscription.user, alert=alert).update(**sent)


def acknowledge(alert: Alert, user, note: str = "") -> Alert:
    if alert.status != Alert.Status.OPEN:
        raise AlertStateError(_("Only an open alert can be acknowledged."))
    with transaction.atomic():
        before = {"status": alert.status}
        alert.status, alert.acknowledged_by, alert.acknowledged_at = Alert.Status.ACKNOWLEDGED, user, timezone.now()
        alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
        history.record(
            user,
            "alert acknowledged",
            incident=alert.incident,
            alert=alert,
            before=before,
            after={"status": alert.status, "alert": alert.pk},
            reason=note,
        )
        Notification.objects.filter(alert=alert, user=user, read_at__isnull=True).update(read_at=alert.acknowledged_at)
    return alert


def close_alert(alert: Alert, user, reason: str) -> Alert:
    if alert.status == Alert.Status.CLOSED:
        raise AlertStateError(_("The alert is already closed."))
    with transaction.atomic():
        before = {"status": alert.status}
        alert.status = Alert.Status.CLOSED
        if alert.acknowledged_at is None:  # closing answers the alert too
            alert.acknowledged_by, alert.acknowledged_at = user, timezone.now()
        alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
        history.record(
            user,
            "alert closed",
            incident=alert.incident,
            alert=alert,
            before=before,
            after={"status": alert.status, "alert": alert.pk},
            reason=reason,
        )
    return alert


def unread_notifications(user, mission: Mission):
    """The user's unread notices of the mission's alerts they may see."""
    notices = Notification.objects.filter(user=user, alert__mission=mission, read_at__isnull=True).select_related(
        "alert"
    )
    return labels.visible_notifications(user, notices)


def mark_read(alert: Alert, user) -> int:
    """The user's notice of the alert is read (a POST from the alert page); returns how many."""
    return Notification.objects.filter(alert=alert, user=user, read_at__isnull=True).update(read_at=timezone.now())


# --- rules and subscriptions (the rules page's actions) -------------------------------------


@transaction.atomic
def create_rule(user, mission: Mission, form) -> AlertRule:
    """A new alert rule from a valid AlertRuleForm; its author is subscribed to it."""
    rule = form.save(commit=False)
    rule.mission = mission
    rule.save()
    form.save_m2m()
    Subscription.objects.get_or_create(rule=rule, user=user)
    return rule


@transaction.atomic
def save_rule(form) -> AlertRule:
    """An edited alert rule from a valid AlertRuleForm."""
    return form.save()


@transaction.atomic
def unsubscribe(user, rule: AlertRule) -> None:
    Subscription.objects.filter(rule=rule, user=user).delete()


@transaction.atomic
def subscribe(user, rule: AlertRule, *, by_email: bool, by_sms: bool, phone: str) -> Subscription:
    subscription, _created = Subscription.objects.update_or_create(
        rule=rule, user=user, defaults={"by_email": by_email, "by_sms": by_sms, "phone": phone}
    )
    return subscription
