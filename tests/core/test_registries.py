"""The registries core keeps and the apps fill (docs/adr/0003-registries.md): mission tabs and
demo steps."""

import re

import pytest

from bluehelmet.core.demo import DemoStep, demo_steps, register_demo_step
from bluehelmet.core.models import Role
from bluehelmet.core.navigation import MISSION_TABS, MissionTab, register_tab

TAB = re.compile(r'<a href="(/missions/UNAMSIL/[^"]*)"( aria-current="page")?>([^<]+)</a>')


def tabs_on(client, path):
    nav = re.search(r'<nav class="mission-nav".*?</nav>', client.get(path).content.decode(), re.S).group(0)
    return [(url, bool(current), label) for url, current, label in TAB.findall(nav)]


def test_every_area_registers_its_tab_in_order(client_for, users, mission):
    tabs = tabs_on(client_for(users[Role.DDR_OFFICER]), "/missions/UNAMSIL/")
    assert [label for _url, _current, label in tabs] == [
        "Overview",
        "Incidents",
        "Early warning",
        "Forces",
        "Elections",
        "DDR",
        "Civil affairs",
        "Humanitarian",
        "Results and impact",
    ]
    assert [current for _url, current, _label in tabs] == [True] + [False] * 8  # the overview only on itself


def test_the_current_tab_is_the_section_of_the_page(client_for, users, mission):
    tabs = tabs_on(client_for(users[Role.ANALYST]), "/missions/UNAMSIL/forces/")
    assert [label for _url, current, label in tabs if current] == ["Forces"]


def test_a_tab_that_leads_nowhere_is_hidden(client_for, users, mission):
    labels = [label for _url, _current, label in tabs_on(client_for(users[Role.PARTNER]), "/missions/UNAMSIL/")]
    assert "DDR" not in labels and "Incidents" in labels


def test_two_tabs_cannot_share_an_address():
    taken = MISSION_TABS[0]
    with pytest.raises(ValueError, match="already registered"):
        register_tab(MissionTab(order=99, label="Again", url_name=taken.url_name))
    register_tab(taken)  # the same tab again is harmless
    assert MISSION_TABS.count(taken) == 1


def test_demo_steps_run_in_stages():
    """Places and missions before the data placed in them, people before the records they
    make, performance after the areas, the search index of it all last; the areas keep the
    order they have always run in."""
    names = [step.name for step in demo_steps()]
    assert names == [
        "places-missions",
        "datasets",
        "people",
        "incidents",
        "forces",
        "earlywarning",
        "elections",
        "ddr",
        "civilaffairs",
        "humanitarian",
        "performance",
        "search",
    ]


def test_a_demo_step_name_is_registered_once():
    with pytest.raises(ValueError, match="already registered"):
        register_demo_step(DemoStep("people", 1, lambda progress: None))
