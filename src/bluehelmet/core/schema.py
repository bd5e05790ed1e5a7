"""The API's OpenAPI schema documents the error answers every operation can give.

drf-spectacular documents the success answers only; but any operation refuses a caller
who is not logged in (401) or lacks the role (403), one that names a record answers 404
when the record is not there or not visible, and one that takes input (query filters,
a body) answers 400 with field-level errors. Without these, a client generated from the
schema (or a schemathesis run) meets answers the schema says cannot happen.
"""

from drf_spectacular.openapi import AutoSchema

DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
# Field-level errors: {"field": ["message", ...], "non_field_errors": [...]}, nested for
# nested input, or {"detail": "..."} for errors that are not about one field.
FIELD_ERRORS = {"type": "object", "additionalProperties": {}}


def _error(description: str, schema: dict, media_types) -> dict:
    return {"description": description, "content": {media_type: {"schema": schema} for media_type in media_types}}


class ErrorDocumentingAutoSchema(AutoSchema):
    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        # An error is rendered like a success, in the media type the caller asked for
        # (?format=geojson gives a GeoJSON-typed 404).
        media_types = sorted(
            {
                media_type
                for code, response in responses.items()
                if str(code).startswith("2")
                for media_type in response.get("content", {})
            }
        ) or ["application/json"]
        takes_input = bool(operation.get("parameters")) or "requestBody" in operation
        if takes_input:
            responses.setdefault("400", _error("Invalid input: the errors by field", FIELD_ERRORS, media_types))
        if self.get_auth():
            responses.setdefault("401", _error("Not logged in", DETAIL, media_types))
        responses.setdefault("403", _error("Not allowed for this user's role or mission", DETAIL, media_types))
        paginated = any(parameter.get("name") == "page" for parameter in operation.get("parameters", []))
        if "{" in self.path or paginated:
            responses.setdefault(
                "404", _error("No such record or page, or not visible to this user", DETAIL, media_types)
            )
        return operation
