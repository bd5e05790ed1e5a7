"""Search everywhere (core.search): French and English stemming and accents on the database's
own full-text engine (SQLite FTS5 or PostgreSQL), the gate (partners, TLP:RED), the index kept
up to date on edit and delete, the reindex command, the page and the API, and its query count."""

import datetime
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bluehelmet.core import gate, search
from bluehelmet.core.models import Place, Role, SearchEntry, Sharing
from bluehelmet.core.search import Query, terms_of, words
from bluehelmet.core.sensitivity import Sensitivity
from bluehelmet.incidents.models import Attachment, Incident, IncidentType
from bluehelmet.performance.models import Lesson

from ..factories import make_user


def make_incident(mission, narrative, *, sensitivity=Sensitivity.GREEN, sharing=Sharing.PUBLIC, by=None, **extra):
    kind, _created = IncidentType.objects.get_or_create(mission=mission, code="attack", defaults={"name": "Other"})
    return Incident.objects.create(
        mission=mission,
        client_id=uuid.uuid4(),
        type=kind,
        occurred_at=timezone.now() - datetime.timedelta(days=1),
        latitude=8.4,
        longitude=-11.8,
        narrative=narrative,
        sensitivity=sensitivity,
        sharing=sharing,
        reported_by=by,
        **extra,
    )


def found(user, text, **options):
    """(kind, title) of what `user` finds for `text` in all their missions."""
    from bluehelmet.core.access import missions_for

    accesses = [gate.access(user, mission) for mission in missions_for(user)]
    results = search.search(user, accesses, text, **options)
    search.describe(results, results.hits)
    return [(hit.kind.name, hit.title_text) for hit in results.hits]


def found_ids(user, text, kind="incidents.incident"):
    from bluehelmet.core.access import missions_for

    accesses = [gate.access(user, mission) for mission in missions_for(user)]
    return {hit.object_id for hit in search.search(user, accesses, text).hits if hit.kind.name == kind}


# --- words ------------------------------------------------------------------------------------------


def test_words_are_folded_and_split_at_apostrophes():
    assert words("M'Baïki, BANGUI") == ["m", "baiki", "mbaiki", "bangui"]
    assert words("l’attaque d'hier") == ["l", "attaque", "lattaque", "d", "hier", "dhier"]


def test_french_and_english_plurals_and_endings_stem_alike():
    for typed, written in [
        ("attaques", "attaque"),
        ("villages", "village"),
        ("attacked", "attacks"),
        ("déplacés", "deplace"),
        ("Ménages", "ménage"),
    ]:
        query = Query.parse(typed)
        assert any(query.matches(word) for word in words(written)), (typed, written)
    assert not Query.parse("pillage").matches("village")


def test_a_query_of_one_letter_is_too_short_and_operators_are_plain_text():
    assert Query.parse("a").too_short and Query.parse("  ").too_short and Query.parse("«»").too_short
    assert not Query.parse("ab").too_short
    query = Query.parse('NEAR("x" OR y) AND -z*')
    assert '"near"*' in query.fts5() and "AND" in query.fts5()
    assert "'" not in terms_of("l'attaque") and "lattaqu" in terms_of("l'attaque")


# --- the engine: accents and stemming, in French and English ---------------------------------------


@pytest.mark.django_db
def test_accents_and_stemming_in_french_and_english(mission, users):
    french = make_incident(mission, "Attaque du village de Mbaïki par des hommes armés; ménages déplacés.")
    english = make_incident(mission, "Armed men attacked two villages near Bangui and looted the market.")
    analyst = users[Role.ANALYST]
    assert found_ids(analyst, "attaques") == {french.pk}
    assert found_ids(analyst, "ATTAQUE mbaiki") == {french.pk}
    assert found_ids(analyst, "Mbaïki") == found_ids(analyst, "MBAIKI") == {french.pk}
    assert found_ids(analyst, "l'attaque") == {french.pk}
    assert found_ids(analyst, "déplacé") == found_ids(analyst, "deplaces") == {french.pk}
    assert found_ids(analyst, "village") == {french.pk, english.pk}
    assert found_ids(analyst, "villages") == {french.pk, english.pk}
    assert found_ids(analyst, "attacks") == {english.pk}
    assert found_ids(analyst, "bangui") == found_ids(analyst, "Bangui loot") == {english.pk}
    assert found_ids(analyst, "vill") == {french.pk, english.pk}  # a word being typed
    assert found_ids(analyst, "village paris") == set()  # every word must match


@pytest.mark.django_db
def test_places_of_the_gazetteer_are_found_by_any_name_without_accents(mission, country, users):
    area = Place.objects.create(key="sl:kono", kind=Place.Kind.ADM1, name="Kono", parent=country, country=country)
    Place.objects.create(
        key="geonames:1",
        kind=Place.Kind.LOCALITY,
        name="Koïdu",
        parent=area,
        country=country,
        latitude=8.6,
        longitude=-11.0,
    )
    Place.objects.create(key="site:koidu", kind=Place.Kind.SITE, name="Koidu camp", parent=area, country=country)
    hits = found(users[Role.PARTNER], "koidu")
    assert hits == [("core.place", "Koïdu")]  # sites are not searched as places
    results = search.search(users[Role.PARTNER], [gate.access(users[Role.PARTNER], mission)], "koidu")
    search.describe(results, results.hits)
    assert results.hits[0].snippet_text == "Kono, Sierra Leone"
    assert results.hits[0].url == f"/missions/UNAMSIL/incidents/list/?place={results.hits[0].object_id}"


# --- the gate -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_partner_finds_only_what_is_shared_with_them(mission, users):
    shared = make_incident(mission, "Roadblock near Makeni", sharing=Sharing.PUBLIC, sensitivity=Sensitivity.GREEN)
    make_incident(mission, "Roadblock near Makeni, staff only", sharing=Sharing.MISSION, sensitivity=Sensitivity.GREEN)
    make_incident(mission, "Roadblock near Makeni, amber", sharing=Sharing.PUBLIC, sensitivity=Sensitivity.AMBER)
    Attachment.objects.create(incident=shared, name="roadblock-photo.jpg", file="x.jpg")
    Lesson.objects.create(
        mission=mission,
        title="Roadblocks shared",
        observation="o",
        lesson="l",
        date="2001-01-01",
        sharing=Sharing.PUBLIC,
    )
    Lesson.objects.create(mission=mission, title="Roadblocks internal", observation="o", lesson="l", date="2001-01-01")
    partner, reporter = users[Role.PARTNER], users[Role.REPORTER]
    assert found_ids(partner, "roadblock") == {shared.pk}
    assert sorted(title for kind, title in found(partner, "roadblock") if kind != "incidents.incident") == [
        "Roadblocks shared"
    ]  # no attachment: partners see no files
    assert len(found_ids(reporter, "roadblock")) == 3
    assert ("incidents.attachment", "roadblock-photo.jpg") in found(reporter, "roadblock")
    assert len(found(reporter, "roadblocks")) == 6


@pytest.mark.django_db
def test_a_red_report_is_found_only_by_those_who_may_read_it(mission, users, client_for):
    reporter, analyst = users[Role.REPORTER], users[Role.ANALYST]
    author = make_user("author", mission, Role.REPORTER)
    red = make_incident(
        mission, "Informant Quarshie named the zanzibarite cache", sensitivity=Sensitivity.RED, by=author
    )
    assert found_ids(reporter, "zanzibarite") == set()
    assert found_ids(analyst, "zanzibarite") == {red.pk}
    assert found_ids(author, "zanzibarite") == {red.pk}  # the one who recorded it
    page = client_for(reporter).get("/search/", {"q": "zanzibarite"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Quarshie" not in text and f"#{red.pk}" not in text and "0 results" in text
    answer = client_for(reporter).get("/api/search/", {"q": "zanzibarite quarshie"}).json()
    assert answer["count"] == 0 and answer["counts"] == {} and answer["results"] == []
    answer = client_for(analyst).get("/api/search/", {"q": "zanzibarite quarshie"}).json()
    assert answer["count"] == 1 and "<mark>" not in answer["results"][0]["snippet"]
    assert "Quarshie" in answer["results"][0]["snippet"]


@pytest.mark.django_db
def test_another_missions_records_are_never_found(mission, other_mission, users):
    make_incident(other_mission, "Ambush at Ndele", sensitivity=Sensitivity.CLEAR)
    mine = make_incident(mission, "Ambush at Kenema", sensitivity=Sensitivity.CLEAR)
    assert found_ids(users[Role.ANALYST], "ambush") == {mine.pk}
    assert found_ids(users["outsider"], "ambush") == set()
    assert len(found_ids(users["superuser"], "ambush")) == 2


# --- the index kept up to date --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_index_follows_edits_and_deletes(mission, users):
    analyst = users[Role.ANALYST]
    incident = make_incident(mission, "Cattle raid at Kailahun")
    assert found_ids(analyst, "cattle") == {incident.pk}
    incident.narrative = "Goats stolen at Kailahun"
    incident.save()
    assert found_ids(analyst, "cattle") == set() and found_ids(analyst, "goat") == {incident.pk}
    incident.sensitivity = Sensitivity.RED  # the gate reads the record, not the index
    incident.save(update_fields=["sensitivity"])
    assert found_ids(users[Role.REPORTER], "goat") == set()
    pk = incident.pk
    incident.delete()
    assert not SearchEntry.objects.filter(kind="incidents.incident", object_id=pk).exists()
    assert found_ids(analyst, "goat") == set()


@pytest.mark.django_db
def test_a_record_left_in_the_index_is_not_shown_once_gone(mission, users):
    incident = make_incident(mission, "Stale report at Bo")
    Incident.objects.filter(pk=incident.pk).update(sensitivity=Sensitivity.RED)  # no signal
    assert found_ids(users[Role.REPORTER], "stale") == set()


@pytest.mark.django_db
def test_the_reindex_command_rebuilds_the_index(mission, users, capsys):
    incident = make_incident(mission, "Bridge blown up at Mange")
    Incident.objects.filter(pk=incident.pk).update(narrative="Ferry sunk at Mange")  # as a bulk import: no signal
    SearchEntry.objects.create(kind="incidents.incident", object_id=10**9, mission=mission, title="gone", terms="ferri")
    SearchEntry.objects.create(kind="retired.kind", object_id=1, title="old", terms="ferri")
    assert found_ids(users[Role.ANALYST], "ferry") == set()
    call_command("reindex")
    assert found_ids(users[Role.ANALYST], "ferry") == {incident.pk}
    assert found_ids(users[Role.ANALYST], "bridge") == set()
    assert not SearchEntry.objects.filter(object_id=10**9).exists()
    assert not SearchEntry.objects.filter(kind="retired.kind").exists()
    out = capsys.readouterr().out
    assert "incidents.incident: 1" in out and "Indexed" in out
    call_command("reindex", "incidents.incident")
    with pytest.raises(Exception, match="Unknown kind"):
        call_command("reindex", "nope.nothing")


# --- the page and the API -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_groups_filters_highlights_and_explains(mission, other_mission, users, client_for):
    analyst = users[Role.ANALYST]
    from bluehelmet.core.models import Membership

    Membership.objects.create(user=analyst, mission=other_mission, role=Role.ANALYST)
    make_incident(mission, "Looting of the <b>market</b> at Kenema")
    make_incident(other_mission, "Looting in Bria")
    Lesson.objects.create(mission=mission, title="Looting prevention", observation="o", lesson="l", date="2001-01-01")
    client = client_for(analyst)
    empty = client.get("/search/")
    assert empty.status_code == 200 and "Accents and word endings do not matter" in empty.content.decode()
    short = client.get("/search/", {"q": "a"})
    assert short.status_code == 400 and "Type at least 2 letters" in short.content.decode()
    page = client.get("/search/", {"q": "looted markets"})
    text = page.content.decode()
    assert page.status_code == 200 and "1 result for" in text
    assert "<mark>Looting</mark> of the &lt;b&gt;<mark>market</mark>&lt;/b&gt;" in text  # escaped, highlighted
    page = client.get("/search/", {"q": "looting"})
    text = page.content.decode()
    assert "3 results" in text and "Incidents (2)" in text and "Lessons learned (1)" in text
    only = client.get("/search/", {"q": "looting", "mission": "MINUSCA"}).content.decode()
    assert "1 result for" in only and "Bria" in only and "Kenema" not in only
    kind = client.get("/search/", {"q": "looting", "kind": "performance.lesson"})
    assert kind.status_code == 200, kind.context["form"].errors
    kind = kind.content.decode()
    assert "<mark>Looting</mark> prevention" in kind and "Kenema" not in kind
    bad = client.get("/search/", {"q": "looting", "mission": "UNMIL"})
    assert bad.status_code == 400
    french = client.get("/search/", {"q": "a"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Tapez au moins 2 lettres" in french.content.decode()


@pytest.mark.django_db
def test_the_api_answers_json_and_field_errors(mission, users, client_for):
    incident = make_incident(mission, "Checkpoint incident at Lunsar")
    client = client_for(users[Role.REPORTER])
    answer = client.get("/api/search/", {"q": "checkpoints"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 1 and body["counts"] == {"incidents.incident": 1}
    assert body["results"][0] | {"snippet": ""} == {
        "kind": "incidents.incident",
        "kind_label": "Incidents",
        "mission": "UNAMSIL",
        "id": incident.pk,
        "title": f"#{incident.pk} Other, {incident.occurred_at:%Y-%m-%d}",
        "snippet": "",
        "url": f"/missions/UNAMSIL/incidents/{incident.pk}/",
    }
    for params in ({}, {"q": ""}):  # nothing asked: nothing found, and why
        answer = client.get("/api/search/", params)
        assert answer.status_code == 200 and answer.json()["results"] == [] and answer.json()["detail"]
    assert client.get("/api/search/", {"q": "x"}).json() == {"q": ["Type at least 2 letters to search."]}
    assert "kind" in client.get("/api/search/", {"q": "checkpoint", "kind": "nope"}).json()
    assert client.get("/api/search/", {"q": "checkpoint", "page": "zz"}).json()["page"] == 1


# --- cost ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 40])
def test_a_search_costs_a_bounded_number_of_queries(mission, other_mission, users, client_for, count):
    analyst = users[Role.ANALYST]
    from bluehelmet.core.models import Membership

    Membership.objects.create(user=analyst, mission=other_mission, role=Role.ANALYST)
    for n in range(count):
        make_incident(mission if n % 2 else other_mission, f"Convoy ambushed near Bo number {n}")
        Lesson.objects.create(
            mission=mission, title=f"Convoy escort {n}", observation="o", lesson="l", date="2001-01-01"
        )
    client = client_for(analyst)
    client.get("/search/", {"q": "warm"})  # the per-process caches and the stale-job sweep

    def statements(queries):  # a test runs in a transaction: its savepoints are not the page's
        return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]

    for params in ({"q": "convoy"}, {"q": "convoy", "kind": "incidents.incident"}):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/search/", params).status_code == 200
        assert len(statements(queries)) <= 12, "\n".join(statements(queries))
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/search/", {"q": "convoy"}).json()["count"] == 2 * count
    assert len(statements(queries)) <= 12, "\n".join(statements(queries))
