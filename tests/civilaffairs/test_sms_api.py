"""The SMS gateway endpoint and the read API."""

import base64

import pytest

from bluehelmet.civilaffairs import cases
from bluehelmet.civilaffairs.models import CommunityAlert
from bluehelmet.core.models import Role, SensitiveAccess

SMS = "/api/civilaffairs/sms/"


@pytest.fixture
def gateway(ca):
    return cases.new_gateway(ca.mission, "SMSSync phone")


def test_smssync_form_post(ca, client, gateway):
    _gw, secret = gateway
    payload = {
        "from": "+23276000111",
        "message": "Armed men near Pendembu",
        "message_id": "abc-1",
        "sent_timestamp": "984123000000",
        "secret": secret,
        "device_id": "1",
    }
    response = client.post(SMS, payload)
    assert response.status_code == 201 and response.json()["payload"] == {"success": True, "error": None}
    alert = CommunityAlert.objects.get(pk=response.json()["alert"])
    assert alert.mission == ca.mission and alert.text == "Armed men near Pendembu" and alert.sender == "+23276000111"
    again = client.post(SMS, payload)
    assert again.status_code == 200 and again.json() == {
        "payload": {"success": True, "error": None},
        "alert": alert.pk,
        "created": False,
    }
    assert CommunityAlert.objects.filter(channel="sms").count() == 1


def test_twilio_shape_with_the_secret_as_basic_authentication(ca, client, gateway):
    _gw, secret = gateway
    credentials = base64.b64encode(f"gateway:{secret}".encode()).decode()
    response = client.post(
        SMS,
        {"From": "+23277000222", "Body": "Shooting in Kenema", "MessageSid": "SM123"},
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )
    assert response.status_code == 201
    assert CommunityAlert.objects.get(external_id="SM123").text == "Shooting in Kenema"


def test_json_with_the_secret_in_a_header(ca, client, gateway):
    _gw, secret = gateway
    response = client.post(
        SMS, {"from": "+1", "message": "hello"}, content_type="application/json", HTTP_X_GATEWAY_SECRET=secret
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    "body,content_type",
    [
        ({"from": "+1"}, "application/json"),
        ({"from": "+1", "message": "   "}, "application/json"),
        ("[1, 2]", "application/json"),
        ("{not json", "application/json"),
        ({"message": "x" * 2001}, "application/json"),
    ],
)
def test_bad_payloads_are_refused_with_a_reason(ca, client, gateway, body, content_type):
    _gw, secret = gateway
    response = client.post(SMS, body, content_type=content_type, HTTP_X_GATEWAY_SECRET=secret)
    assert response.status_code == 400
    assert response.json()["payload"]["success"] is False and response.json()["created"] is False
    assert not CommunityAlert.objects.filter(channel="sms").exists()


def test_wrong_or_switched_off_secret_is_refused(ca, client, gateway):
    gw, secret = gateway
    assert client.post(SMS, {"from": "+1", "message": "x", "secret": "guess"}).status_code == 403
    assert client.get(SMS, HTTP_X_GATEWAY_SECRET=secret).status_code == 403  # gateways only post
    gw.active = False
    gw.save()
    assert client.post(SMS, {"from": "+1", "message": "x", "secret": secret}).status_code == 403
    assert not CommunityAlert.objects.filter(channel="sms").exists()


def test_read_api_hides_personal_data_unless_permitted(ca, client_for):
    analyst = client_for(ca.users[Role.ANALYST]).get("/api/civilaffairs/partners/").json()
    assert analyst["count"] == 1 and analyst["results"][0]["contacts"] is None
    assert not SensitiveAccess.objects.exists()
    officer = client_for(ca.users[Role.CIVIL_AFFAIRS]).get("/api/civilaffairs/partners/").json()
    assert officer["results"][0]["contacts"][0]["full_name"] == "Aminata Test-Contact"
    assert SensitiveAccess.objects.filter(user=ca.users[Role.CIVIL_AFFAIRS]).count() == 1
    alerts = client_for(ca.users[Role.CIVIL_AFFAIRS]).get("/api/civilaffairs/alerts/").json()
    assert alerts["count"] == 1 and "sender" not in alerts["results"][0]
    assert client_for(ca.users[Role.PARTNER]).get("/api/civilaffairs/alerts/").json()["count"] == 0
    assert client_for(ca.users["outsider"]).get("/api/civilaffairs/agreements/").json()["count"] == 0
    agreements = client_for(ca.users[Role.REPORTER]).get("/api/civilaffairs/agreements/").json()
    assert agreements["results"][0]["provisions"][0]["reference"] == "Art. XXVI"
    for path in ("engagements", "grievances", "provisions"):
        assert client_for(ca.users[Role.REPORTER]).get(f"/api/civilaffairs/{path}/").status_code == 200
