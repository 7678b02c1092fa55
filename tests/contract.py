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
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.finders import APICallPathFinder
from rest_framework.test import APIClient
from werkzeug.datastructures import Headers, ImmutableMultiDict

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "openapi.yaml"
# Methods the schema does not describe operation by operation (DRF answers them itself).
UNDESCRIBED_METHODS = {"HEAD", "OPTIONS"}
# Served next to the API but not operations of the contract: the schema itself and its docs.
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
        self.method = wsgi_request.method.lower()
        self.path = wsgi_request.path
        self.host_url = "http://testserver"
        self.full_url_pattern = self.host_url + self.path
        self.parameters = RequestParameters(
            path={}, query=ImmutableMultiDict(wsgi_request.GET), header=Headers(wsgi_request.headers.items()),
            cookie=ImmutableMultiDict(wsgi_request.COOKIES))


class _Response:
    def __init__(self, response):
        self.status_code = response.status_code
        self.content_type = response.get("Content-Type", "")
        self.headers = Headers(response.headers.items())
        self.data = response.content


def is_json(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _describe(exc: Exception) -> str:
    detail = f"{type(exc).__name__}: {exc}"
    cause = exc.__cause__
    errors = getattr(cause, "schema_errors", None) or getattr(exc, "schema_errors", None) or ()
    if errors:
        detail = type(exc).__name__
        for error in errors:
            location = "/".join(str(part) for part in error.absolute_path)
            detail += f"\n  at /{location}: {error.message}"
    elif cause is not None:
        detail += f"\n  caused by {type(cause).__name__}: {cause}"
    return detail


def check_response(method: str, wsgi_request, response) -> None:
    """Raise ContractViolation when `response` is not what openapi.yaml documents for
    this operation."""
    method = method.upper()
    path = wsgi_request.path
    if method in UNDESCRIBED_METHODS or path.startswith(NOT_IN_CONTRACT):
        return
    spec = contract()
    request = _Request(wsgi_request)
    content_type = response.get("Content-Type", "")
    where = f"{method} {path} -> {response.status_code} {content_type}".rstrip()
    try:
        found = APICallPathFinder(spec.spec, base_url=None).find(request.method, request.full_url_pattern)
    except Exception as exc:  # noqa: BLE001 - PathNotFound, OperationNotFound...
        raise ContractViolation(f"{where}: the contract has no such operation ({_describe(exc)})") from None
    responses = found.operation / "responses"
    if str(response.status_code) not in responses and "default" not in responses:
        raise ContractViolation(f"{where}: status {response.status_code} is not documented for this operation")
    documented = responses / (str(response.status_code) if str(response.status_code) in responses else "default")
    if "content" not in documented:
        if not getattr(response, "streaming", False) and response.content:
            raise ContractViolation(f"{where}: documented without a body, but one was sent")
        return
    media = content_type.split(";")[0].strip()
    if media not in (documented / "content"):
        raise ContractViolation(f"{where}: media type {media!r} is not documented for this answer "
                                f"(documented: {', '.join((documented / 'content').keys())})")
    if getattr(response, "streaming", False) or not is_json(content_type):
        return  # a file: its status and media type are the contract
    try:
        spec.validate_response(request, _Response(response))
    except Exception as exc:  # noqa: BLE001 - openapi-core raises several families
        body = response.content[:600].decode(errors="replace")
        raise ContractViolation(f"{where} does not match openapi.yaml:\n{_describe(exc)}\n  body: {body}") from None


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
