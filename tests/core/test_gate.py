"""The one access gate (core.gate): the capability registry, what each role gets in a mission,
404 for missions the user does not see, 403 for a missing capability, one membership query
per request, the DRF permission and the template filter; and a guard that no other module
decides access on its own."""

import ast
import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver
from django.urls.resolvers import URLResolver
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from bluehelmet.core import gate
from bluehelmet.core.models import Membership, Role
from bluehelmet.core.sensitivity import VISIBLE_TO

SRC = Path(gate.__file__).resolve().parents[1]
MEMBERSHIP_TABLE = Membership._meta.db_table


@pytest.fixture
def registry(monkeypatch):
    """A copy of the registry, so declarations made by a test do not outlive it."""
    monkeypatch.setattr(gate, "_capabilities", dict(gate.capabilities()))


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


# --- the registry -------------------------------------------------------------------------------


def test_every_app_declares_its_capabilities_in_its_permissions_module():
    declared = gate.capabilities()
    for name in (
        "incidents.report",
        "incidents.identities",
        "civilaffairs.personal",
        "ddr.records",
        "ddr.aggregates",
        "humanitarian.edit",
        "forces.staff",
        "elections.manage",
        "performance.manage",
        "earlywarning.run",
    ):
        assert name in declared
    assert declared["ddr.records"].roles == {Role.ADMINISTRATOR, Role.DDR_OFFICER}
    assert all(str(capability.label) for capability in declared.values())


def test_declaring_again_with_the_same_roles_is_allowed_with_other_roles_refused(registry):
    first = gate.declare("tests.probe", roles=(Role.ANALYST,), label="probe")
    assert gate.declare("tests.probe", roles=(Role.ANALYST,), label="probe") == first
    with pytest.raises(ImproperlyConfigured):
        gate.declare("tests.probe", roles=(Role.REPORTER,), label="probe")


def test_an_undeclared_capability_is_an_error_not_a_refusal(users, mission):
    access = gate.access(users[Role.ADMINISTRATOR], mission)
    with pytest.raises(LookupError):
        access.can("ddr.recrods")
    with pytest.raises(LookupError):
        gate.mission_view("ddr.recrods")


def test_a_new_declaration_reaches_every_role_named(registry, users, mission):
    gate.declare("tests.probe", roles=(Role.REPORTER,), label="probe")
    assert gate.access(users[Role.REPORTER], mission).can("tests.probe")
    assert not gate.access(users[Role.ANALYST], mission).can("tests.probe")


# --- access per role ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_each_role_gets_its_labels_and_exactly_the_capabilities_declared_for_it(users, mission, role):
    access = gate.access(users[role], mission)
    assert access.mission == mission and access.role == role
    assert access.labels == {str(label) for label in VISIBLE_TO[role]}
    assert access.capabilities == {name for name, capability in gate.capabilities().items() if role in capability.roles}


def test_some_roles_in_plain_words(users, mission):
    analyst, ddr, partner = (
        gate.access(users[role], mission) for role in (Role.ANALYST, Role.DDR_OFFICER, Role.PARTNER)
    )
    assert analyst.can("ddr.aggregates") and not analyst.can("ddr.records")
    assert ddr.can("ddr.records") and not ddr.can("incidents.identities")
    assert not partner.can("incidents.report") and partner.can("civilaffairs.alert")
    assert "red" in analyst.labels and "red" not in ddr.labels and partner.labels == {"clear", "green"}


def test_superusers_administer_every_mission_and_outsiders_have_nothing(users, mission, other_mission):
    root = gate.access(users["superuser"], other_mission)
    assert root.role == Role.ADMINISTRATOR and root.can("ddr.records") and "red" in root.labels
    outsider = gate.access(users["outsider"], mission)
    assert outsider.role is None and outsider.capabilities == set() and outsider.labels == set()


def test_require_refuses_with_what_the_role_does_not_allow(users, mission):
    with pytest.raises(PermissionDenied, match="see DDR participants' records"):
        gate.access(users[Role.ANALYST], mission).require("ddr.records")
    gate.access(users[Role.DDR_OFFICER], mission).require("ddr.records")


def test_missions_with_a_capability(users, mission, other_mission):
    Membership.objects.create(user=users[Role.ANALYST], mission=other_mission, role=Role.DDR_OFFICER)
    assert list(gate.missions_with(users[Role.ANALYST], "ddr.records")) == [other_mission]
    assert set(gate.missions_with(users[Role.ANALYST], "ddr.aggregates")) == {mission, other_mission}
    assert not gate.missions_with(users[Role.PARTNER], "ddr.aggregates").exists()
    assert set(gate.missions_with(users["superuser"], "ddr.records")) == {mission, other_mission}


# --- the view decorator -------------------------------------------------------------------------


@gate.mission_view("ddr.records")
def _records_view(request, access, pk):
    return HttpResponse(f"{access.mission.acronym} {access.role} {pk}")


@gate.mission_view()
def _member_view(request, access):
    return HttpResponse(access.mission.acronym)


def test_the_view_gets_the_access_and_its_other_arguments(users, mission):
    response = _records_view(_request(users[Role.DDR_OFFICER]), acronym="UNAMSIL", pk=7)
    assert response.content == b"UNAMSIL ddr_officer 7"


@pytest.mark.parametrize("who", ["outsider", "other_member"])
def test_a_mission_the_user_does_not_see_is_404_like_one_that_does_not_exist(users, other_member, mission, who):
    user = other_member if who == "other_member" else users[who]
    for acronym in ("UNAMSIL", "NOSUCH"):
        with pytest.raises(Http404):
            _member_view(_request(user), acronym=acronym)


def test_a_missing_capability_is_403(users, mission):
    with pytest.raises(PermissionDenied):
        _records_view(_request(users[Role.ANALYST]), acronym="UNAMSIL", pk=1)
    assert _member_view(_request(users[Role.PARTNER]), acronym="UNAMSIL").status_code == 200


def test_a_membership_change_is_seen_by_a_user_object_already_asked(users, mission):
    user = users[Role.REPORTER]
    assert not gate.access(user, mission).can("ddr.records")
    Membership.objects.filter(user=user, mission=mission).get().delete()
    Membership.objects.create(user=user, mission=mission, role=Role.DDR_OFFICER)
    assert gate.access(user, mission).can("ddr.records")


def test_pages_answer_404_and_403_through_the_gate(client_for, users, other_member, mission):
    assert client_for(other_member).get("/missions/UNAMSIL/ddr/").status_code == 404
    assert client_for(users[Role.REPORTER]).get("/missions/UNAMSIL/ddr/").status_code == 403
    assert client_for(users[Role.ANALYST]).get("/missions/UNAMSIL/ddr/participants/").status_code == 403
    assert client_for(users[Role.ANALYST]).get("/missions/UNAMSIL/ddr/").status_code == 200


def test_one_membership_query_however_often_a_page_asks(users, mission):
    @gate.mission_view("ddr.aggregates")
    def view(request, access):
        again = gate.access(request.user, access.mission)
        shown = Template(
            '{% load bluehelmet %}{% if user|access_in:mission|can:"ddr.records" %}records{% endif %}'
        ).render(Context({"user": request.user, "mission": access.mission}))
        return HttpResponse(f"{again.can('ddr.records')} {gate.role_in(request.user, access.mission)} {shown}")

    with CaptureQueriesContext(connection) as queries:
        response = view(_request(users[Role.DDR_OFFICER]), acronym="UNAMSIL")
    assert response.content == b"True ddr_officer records"
    assert len(queries) == 2 and _membership_lookups(queries.captured_queries) == 1  # the memberships, the mission


def _membership_lookups(queries) -> int:
    """Queries that read memberships themselves (not scoping subqueries inside other queries)."""
    first_table = (re.search(r'\bFROM\s+"?(\w+)"?', query["sql"]) for query in queries)
    return sum(1 for match in first_table if match and match.group(1) == MEMBERSHIP_TABLE)


def test_a_real_page_looks_the_memberships_up_once(client_for, users, mission):
    """The gate, the two-factor check and the menus (imports, audit) share one read."""
    client = client_for(users[Role.ADMINISTRATOR])
    client.get("/missions/UNAMSIL/ddr/")  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/missions/UNAMSIL/ddr/").status_code == 200
    assert _membership_lookups(queries.captured_queries) == 1


def test_every_mission_route_goes_through_the_gate():
    """Generated from the URL conf: a new page under missions/<acronym>/ cannot skip the gate."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern.callback

    routes = [
        (route, view)
        for route, view in walk(get_resolver().url_patterns)
        if "<acronym>" in route or "<str:acronym>" in route
    ]
    assert len(routes) > 100
    assert [route for route, view in routes if not hasattr(view, "gate_capability")] == []


# --- the DRF permission and the template filter -------------------------------------------------


class _RecordsEndpoint(APIView):
    permission_classes = [gate.requires("ddr.records")]

    def get(self, request, acronym):
        return Response({"mission": request.mission_access.mission.acronym})


@pytest.mark.parametrize(("who", "status"), [(Role.DDR_OFFICER, 200), (Role.ANALYST, 403), ("outsider", 404)])
def test_the_api_permission_asks_the_gate(users, mission, who, status):
    request = APIRequestFactory().get("/")
    force_authenticate(request, users[who])
    response = _RecordsEndpoint.as_view()(request, acronym="UNAMSIL")
    assert response.status_code == status
    if status == 403:
        assert "see DDR participants' records" in str(response.data["detail"])


def test_the_report_api_refuses_roles_without_the_capability_and_foreign_missions(users, mission, other_mission):
    from rest_framework.test import APIClient

    partner = APIClient()
    partner.force_authenticate(users[Role.PARTNER])
    refused = partner.post("/api/incidents/", {"mission": "UNAMSIL"}, format="json")
    assert refused.status_code == 403 and "report incidents" in str(refused.json()["detail"])
    reporter = APIClient()
    reporter.force_authenticate(users[Role.REPORTER])
    assert reporter.post("/api/incidents/", {"mission": "MINUSCA"}, format="json").status_code == 400


def test_the_can_filter(users, mission):
    template = Template('{% load bluehelmet %}{% if access|can:"humanitarian.edit" %}edit{% else %}read{% endif %}')
    assert template.render(Context({"access": gate.access(users[Role.HUMANITARIAN], mission)})) == "edit"
    assert template.render(Context({"access": gate.access(users[Role.REPORTER], mission)})) == "read"


# --- no seventh idiom ---------------------------------------------------------------------------

FORBIDDEN_CALLS = {"role_in", "visible_mission_or_404"}
FORBIDDEN_DEFINITIONS = {
    "role_in",
    "visible_mission_or_404",
    "mission_for",
    "mission_page",
    "_mission",
    "_require",
    "capabilities",
}


def test_no_module_outside_the_gate_decides_access_on_its_own():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path == Path(gate.__file__).resolve() or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
                if name in FORBIDDEN_CALLS:
                    found.append(f"{path.relative_to(SRC)}:{node.lineno} calls {name}")
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in FORBIDDEN_DEFINITIONS:
                found.append(f"{path.relative_to(SRC)}:{node.lineno} defines {node.name}")
    assert found == []


def test_templates_ask_the_gate_not_a_capability_dict():
    """Templates get `access` and ask `access|can:"..."`; the old per-app `can.<name>` dicts
    are gone, and a leftover `can.x` would silently read as False (or True for none)."""
    leftovers = [
        f"{path.relative_to(SRC)}:{number}"
        for path in sorted(SRC.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\bcan\.\w", line)
    ]
    assert leftovers == []
