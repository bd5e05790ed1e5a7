"""Blue Helmet in French, in a real browser: the language switcher, then the key workflows of
a francophone mission: report an incident, read the risk map, follow the results framework.
Scripts build part of these pages (map layers, popups, charts): their words are checked too."""

import re

from playwright.sync_api import expect

from bluehelmet.core.demo import DEMO_USERS

ANALYST = next(u for u in DEMO_USERS if u.username == "analyst")
REPORTER = next(u for u in DEMO_USERS if u.username == "reporter")


def switch_to_french(page):
    """Use the switcher in the page header, as a person would."""
    page.locator("#language-select").select_option("fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_reporter_files_an_incident_in_french(page, log_in):
    log_in(REPORTER.username, REPORTER.password)
    page.goto("/missions/UNAMSIL/incidents/")
    switch_to_french(page)
    expect(page).to_have_url(re.compile(r"/missions/UNAMSIL/incidents/$"))  # the switcher comes back to the page
    expect(page.locator("nav.site-nav")).to_contain_text("Missions")
    expect(page.locator("body")).to_contain_text("Incidents")

    page.get_by_role("link", name="Signaler un incident").first.click()
    expect(page.locator("h1, h2").filter(has_text="Signaler un incident").first).to_be_visible()
    # A refused report says what is wrong, in French, and keeps what was typed.
    page.fill("#id_narrative", "EXERCICE : tirs entendus près de Kenema (navigateur).")
    page.locator("#id_latitude").evaluate(
        "el => { el.removeAttribute('required'); el.removeAttribute('min'); el.removeAttribute('max'); }"
    )
    page.fill("#id_latitude", "123")
    page.locator("#report-form").evaluate("form => form.noValidate = true")
    page.click("#report-form button[type=submit]")
    expect(page.locator(".field-error").first).to_be_visible()
    errors = " ".join(page.locator(".field-error").all_inner_texts())
    assert "obligatoire" in errors or "inférieure" in errors or "supérieure" in errors, errors
    expect(page.locator("#id_narrative")).to_have_value("EXERCICE : tirs entendus près de Kenema (navigateur).")

    page.select_option("#id_type", "ceasefire-violation")
    page.fill("#id_latitude", "7.8767")
    page.fill("#id_longitude", "-11.1875")
    page.fill("#id_killed_civilian", "0")
    page.fill("#id_injured_combatant", "1")
    page.select_option("#id_source-kind", "un_personnel")
    page.select_option("#id_source-reliability", "B")
    page.select_option("#id_source-credibility", "2")
    page.fill("#id_source-identity", "Chef de patrouille (fictif)")
    page.get_by_role("button", name="Envoyer le signalement").click()
    page.wait_for_url(re.compile(r"/incidents/\d+/$"))
    number = re.search(r"/incidents/(\d+)/$", page.url).group(1)
    expect(page.locator("body")).to_contain_text(f"Signalement n° {number} enregistré.")
    expect(page.locator("#history")).to_contain_text("Historique")
    expect(page.locator("#history")).to_contain_text("Signalé")


def test_analyst_reads_the_risk_map_in_french(page, log_in):
    log_in(ANALYST.username, ANALYST.password)
    page.goto("/missions/MINUSCA/risk/")
    switch_to_french(page)
    expect(page.locator("#risk-map-panel h2")).to_contain_text("Probabilité d'au moins un mort")
    expect(page.locator("#risk-map[data-loaded]")).to_be_attached()
    # The layer names and the popups come from the script, with the template's labels.
    layers = page.locator("#risk-map .leaflet-control-layers")
    expect(layers).to_contain_text("cellules PRIO-GRID")
    expect(layers).to_contain_text("Zones administratives")
    page.locator("path.risk-cell").first.click(force=True)
    expect(page.locator(".leaflet-popup-content")).to_contain_text("P(au moins 1 mort)")
    page.locator("#top-areas .unit-link").first.click()
    expect(page.locator("#unit-drivers")).to_contain_text("Principaux facteurs")


def test_analyst_follows_the_results_framework_in_french(page, log_in):
    log_in(ANALYST.username, ANALYST.password)
    page.goto("/missions/UNAMSIL/performance/")
    switch_to_french(page)
    results = page.locator("#results")
    expect(results.locator("h2").first).to_have_text("Cadre de résultats")
    expect(results.locator("table.indicators th").filter(has_text="Indicateur").first).to_be_visible()
    # One indicator, its page and its chart, still in French.
    results.locator("table.indicators a").first.click()
    expect(page).to_have_url(re.compile(r"/performance/indicators/\d+/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("canvas").first).to_be_visible()
    # Back to English with the same switcher.
    page.locator("#language-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
