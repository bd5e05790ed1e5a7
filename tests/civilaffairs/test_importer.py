"""The perception survey import: KoBoToolbox (semicolon) and ODK Central (comma) exports,
the column mapping, bad files refused with row and column, unknown places all listed."""

import pytest

from bluehelmet.civilaffairs.models import Survey, SurveyResponse
from bluehelmet.core.models import Role
from bluehelmet.importers.base import ImportFailed
from bluehelmet.importers.registry import run_import

KIND = "civilaffairs-perception"
KOBO_HEADER = "start;end;today;grp_location/place;grp_trust/trust_mission;grp_security/feel_safe;_id;_uuid;_submission_time;_index"
KOBO_ROWS = [
    "2001-02-10T09:12:01.000Z;2001-02-10T09:20:11.000Z;2001-02-10;Kenema;yes;no;101;u-1;2001-02-10T09:21:00;1",
    "2001-02-11T10:00:00.000Z;2001-02-11T10:09:00.000Z;2001-02-11;kenema;strongly_agree;dont_know;102;u-2;2001-02-11T10:10:00;2",
    "2001-05-03T08:00:00.000Z;2001-05-03T08:07:00.000Z;2001-05-03;Western Area;2;5;103;u-3;2001-05-03T08:08:00;3",
]


def _write(tmp_path, lines, name="survey.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _options(ca, **extra):
    return {
        "mission": ca.mission.acronym,
        "imported_by": ca.users[Role.CIVIL_AFFAIRS].pk,
        "survey": "Exercise survey",
        **extra,
    }


def test_kobo_export_imports_and_reimports_unchanged(ca, tmp_path):
    path = _write(tmp_path, [KOBO_HEADER, *KOBO_ROWS])
    summary = run_import(KIND, path, **_options(ca))
    assert (summary.rows, summary.created) == (3, 3)
    survey = Survey.objects.get(mission=ca.mission, name="Exercise survey")
    assert survey.trust_question == "grp_trust/trust_mission"
    answers = {r.uuid: (r.place.name, r.trust, r.security) for r in SurveyResponse.objects.filter(survey=survey)}
    assert answers == {
        "u-1": ("Kenema", True, False),
        "u-2": ("Kenema", True, None),
        "u-3": ("Western Area", False, True),
    }
    again = run_import(KIND, path, **_options(ca))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_odk_central_export_with_a_mapping(ca, tmp_path):
    path = _write(
        tmp_path,
        [
            "SubmissionDate,start,end,region,q_trust,q_safe,meta-instanceID,KEY",
            "2001-03-01T10:00:00.000Z,2001-03-01T09:00:00.000Z,2001-03-01T09:10:00.000Z,Kenema,no,yes,uuid:1,uuid:1",
        ],
    )
    summary = run_import(
        KIND,
        path,
        **_options(ca, place_column="region", date_column="start", trust_column="q_trust", security_column="q_safe"),
    )
    assert summary.created == 1
    response = SurveyResponse.objects.get()
    assert response.uuid == "uuid:1" and str(response.answered_on) == "2001-03-01" and response.trust is False


def test_unknown_places_are_all_listed_and_nothing_is_written(ca, tmp_path):
    rows = [KOBO_HEADER, *KOBO_ROWS]
    rows += [f"2001-02-12T00:00:00Z;;2001-02-12;Atlantis;yes;yes;{200 + k};x-{k};;{4 + k}" for k in range(3)]
    rows += ["2001-02-12T00:00:00Z;;2001-02-12;Narnia;yes;yes;300;y-1;;9"]
    with pytest.raises(ImportFailed) as failed:
        run_import(KIND, _write(tmp_path, rows), **_options(ca))
    errors = {e.value: e for e in failed.value.errors}
    assert set(errors) == {"Atlantis", "Narnia"}
    assert errors["Atlantis"].row == 5 and "rows: 5, 6, 7" in errors["Atlantis"].message
    assert errors["Atlantis"].column == "grp_location/place"
    assert not SurveyResponse.objects.exists() and not Survey.objects.exists()


@pytest.mark.parametrize(
    "lines,row,column",
    [
        ([KOBO_HEADER, "2001-02-10T09:12:01Z;;not-a-date;Kenema;yes;no;1;u-1;;1"], 2, "today"),
        ([KOBO_HEADER, "2001-02-10T09:12:01Z;;2001-02-10;Kenema;perhaps;no;1;u-1;;1"], 2, "grp_trust/trust_mission"),
        ([KOBO_HEADER, "2001-02-10T09:12:01Z;;2001-02-10;Kenema;yes;7;1;u-1;;1"], 2, "grp_security/feel_safe"),
        ([KOBO_HEADER, KOBO_ROWS[0], KOBO_ROWS[0]], 3, "_uuid"),
        ([KOBO_HEADER.replace("_uuid", "_other"), KOBO_ROWS[0]], 1, "_uuid"),
        ([KOBO_HEADER.replace("feel_safe", "safety"), KOBO_ROWS[0]], 1, "feel_safe"),
        ([KOBO_HEADER, "2001-02-10;Kenema;yes"], 2, ""),
    ],
)
def test_malformed_files_are_rejected_with_row_and_column(ca, tmp_path, lines, row, column):
    with pytest.raises(ImportFailed) as failed:
        run_import(KIND, _write(tmp_path, lines), **_options(ca))
    assert (failed.value.errors[0].row, failed.value.errors[0].column) == (row, column)
    assert not SurveyResponse.objects.exists()


def test_not_utf8_or_not_csv(ca, tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes((KOBO_HEADER + "\n" + KOBO_ROWS[0].replace("Kenema", "K\xe9nema") + "\n").encode("latin-1"))
    with pytest.raises(ImportFailed) as failed:
        run_import(KIND, latin, **_options(ca))
    assert "UTF-8" in failed.value.errors[0].message
    xlsx = tmp_path / "survey.xlsx"
    xlsx.write_bytes(b"PK\x03\x04rest")
    with pytest.raises(ImportFailed):
        run_import(KIND, xlsx, **_options(ca))


def test_only_permitted_roles_import(ca, tmp_path):
    path = _write(tmp_path, [KOBO_HEADER, *KOBO_ROWS])
    with pytest.raises(ImportFailed):
        run_import(KIND, path, **_options(ca, imported_by=ca.users[Role.REPORTER].pk))
    with pytest.raises(ImportFailed):
        run_import(KIND, path, mission=ca.mission.acronym, imported_by=ca.users[Role.ANALYST].pk)  # no survey name
    assert run_import(KIND, path, **_options(ca, imported_by=ca.users[Role.ANALYST].pk)).created == 3


def test_survey_page_shows_the_indicator_table(ca, tmp_path, client_for):
    run_import(KIND, _write(tmp_path, [KOBO_HEADER, *KOBO_ROWS]), **_options(ca))
    client = client_for(ca.users[Role.ANALYST])
    response = client.get(f"/missions/{ca.mission.acronym}/civilaffairs/surveys/", {"period": "quarter"})
    table = response.context["table"]
    assert [(r["place"], r["respondents"], r["trust"].yes, r["trust"].n) for r in table] == [
        ("Kenema", 2, 2, 2),
        ("Western Area", 1, 0, 1),
    ]
    csv_text = b"".join(
        client.get(f"/missions/{ca.mission.acronym}/civilaffairs/surveys/perception.csv").streaming_content
    ).decode()
    assert csv_text.splitlines()[1].startswith("Kenema,2001-01-01,2,2,2,1.0,")
