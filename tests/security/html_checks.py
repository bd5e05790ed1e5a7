"""What the content security policy would refuse in an HTML page, found by parsing it: inline
script code, event-handler attributes, javascript: URLs and style attributes."""

import base64
import hashlib
from html.parser import HTMLParser

# <script> types that hold data, not code (json_script writes application/json).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href"}


class _Finder(HTMLParser):
    def __init__(self, allowed_sources):
        super().__init__(convert_charrefs=False)
        self.problems = []
        self.allowed_sources = allowed_sources
        self._inline_script = None
        self._style = None  # (line, text) while inside a <style> block

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        line = self.getpos()[0]
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"line {line}: <{tag} {name}=...> event-handler attribute")
            if name == "style":
                self.problems.append(f"line {line}: <{tag} style=...> style attribute")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"line {line}: <{tag} {name}=javascript:...>")
        if (
            tag == "script"
            and "src" not in attributes
            and (attributes.get("type") or "").lower() not in DATA_SCRIPT_TYPES
        ):
            self._inline_script = line
        if tag == "style":
            self._style = (line, [])

    def handle_data(self, data):
        if self._inline_script is not None and data.strip():
            self.problems.append(f"line {self._inline_script}: inline <script> code")
        if self._style is not None:
            self._style[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._inline_script = None
        if tag == "style" and self._style is not None:
            line, parts = self._style
            digest = base64.b64encode(hashlib.sha256("".join(parts).encode("utf-8")).digest()).decode("ascii")
            if f"'sha256-{digest}'" not in self.allowed_sources:
                self.problems.append(f"line {line}: <style> block whose hash the policy does not allow")
            self._style = None


def csp_problems(html: str, policy: str = "") -> list[str]:
    """Problems in `html`; <style> blocks pass when `policy` (the header) lists their hash."""
    finder = _Finder({token.rstrip(";") for token in policy.split()})
    finder.feed(html)
    finder.close()
    return finder.problems


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


def assert_secure_response(response, path: str, body: str) -> None:
    """Assert a response carries the strict policy and the framing/sniffing headers, and that an
    HTML page holds nothing the policy would refuse."""
    header = response.get("Content-Security-Policy", "")
    assert header, (path, "no Content-Security-Policy header")
    assert_strict_policy(header, path)
    assert response["X-Frame-Options"] == "DENY", path
    assert response["X-Content-Type-Options"] == "nosniff", path
    if "html" in response.get("Content-Type", ""):
        problems = csp_problems(body, header)
        assert not problems, (path, problems)
