"""core 0010 (issue 15) folds the names of the places already stored, so a database from
before the gazetteer finds its admin areas by name at once."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bluehelmet.core.models import Place

BEFORE = [("core", "0009_place_pcode_and_outline")]


@pytest.mark.django_db(transaction=True)
def test_places_stored_before_the_gazetteer_are_searchable_after_it():
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        area = old.get_model("core", "Place").objects.create(key="adm2:CAR:Mbaïki", kind="adm2", name="Mbaïki")
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        assert Place.objects.get(pk=area.pk).search_names == "|mbaiki|"
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
