"""403 and 404 pages: the site's frame and navigation, a reason in the user's language, the
right status, and nothing leaked (issue 15, section 5)."""

from bluehelmet.core.models import Role


def test_404_has_the_frame_a_reason_and_leaks_nothing(client_for, users, other_mission):
    client = client_for(users[Role.ANALYST])
    # MINUSCA exists but the analyst is not a member: the same answer as for no mission at all.
    for url in ("/missions/MINUSCA/events/", "/missions/NOSUCH/events/", "/no/such/page/"):
        response = client.get(url)
        assert response.status_code == 404
        # The address typed comes back only in the language form (to stay on it after switching).
        page = response.content.decode().replace(f'name="next" value="{url}"', "")
        assert 'class="site-nav"' in page and 'class="site-footer"' in page
        assert "Page not found" in page and "mission you are not a member of" in page
        assert "MINUSCA" not in page and "NOSUCH" not in page and "No such mission" not in page


def test_404_in_french(client_for, users):
    client = client_for(users[Role.ANALYST])
    response = client.get("/missions/NOSUCH/", headers={"accept-language": "fr"})
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_403_has_the_frame_and_the_gates_reason(client_for, users):
    client = client_for(users[Role.PARTNER])
    response = client.get("/missions/UNAMSIL/ddr/participants/")
    assert response.status_code == 403
    page = response.content.decode()
    assert 'class="site-nav"' in page and "Access refused" in page
    assert "Your role in this mission does not allow you to" in page
    response = client.get("/missions/UNAMSIL/ddr/participants/", headers={"accept-language": "fr"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Accès refusé" in page and "Votre rôle dans cette mission ne vous autorise pas à" in page


def test_403_without_a_gate_message_gives_a_general_reason(client_for, users):
    response = client_for(users[Role.ANALYST]).get("/audit/")
    assert response.status_code == 403
    assert "Your account does not allow you to open this page." in response.content.decode()
