"""Children as people: a referral lists the children in the household (first name, date
of birth or age, school or nursery) besides their count; the case gets its own copies
on accept. Everyone who sees the referral sees them; on the case, children's services
participants, coordinators and chairs see them in full (case.view_children_in_full),
other participants name and age only."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from marac.agencies.models import AgencyKind, Role
from marac.cases.models import Case, Child
from marac.cases.participants import add_participant
from marac.referrals.models import Referral
from marac.referrals.services import accept_referral
from tests.factories import make_agency, make_referral, make_user, referral_payload

pytestmark = pytest.mark.django_db


def years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return born - timedelta(days=days)


MAYA_BORN = years_ago(7, days=30)
CHILDREN = [
    {"first_name": "Maya", "date_of_birth": MAYA_BORN.isoformat(), "school": "St Anne's Primary"},
    {"first_name": "Theo", "age": 2, "school": "Little Acorns Nursery"},
]
IN_FULL = [
    {"first_name": "Maya", "age": 7, "date_of_birth": MAYA_BORN.isoformat(), "school": "St Anne's Primary"},
    {"first_name": "Theo", "age": 2, "date_of_birth": None, "school": "Little Acorns Nursery"},
]
NAME_AND_AGE = [{"first_name": "Maya", "age": 7}, {"first_name": "Theo", "age": 2}]


@pytest.fixture
def coordinator():
    return make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)


@pytest.fixture
def referred(api, coordinator):
    """A police referral listing two children (count 3: one not named), accepted, with
    children's services, housing and advocacy on the case."""
    referrer = make_user(make_agency(AgencyKind.POLICE))
    response = api(referrer).post("/api/v1/referrals/", referral_payload(children=CHILDREN, children_in_household=3),
                                  format="json")
    assert response.status_code == 201, response.content
    referral = accept_referral(Referral.objects.get(pk=response.json()["id"]), by=coordinator)
    others = {kind: make_agency(kind) for kind in (AgencyKind.CHILDRENS_SERVICES, AgencyKind.HOUSING,
                                                    AgencyKind.ADVOCACY)}
    for agency in others.values():
        add_participant(referral.case, agency)
    users = {
        "children's services": make_user(others[AgencyKind.CHILDRENS_SERVICES]),
        "children's services manager": make_user(others[AgencyKind.CHILDRENS_SERVICES], Role.MANAGER),
        "coordinator": coordinator,
        "chair": make_user(make_agency(AgencyKind.HEALTH), Role.CHAIR),
        "referrer": referrer,
        "housing": make_user(others[AgencyKind.HOUSING]),
        "advocate": make_user(others[AgencyKind.ADVOCACY]),
    }
    return referral, users


IN_FULL_TO = {"children's services", "children's services manager", "coordinator", "chair"}


def test_childrens_services_coordinators_and_chairs_see_the_children_in_full_others_name_and_age(api, referred):
    referral, users = referred
    for label, user in users.items():
        client = api(user)
        (listed,) = [row for row in client.get("/api/v1/cases/").json()["results"] if row["id"] == referral.case_id]
        for body in (client.get(f"/api/v1/cases/{referral.case_id}/").json(), listed):
            assert body["children_in_household"] == 3
            assert body["children"] == (IN_FULL if label in IN_FULL_TO else NAME_AND_AGE), label


def test_a_referral_lists_the_children_to_everyone_who_sees_it(api, referred):
    referral, users = referred
    for label in ("referrer", "coordinator", "chair"):
        body = api(users[label]).get(f"/api/v1/referrals/{referral.pk}/").json()
        assert (body["children_in_household"], body["children"]) == (3, IN_FULL), label
    assert api(users["children's services"]).get(f"/api/v1/referrals/{referral.pk}/").status_code == 404


def test_the_case_gets_its_own_copies_of_the_children_on_accept(referred):
    referral, _ = referred
    on_referral = list(Child.objects.filter(referral=referral).values_list("pk", "first_name"))
    on_case = list(Child.objects.filter(case=referral.case).values_list("pk", "first_name"))
    assert [name for _, name in on_referral] == [name for _, name in on_case] == ["Maya", "Theo"]
    assert not {pk for pk, _ in on_referral} & {pk for pk, _ in on_case}
    Child.objects.filter(case=referral.case).update(school="Changed by the MARAC")
    assert set(Child.objects.filter(referral=referral).values_list("school", flat=True)) == {
        "St Anne's Primary", "Little Acorns Nursery"}


def test_a_childs_age_is_worked_out_from_the_date_of_birth_or_from_when_the_age_was_given(api, referred):
    referral, users = referred
    theo = Child.objects.get(case=referral.case, first_name="Theo")
    Child.objects.filter(pk=theo.pk).update(age_given_on=years_ago(3))  # "2" was said three years ago
    Child.objects.filter(case=referral.case, first_name="Maya").update(date_of_birth=years_ago(9, days=-1))
    children = api(users["housing"]).get(f"/api/v1/cases/{referral.case_id}/").json()["children"]
    # Maya turns 9 tomorrow: still 8. Theo is 5.
    assert children == [{"first_name": "Maya", "age": 8}, {"first_name": "Theo", "age": 5}]


def test_the_household_count_is_at_least_the_children_listed(api, coordinator):
    client = api(make_user())
    too_few = client.post("/api/v1/referrals/", referral_payload(children=CHILDREN, children_in_household=1),
                          format="json")
    assert too_few.status_code == 400
    assert list(too_few.json()) == ["children_in_household"]
    assert not Referral.objects.exists() and not Child.objects.exists()

    payload = referral_payload(children=CHILDREN)
    del payload["children_in_household"]
    counted = client.post("/api/v1/referrals/", payload, format="json")
    assert counted.status_code == 201, counted.content
    assert counted.json()["children_in_household"] == 2

    case = accept_referral(Referral.objects.get(pk=counted.json()["id"]), by=coordinator).case
    patch = api(coordinator).patch(f"/api/v1/cases/{case.pk}/", {"children_in_household": 1}, format="json")
    assert patch.status_code == 400
    assert list(patch.json()) == ["children_in_household"]
    assert Case.objects.get(pk=case.pk).children_in_household == 2


@pytest.mark.parametrize("child,field", [
    pytest.param({"first_name": "Ada", "date_of_birth": (timezone.localdate() + timedelta(days=1)).isoformat()},
                 "date_of_birth", id="born-tomorrow"),
    pytest.param({"first_name": "Ada", "date_of_birth": "1899-12-31"}, "date_of_birth", id="before-1900"),
    pytest.param({"first_name": "Ada", "date_of_birth": years_ago(18).isoformat()}, "date_of_birth", id="adult"),
    pytest.param({"first_name": "Ada", "age": 18}, "age", id="adult-by-age"),
    pytest.param({"first_name": "Ada", "age": -1}, "age", id="negative-age"),
    pytest.param({"first_name": "Ada"}, "date_of_birth", id="neither-born-nor-aged"),
    pytest.param({"first_name": "Ada", "date_of_birth": MAYA_BORN.isoformat(), "age": 3}, "age",
                 id="age-disagrees-with-birth"),
    pytest.param({"first_name": "  ", "age": 3}, "first_name", id="blank-name"),
    pytest.param({"first_name": "Ada", "age": 3, "shoe_size": 9}, "shoe_size", id="unknown-field"),
])
def test_a_child_is_a_child_with_a_plausible_date_of_birth_or_age(api, child, field):
    response = api(make_user()).post("/api/v1/referrals/", referral_payload(children=[CHILDREN[1], child]),
                                     format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["children"]
    assert list(errors) == ["1"] and field in errors["1"], errors  # the second child, by position
    assert not Referral.objects.exists() and not Child.objects.exists()


def test_a_repeat_adds_the_children_the_case_does_not_list(coordinator):
    first = accept_referral(make_referral(children=CHILDREN, children_in_household=2), by=coordinator)
    repeat = make_referral(children=[{"first_name": "maya", "date_of_birth": MAYA_BORN.isoformat()},
                                     {"first_name": "Noor", "age": 0}], children_in_household=2)
    assert repeat.case_id == first.case_id
    case = accept_referral(repeat, by=coordinator).case
    assert list(case.children.values_list("first_name", flat=True)) == ["Maya", "Theo", "Noor"]
    assert Case.objects.get(pk=case.pk).children_in_household == 3
