"""Recognition: UN medal eligibility from service records, awards through their approval
steps, lists of eligible people per parade, and printable certificates."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from bluehelmet.core.models import Mission

from .models import Award, AwardDecision, MedalRule, Parade, Person


def qualifying_days(mission: Mission) -> int:
    rule = MedalRule.objects.filter(mission=mission).first()
    return rule.qualifying_days if rule else MedalRule.DEFAULT_DAYS


def continuous_service_days(person: Person, on_date: datetime.date) -> int:
    """Days of the person's tour served by `on_date`, both ends counted."""
    if person.arrival > on_date:
        return 0
    end = min(person.departure or on_date, on_date)
    return (end - person.arrival).days + 1


@dataclass
class Eligibility:
    person: Person
    days: int
    already_awarded: bool


def medal_eligibility(mission: Mission, people: QuerySet[Person], on_date: datetime.date) -> list[Eligibility]:
    """People whose continuous service reaches the mission's qualifying days by `on_date`,
    longest serving first, with whether they already hold (or were proposed for) the medal."""
    needed = qualifying_days(mission)
    awarded = set(
        Award.objects.filter(person__in=people, kind=Award.Kind.UN_MEDAL)
        .exclude(status=Award.Status.REJECTED)
        .values_list("person", flat=True)
    )
    rows = []
    for person in people.filter(arrival__lte=on_date).select_related("unit", "country"):
        days = continuous_service_days(person, on_date)
        if days >= needed:
            rows.append(Eligibility(person, days, person.pk in awarded))
    return sorted(rows, key=lambda e: (-e.days, e.person.name))


def parade_eligibility(parade: Parade) -> list[Eligibility]:
    """Who may receive the UN medal at this parade: eligible on its date, serving in one of
    its units (any unit when none is set), not yet holding it."""
    people = Person.objects.filter(mission=parade.mission)
    units = list(parade.units.values_list("pk", flat=True))
    if units:
        people = people.filter(unit__in=units)
    return [e for e in medal_eligibility(parade.mission, people, parade.date) if not e.already_awarded]


@transaction.atomic
def propose_award(user, form) -> Award:
    """An award proposed by the user, from its validated form; it then waits for its
    approval steps (decide_award)."""
    award = form.save(commit=False)
    award.proposed_by = user
    award.save()
    return award


@transaction.atomic
def decide_award(award: Award, user, approved: bool, comment: str = "") -> AwardDecision:
    """Take the award's next approval step. Raises ValidationError when it is already
    decided."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    step = award.next_step
    if step is None:
        raise ValidationError(
            _("This award has already been decided (%(status)s).") % {"status": award.get_status_display()}
        )
    status, who = step
    decision = AwardDecision.objects.create(
        award=award, step=str(who), approved=approved, comment=comment, decided_by=user
    )
    award.status = status if approved else Award.Status.REJECTED
    award.save(update_fields=["status"])
    return decision


def _latin1(text: str) -> str:
    """The PDF core fonts speak Latin-1; other characters become '?' rather than failing."""
    return text.encode("latin-1", errors="replace").decode("latin-1")


def certificate_pdf(award: Award) -> bytes:
    """A one-page landscape certificate for an approved award."""
    if award.status != Award.Status.APPROVED:
        raise ValidationError(_("Only an approved award has a certificate."))
    person, mission = award.person, award.person.mission
    decided = award.decisions.filter(approved=True).order_by("-decided_at").first()
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_title(_latin1(f"{award.get_kind_display()} - {person.name}"))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(29, 111, 184)
    pdf.set_line_width(2)
    pdf.rect(12, 12, 273, 186)
    pdf.set_line_width(0.5)
    pdf.rect(16, 16, 265, 178)

    def line(text, size, style="", space=10):
        pdf.set_font("Helvetica", style, size)
        pdf.cell(0, space, _latin1(text), align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.set_y(34)
    line(f"{mission.acronym} - {mission.name}", 14)
    pdf.ln(6)
    line(_("Certificate"), 30, "B", 16)
    line(award.get_kind_display(), 20, "", 12)
    pdf.ln(8)
    line(_("is awarded to"), 13)
    line(" ".join(filter(None, [person.rank, person.name])), 24, "B", 14)
    details = [
        person.service_number,
        person.unit.name if person.unit else "",
        person.country.name if person.country else "",
    ]
    line(" - ".join(filter(None, details)), 12)
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 12)
    text = award.citation or _("For %(days)s days of continuous service with the mission.") % {
        "days": continuous_service_days(person, person.departure or datetime.date.today())
    }
    pdf.set_x(40)
    pdf.multi_cell(217, 7, _latin1(text), align="C")
    pdf.set_y(165)
    when = date_format(decided.decided_at.date(), "DATE_FORMAT") if decided else ""
    line(_("Approved by the %(who)s, %(date)s") % {"who": decided.step if decided else "", "date": when}, 11)
    line(_("Certificate no. %(number)s") % {"number": f"{mission.acronym}-{award.pk:06d}"}, 9, "", 6)
    return bytes(pdf.output())
