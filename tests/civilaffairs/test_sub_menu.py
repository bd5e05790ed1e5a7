"""The civil affairs sub-menu marks the current section, on its list and on its records'
pages (issue 15: it showed no current page)."""

import re


def _current(page: str) -> list[str]:
    nav = page[page.index('aria-label="Civil affairs sections"') :].split("</nav>")[0]
    return re.findall(r'aria-current="page">([^<]+)</a>', nav)


def test_the_current_section_is_marked(client_for, users, ca):
    client = client_for(users["civil_affairs"])
    base = f"/missions/{ca.mission.acronym}/civilaffairs/"
    assert _current(client.get(base).content.decode()) == ["Overview"]
    assert _current(client.get(base + "list/partners/").content.decode()) == ["Partners"]
    assert _current(client.get(base + f"partners/{ca.partner.pk}/").content.decode()) == ["Partners"]
    assert _current(client.get(base + "list/grievances/").content.decode()) == ["Grievances"]
    assert _current(client.get(base + "surveys/").content.decode()) == ["Perception surveys"]


def test_the_sub_menu_is_styled_on_every_area(client_for, users, ca):
    """The .sub-nav rules live in the site's stylesheet, not only in some areas' own."""
    from pathlib import Path

    import bluehelmet

    css = (Path(bluehelmet.__file__).parent / "static/css/bluehelmet.css").read_text()
    assert '.sub-nav a[aria-current="page"]' in css and ".filters .form-grid" in css and ".wide-table" in css
