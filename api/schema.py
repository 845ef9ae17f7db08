"""Document the JSON error body on every operation, so that clients (and schemathesis) know its shape."""

ERROR_CODES = {
    "400": "The request is not valid; `fields` names each bad field.",
    "401": "No token, or the token is unknown, expired or revoked.",
    "403": "The token's scope or its user's role does not allow this.",
    "404": "Not found, or not yours: the two are not told apart.",
    "409": "A request with this Idempotency-Key is still in progress.",
    "413": "The request is too large.",
    "422": "The Idempotency-Key was already used for a different request.",
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
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            codes = ["400", "401", "403", "404", "413", "429"]
            if method == "post":
                codes += ["409", "422"]
            for code in codes:
                responses.setdefault(code, {"description": ERROR_CODES[code], "content": error})
    return result
