"""The IDVA gets the safe contact details: how and when it is safe to contact the
victim, and the ways never to use, are shown on the case to its advocacy participants,
coordinators and the agency that referred it; nobody else (policy row
case.view_safe_contact). On the referral: its referrer and coordinators
(referral.view_safe_contact)."""

import json

import pytest

from marac.agencies.models import AgencyKind, Role
from marac.cases.models import Victim
from marac.cases.participants import add_participant
from marac.referrals.models import Referral
from marac.referrals.services import accept_referral
from tests.factories import make_agency, make_referral, make_user, referral_payload

pytestmark = pytest.mark.django_db

SAFE_CONTACT = "Text her mobile on weekdays between 10 and 2; say you are from the surgery."
NOTE = "He checks the family landline."
SAFE_CONTACT_KEYS = {"safe_contact", "do_not_contact_via", "do_not_contact_note"}
VICTIM = {"first_name": "Rosa", "last_name": "Lind", "date_of_birth": "1987-02-03", "gender": "female",
          "postcode": "NS2 2BB", "safe_contact": SAFE_CONTACT, "do_not_contact_via": ["home_visit", "post", "phone"],
          "do_not_contact_note": NOTE}


@pytest.fixture
def people():
    """A case referred by police, with advocacy, housing, health and children's services
    on it; a coordinator and a chair (a police chair, not of the referring force)."""
    police = make_agency(AgencyKind.POLICE)
    agencies = {kind: make_agency(kind) for kind in (AgencyKind.ADVOCACY, AgencyKind.HOUSING, AgencyKind.HEALTH,
                                                      AgencyKind.CHILDRENS_SERVICES, AgencyKind.PROBATION)}
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR)
    referrer = make_user(police)
    case = accept_referral(make_referral(user=referrer, victim=dict(VICTIM)), by=coordinator).case
    for agency in agencies.values():
        add_participant(case, agency)
    users = {
        "referrer (police practitioner)": referrer,
        "referrer's manager": make_user(police, Role.MANAGER),
        "advocate": make_user(agencies[AgencyKind.ADVOCACY]),
        "advocacy manager": make_user(agencies[AgencyKind.ADVOCACY], Role.MANAGER),
        "coordinator": coordinator,
        "chair": make_user(make_agency(AgencyKind.POLICE), Role.CHAIR),
        "housing": make_user(agencies[AgencyKind.HOUSING]),
        "health": make_user(agencies[AgencyKind.HEALTH]),
        "children's services": make_user(agencies[AgencyKind.CHILDRENS_SERVICES]),
        "probation": make_user(agencies[AgencyKind.PROBATION]),
    }
    return case, users


ALLOWED = {"referrer (police practitioner)", "referrer's manager", "advocate", "advocacy manager", "coordinator"}


def test_the_case_shows_the_safe_contact_to_its_advocates_coordinators_and_referrer_and_nobody_else(api, people):
    case, users = people
    for label, user in users.items():
        client = api(user)
        detail = client.get(f"/api/v1/cases/{case.pk}/")
        assert detail.status_code == 200, label
        (listed,) = [row for row in client.get("/api/v1/cases/").json()["results"] if row["id"] == case.pk]
        for body in (detail.json(), listed):
            if label in ALLOWED:
                assert body["victim"]["safe_contact"] == SAFE_CONTACT, label
                assert body["victim"]["do_not_contact_via"] == ["phone", "post", "home_visit"], label
                assert body["victim"]["do_not_contact_note"] == NOTE, label
            else:
                assert not SAFE_CONTACT_KEYS & set(body["victim"]), label
                assert SAFE_CONTACT not in json.dumps(body) and NOTE not in json.dumps(body), label


def test_the_safe_contact_is_copied_onto_the_case_on_accept(people):
    case, _ = people
    referral = Referral.objects.get(case=case)
    assert case.victim_id != referral.victim_id
    victim = Victim.objects.get(pk=case.victim_id)
    assert (victim.safe_contact, victim.do_not_contact_via, victim.do_not_contact_note) == (
        SAFE_CONTACT, ["phone", "post", "home_visit"], NOTE)


def test_an_advocate_who_cannot_open_the_referral_reads_the_safe_contact_on_the_case(api, people):
    case, users = people
    advocate = api(users["advocate"])
    assert advocate.get(f"/api/v1/referrals/{Referral.objects.get(case=case).pk}/").status_code == 404
    assert advocate.get(f"/api/v1/cases/{case.pk}/").json()["victim"]["safe_contact"] == SAFE_CONTACT


def test_an_agency_whose_referral_was_not_accepted_is_not_the_referrer(api, people):
    """Housing, on the case, submits a repeat referral: until a coordinator accepts it,
    housing did not refer the case and still does not see its safe contact."""
    case, users = people
    repeat = make_referral(user=users["housing"], victim=dict(VICTIM))
    assert (repeat.is_repeat, repeat.case_id) == (True, case.pk)
    housing = api(users["housing"])
    assert not SAFE_CONTACT_KEYS & set(housing.get(f"/api/v1/cases/{case.pk}/").json()["victim"])
    accept_referral(repeat, by=users["coordinator"])
    assert housing.get(f"/api/v1/cases/{case.pk}/").json()["victim"]["safe_contact"] == SAFE_CONTACT


def test_a_referral_shows_the_safe_contact_to_its_referrer_and_coordinators_not_chairs(api, people):
    case, users = people
    referral = Referral.objects.get(case=case)
    for label in ("referrer (police practitioner)", "referrer's manager", "coordinator", "chair"):
        client = api(users[label])
        (listed,) = [row for row in client.get("/api/v1/referrals/").json()["results"] if row["id"] == referral.pk]
        for body in (client.get(f"/api/v1/referrals/{referral.pk}/").json(), listed):
            if label == "chair":
                assert not SAFE_CONTACT_KEYS & set(body["victim"]), label
                assert SAFE_CONTACT not in json.dumps(body)
            else:
                assert body["victim"]["safe_contact"] == SAFE_CONTACT, label
                assert body["victim"]["do_not_contact_via"] == ["phone", "post", "home_visit"], label


def test_do_not_contact_via_takes_only_known_channels_each_once(api):
    client = api(make_user())
    unknown = client.post("/api/v1/referrals/", referral_payload(
        victim={**VICTIM, "do_not_contact_via": ["post", "carrier_pigeon"]}), format="json")
    assert unknown.status_code == 400
    assert list(unknown.json()) == ["victim"] and list(unknown.json()["victim"]) == ["do_not_contact_via"]
    assert not Referral.objects.exists()

    twice = client.post("/api/v1/referrals/", referral_payload(
        victim={**VICTIM, "do_not_contact_via": ["work", "email", "work"]}), format="json")
    assert twice.status_code == 201, twice.content
    assert twice.json()["victim"]["do_not_contact_via"] == ["email", "work"]


def test_the_demo_shows_the_advocate_the_safe_contact_and_childrens_services_the_children(api):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("seed_demo")
    users = {user.username: user for user in get_user_model().objects.all()}
    cases = {name: api(users[name]).get("/api/v1/cases/").json()["results"]
             for name in ("advocate", "housing", "childrens")}
    assert cases["advocate"] and all(SAFE_CONTACT_KEYS <= set(row["victim"]) for row in cases["advocate"])
    assert cases["housing"] and not any(SAFE_CONTACT_KEYS & set(row["victim"]) for row in cases["housing"])
    children = [child for row in cases["childrens"] for child in row["children"]]
    assert children and all("date_of_birth" in child for child in children)
    assert all(set(child) == {"first_name", "age"} for row in cases["housing"] for child in row["children"])
