"""OpenAPI extensions: document the token scheme."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": 'Send "Token <key>", the key from POST /api/v1/auth/token/.'}


ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "description": "A single error message.",
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Bad input: messages keyed by field (nested fields nest), `non_field_errors` for the "
        "body as a whole. Nothing was written."
    ),
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object", "additionalProperties": True},
        ]
    },
}
ERROR_RESPONSES = {
    "400": ("Bad input: messages keyed by field; nothing was written.", "ValidationError"),
    "401": ("Not authenticated: send `Authorization: Token <key>`.", "Error"),
    "403": ("Inside your slice, but your role or agency may not do this.", "Error"),
    "404": ("Not found, or outside your agency's slice (the two are indistinguishable).", "Error"),
    "429": ("Too many requests: wait for the number of seconds in `Retry-After`.", "Error"),
    "503": ("The database is temporarily unavailable: retry after `Retry-After` seconds.", "Error"),
}
PUBLIC_PATHS = ("/api/v1/auth/token/", "/api/v1/schema/", "/api/v1/docs/")


def add_error_responses(result, generator, request, public):
    """Document the error answers every operation can give, uniformly, so integrators
    can rely on the format: 400 keyed by field, 401, 403, 404 (outside the slice), 429, 503."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    schemas.setdefault("ValidationError", VALIDATION_ERROR_SCHEMA)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            codes = ["429", "503"]
            if path not in PUBLIC_PATHS:
                codes += ["401", "403"]
            if "{" in path:
                codes.append("404")
            if method in {"post", "put", "patch"} or operation.get("parameters"):
                codes.append("400")
            responses = operation.setdefault("responses", {})
            for code in codes:
                description, component = ERROR_RESPONSES[code]
                responses.setdefault(code, {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
                })
    return result
