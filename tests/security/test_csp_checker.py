"""The checker that tests/walk/test_walk.py runs on every page of the URL conf (as a mission
member and as a superuser): it must find what the content security policy refuses."""

from .html_checks import csp_problems


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
