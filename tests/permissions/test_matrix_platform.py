"""The permission matrix for accounts, referrals and cases, generated from the policy
table: every endpoint x every role x every agency kind x inside/outside the slice. One
world per class of caller; every endpoint and every row-level check below run in it,
each in a savepoint rolled back (tests/permissions/matrix.assert_world_follows_policy)."""

import pytest
from django.utils import timezone

from marac.cases.models import (
    Incident,
    RepeatFlag,
    ResearchContribution,
    VictimDetailChange,
)
from marac.cases.participants import add_participant
from marac.cases.services import SAFE_CONTACT_FIELDS, VICTIM_FIELDS_SHOWN_ON_CASE
from marac.referrals.services import accept_referral
from tests.factories import (
    IncidentFactory,
    ResearchFactory,
    make_referral,
    referral_payload,
)
from tests.permissions.matrix import (
    Endpoint,
    assert_world_follows_policy,
    build_world,
    case_facts,
    permits,
    principal_params,
    principals,
)

pytestmark = pytest.mark.django_db


def referral_facts(world):
    return {"own_agency": world.inside}


ENDPOINTS = [
    Endpoint("agency detail", "get", lambda w: f"/api/v1/agencies/{w.other.pk}/", "agency", "view", 200,
             obj_facts=lambda w: {"own_agency": False}),
    Endpoint("user detail", "get", lambda w: f"/api/v1/users/{w.other_user.pk}/", "user", "view", 200,
             obj_facts=lambda w: {"own_agency": False}),
    Endpoint("case detail", "get", lambda w: f"/api/v1/cases/{w.case.pk}/", "case", "view", 200,
             obj_facts=case_facts),
    Endpoint("add participant", "post", lambda w: f"/api/v1/cases/{w.case.pk}/participants/", "case",
             "manage_participants", 201, body=lambda w: {"agency": w.spare.pk}, obj_facts=case_facts),
    Endpoint("remove participant", "delete", lambda w: f"/api/v1/cases/{w.case.pk}/participants/{w.other.pk}/",
             "case", "manage_participants", 204, obj_facts=case_facts),
    Endpoint("list research", "get", lambda w: f"/api/v1/cases/{w.case.pk}/research/", "research", "view", 200,
             parent=("case", case_facts)),
    Endpoint("add research", "post", lambda w: f"/api/v1/cases/{w.case.pk}/research/", "research", "create", 201,
             body=lambda w: {"summary": "Known to us.", "shared_with_marac": False}, parent=("case", case_facts)),
    Endpoint("list incidents", "get", lambda w: f"/api/v1/cases/{w.case.pk}/incidents/", "incident", "view", 200,
             parent=("case", case_facts)),
    Endpoint("log incident", "post", lambda w: f"/api/v1/cases/{w.case.pk}/incidents/", "incident", "create", 201,
             body=lambda w: {"occurred_at": "2024-05-01T21:30:00+01:00", "behaviour": "loitering",
                             "description": "Waiting outside the house."},
             parent=("case", case_facts)),
    Endpoint("referral detail", "get", lambda w: f"/api/v1/referrals/{w.referral.pk}/", "referral", "view", 200,
             obj_facts=referral_facts),
    Endpoint("accept referral", "post", lambda w: f"/api/v1/referrals/{w.referral.pk}/accept/", "referral",
             "triage", 200, body=lambda w: {}, obj_facts=referral_facts),
    Endpoint("link referral", "post", lambda w: f"/api/v1/referrals/{w.referral.pk}/link/", "referral",
             "triage", 200, body=lambda w: {"case": None}, obj_facts=referral_facts),
    Endpoint("victim history", "get", lambda w: f"/api/v1/cases/{w.case.pk}/victim-history/", "victim_history",
             "view", 200, parent=("case", case_facts)),
    Endpoint("decline referral", "post", lambda w: f"/api/v1/referrals/{w.referral.pk}/decline/", "referral",
             "triage", 200, body=lambda w: {"reason": "Below threshold."}, obj_facts=referral_facts),
    Endpoint("submit referral", "post", lambda w: "/api/v1/referrals/", "referral", "create", 201,
             body=lambda w: referral_payload(marac=w.marac.pk, victim={
                 "first_name": "New", "last_name": "Person", "date_of_birth": "1991-02-03", "gender": "female"})),
    # The MARAC directory: everyone reads it; platform administrators write it.
    Endpoint("marac directory", "get", lambda w: "/api/v1/maracs/", "marac", "view", 200),
    Endpoint("marac detail", "get", lambda w: f"/api/v1/maracs/{w.marac.pk}/", "marac", "view", 200,
             obj_facts=lambda w: {}),
    Endpoint("record marac", "post", lambda w: "/api/v1/maracs/", "marac", "create", 201,
             body=lambda w: {"name": "Eastshire MARAC", "local_area": "Eastshire", "adult_female_population": 90000}),
    Endpoint("change marac", "patch", lambda w: f"/api/v1/maracs/{w.marac.pk}/", "marac", "change", 200,
             body=lambda w: {"local_area": "Northshire"}, obj_facts=lambda w: {}),
]


def lists_contain_exactly_the_policy_slice(client, world):
    role, kind = world.role, world.kind

    cases = client.get("/api/v1/cases/").json()["results"]
    assert [c["id"] for c in cases] == ([world.case.pk] if permits("case", "view", role, kind, case_facts(world)) else [])

    referrals = client.get("/api/v1/referrals/").json()["results"]
    expect_referral = permits("referral", "view", role, kind, {"own_agency": world.inside})
    assert [r["id"] for r in referrals] == ([world.referral.pk] if expect_referral else [])


def research_and_incident_rows_follow_policy(client, world):
    role, kind = world.role, world.kind
    rows = {
        "other shared": ResearchFactory(case=world.case, agency=world.other, shared_with_marac=True),
        "other unshared": ResearchFactory(case=world.case, agency=world.other, shared_with_marac=False),
    }
    if world.agency is not None:
        rows["own unshared"] = ResearchFactory(case=world.case, agency=world.agency, shared_with_marac=False)
    incident = IncidentFactory(case=world.case, agency=world.other)

    if not permits("case", "view", role, kind, case_facts(world)):
        assert client.get(f"/api/v1/cases/{world.case.pk}/research/").status_code == 404
        assert client.get(f"/api/v1/cases/{world.case.pk}/incidents/").status_code == 404
        return

    seen = {r["id"] for r in client.get(f"/api/v1/cases/{world.case.pk}/research/").json()["results"]}
    for label, row in rows.items():
        facts = {"participant": world.inside, "own_agency": row.agency_id == getattr(world.agency, "pk", None),
                 "shared": row.shared_with_marac}
        assert (row.pk in seen) == permits("research", "view", role, kind, facts), label
    assert ResearchContribution.objects.filter(pk__in=seen).count() == len(seen)

    incidents = {i["id"] for i in client.get(f"/api/v1/cases/{world.case.pk}/incidents/").json()["results"]}
    assert (incident.pk in incidents) == permits("incident", "view", role, kind, {"participant": world.inside})
    assert Incident.objects.count() == 1


REPEAT_VICTIM = {"first_name": "Link", "last_name": "Tested", "date_of_birth": "1979-09-09", "gender": "female"}


def referral_case_link_follows_the_view_case_link_row(client, world):
    """The field-level slice of referrals, row by row in the list, the `?is_repeat=`
    filter and each detail: `is_repeat` and `case` exactly where the policy grants
    view_case_link, else false and null. Two repeats of one case: the caller's own
    agency's (when it has one) and another agency's; the caller's agency is on the case
    when inside."""
    role, kind = world.role, world.kind
    case = accept_referral(make_referral(user=world.other_user, victim=dict(REPEAT_VICTIM)), by=world.other_user).case
    if world.inside:
        add_participant(case, world.agency)
    repeats = [(make_referral(user=world.other_user, victim=dict(REPEAT_VICTIM)), False)]
    if world.agency is not None:
        repeats.append((make_referral(user=world.actor, victim=dict(REPEAT_VICTIM)), True))
    listed = {row["id"]: row for row in client.get("/api/v1/referrals/").json()["results"]}
    shown_as_repeats = {row["id"] for row in client.get("/api/v1/referrals/?is_repeat=true").json()["results"]}

    expected_repeats = set()
    for referral, own in repeats:
        assert (referral.is_repeat, referral.case_id) == (True, case.pk)
        facts = {"own_agency": own, "participant": world.inside}
        if not permits("referral", "view", role, kind, facts):
            assert referral.pk not in listed
            continue
        may_see_link = permits("referral", "view_case_link", role, kind, facts)
        expected_repeats |= {referral.pk} if may_see_link else set()
        detail = client.get(f"/api/v1/referrals/{referral.pk}/").json()
        for data in (listed[referral.pk], detail):
            assert (data["is_repeat"], data["case"]) == ((True, case.pk) if may_see_link else (False, None)), own
    assert shown_as_repeats == expected_repeats


def victim_history_rows_follow_the_victim_history_row(client, world):
    """Each change row by the policy: the fields the case shows its participants to
    them; every field to the roles that reach all of it, the safe contact's history only
    to those who may also see the safe contact on the case (case.view_safe_contact; the
    world's case was not referred by the caller)."""
    role, kind = world.role, world.kind
    now = timezone.now()
    rows = {field: VictimDetailChange.objects.create(case=world.case, field=field, old_value="a", new_value="b",
                                                     shown_on_case=field in VICTIM_FIELDS_SHOWN_ON_CASE,
                                                     recorded_at=now)
            for field in ("postcode", "safe_contact", "ethnicity")}
    response = client.get(f"/api/v1/cases/{world.case.pk}/victim-history/")
    if not permits("case", "view", role, kind, case_facts(world)):
        assert response.status_code == 404
        return
    seen = {row["field"] for row in response.json()["results"]}
    for field, row in rows.items():
        sees_safe_contact = field not in SAFE_CONTACT_FIELDS or permits(
            "case", "view_safe_contact", role, kind, {"participant": world.inside, "referrer": False})
        facts = {"participant": world.inside, "shared": row.shown_on_case, "sees_safe_contact": sees_safe_contact}
        assert (field in seen) == permits("victim_history", "view", role, kind, facts), field


def referral_triage_fields_follow_the_view_duplicates_row(client, world):
    """`possible_duplicate_of` (and the likely matches and link decision with it) row by
    row: filled exactly where the policy grants view_duplicates, else empty."""
    role, kind = world.role, world.kind
    duplicate = make_referral(user=world.other_user)  # the same victim as the world's referral, also pending
    listed = {row["id"]: row for row in client.get("/api/v1/referrals/").json()["results"]}
    for referral, own in ((world.referral, world.inside), (duplicate, False)):
        facts = {"own_agency": own, "participant": False}
        if not permits("referral", "view", role, kind, facts):
            assert referral.pk not in listed
            continue
        expected = sorted({world.referral.pk, duplicate.pk} - {referral.pk})
        shown = expected if permits("referral", "view_duplicates", role, kind, facts) else []
        for data in (listed[referral.pk], client.get(f"/api/v1/referrals/{referral.pk}/").json()):
            assert data["possible_duplicate_of"] == shown


def test_view_duplicates_lies_within_view_case_link():
    """The referral viewset's serializer for view_duplicates shows the case link too."""
    for role, kind in principals():
        for facts in ({"own_agency": o, "participant": p} for o in (True, False) for p in (True, False)):
            if permits("referral", "view_duplicates", role, kind, facts):
                assert permits("referral", "view_case_link", role, kind, facts)


def case_repeat_flag_follows_the_view_repeat_flag_row(client, world):
    role, kind = world.role, world.kind
    RepeatFlag.objects.create(case=world.case, reason="Further incident.", last_referred_at=timezone.now())
    if not permits("case", "view", role, kind, case_facts(world)):
        assert client.get(f"/api/v1/cases/{world.case.pk}/").status_code == 404
        return
    may_see = permits("case", "view_repeat_flag", role, kind, case_facts(world))
    flag = client.get(f"/api/v1/cases/{world.case.pk}/").json()["repeat_flag"]
    assert (flag is not None) == may_see
    flagged = [row["id"] for row in client.get("/api/v1/cases/?flagged_repeat=true").json()["results"]]
    assert flagged == ([world.case.pk] if may_see else [])


ROW_CHECKS = [
    lists_contain_exactly_the_policy_slice,
    research_and_incident_rows_follow_policy,
    referral_case_link_follows_the_view_case_link_row,
    victim_history_rows_follow_the_victim_history_row,
    referral_triage_fields_follow_the_view_duplicates_row,
    case_repeat_flag_follows_the_view_repeat_flag_row,
]


@pytest.mark.parametrize("role,kind,inside", principal_params())
def test_endpoints_and_rows_follow_policy(api, role, kind, inside):
    world = build_world(role, kind, inside)
    assert_world_follows_policy(api(world.actor), world, ENDPOINTS, checks=ROW_CHECKS)
