"""Polls that find nothing new are cheap (issue 16): the live feed and the map data answer
304 Not Modified to a repeated request when nothing the user may see has changed."""

import pytest
from django.urls import reverse

from bluehelmet.core.models import Role, Sharing
from bluehelmet.core.sensitivity import Sensitivity
from bluehelmet.incidents.models import Incident

from .test_read_query_counts import count_queries

POLLED = ["incidents:feed", "incidents:map-data"]


@pytest.mark.parametrize("url_name", POLLED)
def test_a_repeated_poll_is_not_modified_until_an_incident_is_filed(url_name, sl, users, file, client_for):
    file()
    client = client_for(users[Role.ANALYST])
    path = reverse(url_name, args=[sl.mission.acronym]) + "?since=2026-01-01T00:00:00Z"
    first = client.get(path)
    etag = first["ETag"]
    assert first.status_code == 200 and etag and "no-cache" in first["Cache-Control"]
    again = client.get(path, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert count_queries(client, path, status=304, if_none_match=etag) <= 6

    file(latitude=8.0)
    changed = client.get(path, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


@pytest.mark.parametrize("url_name", POLLED)
def test_an_edit_is_a_change(url_name, sl, users, file, client_for):
    incident = file().incident
    client = client_for(users[Role.ANALYST])
    path = reverse(url_name, args=[sl.mission.acronym])
    etag = client.get(path)["ETag"]
    incident.refresh_from_db()
    incident.narrative = "corrected"
    incident.save()
    assert client.get(path, headers={"if-none-match": etag}).status_code == 200


def test_a_report_relabelled_out_of_a_partners_sight_is_a_change(sl, users, file, client_for):
    """Even a label changed without touching `updated_at`: the partner sees one report fewer."""
    incident = file().incident
    Incident.objects.filter(pk=incident.pk).update(sharing=Sharing.PUBLIC, sensitivity=Sensitivity.GREEN)
    client = client_for(users[Role.PARTNER])
    path = reverse("incidents:map-data", args=[sl.mission.acronym])
    first = client.get(path)
    assert len(first.json()["features"]) == 1
    Incident.objects.filter(pk=incident.pk).update(sensitivity=Sensitivity.AMBER)
    answer = client.get(path, headers={"if-none-match": first["ETag"]})
    assert answer.status_code == 200 and answer.json()["features"] == []


def test_an_etag_never_matches_for_another_user(sl, users, file, client_for):
    """Two users who see the same incidents still get different ETags: a cached answer for
    one is never confirmed to the other."""
    file()
    path = reverse("incidents:map-data", args=[sl.mission.acronym])
    etag = client_for(users[Role.ANALYST]).get(path)["ETag"]
    other = client_for(users[Role.ADMINISTRATOR])
    answer = other.get(path, headers={"if-none-match": etag})
    assert answer.status_code == 200 and answer["ETag"] != etag


def test_the_feed_poll_still_does_not_count_as_activity(sl, users, file, client_for):
    """A 304 goes through the idle-timeout middleware like any poll: the session is not saved."""
    from django.contrib.sessions.models import Session

    file()
    client = client_for(users[Role.ANALYST])
    path = reverse("incidents:feed", args=[sl.mission.acronym])
    etag = client.get(path)["ETag"]
    before = Session.objects.get().session_data
    assert client.get(path, headers={"if-none-match": etag}).status_code == 304
    assert Session.objects.get().session_data == before


def test_a_gzipped_answer_is_confirmed_too(sl, users, file, client_for):
    """gzip makes the ETag weak (W/"..."): the browser sends it back as is, still a match."""
    for i in range(10):
        file(latitude=7.5 + i * 0.01)
    client = client_for(users[Role.ANALYST])
    path = reverse("incidents:map-data", args=[sl.mission.acronym])
    first = client.get(path, headers={"accept-encoding": "gzip"})
    assert first["Content-Encoding"] == "gzip" and first["ETag"].startswith("W/")
    again = client.get(path, headers={"accept-encoding": "gzip", "if-none-match": first["ETag"]})
    assert again.status_code == 304
