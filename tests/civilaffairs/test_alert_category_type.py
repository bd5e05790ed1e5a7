"""Every community alert category proposes a matching incident type; "Armed group movement"
had none (issue 15, section 5)."""

from bluehelmet.civilaffairs.forms import INCIDENT_TYPE_OF_CATEGORY, AlertIncidentForm
from bluehelmet.civilaffairs.models import CommunityAlert
from bluehelmet.incidents.models import IncidentType

from .factories import make_alert


def test_armed_group_movement_is_an_incident_type_and_is_proposed(ca):
    movement = IncidentType.objects.get(mission=ca.mission, code="armed-group-movement")
    assert movement.name == "Armed group movement"
    alert = make_alert(ca.mission, ca.kenema, category=CommunityAlert.Category.ARMED_MOVEMENT)
    form = AlertIncidentForm(alert=alert, user=ca.users["civil_affairs"])
    assert form.initial["type"] == movement.pk


def test_every_mapped_category_names_a_default_type(ca):
    codes = set(IncidentType.objects.filter(mission=ca.mission).values_list("code", flat=True))
    assert set(INCIDENT_TYPE_OF_CATEGORY.values()) <= codes
