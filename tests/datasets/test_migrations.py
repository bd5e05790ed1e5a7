"""Reference data moved from incidents and forces to `datasets` keeping its tables (issue 14):
a database migrated before the move keeps every row, the rows read through the new models,
and the content types (which history entries, lesson links and permissions point at) are the
same rows, relabelled."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bluehelmet.core.models import Mission, Organization
from bluehelmet.datasets import models as datasets

from ..factories import make_country

MOVED = {
    "incidents": ("conflictevent", "conflictmonth"),
    "forces": ("deployment", "deploymentcontribution", "siteyear", "missionstrength"),
}
TABLES = {
    "incidents_conflictevent",
    "incidents_conflictmonth",
    "forces_deployment",
    "forces_deploymentcontribution",
    "forces_siteyear",
    "forces_missionstrength",
}


BEFORE_THE_MOVE = [("incidents", "0005_derived_records_labels"), ("forces", "0004_verbose_names")]


def migrate(targets):
    MigrationExecutor(connection).migrate(targets)
    ContentType.objects.clear_cache()


def state_before_the_move():
    return MigrationExecutor(connection).loader.project_state(BEFORE_THE_MOVE).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_the_models_keep_their_tables():
    assert {
        model._meta.db_table
        for model in (
            datasets.ConflictEvent,
            datasets.ConflictMonth,
            datasets.Deployment,
            datasets.DeploymentContribution,
            datasets.SiteYear,
            datasets.MissionStrength,
        )
    } == TABLES


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_its_rows_and_content_types():
    country = make_country("Sierra Leone")
    mission = Mission.objects.create(acronym="UNAMSIL", name="United Nations Mission in Sierra Leone")
    ghana = Organization.objects.create(name="Ghana", kind=Organization.Kind.MEMBER_STATE)
    month = datetime.date(2001, 3, 1)
    try:
        # Back to before the move: the models are incidents' and forces' again.
        migrate([("datasets", None)])  # and what depends on it: incidents 0006, forces 0005
        old = state_before_the_move()
        assert old.get_model("incidents", "ConflictEvent")._meta.db_table == "incidents_conflictevent"
        old_types = {
            (app, model): ContentType.objects.get(app_label=app, model=model).pk
            for app, models in MOVED.items()
            for model in models
        }
        assert not ContentType.objects.filter(app_label="datasets").exists()
        event = old.get_model("incidents", "ConflictEvent").objects.create(
            ged_id=36210,
            year=2001,
            type_of_violence=3,
            latitude=7.96,
            longitude=-11.74,
            country_name="Sierra Leone",
            country_id=country.pk,
            date_start=month,
            date_end=month,
            best=7,
        )
        old.get_model("incidents", "ConflictMonth").objects.create(
            conflict_id=187, country_id=country.pk, month=month, osv_all=12.0, mission_id=mission.pk
        )
        deployment = old.get_model("forces", "Deployment").objects.create(
            mission_id=mission.pk, site_id=country.pk, month=month, troops=650
        )
        old.get_model("forces", "DeploymentContribution").objects.create(
            deployment_id=deployment.pk, country_id=ghana.pk, troops=650
        )
        old.get_model("forces", "SiteYear").objects.create(mission_id=mission.pk, site_id=country.pk, year=2001)
        old.get_model("forces", "MissionStrength").objects.create(
            mission_id=mission.pk, month=month, authorised_troops=9760, troops=560
        )

        migrate(latest())

        assert datasets.ConflictEvent.objects.get(pk=event.pk).ged_id == 36210
        assert datasets.ConflictMonth.objects.get(conflict_id=187).mission == mission
        moved = datasets.Deployment.objects.get(pk=deployment.pk)
        assert moved.troops == 650 and [c.country for c in moved.contributions.all()] == [ghana]
        assert datasets.SiteYear.objects.filter(mission=mission, year=2001).count() == 1
        assert datasets.MissionStrength.objects.get(mission=mission).troop_shortfall == 9760 - 560
        # The same content type rows, now labelled datasets: nothing pointing at them is lost.
        for (app, model), pk in old_types.items():
            relabelled = ContentType.objects.get(pk=pk)
            assert (relabelled.app_label, relabelled.model) == ("datasets", model), app
            assert relabelled.model_class() is not None
        assert not ContentType.objects.filter(app_label__in=MOVED, model__in=sum(MOVED.values(), ())).exists()
    finally:
        migrate(latest())
