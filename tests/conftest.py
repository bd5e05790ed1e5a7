"""Shared fixtures: a mission in a host country, and one user per role."""

import pytest
from django.contrib.auth import get_user_model

from bluehelmet.core.models import Membership, Mission, Place, Role

PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def country(db):
    return Place.objects.create(key="country:Sierra Leone", kind=Place.Kind.COUNTRY, name="Sierra Leone", code="451")


@pytest.fixture
def other_country(db):
    return Place.objects.create(key="country:Central African Republic", kind=Place.Kind.COUNTRY, name="Central African Republic", code="482")


@pytest.fixture
def mission(country):
    m = Mission.objects.create(acronym="UNAMSIL", name="United Nations Mission in Sierra Leone")
    m.host_countries.add(country)
    return m


@pytest.fixture
def other_mission(other_country):
    m = Mission.objects.create(acronym="MINUSCA", name="United Nations Multidimensional Integrated Stabilization Mission in the Central African Republic")
    m.host_countries.add(other_country)
    return m


def make_user(username, mission=None, role=None, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if mission is not None:
        Membership.objects.create(user=user, mission=mission, role=role)
    return user


@pytest.fixture
def users(mission):
    """One user per role in `mission`, plus a superuser and a user with no mission."""
    made = {role: make_user(role, mission, role) for role in Role.values}
    made["superuser"] = make_user("root", is_superuser=True, is_staff=True)
    made["outsider"] = make_user("outsider")
    return made


@pytest.fixture
def client_for(client):
    """Log the test client in as a given user."""

    def login(user):
        client.force_login(user)
        return client

    return login
