"""Every answer the test suite receives is checked against the committed openapi.yaml,
so a field the schema calls required, non-nullable or an enum cannot drift from what
the API serves without a test failing (a generated client would break on it).

`ContractAPIClient` is the suite's APIClient: after each request it validates the
response with openapi-core (status code documented for the operation, media type,
headers, and for JSON the body: type, required, nullable, enum, format). Files (PDF,
CSV) are checked for status and media type only.
"""

from functools import cache
from pathlib import Path

import yaml
from openapi_core import OpenAPI
from openapi_core.templating.paths.finders import APICallPathFinder
from rest_framework.test import APIClient

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "openapi.yaml"
# Methods the schema does not describe operation by operation (DRF answers them itself).
UNDESCRIBED_METHODS = {"HEAD", "OPTIONS"}
# Served next to the API but not part of the contract they describe.
NOT_IN_CONTRACT = ("/api/v1/schema/", "/api/v1/docs/")


class ContractViolation(AssertionError):
    pass


@cache
def document() -> dict:
    """The committed openapi.yaml, read once per test process (do not mutate)."""
    with SCHEMA_PATH.open() as handle:
        return yaml.safe_load(handle)


@cache
def contract() -> OpenAPI:
    return OpenAPI.from_dict(document())


class _Request:
    """The request as openapi-core needs it to find the operation: path and method only
    (the body was already consumed by the view and is not what is validated here)."""

    body = b""
    content_type = ""

    def __init__(self, wsgi_request):
        from openapi_core.datatypes import RequestParameters
        from werkzeug.datastructures import Headers, ImmutableMultiDict

        self.method = wsgi_request.method.lower()
        self.path = wsgi_request.path
        self.host_url = "http://testserver"
        self.full_url_pattern = self.host_url + self.path
        self.parameters = RequestParameters(
            path={}, query=ImmutableMultiDict(wsgi_request.GET), header=Headers(wsgi_request.headers.items()),
            cookie=ImmutableMultiDict(wsgi_request.COOKIES))


class _Response:
    def __init__(self, response, *, body: bool):
        self.status_code = response.status_code
        self.content_type = response.get("Content-Type", "")
        from werkzeug.datastructures import Headers

        self.headers = Headers(response.headers.items())
        self.data = response.content if body and not getattr(response, "streaming", False) else b""


def is_json(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def check_response(method: str, wsgi_request, response) -> None:
    """Raise ContractViolation when `response` is not what openapi.yaml documents for
    this operation."""
    method = method.upper()
    path = wsgi_request.path
    if method in UNDESCRIBED_METHODS or not path.startswith("/api/") or path.startswith(NOT_IN_CONTRACT):
        return
    spec = contract()
    request = _Request(wsgi_request)
    where = f"{method} {path} -> {response.status_code} {response.get('Content-Type', '')}"
    if response.status_code == 204 or not response.get("Content-Type"):
        # No body: only the status code has to be documented.
        try:
            found = APICallPathFinder(spec.spec, base_url=None).find(request.method, request.full_url_pattern)
        except Exception as exc:  # noqa: BLE001 - reported with context
            raise ContractViolation(f"{where}: {type(exc).__name__}: {exc}") from None
        responses = found.operation / "responses"
        if str(response.status_code) not in responses and "default" not in responses:
            raise ContractViolation(f"{where}: status {response.status_code} is not documented for this operation")
        return
    try:
        spec.validate_response(request, _Response(response, body=is_json(response.get("Content-Type", ""))))
    except Exception as exc:  # noqa: BLE001 - openapi-core raises several families
        cause = exc.__cause__
        detail = f"{type(exc).__name__}: {exc}"
        for error in getattr(cause, "schema_errors", None) or getattr(exc, "schema_errors", None) or ():
            location = "/".join(str(part) for part in error.absolute_path)
            detail += f"\n  at /{location}: {error.message}"
        if cause is not None and not getattr(cause, "schema_errors", None):
            detail += f"\n  caused by {type(cause).__name__}: {cause}"
        body = response.content[:600].decode(errors="replace") if is_json(response.get("Content-Type", "")) else ""
        raise ContractViolation(f"{where} does not match openapi.yaml:\n{detail}\n  body: {body}") from None


class ContractAPIClient(APIClient):
    """APIClient whose every answer must match openapi.yaml. `validate_contract=False`
    only for tests that deliberately call URLs the contract does not describe (see the
    `not_in_contract` marker in tests/conftest.py)."""

    validate_contract = True

    def request(self, **kwargs):
        response = super().request(**kwargs)
        if self.validate_contract:
            check_response(kwargs.get("REQUEST_METHOD", "GET"), response.wsgi_request, response)
        return response
