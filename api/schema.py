"""Schema helpers: the bearer scheme, paginated list bodies, and the JSON error body on every operation."""

import functools

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from api.pagination import DB_INT_MAX, MAX_PAGE_SIZE
from cases.models import Event

# One schema name for the event types, however a serializer spells the field (settings ENUM_NAME_OVERRIDES).
EVENT_TYPE_CHOICES = Event.Type.choices

PAGE_PARAMETERS = [
    OpenApiParameter("page", {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX}, OpenApiParameter.QUERY,
                     description="Page number, from 1"),
    OpenApiParameter("page_size", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}, OpenApiParameter.QUERY,
                     description="Items per page (default 25, at most 100)"),
]


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "bearer"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer dal_… (see docs/api.md)"}


@functools.cache
def paginated(child: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The {count, next, previous, results} body of a list endpoint; one class per child, so that two endpoints
    listing the same thing share one schema component instead of clashing under one name."""
    name = "Paginated" + child.__name__.removesuffix("Serializer") + "List"
    return type(name, (serializers.Serializer,), {
        "count": serializers.IntegerField(),
        "next": serializers.CharField(allow_null=True),
        "previous": serializers.CharField(allow_null=True),
        "results": child(many=True),
    })


ERROR_CODES = {
    "400": "The request is not valid; `fields` names each bad field.",
    "401": "No token, or the token is unknown, expired or revoked.",
    "403": "The token's scope or its user's role does not allow this.",
    "404": "Not found, or not yours: the two are not told apart.",
    "409": "A request with this Idempotency-Key is still in progress.",
    "412": "If-Match names a version that is no longer stored: someone changed the record since you read it. "
           "Nothing was changed; the response's ETag is the stored version.",
    "413": "The request is too large.",
    "422": "The Idempotency-Key was already used for a different request.",
    "428": "If-Match is missing: a change must name the version (ETag) it was made from.",
    "429": "Too many requests for this token; retry after the Retry-After seconds.",
}


def add_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        "Error",
        {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            },
            "required": ["code", "message", "fields"],
        },
    )
    _one_name_of_two(schemas)
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            codes = ["400", "401", "403", "404", "413", "429"]
            if method == "post":
                codes += ["409", "422"]
            if method == "patch":
                codes += ["412", "428"]
            for code in codes:
                responses.setdefault(code, {"description": ERROR_CODES[code], "content": error})
    return result


NAMES = ("name_latin", "name_cyrillic")


def _one_name_of_two(schemas: dict) -> None:
    """What PersonInputSerializer.validate enforces, said in the schema: a new person needs a name in Latin or in
    Cyrillic script (one of the two, not blank); a change may not send both blank."""
    filled = {"type": "string", "pattern": r"\S"}
    blank = {"type": "string", "pattern": r"^\s*$"}
    for name, schema in schemas.items():
        if not set(NAMES) <= set(schema.get("properties", {})) or not name.endswith("Request") or "Person" not in name:
            continue
        if "Update" in name:
            schema["not"] = {"required": list(NAMES), "properties": dict.fromkeys(NAMES, blank)}
            schema["description"] = "Do not send both names blank: a person keeps a name in one of the two scripts."
        else:
            schema["anyOf"] = [{"required": [field], "properties": {field: filled}} for field in NAMES]
            schema["description"] = "A name in one of the two scripts is required: name_latin or name_cyrillic."
