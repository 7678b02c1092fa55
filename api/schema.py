"""OpenAPI extensions: document the token scheme."""

import re

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": 'Send "Token <key>", the key from POST /api/v1/auth/token/.'}


# ---- The trust contract, documented on every operation (a postprocessing hook, so new
# endpoints get it without doing anything) ---------------------------------------------

ERROR_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "Messages keyed by field (nested objects keyed the same way); "
                   "`non_field_errors` for the request as a whole.",
    "additionalProperties": True,
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "required": True,
                               "description": "Seconds to wait before retrying."}}
ETAG = {"ETag": {"schema": {"type": "string"}, "required": True,
                 "description": "The object's version: send it back as If-Match to change the object safely."}}
REPLAYED = {"Idempotent-Replayed": {
    "schema": {"type": "string", "enum": ["true"]}, "required": False,
    "description": "Present when this is the stored answer to an earlier request with the same "
                   "Idempotency-Key: nothing was created this time."}}

ERROR_RESPONSES = {
    "400": ("Bad input: messages keyed by field; nothing was written.", "ValidationError", None),
    "401": ("Not authenticated.", "ErrorDetail", None),
    "403": ("Inside your slice, but your role or agency may not do this.", "ErrorDetail", None),
    "404": ("Not found, or outside your slice.", "ErrorDetail", None),
    "412": ("If-Match is stale: the object changed since you read it; nothing was changed.", "ErrorDetail", None),
    "413": ("The request body is over the limit (MARAC_MAX_BODY_BYTES, default 1 MiB); the detail names it. "
            "Nothing was written.", "ErrorDetail", None),
    "422": ("This Idempotency-Key was already used with a different request.", "ErrorDetail", None),
    "429": ("Too many requests.", "ErrorDetail", RETRY_AFTER),
    "503": ("The database is temporarily unavailable.", "ErrorDetail", RETRY_AFTER),
}


def _takes_if_match(method: str, path: str) -> bool:
    """Every unsafe request addressing one object by id goes through get_object, which
    compares If-Match (api.trust): custom actions such as POST .../participants/ too."""
    return method in ("put", "patch") or (method in ("post", "delete") and "/{id}/" in path)


def _is_public(operation: dict) -> bool:
    """No authentication (`auth=[]`): spectacular leaves `security` out, or lists `{}`."""
    return not operation.get("security") or {} in operation["security"]


def _trust_operations(generator) -> set[tuple[str, str]]:
    """(path, method) of the operations served by a TrustMixin view: only those honour
    Idempotency-Key and answer Idempotent-Replayed."""
    from .trust import TrustMixin

    return {(re.sub(r"\{pk\}", "{id}", path), method.lower())
            for path, _regex, method, callback in generator.endpoints
            if issubclass(getattr(callback, "cls", object), TrustMixin)}


def _error_codes(method: str, path: str, operation: dict, trusted: bool) -> list[str]:
    codes = ["400", "403", "404", "429", "503"]
    if not _is_public(operation):
        codes.append("401")
    if trusted and _takes_if_match(method, path):
        codes.append("412")
    if method in ("post", "put", "patch"):
        codes.append("413")
    if trusted and method == "post":
        codes.append("422")
    return codes


def _error_response(code: str) -> dict:
    description, schema_name, headers = ERROR_RESPONSES[code]
    response = {"description": description,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}}}
    if headers:
        response["headers"] = headers
    return response


def document_trust_contract(result, generator, request, public):
    """Every operation documents the error answers (each with its JSON body), 429/503
    with Retry-After, the Idempotency-Key header of POSTs and Idempotent-Replayed on their
    answers, If-Match and 412 wherever an unsafe request addresses one object, and the
    ETag of single-object reads and changes."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorDetail"] = ERROR_DETAIL
    schemas["ValidationError"] = VALIDATION_ERROR
    trust_operations = _trust_operations(generator)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            trusted = (path, method) in trust_operations
            responses = operation.setdefault("responses", {})
            for code in _error_codes(method, path, operation, trusted):
                if code not in responses:
                    responses[code] = _error_response(code)
            for code, response in responses.items():
                if code[0] in "45" and not response.get("content"):
                    # An error documented by a view with only a description still has the
                    # error body every error answer carries.
                    response["content"] = {"application/json": {"schema": {
                        "$ref": "#/components/schemas/ValidationError" if code == "400"
                        else "#/components/schemas/ErrorDetail"}}}
            # `?format=` only chooses a renderer: a file download is always its file, and
            # every JSON answer is JSON without it. Documented nowhere.
            parameters = [parameter for parameter in operation.get("parameters", [])
                          if not (parameter.get("in") == "query" and parameter.get("name") == "format")]
            operation["parameters"] = parameters
            for parameter in parameters:
                if parameter.get("in") == "query" and not parameter.get("required"):
                    # django-filter and the paginator treat `?status=` as "no filter".
                    parameter["allowEmptyValue"] = True
            if method == "post" and trusted:
                for code, response in responses.items():
                    if code.startswith("2"):
                        response.setdefault("headers", {}).update(REPLAYED)
                parameters.append({
                    "in": "header", "name": "Idempotency-Key", "required": False,
                    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
                    "description": "Make a retried POST safe: a replay with the same key and body returns the "
                                   "first response and creates nothing; the same key with another body is 422. "
                                   "Kept 24 hours, per user.",
                })
            if trusted and _takes_if_match(method, path):
                parameters.append({
                    "in": "header", "name": "If-Match", "required": False, "schema": {"type": "string"},
                    "description": "The ETag you read. If the object changed since, the answer is 412 and "
                                   "nothing is changed.",
                })
            is_detail = path.rstrip("/").endswith("}")
            if (method == "get" and is_detail) or method in ("put", "patch"):
                ok = responses.get("200")
                if ok is not None:
                    ok.setdefault("headers", {}).update(ETAG)
            if not parameters:
                operation.pop("parameters")
    _nullable_references(result.get("paths", {}))
    _nullable_references(schemas)
    schemas.setdefault("NullEnum", {"enum": [None]})
    return result


def _nullable_references(node) -> None:
    """A nullable nested object is emitted as `allOf: [$ref], nullable: true`; in OpenAPI
    3.0 `nullable` does not reach into the `allOf`, so a strict validator rejects its
    null. Written as `oneOf: [$ref, NullEnum]`, the way enums already are, null is valid."""
    if isinstance(node, dict):
        if node.get("nullable") and len(node.get("allOf", ())) == 1:
            node["oneOf"] = [node.pop("allOf")[0], {"$ref": "#/components/schemas/NullEnum"}]
        for value in node.values():
            _nullable_references(value)
    elif isinstance(node, list):
        for value in node:
            _nullable_references(value)
