"""DDR in a real browser: a DDR officer takes a participant through every stage; an
analyst sees the aggregate figures and cannot open the record."""

import re

from playwright.sync_api import expect

from bluehelmet.core.models import Organization, SensitiveAccess


def test_officer_takes_a_participant_through_every_stage(page, log_in):
    log_in("ddr", "bluehelmet-ddr")
    page.goto("/missions/UNAMSIL/ddr/")
    page.get_by_role("link", name="Register a participant").click()
    form = page.locator("#register-form")
    form.locator("#id_category").select_option("combatant")
    form.locator("#id_full_name").fill("Browser Exercise Person")
    form.locator("#id_birth_date").fill("1987-02-01")
    form.locator("#id_faction").select_option(str(Organization.objects.get(acronym="CDF").pk))
    form.locator("#id_place").select_option(label="Kenema")
    form.locator("#id_registered_on").fill("2001-07-02")
    form.get_by_role("button", name="Register").click()
    expect(page.locator("#child-referral")).to_contain_text("child protection")
    form.locator("#id_birth_date").fill("1978-02-01")
    form.get_by_role("button", name="Register").click()
    expect(page).to_have_url(re.compile(r"/ddr/participants/\d+/$"))
    expect(page.locator("#full-name")).to_have_text("Browser Exercise Person")
    participant_url = page.url

    def submit(stage, values, button):
        section = page.locator(f"#form-{stage}")
        for name, value in values.items():
            field = section.locator(f"[name='{stage}-{name}']")
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
        section.get_by_role("button", name=button).click()

    submit(
        "disarmament",
        {"kind": "rifle", "model": "AK-47", "serial": "EX-BROWSER-1", "quantity": "1", "handed_in_on": "2001-07-03"},
        "Record",
    )
    expect(page.locator("#weapons-table")).to_contain_text("EX-BROWSER-1")
    expect(page.locator("#stage")).to_have_text("Disarmed")
    submit(
        "demobilisation",
        {
            "site": "Kenema camp (exercise)",
            "entered_on": "2001-07-05",
            "discharged_on": "2001-07-25",
            "allowance": "150",
        },
        "Save",
    )
    expect(page.locator("#stage")).to_have_text("Demobilised")
    submit(
        "reintegration",
        {
            "reinsertion_package": "Tools kit (exercise)",
            "reinsertion_on": "2001-07-26",
            "programme": "agriculture",
            "status": "completed",
            "started_on": "2001-08-01",
            "completed_on": "2002-05-01",
        },
        "Save",
    )
    expect(page.locator("#stage")).to_have_text("Reintegrated")
    submit("visits", {"visited_on": "2002-08-01", "outcome": "employed", "notes": "Farming (exercise)"}, "Record")
    expect(page.locator("#visits-table")).to_contain_text("Farming (exercise)")

    page.context.clear_cookies()
    log_in("analyst", "bluehelmet-analyst")
    response = page.goto(participant_url)
    assert response.status == 403
    expect(page.locator("body")).not_to_contain_text("Browser Exercise Person")
    page.goto("/missions/UNAMSIL/ddr/")
    expect(page.locator("#funnel")).to_contain_text("Reintegrated")
    expect(page.locator("body")).not_to_contain_text("Browser Exercise Person")
    expect(page.get_by_role("link", name="Participants")).to_have_count(0)
    pk = participant_url.rstrip("/").rsplit("/", 1)[-1]
    assert not SensitiveAccess.objects.filter(record_id=pk, user__username="analyst").exists()
    assert SensitiveAccess.objects.filter(record_id=pk, user__username="ddr", action="view").exists()


def test_typing_in_the_faction_box_narrows_the_list(page, log_in):
    """Issue 15: UNAMSIL's factions are Sierra Leone's (no LRA, no Janjaweed), and typing in
    the box above the list hides the factions whose name does not match."""
    log_in("ddr", "bluehelmet-ddr")
    page.goto("/missions/UNAMSIL/ddr/participants/new/")
    faction = page.locator("#id_faction")
    names = faction.locator("option").all_inner_texts()
    assert "Civil Defence Forces (CDF)" in names and "Revolutionary United Front (RUF)" in names
    assert not any("LRA" in name or "Janjaweed" in name for name in names)
    box = page.get_by_role("searchbox", name="Filter the list by name")
    box.fill("civil def")
    shown = faction.locator("option:not([hidden]):not([value=''])")
    expect(shown).to_have_count(1)
    expect(shown).to_have_text("Civil Defence Forces (CDF)")
    expect(page.locator("#id_faction_filter_status")).to_contain_text(f"1 of {len(names) - 1} shown")
    box.fill("")
    expect(faction.locator("option[hidden]")).to_have_count(0)
