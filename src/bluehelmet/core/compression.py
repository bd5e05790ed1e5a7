"""gzip for the JSON and GeoJSON answers (the map data, the API), not for HTML pages.

Why not every response: a page that carries the CSRF token and reflects what the request
sent can leak the token byte by byte through its compressed size (BREACH). The JSON answers
carry no token, and they are the large, frequent ones (the map polls)."""

from django.middleware.gzip import GZipMiddleware

COMPRESSED_TYPES = ("application/json", "application/geo+json")


class JsonGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (which also pads each answer with random bytes against
    length guessing), for COMPRESSED_TYPES only."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type not in COMPRESSED_TYPES:
            return response
        return super().process_response(request, response)
