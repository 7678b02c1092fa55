"""The permission matrix for the people on a case, generated from the policy table:
every role x agency kind x inside/outside the case x referrer or not. The victim's safe
contact follows case.view_safe_contact (and referral.view_safe_contact on the
referral), the children's dates of birth and schools case.view_children_in_full. One
world per class of caller, both checks run in it, each in a savepoint rolled back."""

import pytest

from marac.cases.models import Victim
from marac.cases.participants import remove_participant
from marac.cases.services import add_children
from marac.referrals.services import accept_referral
from tests.factories import CaseFactory, make_referral
from tests.permissions.matrix import (
    assert_world_follows_policy,
    build_world,
    permits,
    principal_params,
)

pytestmark = pytest.mark.django_db

SAFE_CONTACT = "Only via the IDVA's work phone, mornings."
SAFE_CONTACT_KEYS = {"safe_contact", "do_not_contact_via", "do_not_contact_note"}
SCHOOL = "Northshire Primary"


def _with_people(case):
    Victim.objects.filter(pk=case.victim_id).update(safe_contact=SAFE_CONTACT, do_not_contact_via=["post"],
                                                    do_not_contact_note="Not at work.")
    add_children([{"first_name": "Isla", "date_of_birth": "2018-04-05", "school": SCHOOL}], case=case)
    return case


def _cases(world):
    """(case, facts): the world's case (no referral), and, when the caller has an
    agency, a case it referred (an accepted referral; still on it when inside)."""
    cases = [(_with_people(world.case), {"participant": world.inside, "referrer": False})]
    if world.agency is not None:
        referred = accept_referral(make_referral(user=world.actor, victim={
            "first_name": "Referred", "last_name": "Byus", "date_of_birth": "1984-08-08", "gender": "female",
            "safe_contact": SAFE_CONTACT, "do_not_contact_via": ["post"]}), by=world.other_user).case
        if not world.inside:
            remove_participant(referred, world.agency)
        _with_people(referred)
        cases.append((referred, {"participant": world.inside, "referrer": True}))
    CaseFactory()  # a case nobody in the world is on
    return cases


def case_people_follow_the_view_safe_contact_and_view_children_in_full_rows(client, world):
    role, kind = world.role, world.kind
    cases = _cases(world)
    listed = {row["id"]: row for row in client.get("/api/v1/cases/").json()["results"]}
    for case, facts in cases:
        if not permits("case", "view", role, kind, facts):
            assert case.pk not in listed
            assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404
            continue
        may_see_contact = permits("case", "view_safe_contact", role, kind, facts)
        may_see_children = permits("case", "view_children_in_full", role, kind, facts)
        for body in (listed[case.pk], client.get(f"/api/v1/cases/{case.pk}/").json()):
            assert (SAFE_CONTACT_KEYS <= set(body["victim"])) == may_see_contact, facts
            assert (SAFE_CONTACT in str(body)) == may_see_contact, facts
            (child,) = body["children"]
            assert child["first_name"] == "Isla" and isinstance(child["age"], int)
            assert ({"date_of_birth", "school"} <= set(child)) == may_see_children, facts
            assert (SCHOOL in str(body)) == may_see_children, facts


def referral_safe_contact_follows_the_view_safe_contact_row(client, world):
    role, kind = world.role, world.kind
    Victim.objects.filter(pk=world.referral.victim_id).update(safe_contact=SAFE_CONTACT)
    facts = {"own_agency": world.inside}
    listed = {row["id"]: row for row in client.get("/api/v1/referrals/").json()["results"]}
    if not permits("referral", "view", role, kind, facts):
        assert world.referral.pk not in listed
        return
    may_see_contact = permits("referral", "view_safe_contact", role, kind, facts)
    for body in (listed[world.referral.pk], client.get(f"/api/v1/referrals/{world.referral.pk}/").json()):
        assert (SAFE_CONTACT_KEYS <= set(body["victim"])) == may_see_contact
        assert (SAFE_CONTACT in str(body)) == may_see_contact


@pytest.mark.parametrize("role,kind,inside", principal_params())
def test_people_follow_the_safe_contact_and_children_rows(api, role, kind, inside):
    world = build_world(role, kind, inside)
    assert_world_follows_policy(api(world.actor), world, checks=[
        case_people_follow_the_view_safe_contact_and_view_children_in_full_rows,
        referral_safe_contact_follows_the_view_safe_contact_row,
    ])
