"""Missions that have ended show their end, an agreement with no end recorded says so (not
"present"), and an empty compliance chart is a short message, not a blank panel (issue 15)."""

import datetime
from pathlib import Path

import bluehelmet
from bluehelmet.core.models import Mission, Role
from bluehelmet.importers.registry import run_import
from bluehelmet.incidents.models import Agreement

MISSIONS_CSV = Path(bluehelmet.__file__).parent / "data" / "missions" / "un_pko_list_start_end_month.csv"


def test_minusma_and_unamid_have_ended(db):
    run_import("missions", MISSIONS_CSV)
    ends = dict(Mission.objects.filter(acronym__in=["MINUSMA", "UNAMID", "MINUSCA"]).values_list("acronym", "end"))
    assert ends == {"MINUSMA": datetime.date(2023, 12, 1), "UNAMID": datetime.date(2020, 12, 1), "MINUSCA": None}


def test_an_agreement_without_an_end_and_without_violations(client_for, users, mission):
    lome = Agreement.objects.create(
        mission=mission,
        name="Lomé Peace Agreement",
        signed_on=datetime.date(1999, 7, 7),
        effective_from=datetime.date(1999, 7, 7),
    )
    client = client_for(users[Role.ANALYST])
    response = client.get(f"/missions/UNAMSIL/incidents/ceasefires/{lome.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    in_force = page[page.index("<dt>In force</dt>") :].split("</dd>")[0]
    assert "no end recorded" in in_force and "present" not in in_force
    assert 'id="compliance-chart"' not in page and 'id="compliance-no-data"' in page
    page = client.get(
        f"/missions/UNAMSIL/incidents/ceasefires/{lome.pk}/", headers={"accept-language": "fr"}
    ).content.decode()
    assert "aucune fin enregistrée" in page and "Aucune violation enregistrée pour l'instant" in page
