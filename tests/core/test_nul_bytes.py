"""A NUL byte in a query string is a clear 400 everywhere (PostgreSQL would refuse it in a
filter and turn it into a 500)."""


def test_nul_byte_in_a_query_parameter_is_a_400(client_for, users, mission):
    client = client_for(users["analyst"])
    response = client.get(f"/missions/{mission.acronym}/incidents/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_nul_byte_in_a_parameter_name_is_a_400_for_the_api_too(client_for, users):
    client = client_for(users["analyst"])
    assert client.get("/api/incidents/", {"x\x00": "1"}).status_code == 400


def test_ordinary_query_strings_pass(client_for, users, mission):
    client = client_for(users["analyst"])
    assert client.get(f"/missions/{mission.acronym}/incidents/", {"q": "Kenema"}).status_code == 200
