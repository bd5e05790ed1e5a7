"""The gap map's filters apply by themselves (no bare "Show" button), and the audit's table
scrolls inside the page instead of widening it (issue 15, section 5)."""

from bluehelmet.core.models import Role


def test_gap_filters_apply_by_themselves(client_for, users, mission):
    page = client_for(users[Role.ANALYST]).get("/missions/UNAMSIL/humanitarian/").content.decode()
    form = page[page.index('id="gap-filters"') :].split("</form>")[0]
    assert form.count("data-autosubmit") == 3
    assert "<button" not in form.replace("<noscript>", "\0").split("\0")[0]  # the button only without script


def test_audit_table_scrolls_inside_the_page(client_for, users):
    page = client_for(users["superuser"]).get("/audit/").content.decode()
    assert '<div class="wide-table"><table class="data-table">' in page
    assert 'class="filters"' in page and 'class="form-grid"' in page
