"""Bad input is a 400 naming what is wrong (413 for a body over the limit, 404 for an id
that cannot exist), on every endpoint, and never a 500: JSON nested too deep, lone
surrogates, dates past 2100 or at the calendar's edge, ids beyond 64 bits or written in
non-ASCII digits, a NUL byte in a token."""

import importlib
import json
import logging
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

import api
from api.fields import DateField, DateTimeField
from api.renderers import JSONRenderer
from marac.agencies.models import Agency, AgencyKind, Role
from marac.cases.participants import is_participant
from marac.orders.models import Order
from marac.orders.services import record_notifiable_change
from marac.referrals.models import Referral
from marac.maracs.services import default_marac
from marac.transfers.services import request_transfer
from tests.factories import (
    CaseFactory,
    make_agency,
    make_marac,
    make_platform_admin,
    make_referral,
    make_user,
    token_for,
)
from tests.meetings.helpers import ActionFactory, make_coordinator, make_meeting
from tests.orders.factories import make_breach, make_order, make_plan, make_requirement

pytestmark = pytest.mark.django_db

SCHEMA = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi.yaml").read_text())
WRITES = [(method, path) for path, item in SCHEMA["paths"].items() for method, operation in item.items()
          if method in ("post", "put", "patch") and "requestBody" in operation]
DEEP = "[" * 100_000 + "]" * 100_000
TOO_DEEP = "JSON nested more than 64 levels deep."
SURROGATE = '"\\ud800"'


@pytest.fixture
def world(api):
    """Every kind of object a write endpoint takes, and users between whom every write
    endpoint has someone allowed to reach its parser."""
    police, advocacy, provider = (make_agency(AgencyKind.POLICE), make_agency(AgencyKind.ADVOCACY),
                                  make_agency(AgencyKind.INTERVENTION_PROVIDER))
    case = CaseFactory(participants=[police, advocacy, provider])
    officer, advocate, provider_worker = make_user(police), make_user(advocacy), make_user(provider)
    coordinator = make_coordinator()
    order = make_order(case, police, officer)
    meeting = make_meeting(cases=[case], coordinator=coordinator)
    objects = {
        "actions": ActionFactory(case=case, owner_agency=police, meeting=meeting, created_by=coordinator),
        "breaches": make_breach(order), "cases": case, "meetings": meeting, "orders": order,
        "referrals": make_referral(user=officer), "requirements": make_requirement(order, provider),
        "support-plans": make_plan(case, advocacy, advocate), "users": provider_worker, "maracs": default_marac(),
        "notifications": record_notifiable_change(order, by=officer, kind="address_change",
                                                  changed_on=order.granted_on),
    }
    # A transfer pending with another MARAC, whose coordinator decides it.
    receiving = make_marac()
    objects["transfers"] = request_transfer(case, to_marac=receiving, reason="moved_permanently", by=coordinator)
    receiving_coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR,
                                      maracs=[receiving])
    users = [make_platform_admin(), coordinator, officer, advocate, provider_worker,
             make_user(police, Role.MANAGER), receiving_coordinator]
    return SimpleNamespace(objects=objects, clients=[api(user) for user in users], anonymous=api())


def url_of(path: str, objects: dict) -> str:
    """Each {param} is the pk of the object of the collection before it (a nested
    route's second id is its own collection's: /orders/{order_pk}/notifications/{id}/)."""
    parts = path.split("/")
    return "/".join(str(objects.get(parts[i - 1], objects[parts[3]]).pk) if re.fullmatch(r"\{[a-z_]+\}", part)
                    else part for i, part in enumerate(parts))


def send_to_every_write(world, body: str):
    """{(method, path): [status of each user]}"""
    answers = {}
    for method, path in WRITES:
        url = url_of(path, world.objects)
        clients = [world.anonymous] if path == "/api/v1/auth/token/" else world.clients
        answers[(method, path)] = [
            getattr(client, method)(url, body, content_type="application/json") for client in clients]
    return answers


# ---- JSON nested thousands of levels deep -------------------------------------------


def test_json_nested_100000_deep_is_400_on_every_write_endpoint(world, caplog):
    caplog.set_level(logging.CRITICAL, logger="django.request")
    for (method, path), responses in send_to_every_write(world, DEEP).items():
        assert all(response.status_code < 500 for response in responses), (method, path)
        # Someone may reach the parser of every endpoint, and there it is the depth 400.
        parsed = [response.json() for response in responses if response.status_code == 400]
        assert {"non_field_errors": [TOO_DEEP]} in parsed, (method, path, [r.status_code for r in responses])


def test_json_nested_too_deep_for_the_token_endpoint_is_400(api):
    response = api().post("/api/v1/auth/token/", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [TOO_DEEP]}


def test_json_nested_past_the_depth_limit_is_400_naming_the_field(api):
    body = {"summary": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}
    response = api(make_user(make_agency())).post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"summary": [TOO_DEEP]}
    assert not Referral.objects.exists()


def test_json_nested_within_the_depth_limit_still_reaches_the_serializer(api):
    body = {"summary": json.loads("[" * 60 + "]" * 60)}
    response = api(make_user(make_agency())).post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 400
    assert response.json()["summary"] == ["Not a valid string."]


# ---- Lone surrogates ----------------------------------------------------------------


def request_enums(operation: dict) -> list[str]:
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    component = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    names = []
    for name, prop in component.get("properties", {}).items():
        refs = [prop, *prop.get("allOf", []), *prop.get("oneOf", [])]
        if any("enum" in ref or "$ref" in ref and "enum" in SCHEMA["components"]["schemas"][
                ref["$ref"].rsplit("/", 1)[1]] for ref in refs):
            names.append(name)
    return names


def test_a_lone_surrogate_in_any_choice_field_is_400_not_500(world, caplog):
    caplog.set_level(logging.CRITICAL, logger="django.request")
    tried = 0
    for method, path in WRITES:
        url = url_of(path, world.objects)
        for name in request_enums(SCHEMA["paths"][path][method]):
            tried += 1
            statuses = [getattr(client, method)(url, f'{{"{name}": {SURROGATE}}}',
                                                content_type="application/json").status_code
                        for client in world.clients]
            assert all(code < 500 for code in statuses), (method, path, name, statuses)
            assert 400 in statuses, (method, path, name, statuses)
    assert tried >= 17  # every choice field of every write endpoint


def test_a_lone_surrogate_in_a_plain_string_field_is_400_naming_it_and_writes_nothing(api):
    response = api(make_user(make_agency())).post(
        "/api/v1/referrals/", '{"summary": "stalked \\ud800 daily"}', content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["summary"]
    assert "lone surrogate" in response.json()["summary"][0]
    assert not Referral.objects.exists()


def test_a_lone_surrogate_as_a_field_name_is_400(api):
    response = api(make_user(make_agency())).post("/api/v1/referrals/", '{"\\udfff": 1}',
                                                  content_type="application/json")
    assert response.status_code == 400


def test_a_surrogate_pair_is_ordinary_text(api):
    response = api(make_platform_admin()).post("/api/v1/agencies/", '{"name": "Refuge \\ud83c\\udfe0", "kind": "other"}',
                                               content_type="application/json")
    assert response.status_code == 201
    assert Agency.objects.get(pk=response.json()["id"]).name == "Refuge \U0001f3e0"


def test_a_lone_surrogate_in_a_query_parameter_is_400(api):
    # Invalid UTF-8 in a URL (a surrogate encoded as bytes) is read as U+FFFD, never a surrogate.
    response = api(make_coordinator()).get("/api/v1/actions/?status=%ED%A0%80")
    assert response.status_code == 400
    assert list(response.json()) == ["status"]


def every_api_serializer():
    for module in pkgutil.walk_packages(api.__path__, "api."):
        if module.name.endswith(".serializers"):
            for value in vars(importlib.import_module(module.name)).values():
                if (isinstance(value, type) and issubclass(value, serializers.Serializer)
                        and value.__module__ == module.name
                        and (hasattr(value, "Meta") or not issubclass(value, serializers.ModelSerializer))):
                    yield value


def writable_fields(serializer, prefix=""):
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        yield f"{prefix}{name}", field
        child = getattr(field, "child", None)
        if isinstance(field, serializers.Serializer):
            yield from writable_fields(field, f"{prefix}{name}.")
        elif isinstance(child, serializers.Serializer):
            yield from writable_fields(child, f"{prefix}{name}[].")
        elif child is not None:
            yield f"{prefix}{name}[]", child


def test_an_error_message_echoing_a_lone_surrogate_still_renders():
    """Whatever reaches a choice field, its "is not a valid choice" message renders: the
    renderer writes an unencodable character as its escape."""
    rendered = 0
    for serializer_class in every_api_serializer():
        for name, field in writable_fields(serializer_class()):
            if isinstance(field, serializers.ChoiceField):
                with pytest.raises(ValidationError) as error:
                    field.run_validation("\ud800")
                body = json.loads(JSONRenderer().render({name: error.value.detail}))
                assert body[name] == ['"\\ud800" is not a valid choice.']
                rendered += 1
    assert rendered >= 17


# ---- Dates past 2100 -----------------------------------------------------------------


def test_every_writable_date_field_of_every_serializer_refuses_dates_past_2100():
    checked = []
    for serializer_class in every_api_serializer():
        for name, field in writable_fields(serializer_class()):
            if isinstance(field, serializers.DateTimeField):
                assert isinstance(field, DateTimeField), f"{serializer_class.__name__}.{name}"
                checked.append(name)
            elif isinstance(field, serializers.DateField):
                assert isinstance(field, DateField), f"{serializer_class.__name__}.{name}"
                checked.append(name)
    assert len(checked) >= 15, checked


@pytest.mark.parametrize("field_class, late, fine", [
    (DateField, "2101-01-01", "2100-12-31"),
    (DateTimeField, "9999-12-31T23:59:59-12:00", "2100-12-31T12:00:00Z"),
    (DateTimeField, "2101-01-01T00:00:00", "2100-12-31T23:00:00"),
])
def test_the_latest_date_rule_says_what_it_is(field_class, late, fine):
    with pytest.raises(ValidationError) as error:
        field_class().run_validation(late)
    assert error.value.detail == ["Enter a date no later than 2100-12-31."]
    field_class().run_validation(fine)


def test_dates_past_2100_are_400_on_the_endpoints_that_take_them(api):
    police = make_agency(AgencyKind.POLICE)
    case = CaseFactory(participants=[police])
    officer, coordinator = make_user(police), make_coordinator()
    order = make_order(case, police, officer)
    meeting = make_meeting(cases=[case], coordinator=coordinator)
    too_late = ["Enter a date no later than 2100-12-31."]
    for client, method, url, body, field in [
        (api(officer), "post", "/api/v1/orders/", {"case": case.pk, "kind": "full", "expires_on": "2101-01-01"},
         "expires_on"),
        (api(officer), "post", f"/api/v1/cases/{case.pk}/incidents/",
         {"occurred_at": "9999-12-31T23:59:59-12:00", "behaviour": "following", "description": "x"}, "occurred_at"),
        (api(coordinator), "post", "/api/v1/meetings/", {"date": "9999-12-31", "chair": coordinator.pk}, "date"),
        (api(coordinator), "post", "/api/v1/actions/", {"case": case.pk, "meeting": meeting.pk, "description": "x",
                                                        "owner_agency": police.pk, "due_date": "9999-12-31"},
         "due_date"),
    ]:
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 400, (url, response.content)
        assert response.json()[field] == too_late, (url, response.json())
    assert Order.objects.count() == 1


# ---- Filters and path ids at the limits --------------------------------------------


@pytest.mark.parametrize("value", ["99999999999999999999", "-99999999999999999999", "9223372036854775808"])
def test_an_id_filter_beyond_64_bits_is_400_naming_the_parameter(api, value):
    response = api(make_coordinator()).get("/api/v1/actions/", {"case": value})
    assert response.status_code == 400
    assert list(response.json()) == ["case"]


def test_the_largest_64_bit_id_filter_is_an_ordinary_filter(api):
    response = api(make_coordinator()).get("/api/v1/actions/", {"case": str(2**63 - 1)})
    assert response.status_code == 200 and response.json()["count"] == 0


def test_a_non_ascii_digit_id_filter_is_400(api):
    response = api(make_coordinator()).get("/api/v1/actions/", {"case": "\u0661"})
    assert response.status_code == 400
    assert list(response.json()) == ["case"]


@pytest.mark.parametrize("parameter, value", [
    ("at_after", "9999-12-31T23:59:59-12:00"),
    ("at_before", "9999-12-31T23:59:59-12:00"),
    ("at_after", "0001-01-01T00:00:00+12:00"),
    ("at_before", "2101-01-01T00:00:00Z"),
    ("date_before", "9999-12-31"),
])
def test_a_date_filter_at_the_edge_of_the_calendar_is_400_naming_the_parameter(api, parameter, value):
    manager = make_user(make_agency(AgencyKind.POLICE), Role.MANAGER)
    response = api(manager).get("/api/v1/audit-events/", {parameter: value})
    assert response.status_code == 400, response.content
    assert list(response.json()) == [parameter]


def test_an_ordinary_date_filter_still_filters(api):
    manager = make_user(make_agency(AgencyKind.POLICE), Role.MANAGER)
    response = api(manager).get("/api/v1/audit-events/", {"at_after": "2020-01-01T00:00:00+01:00",
                                                           "date_before": "2100-12-31"})
    assert response.status_code == 200


def test_a_meeting_date_filter_past_2100_is_400(api):
    response = api(make_coordinator()).get("/api/v1/meetings/", {"date_from": "9999-12-31"})
    assert response.status_code == 400
    assert list(response.json()) == ["date_from"]


@pytest.mark.parametrize("path", ["/api/v1/cases/{}/", "/api/v1/cases/{}/research/", "/api/v1/orders/{}/",
                                  "/api/v1/meetings/{}/agenda/"])
def test_a_path_id_beyond_64_bits_is_404(api, path):
    response = api(make_coordinator()).get(path.format("99999999999999999999"))
    assert response.status_code == 404


def in_digits(number: int, zero: str) -> str:
    """NUMBER written in the decimal digits that start at ZERO (int() reads them all)."""
    return "".join(chr(ord(zero) + int(digit)) for digit in str(number))


@pytest.mark.parametrize("collection", ["cases", "actions", "meetings", "agencies"])
def test_a_path_id_in_non_ascii_digits_is_404_not_the_object_it_spells(api, collection):
    coordinator = make_coordinator()
    action = ActionFactory(case=CaseFactory(), created_by=coordinator)
    pk = {"cases": action.case_id, "actions": action.pk, "meetings": action.meeting_id,
          "agencies": action.owner_agency_id}[collection]
    client = api(coordinator)
    assert client.get(f"/api/v1/{collection}/{pk}/").status_code == 200  # readable in ASCII digits
    for zero in ("\u0660", "\uff10", "\u0966"):  # Arabic-Indic, fullwidth, Devanagari
        assert int(in_digits(pk, zero)) == pk
        assert client.get(f"/api/v1/{collection}/{in_digits(pk, zero)}/").status_code == 404


def test_removing_a_participant_by_a_non_ascii_digit_id_is_404(api):
    agency = make_agency()
    case = CaseFactory(participants=[agency, make_agency()])
    arabic_indic = in_digits(agency.pk, "\u0660")
    response = api(make_coordinator()).delete(f"/api/v1/cases/{case.pk}/participants/{arabic_indic}/")
    assert response.status_code == 404
    assert is_participant(case, agency)


# ---- Tokens ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["abc\x00def", "\x00", "\u00e9" * 40])
def test_a_token_outside_the_token_alphabet_is_401_without_a_lookup(api, key, django_assert_num_queries):
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with django_assert_num_queries(0):
        response = client.get("/api/v1/me/")
    assert response.status_code == 401


def test_a_real_token_still_authenticates(api):
    user = make_user(make_agency())
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    assert client.get("/api/v1/me/").json()["username"] == user.username


# ---- A body over the limit ------------------------------------------------------------


def test_a_body_over_the_limit_is_413_naming_the_limit_without_a_traceback(api, settings, caplog):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    client = api(make_user(make_agency()))
    with caplog.at_level(logging.DEBUG):
        response = client.post("/api/v1/referrals/", {"summary": "x" * 2001}, format="json")
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large: the limit is 2000 bytes."}
    assert not [record for record in caplog.records if record.exc_info]
    assert not Referral.objects.exists()


def test_a_body_over_the_limit_is_413_on_the_token_endpoint_too(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = api().post("/api/v1/auth/token/", {"username": "u" * 200, "password": "p"}, format="json")
    assert response.status_code == 413
    assert "100 bytes" in response.json()["detail"]


def test_a_body_within_the_limit_is_read(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 5000
    response = api(make_user(make_agency())).post("/api/v1/referrals/", {"summary": "x" * 2001}, format="json")
    assert response.status_code == 400  # the rest of the referral is missing: the body was read
    assert "victim" in response.json()


def body_limit_with(**env) -> str:
    code = "import django; django.setup(); from django.conf import settings; print(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)"
    environment = {k: v for k, v in os.environ.items() if k != "MARAC_MAX_BODY_BYTES"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**environment, **env, "DJANGO_SETTINGS_MODULE": "marac.settings"},
                          cwd=Path(__file__).resolve().parents[2]).stdout.strip()


def test_the_body_limit_defaults_to_1_mib_and_is_configurable():
    assert body_limit_with() == str(1024 * 1024)
    assert body_limit_with(MARAC_MAX_BODY_BYTES="4096") == "4096"


def test_every_operation_with_a_body_documents_the_413():
    for path, item in SCHEMA["paths"].items():
        for method in ("post", "put", "patch"):
            if method in item:
                assert "413" in item[method]["responses"], (method, path)


def test_path_ids_are_still_integers_in_the_schema():
    """The ASCII-digit rule is enforced in the view, not by a router regex that would
    retype every id as a string for generated clients."""
    for path, item in SCHEMA["paths"].items():
        for operation in item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter["in"] == "path" and (parameter["name"] == "id" or parameter["name"].endswith("_pk")):
                    assert parameter["schema"]["type"] == "integer", (path, parameter)
