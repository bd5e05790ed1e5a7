"""Builders for civil affairs test records."""

import datetime

from django.utils import timezone

from bluehelmet.civilaffairs.models import (
    CommunityAlert,
    Engagement,
    Partner,
    PartnerContact,
    PeaceAgreement,
    Provision,
)


def make_partner(mission, place, officer=None, **fields):
    partner = Partner.objects.create(
        mission=mission,
        name=fields.pop("name", "Kenema District Women Forum"),
        kind=Partner.Kind.WOMENS_GROUP,
        place=place,
        focal_point=officer,
        **fields,
    )
    PartnerContact.objects.create(
        partner=partner,
        full_name="Aminata Test-Contact",
        position="Chair",
        phone="+232 76 555 123",
        email="chair@example.org",
    )
    return partner


def make_engagement(mission, place, day, **fields):
    return Engagement.objects.create(
        mission=mission,
        kind=Engagement.Kind.TOWN_HALL,
        held_on=day,
        place=place,
        title=fields.pop("title", "Town hall"),
        women=10,
        men=12,
        girls=2,
        **fields,
    )


def make_alert(mission, place, **fields):
    fields.setdefault("received_at", timezone.make_aware(datetime.datetime(2001, 3, 9, 7, 45), datetime.UTC))
    fields.setdefault("category", CommunityAlert.Category.ATTACK)
    return CommunityAlert.objects.create(
        mission=mission,
        place=place,
        text=fields.pop("text", "Village attacked overnight."),
        sender=fields.pop("sender", "+232 77 100 001"),
        **fields,
    )


def make_agreement(mission, **fields):
    agreement = PeaceAgreement.objects.create(
        mission=mission,
        title=fields.pop("title", "Lomé Peace Agreement"),
        signed_on=datetime.date(1999, 7, 7),
        parties="Government of Sierra Leone\nRUF/SL",
        **fields,
    )
    provision = Provision.objects.create(
        agreement=agreement,
        reference="Art. XXVI",
        title="Truth and Reconciliation Commission",
        responsible="Government",
        deadline=datetime.date(1999, 10, 5),
    )
    return agreement, provision
