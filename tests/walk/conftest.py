"""The walk's world, built once per module (per test worker) inside a transaction that is
rolled back at the end, so the other tests of the session never see it."""

import pytest
from django.db import transaction

from .world import build_world


@pytest.fixture(scope="module")
def walk_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
