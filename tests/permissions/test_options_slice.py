"""OPTIONS on an object answers like GET: 404 outside the caller's slice (so an id leaks
nothing), 200 inside it. Every detail route of the router, custom actions included."""


import pytest
from django.urls import reverse
from django.utils import timezone

from api.urls import router
from marac.agencies.models import AgencyKind, Role
from marac.audit.models import AuditEvent
from marac.notifications.services import notify
from marac.orders.services import record_spo_request
from marac.transfers.services import request_transfer
from tests.factories import CaseFactory, make_agency, make_marac, make_referral, make_user
from tests.meetings.helpers import ActionFactory, make_meeting
from tests.orders.factories import make_breach, make_order, make_plan, make_requirement

pytestmark = pytest.mark.django_db


def detail_routes() -> list[tuple[str, str]]:
    """(basename, route name) of every detail route (a `pk` in the URL), one per route."""
    routes = []
    for pattern in router.urls:
        groups = pattern.pattern.regex.groupindex
        if "pk" in groups and "format" not in groups:
            basename = next(basename for prefix, viewset, basename in router.registry
                            if pattern.pattern.regex.pattern.startswith(f"^{prefix}/"))
            routes.append((basename, pattern.name))
    return sorted(routes)


@pytest.fixture(scope="module")
def routes():
    return detail_routes()


@pytest.fixture
def world():
    police, advocacy = make_agency(AgencyKind.POLICE), make_agency(AgencyKind.ADVOCACY)
    officer, advocate = make_user(police), make_user(advocacy)
    case = CaseFactory(participants=[police, advocacy])
    order = make_order(case, police, officer)
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)
    objects = {
        "marac": case.marac,
        "transfer": request_transfer(case, to_marac=make_marac(), reason="moved_permanently", by=coordinator),
        "spo-request": record_spo_request(case, agency=advocacy, by=advocate, requested_on=timezone.localdate()),
        "agency": police, "user": officer, "referral": make_referral(user=officer), "case": case, "order": order,
        "requirement": make_requirement(order), "breach": make_breach(order),
        "support-plan": make_plan(case, advocacy, advocate),
        "meeting": make_meeting(cases=[case]),
        "action": ActionFactory(case=case, owner_agency=police),
        "notification": notify(agency=police, kind="action_overdue", message="Due.", dedupe_key="k", case=case),
        "audit-event": AuditEvent.objects.create(at=timezone.now(), user_id=officer.pk, agency_id=police.pk,
                                                 action="view", object_type="case", object_id=str(case.pk)),
    }
    assert set(objects) == KINDS
    return police, officer, advocate, objects


def url_of(name: str, obj, police) -> str:
    kwargs = {"pk": obj.pk}
    if "agency_id" in next(p for p in router.urls if p.name == name).pattern.regex.groupindex:
        kwargs["agency_id"] = police.pk
    return reverse(name, kwargs=kwargs)


KINDS = {"agency", "user", "referral", "case", "order", "requirement", "breach", "support-plan", "meeting", "action",
         "notification", "audit-event", "marac", "transfer", "spo-request"}


def test_every_detail_route_is_checked():
    assert {basename for basename, _ in detail_routes()} <= KINDS


@pytest.mark.parametrize("caller", ["outsider", "officer", "advocate"])
def test_options_on_an_object_answers_404_outside_the_slice_like_get(api, world, routes, caller):
    police, officer, advocate, objects = world
    user = {"outsider": make_user(make_agency(AgencyKind.HOUSING), Role.PRACTITIONER), "officer": officer,
            "advocate": advocate}[caller]
    client = api(user)
    for basename, name in routes:
        obj = objects[basename]
        expected = client.get(reverse(f"{basename}-detail", kwargs={"pk": obj.pk})).status_code
        assert expected in (200, 404)
        response = client.options(url_of(name, obj, police))
        assert response.status_code == expected, (name, caller, response.status_code, expected)
    if caller == "outsider":
        assert client.options(url_of("case-detail", objects["case"], police)).status_code == 404


def test_options_on_a_nested_route_of_a_case_outside_the_slice_is_404(api, world):
    police, officer, advocate, objects = world
    outsider = api(make_user(make_agency(AgencyKind.HOUSING)))
    case = objects["case"]
    assert outsider.options(f"/api/v1/cases/{case.pk}/research/").status_code == 404
    assert api(officer).options(f"/api/v1/cases/{case.pk}/research/").status_code == 200


def test_options_writes_no_audit_event(api, world):
    police, officer, advocate, objects = world
    assert api(officer).options(f"/api/v1/cases/{objects['case'].pk}/").status_code == 200
    assert not AuditEvent.objects.exclude(pk=objects["audit-event"].pk).exists()
