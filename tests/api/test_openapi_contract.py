"""openapi.yaml is exact for a generated client: what it documents is what the API
does, operation by operation (every answer the suite receives is also validated
against it: tests/contract.py)."""

import re

import pytest
from django.urls import resolve

from api.filters import StrictDjangoFilterBackend
from marac.agencies.models import AgencyKind
from marac.cases.models import Case
from marac.support.models import SupportPlanStatus
from tests.contract import ContractAPIClient, ContractViolation, document
from tests.factories import CaseFactory, make_agency, make_user
from tests.factories import token_for
from tests.meetings.helpers import make_coordinator
from tests.orders.factories import make_order, make_plan

UNSAFE = ("post", "put", "patch", "delete")


def operations():
    for path, item in document()["paths"].items():
        for method, operation in item.items():
            if method in ("get", *UNSAFE):
                yield path, method, operation


def resolved(schema: dict) -> dict:
    while "$ref" in schema:
        schema = document()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def defaults_in(schema, where=""):
    """Every `default` anywhere in a request body schema, references followed."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            yield from defaults_in(resolved(schema), where)
        for key, value in schema.items():
            if key == "default":
                yield where or "/"
            elif key != "$ref":
                yield from defaults_in(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from defaults_in(value, f"{where}/{index}")


def request_schema(operation) -> dict | None:
    content = operation.get("requestBody", {}).get("content", {})
    return content["application/json"]["schema"] if "application/json" in content else None


# ---- PATCH bodies -------------------------------------------------------------------


def test_patch_request_bodies_carry_no_defaults_a_generated_client_would_send():
    patches = [(path, method, operation) for path, method, operation in operations() if method in ("patch", "put")]
    assert patches
    found = {f"{method.upper()} {path}": list(defaults_in(request_schema(operation)))
             for path, method, operation in patches if request_schema(operation)}
    assert {name: where for name, where in found.items() if where} == {}


@pytest.mark.parametrize(("path", "fixed"), [
    ("/api/v1/orders/{id}/", {"case", "kind", "source"}),
    ("/api/v1/support-plans/{id}/", {"case"}),
])
def test_fields_fixed_at_creation_are_not_in_the_patch_schema(path, fixed):
    properties = resolved(request_schema(document()["paths"][path]["patch"]))["properties"]
    assert fixed.isdisjoint(properties)


def test_a_patch_without_status_leaves_a_closed_support_plan_closed(api, spo):
    plan = make_plan(spo.case, spo.advocacy, spo.advocate, status=SupportPlanStatus.CLOSED)
    response = api(spo.advocate).patch(f"/api/v1/support-plans/{plan.pk}/", {"goals": "Stay safe."}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "closed" and response.json()["case"] == spo.case.pk
    plan.refresh_from_db()
    assert (plan.status, plan.goals) == ("closed", "Stay safe.")


@pytest.mark.parametrize(("field", "value"), [("case", None), ("kind", "interim"), ("source", "police_application")])
def test_a_patch_sending_a_field_fixed_on_the_order_is_400_naming_it(api, spo, field, value):
    order = make_order(spo.case, spo.police, spo.officer)
    before = order.updated_at
    response = api(spo.officer).patch(f"/api/v1/orders/{order.pk}/",
                                      {field: spo.case.pk if value is None else value, "court": "Leeds"},
                                      format="json")
    assert response.status_code == 400 and list(response.json()) == [field]
    assert "Cannot be changed" in response.json()[field][0]
    order.refresh_from_db()
    assert order.updated_at == before and order.court != "Leeds"


def test_a_patch_moving_a_support_plan_to_another_case_is_400_naming_case(api, spo):
    plan = make_plan(spo.case, spo.advocacy, spo.advocate)
    other = CaseFactory(participants=[spo.advocacy])
    response = api(spo.advocate).patch(f"/api/v1/support-plans/{plan.pk}/", {"case": other.pk}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["case"]


# ---- parameters: documented means honoured ------------------------------------------


def _view_for(path: str, method: str):
    url = re.sub(r"\{[^}]+\}", "1", path)
    match = resolve(url)
    callback = match.func
    initkwargs = getattr(callback, "initkwargs", {})
    view = callback.cls(**initkwargs)
    actions = getattr(callback, "actions", None)
    view.action = actions.get(method) if actions else None
    return view


def query_names(filterset) -> set[str]:
    """The query parameters a filterset reads (a range filter reads `<name>_after`...)."""
    names = set()
    for name, filter_ in filterset.base_filters.items():
        suffixes = getattr(filter_.field.widget, "suffixes", None)
        if suffixes:
            names.update(f"{name}_{suffix}" for suffix in suffixes)
        else:
            names.add(name)
    return names


def test_every_query_parameter_documented_is_one_the_view_honours():
    """A list's filters belong to the list: detail routes (history, packs, carry-over...)
    neither document nor apply them."""
    wrong = []
    for path, method, operation in operations():
        view = _view_for(path, method)
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            name = parameter["name"]
            if name in ("page", "page_size"):
                honoured = view.pagination_class is not None and (view.action == "list" or view.detail)
            elif getattr(view, "query_serializer", None) is not None:  # a report: its parameters are a serializer
                honoured = name in view.query_serializer().fields
            else:
                filterset = StrictDjangoFilterBackend().get_filterset_class(view, view.queryset.all())
                honoured = (view.action == "list" and StrictDjangoFilterBackend in view.filter_backends
                            and filterset is not None and name in query_names(filterset))
            if not honoured:
                wrong.append(f"{method.upper()} {path} ?{name}")
    assert sorted(wrong) == []


@pytest.mark.parametrize("query", ["?status=granted", "?status=foo", "?case=999999", "?kind=interim"])
def test_order_history_ignores_the_order_lists_filters(api, spo, query):
    order = make_order(spo.case, spo.police, spo.officer)
    client = api(spo.officer)
    plain = client.get(f"/api/v1/orders/{order.pk}/history/")
    assert plain.status_code == 200 and plain.json()["count"] >= 1
    filtered = client.get(f"/api/v1/orders/{order.pk}/history/{query}")
    assert filtered.status_code == 200 and filtered.json() == plain.json()


@pytest.mark.parametrize("query", ["?status=closed", "?status=nope", "?case=999999"])
def test_support_plan_history_ignores_the_plan_lists_filters(api, spo, query):
    plan = make_plan(spo.case, spo.advocacy, spo.advocate)
    client = api(spo.advocate)
    plain = client.get(f"/api/v1/support-plans/{plan.pk}/history/")
    filtered = client.get(f"/api/v1/support-plans/{plan.pk}/history/{query}")
    assert plain.status_code == filtered.status_code == 200 and filtered.json() == plain.json()


def test_history_still_answers_404_outside_the_slice(api, spo):
    order = make_order(spo.case, spo.police, spo.officer)
    assert api(spo.other_officer).get(f"/api/v1/orders/{order.pk}/history/?status=considering").status_code == 404


# ---- errors, headers ----------------------------------------------------------------


def test_every_documented_error_answer_has_its_body():
    bare = [f"{method.upper()} {path} {code}" for path, method, operation in operations()
            for code, response in operation["responses"].items()
            if code[0] in "45" and "application/json" not in response.get("content", {})]
    assert bare == []


def test_no_operation_documents_a_format_parameter_it_ignores():
    assert [f"{method.upper()} {path}" for path, method, operation in operations()
            if any(p["name"] == "format" for p in operation.get("parameters", []))] == []


def test_412_and_if_match_are_documented_wherever_if_match_is_compared():
    missing = []
    for path, method, operation in operations():
        if method in ("put", "patch") or (method in UNSAFE and "/{id}/" in path):
            headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            if "412" not in operation["responses"] or "If-Match" not in headers:
                missing.append(f"{method.upper()} {path}")
    assert missing == []


def test_a_stale_if_match_on_adding_a_participant_is_a_documented_412(api, db):
    coordinator = make_coordinator()
    newcomer = make_agency(AgencyKind.HOUSING)
    case = CaseFactory(participants=[make_agency(AgencyKind.POLICE)])
    response = api(coordinator).post(f"/api/v1/cases/{case.pk}/participants/", {"agency": newcomer.pk},
                                     format="json", HTTP_IF_MATCH='"stale"')
    assert response.status_code == 412  # the contract client fails the test were 412 undocumented here
    assert Case.objects.get(pk=case.pk) and newcomer.pk not in response.json().get("participants", [])


def test_every_post_documents_idempotency_key_and_idempotent_replayed():
    missing = []
    for path, method, operation in operations():
        if method != "post" or path.startswith("/api/v1/auth/"):
            continue  # logging in and out creates nothing to replay: not TrustMixin views
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        successes = [r for code, r in operation["responses"].items() if code.startswith("2")]
        if "Idempotency-Key" not in headers or not successes or not all(
                "Idempotent-Replayed" in r.get("headers", {}) for r in successes):
            missing.append(f"POST {path}")
    assert missing == []


def test_a_replayed_post_answers_the_documented_idempotent_replayed_header(api, db):
    coordinator = make_coordinator()
    newcomer = make_agency(AgencyKind.HOUSING)
    case = CaseFactory(participants=[make_agency(AgencyKind.POLICE)])
    client = api(coordinator)
    url, body = f"/api/v1/cases/{case.pk}/participants/", {"agency": newcomer.pk}
    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert not first.has_header("Idempotent-Replayed") and again["Idempotent-Replayed"] == "true"
    documented = document()["paths"]["/api/v1/cases/{id}/participants/"]["post"]["responses"]["201"]["headers"]
    assert documented["Idempotent-Replayed"]["schema"]["enum"] == ["true"]


# ---- the validator itself -----------------------------------------------------------


def test_the_contract_client_rejects_an_answer_that_breaks_the_schema(db, monkeypatch):
    """The suite's client is not a no-op: an answer outside the schema fails the test."""
    from api.cases import views

    user = make_user(make_agency(AgencyKind.HOUSING))
    case = CaseFactory(participants=[user.membership.agency])
    client = ContractAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    original = views.CaseViewSet.retrieve

    def broken(self, request, *args, **kwargs):
        response = original(self, request, *args, **kwargs)
        response.data = {**response.data, "status": "", "reference": None}
        return response

    monkeypatch.setattr(views.CaseViewSet, "retrieve", broken)
    with pytest.raises(ContractViolation, match=r"GET /api/v1/cases/\d+/ -> 200"):
        client.get(f"/api/v1/cases/{case.pk}/")


def test_the_contract_client_rejects_an_undocumented_status_code(db):
    user = make_user(make_agency(AgencyKind.HOUSING))
    client = ContractAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    with pytest.raises(ContractViolation, match="-> 405"):
        client.put("/api/v1/cases/", {}, format="json")  # no such operation: 405, documented nowhere


# ---- answers matching exactly one schema --------------------------------------------


def test_a_requirement_with_notes_matches_exactly_one_schema(api, spo):
    """A strict validator rejected every with-notes row when RequirementView was a oneOf
    both branches of which matched it; the contract client validates these answers."""
    from tests.orders.factories import make_requirement

    requirement = make_requirement(make_order(spo.case, spo.police, spo.officer), spo.provider, notes="Private.")
    with_notes = api(spo.officer).get(f"/api/v1/requirements/{requirement.pk}/").json()
    without = api(spo.housing_officer).get(f"/api/v1/requirements/{requirement.pk}/").json()
    assert with_notes["notes"] == "Private." and "notes" not in without
    view = document()["components"]["schemas"]["RequirementView"]
    assert "oneOf" not in view and "anyOf" not in view
    assert {"notes", "events"} <= set(view["properties"]) and {"notes", "events"}.isdisjoint(view["required"])


def test_a_meeting_without_a_pack_answers_a_documented_404_with_its_body(api, db):
    from tests.meetings.helpers import make_meeting

    meeting = make_meeting()
    response = api(make_coordinator()).get(f"/api/v1/meetings/{meeting.pk}/pack/")
    assert response.status_code == 404 and response.json()["detail"]  # validated against the documented body
    documented = document()["paths"]["/api/v1/meetings/{id}/pack/"]["get"]["responses"]["404"]
    assert documented["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorDetail"}
