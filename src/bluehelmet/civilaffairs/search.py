"""What civil affairs makes searchable (core.search): local partners, peace and local
agreements, and mediation processes, read through civilaffairs.queries (partners see only
what is shared with them). Partners' contacts are personal data: never indexed."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.search import SearchKind, register

from . import queries
from .models import MediationProcess, PeaceAgreement


def _lines(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _agreement_text(agreement: PeaceAgreement) -> str:
    return _lines(agreement.summary, agreement.parties, agreement.source)


def _mediation_text(process: MediationProcess) -> str:
    return _lines(process.topics, process.parties, process.outcome)


register(
    SearchKind(
        name="civilaffairs.partner",
        label=_("Local partners"),
        model="civilaffairs.Partner",
        title=lambda partner: partner.name,
        body=lambda partner: partner.notes,
        url=lambda pk, acronym, title: reverse("civilaffairs:partner", args=[acronym, pk]),
        visible=lambda user, access: queries.partners(user, access.mission),
        order=40,
    )
)
register(
    SearchKind(
        name="civilaffairs.agreement",
        label=_("Peace and local agreements"),
        model="civilaffairs.PeaceAgreement",
        title=lambda agreement: agreement.title,
        body=_agreement_text,
        url=lambda pk, acronym, title: reverse("civilaffairs:agreement", args=[acronym, pk]),
        visible=lambda user, access: queries.agreements(user, access.mission),
        order=55,
    )
)
register(
    SearchKind(
        name="civilaffairs.mediation",
        label=_("Mediation processes"),
        model="civilaffairs.MediationProcess",
        title=lambda process: process.title,
        body=_mediation_text,
        url=lambda pk, acronym, title: reverse("civilaffairs:mediation", args=[acronym, pk]),
        visible=lambda user, access: queries.mediations(user, access.mission),
        order=58,
    )
)
