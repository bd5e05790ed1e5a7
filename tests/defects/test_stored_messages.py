"""Reasons stored with a record are shown in the reader's language, whatever language computed
them (issue 15, section 5: "no UCDP GED events for Sierra Leone..." stayed English in French)."""

from django.utils import translation

from bluehelmet.core.stored_text import translate_stored
from bluehelmet.importers.base import RowError
from bluehelmet.performance.effects import NO_GED_EVENTS, PROBLEMS, compute_mission_effects
from bluehelmet.performance.models import EffectEstimate


def test_a_stored_problem_is_english_and_shown_in_french(mission):
    with translation.override("fr"):  # computed from a French page
        compute_mission_effects(mission)
    estimate = EffectEstimate.objects.get(mission=mission, kind=EffectEstimate.Kind.CELL_PANEL)
    assert estimate.problem == "no deployment maps (Geo-PKO) for UNAMSIL"
    assert estimate.problem_text == "no deployment maps (Geo-PKO) for UNAMSIL"
    with translation.override("fr"):
        assert estimate.problem_text == "aucune carte de déploiement (Geo-PKO) pour UNAMSIL"


def test_the_ged_message_with_its_country_in_french():
    stored = NO_GED_EVENTS % {"countries": "Sierra Leone"}
    with translation.override("fr"):
        shown = translate_stored(stored, PROBLEMS)
    assert "Sierra Leone" in shown and shown.startswith("aucun événement UCDP GED")
    # Text that matches no known message (typed by a person) is shown as stored.
    assert translate_stored("the road was cut", PROBLEMS) == "the road was cut"


def test_an_import_error_names_its_row_in_french():
    error = RowError(row=3, column="date", value="x", message="bad")
    with translation.override("fr"):
        assert str(error).startswith("ligne 3, date:")
