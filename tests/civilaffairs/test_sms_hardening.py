"""The SMS gateway endpoint against a hostile sender: the secret checked before the body is
read, a bounded body, no secret in the address, believable sending times, no replays."""

import datetime
import json

import pytest
from django.utils import timezone

from bluehelmet.civilaffairs import cases
from bluehelmet.civilaffairs.models import CommunityAlert

SMS = "/api/civilaffairs/sms/"


@pytest.fixture
def gateway(ca):
    return cases.new_gateway(ca.mission, "SMSSync phone")


def _sms(client, secret, **payload):
    return client.post(SMS, payload, content_type="application/json", HTTP_X_GATEWAY_SECRET=secret)


def test_a_wrong_header_secret_is_refused_before_the_body_is_parsed(ca, client, gateway, monkeypatch):
    parsed = []
    monkeypatch.setattr(cases, "parse_sms", lambda payload: parsed.append(payload) or ({}, {}))
    response = client.post(SMS, "{not json at all", content_type="application/json", HTTP_X_GATEWAY_SECRET="guess")
    assert response.status_code == 403 and not parsed


def test_a_body_over_the_cap_is_refused_unread(ca, client, gateway, settings):
    _gw, secret = gateway
    settings.BLUEHELMET_SMS_MAX_BODY_BYTES = 1024
    response = client.post(
        SMS,
        json.dumps({"from": "+1", "message": "x" * 2000}),
        content_type="application/json",
        HTTP_X_GATEWAY_SECRET=secret,
    )
    assert response.status_code == 413 and response.json()["payload"]["success"] is False
    # The same with a wrong secret: the size is refused before anything else is looked at.
    assert (
        client.post(SMS, "y" * 2000, content_type="application/json", HTTP_X_GATEWAY_SECRET="guess").status_code == 413
    )
    assert _sms(client, secret, **{"from": "+1", "message": "short"}).status_code == 201


def test_the_default_cap_is_64_kib(ca, client, gateway):
    _gw, secret = gateway
    response = client.post(SMS, "z" * (64 * 1024 + 1), content_type="application/json", HTTP_X_GATEWAY_SECRET=secret)
    assert response.status_code == 413


def test_a_secret_in_the_address_is_refused(ca, client, gateway):
    _gw, secret = gateway
    response = client.post(
        f"{SMS}?secret={secret}", {"From": "+23277000222", "Body": "Shooting in Kenema", "MessageSid": "SM9"}
    )
    assert response.status_code == 400 and "X-Gateway-Secret" in response.json()["payload"]["error"]
    assert not CommunityAlert.objects.filter(channel="sms").exists()


def test_smssync_still_sends_the_secret_as_a_body_field(ca, client, gateway):
    _gw, secret = gateway
    assert client.post(SMS, {"from": "+1", "message": "hello", "secret": secret}).status_code == 201
    assert client.post(SMS, {"from": "+1", "message": "hello", "secret": "guess"}).status_code == 403


@pytest.mark.parametrize("timestamp", ["1", "0.5", "946684799", "1970-01-02T00:00:00Z", "4102444800"])
def test_an_implausible_sending_time_gives_the_receipt_time(ca, client, gateway, timestamp):
    _gw, secret = gateway
    before = timezone.now()
    response = _sms(client, secret, **{"from": "+1", "message": "Checkpoint burned", "sent_timestamp": timestamp})
    assert response.status_code == 201
    assert CommunityAlert.objects.get(pk=response.json()["alert"]).received_at >= before


def test_a_plausible_sending_time_is_kept(ca, client, gateway):
    _gw, secret = gateway
    response = _sms(client, secret, **{"from": "+1", "message": "Checkpoint burned", "sent_timestamp": "984123000000"})
    assert CommunityAlert.objects.get(pk=response.json()["alert"]).received_at == datetime.datetime(
        2001, 3, 9, 7, 30, tzinfo=datetime.UTC
    )


def test_a_message_without_id_replayed_with_its_sending_time_is_stored_once(ca, client, gateway):
    _gw, secret = gateway
    payload = {"from": "+23276000111", "message": "Armed men near Pendembu", "sent_timestamp": "984123000000"}
    first = _sms(client, secret, **payload)
    again = _sms(client, secret, **payload)
    assert first.status_code == 201 and again.status_code == 200 and again.json()["alert"] == first.json()["alert"]
    # Another sender, text or time is another message.
    assert _sms(client, secret, **{**payload, "from": "+23276000999"}).status_code == 201
    assert _sms(client, secret, **{**payload, "message": "Armed men near Kailahun"}).status_code == 201
    assert _sms(client, secret, **{**payload, "sent_timestamp": "984123060000"}).status_code == 201
    assert CommunityAlert.objects.filter(channel="sms").count() == 4


def test_a_message_without_id_or_time_is_recognised_within_the_window(ca, client, gateway, settings):
    gw, secret = gateway
    settings.BLUEHELMET_SMS_REPLAY_WINDOW_HOURS = 24
    payload = {"from": "+23276000111", "message": "Armed men near Pendembu"}
    first = _sms(client, secret, **payload)
    assert first.status_code == 201 and _sms(client, secret, **payload).status_code == 200
    # Another gateway of the mission stores its own copy.
    _other, other_secret = cases.new_gateway(ca.mission, "Twilio")
    assert _sms(client, other_secret, **payload).status_code == 201
    # A day later the same words are a new alert.
    CommunityAlert.objects.filter(pk=first.json()["alert"]).update(
        received_at=timezone.now() - datetime.timedelta(hours=25)
    )
    assert _sms(client, secret, **payload).status_code == 201
    assert CommunityAlert.objects.filter(gateway=gw).count() == 2


def test_request_bodies_are_capped_at_a_few_megabytes(settings):
    from bluehelmet import settings as project_settings

    assert project_settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
