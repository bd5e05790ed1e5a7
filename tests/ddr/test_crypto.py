import datetime

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection

from bluehelmet.core import crypto
from bluehelmet.ddr import cases
from bluehelmet.ddr.models import Participant

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def raw_columns(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name, birth_date, duplicate_key FROM ddr_participant WHERE id = %s", [pk])
        return cursor.fetchone()


def test_round_trip_and_normalise(settings):
    settings.BLUEHELMET_FIELD_KEYS = [OLD]
    assert crypto.decrypt(crypto.encrypt("Aminata Kamara")) == "Aminata Kamara"
    assert crypto.normalise(" Amínata  KAMARA. ", "1980-01-02") == crypto.normalise("aminata kamara", "1980-01-02")
    assert crypto.lookup_hash("a", 1) != crypto.lookup_hash("a", 2)


def test_personal_data_is_encrypted_at_rest(settings, mission, registration):
    settings.BLUEHELMET_FIELD_KEYS = [OLD]
    person = cases.register(AnonymousUser(), mission, registration)
    name, born, key = raw_columns(person.pk)
    assert "Exercise" not in name and "1975" not in born and "Exercise" not in key
    fresh = Participant.objects.get(pk=person.pk)
    assert (fresh.full_name, fresh.birth_date, fresh.phone) == (
        "Exercise Person One",
        datetime.date(1975, 3, 2),
        "+232 00 000 000",
    )


def test_key_rotation(settings, mission, registration):
    settings.BLUEHELMET_FIELD_KEYS = [OLD]
    person = cases.register(AnonymousUser(), mission, registration)
    settings.BLUEHELMET_FIELD_KEYS = [NEW, OLD]
    assert Participant.objects.get(pk=person.pk).full_name == "Exercise Person One"
    # Before the rewrite the duplicate check still finds the row hashed under the old key.
    assert (
        cases.find_duplicate(mission, "exercise person one", registration["birth_date"], registration["faction"].pk)
        == person
    )
    call_command("reencrypt_fields", stdout=open("/dev/null", "w"))
    settings.BLUEHELMET_FIELD_KEYS = [NEW]
    assert Participant.objects.get(pk=person.pk).full_name == "Exercise Person One"
    assert (
        cases.find_duplicate(mission, "Exercise Person One", registration["birth_date"], registration["faction"].pk)
        == person
    )
    with pytest.raises(InvalidToken):
        Fernet(OLD.encode()).decrypt(raw_columns(person.pk)[0].encode())


def test_unknown_key_reads_as_none(settings, mission, registration):
    settings.BLUEHELMET_FIELD_KEYS = [OLD]
    person = cases.register(AnonymousUser(), mission, registration)
    settings.BLUEHELMET_FIELD_KEYS = [NEW]
    assert Participant.objects.get(pk=person.pk).full_name is None


def test_generated_key_when_none_configured(settings, tmp_path):
    settings.BLUEHELMET_FIELD_KEYS = []
    settings.HOME = tmp_path
    first = crypto.field_keys()
    assert first == crypto.field_keys() and (tmp_path / "field_key").exists()
    settings.BLUEHELMET_FIELD_KEYS = [NEW, OLD]  # configured keys win over the generated one
    assert crypto.field_keys() == (NEW, OLD)
