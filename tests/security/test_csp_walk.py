"""Every page of the URL conf, as rendered for a mission member and a superuser, carries the
content security policy and holds nothing the policy would refuse (the machinery and data of
tests/test_access_walk.py: a new page is covered as soon as it is routed)."""

import pytest
from django.test import Client

from tests.test_access_walk import ROUTES, _body, world  # noqa: F401 (world is a fixture)

from .html_checks import csp_problems

REQUIRED_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def parse_policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_strict_policy(header: str, where: str) -> None:
    policy = parse_policy(header)
    for directive, source in REQUIRED_DIRECTIVES.items():
        assert source in policy.get(directive, []), (where, directive, header)
    for directive in ("script-src", "style-src", "default-src"):
        unsafe = {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & set(policy.get(directive, []))
        assert not unsafe, (where, directive, unsafe)


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.is_drf or r.name == "api-docs"], ids=lambda route: route.label)
def test_page_is_clean_under_the_policy(world, route):
    for user in (world.member_of_a, world.superuser):
        client = Client()
        client.force_login(user)
        response = client.get(route.paths["A"])
        assert response.status_code < 500, (route.paths["A"], response.status_code)
        header = response.get("Content-Security-Policy", "")
        assert header, (route.paths["A"], "no Content-Security-Policy header")
        assert_strict_policy(header, route.paths["A"])
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        if "html" in response.get("Content-Type", ""):
            problems = csp_problems(_body(response), header)
            assert not problems, (route.paths["A"], user.username, problems)


def test_checker_finds_what_the_policy_refuses():
    page = """<html><head><style>p { color: red }</style></head><body>
    <script>alert(1)</script><script src="/static/x.js"></script>
    <script type="application/json" id="data">{"a": 1}</script>
    <select onchange="this.form.submit()"></select><a href="javascript:void(0)">x</a>
    <span style="width: 3%"></span></body></html>"""
    problems = " | ".join(csp_problems(page))
    for expected in ("<style> block", "inline <script> code", "onchange", "javascript:", "style attribute"):
        assert expected in problems, expected
    assert len(csp_problems(page)) == 5
    clean = '<p data-share="0.4">ok</p><script src="/static/x.js"></script><script type="application/json">{}</script>'
    assert csp_problems(clean) == []
