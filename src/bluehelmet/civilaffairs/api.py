"""REST endpoints of this area: partners (their contacts only for civil affairs officers and
administrators, each partner's contacts shown logged), engagements with commitments,
community alerts (never the sender), grievances (never the complainant), agreements with
their provisions; and the SMS gateway endpoint, authenticated by a gateway's secret."""

import base64
import binascii
from functools import partial

import django_filters
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import APIException
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from bluehelmet.core import access, gate
from bluehelmet.core.api import MissionFilter, ScopedViewSet
from bluehelmet.core.audit import audit_detail, log_sensitive_access
from bluehelmet.core.middleware import declared_length
from bluehelmet.core.sensitivity import sensitivity_scope

from . import cases
from .models import (
    Commitment,
    CommunityAlert,
    Engagement,
    Grievance,
    Partner,
    PartnerContact,
    PeaceAgreement,
    Provision,
)


def _missions_with_personal_data(user) -> set[int] | None:
    """The missions whose personal data the user may read (None: all, a superuser)."""
    if user.is_superuser:
        return None
    return set(gate.missions_with(user, "civilaffairs.personal").values_list("pk", flat=True))


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerContact
        fields = ["id", "full_name", "position", "phone", "email"]


class PartnerSerializer(serializers.ModelSerializer):
    mission = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    place_name = serializers.CharField(source="place.name", read_only=True)
    contacts = serializers.SerializerMethodField(
        help_text="only for the mission's civil affairs officers and administrators; null otherwise"
    )

    class Meta:
        model = Partner
        fields = [
            "id",
            "mission",
            "name",
            "kind",
            "place",
            "place_name",
            "organization",
            "relationship",
            "trust",
            "last_contact",
            "sharing",
            "exercise",
            "contacts",
        ]

    @extend_schema_field(ContactSerializer(many=True, allow_null=True))
    def get_contacts(self, partner):
        request = self.context.get("request")
        allowed = (
            self.context.setdefault("personal_missions", _missions_with_personal_data(request.user))
            if request
            else set()
        )
        if allowed is not None and partner.mission_id not in allowed:
            return None
        contacts = list(partner.contacts.all())
        if contacts:
            log_sensitive_access(
                request.user,
                partner,
                mission=partner.mission,
                detail=audit_detail(gettext_noop("partner contacts via API (%(count)s)"), count=len(contacts)),
            )
        return ContactSerializer(contacts, many=True).data


class CommitmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commitment
        fields = ["id", "text", "made_by", "due", "status", "follow_up"]


class EngagementSerializer(serializers.ModelSerializer):
    mission = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    participants = serializers.IntegerField(read_only=True)
    commitments = CommitmentSerializer(many=True, read_only=True)

    class Meta:
        model = Engagement
        fields = [
            "id",
            "mission",
            "kind",
            "held_on",
            "place",
            "title",
            "partners",
            "topics",
            "summary",
            *Engagement.PARTICIPANT_FIELDS,
            "participants",
            "commitments",
            "sharing",
            "exercise",
        ]


class CommunityAlertSerializer(serializers.ModelSerializer):
    mission = serializers.SlugRelatedField(slug_field="acronym", read_only=True)

    class Meta:
        model = CommunityAlert
        fields = [
            "id",
            "mission",
            "received_at",
            "channel",
            "category",
            "place",
            "location",
            "text",
            "partner",
            "sensitivity",
            "status",
            "incident",
            "triaged_at",
            "exercise",
        ]


class GrievanceSerializer(serializers.ModelSerializer):
    mission = serializers.SlugRelatedField(slug_field="acronym", read_only=True)

    class Meta:
        model = Grievance
        fields = [
            "id",
            "mission",
            "received_on",
            "against",
            "against_detail",
            "place",
            "summary",
            "status",
            "closed_on",
            "sensitivity",
            "exercise",
        ]


class ProvisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Provision
        fields = ["id", "agreement", "reference", "title", "text", "responsible", "deadline", "status", "status_on"]


class PeaceAgreementSerializer(serializers.ModelSerializer):
    mission = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    provisions = ProvisionSerializer(many=True, read_only=True)

    class Meta:
        model = PeaceAgreement
        fields = [
            "id",
            "mission",
            "kind",
            "title",
            "signed_on",
            "place",
            "parties",
            "summary",
            "source",
            "sharing",
            "exercise",
            "provisions",
        ]


def _labelled(user):
    return access.mission_scope(user, sharing_field=None) & sensitivity_scope(user)


class MissionOnly(django_filters.FilterSet):
    mission = MissionFilter()


class PartnerFilter(MissionOnly):
    class Meta:
        model = Partner
        fields = ["mission", "kind", "relationship"]


class PartnerViewSet(ScopedViewSet):
    """Local partners of the user's missions (partners: public ones). Contacts only for
    civil affairs officers and administrators, each partner's contacts logged when sent."""

    queryset = Partner.objects.select_related("mission", "place").prefetch_related("contacts")
    serializer_class = PartnerSerializer
    scope = access.mission_scope
    filterset_class = PartnerFilter
    ordering_fields = ["name", "last_contact"]


class EngagementFilter(MissionOnly):
    class Meta:
        model = Engagement
        fields = ["mission", "kind", "place"]


class EngagementViewSet(ScopedViewSet):
    """Community engagements with participants by sex and age, and their commitments."""

    queryset = Engagement.objects.select_related("mission").prefetch_related("commitments", "partners")
    serializer_class = EngagementSerializer
    scope = access.mission_scope
    filterset_class = EngagementFilter
    ordering_fields = ["held_on"]


class AlertFilter(MissionOnly):
    class Meta:
        model = CommunityAlert
        fields = ["mission", "status", "category"]


class AlertViewSet(ScopedViewSet):
    """Community alerts the user's role admits (TLP label), without the sender."""

    queryset = CommunityAlert.objects.select_related("mission")
    serializer_class = CommunityAlertSerializer
    scope = _labelled
    filterset_class = AlertFilter
    ordering_fields = ["received_at"]


class GrievanceFilter(MissionOnly):
    class Meta:
        model = Grievance
        fields = ["mission", "status", "against"]


class GrievanceViewSet(ScopedViewSet):
    """Grievances the user's role admits (TLP label), without the complainant."""

    queryset = Grievance.objects.select_related("mission")
    serializer_class = GrievanceSerializer
    scope = _labelled
    filterset_class = GrievanceFilter
    ordering_fields = ["received_on"]


class AgreementFilter(MissionOnly):
    class Meta:
        model = PeaceAgreement
        fields = ["mission", "kind"]


class AgreementViewSet(ScopedViewSet):
    """Peace and local agreements with their provisions' implementation (Peace Accords Matrix scale 0-3)."""

    queryset = PeaceAgreement.objects.select_related("mission").prefetch_related("provisions")
    serializer_class = PeaceAgreementSerializer
    scope = access.mission_scope
    filterset_class = AgreementFilter
    ordering_fields = ["signed_on"]


class ProvisionFilter(django_filters.FilterSet):
    mission = MissionFilter(field_name="agreement__mission")

    class Meta:
        model = Provision
        fields = ["mission", "agreement", "status"]


class ProvisionViewSet(ScopedViewSet):
    """Agreement provisions with responsible actor, deadline and latest implementation status."""

    queryset = Provision.objects.select_related("agreement")
    serializer_class = ProvisionSerializer
    scope = partial(access.mission_scope, mission_field="agreement__mission", sharing_field="agreement__sharing")
    filterset_class = ProvisionFilter
    ordering_fields = ["deadline", "status"]


# --- SMS gateways ---------------------------------------------------------------------------


class SmsPayload(serializers.Serializer):
    """The common shapes: SMSSync / FrontlineSMS (`from`, `message`, `message_id`,
    `sent_timestamp`, `secret`) and Twilio (`From`, `Body`, `MessageSid`)."""

    secret = serializers.CharField(
        required=False,
        help_text="the gateway's secret (or the X-Gateway-Secret header, or the password of HTTP Basic authentication; never in the address)",
    )
    message = serializers.CharField(required=False)
    message_id = serializers.CharField(required=False)
    sent_timestamp = serializers.CharField(required=False, help_text="epoch seconds or milliseconds, or ISO 8601")
    Body = serializers.CharField(required=False)
    MessageSid = serializers.CharField(required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.CharField(required=False, help_text="the sender's number")
        fields["From"] = serializers.CharField(required=False, help_text="the sender's number (Twilio)")
        return fields


class SmsOutcome(serializers.Serializer):
    success = serializers.BooleanField()
    error = serializers.CharField(allow_null=True)


class SmsResult(serializers.Serializer):
    payload = SmsOutcome(help_text="SMSSync's expected answer")
    alert = serializers.IntegerField(allow_null=True)
    created = serializers.BooleanField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


def _answer(code, error=None, alert=None, created=False, errors=None):
    body = {"payload": {"success": error is None, "error": error}, "alert": alert, "created": created}
    if errors:
        body["errors"] = errors
    return Response(body, status=code)


class GatewayPostsOnly(BasePermission):
    """Gateways only post: anything else is refused (403) before the view, whoever asks."""

    message = gettext_lazy("SMS gateways post messages here; nothing else is served.")

    def has_permission(self, request, view):
        return request.method == "POST"


def _header_secret(request) -> str | None:
    """The secret a gateway sends in a header: X-Gateway-Secret, or the password of HTTP Basic
    authentication (what Twilio sends for https://gateway:SECRET@host/... webhook addresses)."""
    if secret := request.headers.get("X-Gateway-Secret"):
        return secret
    scheme, _space, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic" or len(credentials) > 1000:
        return None
    try:
        return base64.b64decode(credentials, validate=True).decode().partition(":")[2] or None
    except (binascii.Error, UnicodeDecodeError):
        return None


class SmsGatewayViewSet(viewsets.ViewSet):
    """Where an SMS gateway posts the community alerts it receives. No user login: the
    gateway's secret says which mission the message is for. A message sent again is stored
    once (200 instead of 201; see cases.receive_sms).

    Before anything is read: a secret in the address is refused (addresses end up in access
    logs), and so is a body longer than BLUEHELMET_SMS_MAX_BODY_BYTES (413; an SMS is a few
    hundred bytes). A secret sent in a header is checked before the body is parsed; SMSSync,
    which cannot set headers, sends it as a `secret` field of the (bounded) body."""

    authentication_classes = []
    permission_classes = [GatewayPostsOnly]

    @extend_schema(
        auth=[],
        request={"application/json": SmsPayload, "application/x-www-form-urlencoded": SmsPayload},
        parameters=[OpenApiParameter("X-Gateway-Secret", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False)],
        responses={201: SmsResult, 200: SmsResult, 400: SmsResult, 403: SmsResult, 413: SmsResult},
    )
    def create(self, request, format=None):
        if "secret" in request.query_params:
            return _answer(
                status.HTTP_400_BAD_REQUEST,
                _(
                    "Do not put the secret in the address, where access logs keep it: send it in the X-Gateway-Secret header (or as the password of HTTP Basic authentication, or a secret field of the message). Then replace this gateway's secret."
                ),
            )
        if declared_length(request) > settings.BLUEHELMET_SMS_MAX_BODY_BYTES:
            return _answer(
                status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
                _("The message is larger than %(n)d bytes.") % {"n": settings.BLUEHELMET_SMS_MAX_BODY_BYTES},
            )
        header_secret = _header_secret(request)
        gateway = cases.gateway_for_secret(header_secret) if header_secret is not None else None
        if header_secret is not None and gateway is None:
            return _answer(status.HTTP_403_FORBIDDEN, _("Unknown or inactive gateway secret."))
        try:
            data = request.data
        except APIException as bad:
            return _answer(status.HTTP_400_BAD_REQUEST, str(bad.detail))
        if gateway is None:
            body_secret = data.get("secret") if hasattr(data, "get") else None
            gateway = cases.gateway_for_secret(body_secret if isinstance(body_secret, str) else None)
        if gateway is None:
            return _answer(status.HTTP_403_FORBIDDEN, _("Unknown or inactive gateway secret."))
        fields, errors = cases.parse_sms(data)
        if errors:
            return _answer(status.HTTP_400_BAD_REQUEST, _("The message was not stored."), errors=errors)
        alert, created = cases.receive_sms(gateway, fields)
        return _answer(status.HTTP_201_CREATED if created else status.HTTP_200_OK, alert=alert.pk, created=created)


def register(router) -> None:
    router.register("civilaffairs/partners", PartnerViewSet, basename="api-civilaffairs-partner")
    router.register("civilaffairs/engagements", EngagementViewSet, basename="api-civilaffairs-engagement")
    router.register("civilaffairs/alerts", AlertViewSet, basename="api-civilaffairs-alert")
    router.register("civilaffairs/grievances", GrievanceViewSet, basename="api-civilaffairs-grievance")
    router.register("civilaffairs/agreements", AgreementViewSet, basename="api-civilaffairs-agreement")
    router.register("civilaffairs/provisions", ProvisionViewSet, basename="api-civilaffairs-provision")
    router.register("civilaffairs/sms", SmsGatewayViewSet, basename="api-civilaffairs-sms")
