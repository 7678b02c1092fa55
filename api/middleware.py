"""Request ids: every response carries `X-Request-ID` (the client's, if it sent a sane
one, else a fresh UUID); audit events record it."""

import re
import uuid

_SANE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supplied = request.headers.get("X-Request-ID", "")
        request.request_id = supplied if _SANE.match(supplied) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class ApiResponseHeadersMiddleware:
    """API answers carry case data: no cache may keep them, and none can ever be framed
    or run anything if a browser renders it. That holds for every JSON answer, every
    answer of a case-data viewset (api.viewsets marks them), and every file sent as an
    attachment (a meeting pack's PDF or JSON), whatever response class built it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (getattr(response, "carries_case_data", False)
                or response.get("Content-Type", "").startswith("application/json")
                or response.get("Content-Disposition", "").startswith("attachment")):
            response.setdefault("Cache-Control", "no-store")
            response.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
            response.setdefault("X-Content-Type-Options", "nosniff")
        return response
