"""The API's JSON renderer writes exactly the bytes DRF's renderer writes."""

import datetime
import decimal
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.exceptions import ErrorDetail
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from api.renderers import JSONRenderer

PAYLOADS = [
    {"id": 1, "name": "Northshire IDVA Service", "kind": "advocacy", "ok": True, "none": None},
    ReturnList([ReturnDict({"id": 7, "participants": [3, 9]}, serializer=None)], serializer=None),
    {"summary": ErrorDetail("Send true or false.", code="invalid"), "lazy": gettext_lazy("Not found.")},
    {"at": datetime.datetime(2026, 11, 22, 17, 39, 18, 554298, tzinfo=datetime.timezone.utc),
     "bst": datetime.datetime(2026, 7, 1, 12, 0, tzinfo=ZoneInfo("Europe/London")),
     "naive": datetime.datetime(2026, 1, 2, 3, 4, 5), "day": datetime.date(2026, 2, 28),
     "time": datetime.time(9, 30), "gap": datetime.timedelta(hours=2)},
    {"amount": decimal.Decimal("12.50"), "uuid": uuid.UUID(int=42), "tuple": (1, 2), "set_like": frozenset()},
    {"text": "Ynys Môn — “quoted” \\ back\nslash \u2028 and \u2029 separators, emoji 🛡️"},
    {1: "int key", None: "none key", 2.5: "float key"},
    {True: "bool key"},
    {"huge": 2 ** 70},
    [],
    {},
    "plain string",
]


@pytest.mark.parametrize("data", PAYLOADS)
def test_renders_the_bytes_drf_renders(data):
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_nothing_is_an_empty_body_and_pretty_printing_is_drfs():
    assert JSONRenderer().render(None) == b""
    data = {"a": [1, {"b": "c"}]}
    media_type = "application/json; indent=4"
    assert JSONRenderer().render(data, media_type) == renderers.JSONRenderer().render(data, media_type)
    assert b"\n    " in JSONRenderer().render(data, media_type)


def test_the_api_renders_with_it():
    assert settings.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] == ["api.renderers.JSONRenderer"]
