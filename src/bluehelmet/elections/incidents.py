"""Election-day incidents: filed through the incidents area (incidents.reports) so they get
its verification, alerts and history, and tagged with the round (ElectionIncident)."""

from django.db import transaction

from bluehelmet.incidents.reports import Submission, submit_report

from .models import ElectionIncident

DEFAULT_TYPE = "election-violence"


def report_election_incident(user, round_, station, data) -> Submission:
    """`data` holds the incident report's fields (type, occurred_at, narrative, source-...);
    the place is the station's centre. The incident and its tag are stored together."""
    values = data.copy()
    if station is not None:
        place = {
            "latitude": station.centre.latitude,
            "longitude": station.centre.longitude,
            "location_description": f"{station.centre.name}, station {station.code}",
        }
        for name, value in place.items():  # item assignment replaces, also in a QueryDict
            values[name] = value
    with transaction.atomic():
        outcome = submit_report(user, round_.election.mission, values)
        if outcome.ok:
            ElectionIncident.objects.get_or_create(
                incident=outcome.incident, defaults={"round": round_, "station": station}
            )
    return outcome


def round_incidents(user, round_):
    from bluehelmet.incidents.feed import mission_incidents

    return (
        mission_incidents(user, round_.election.mission)
        .filter(election_link__round=round_)
        .select_related("type", "election_link__station")
    )
