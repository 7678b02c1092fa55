"""Repeat detection must not open another case (issue 10, item 1): a referral is what
its referrer wrote, and the link to an existing case is seen only by coordinators,
chairs and a referrer that is itself on that case."""

import importlib

import pytest
from django.apps import apps as django_apps

from marac.cases.models import Case, Perpetrator, Victim
from marac.cases.participants import add_participant
from marac.referrals.models import Referral
from marac.referrals.services import accept_referral
from tests.factories import make_agency, make_referral, make_user, referral_payload

pytestmark = pytest.mark.django_db

# What the MARAC holds about the victim on the existing case: none of it may reach an
# agency that only submits a referral with her name and date of birth.
CASE_VICTIM = {"first_name": "Jane", "last_name": "Doe", "date_of_birth": "1988-03-04", "gender": "female",
               "postcode": "SE1 9ZZ", "safe_contact": "Only through her sister, weekday mornings.",
               "ethnicity": "White and Black Caribbean", "minority_ethnic": True, "disability": True, "lgbt": True}
CASE_SECRETS = ("SE1 9ZZ", "Only through her sister", "White and Black Caribbean")

# What the second referrer knows and writes.
SUBMITTED_VICTIM = {"first_name": "Jane", "last_name": "Doe", "date_of_birth": "1988-03-04", "gender": "female",
                    "postcode": "NS1 1AA", "safe_contact": "", "do_not_contact_via": [], "do_not_contact_note": "",
                    "ethnicity": "", "minority_ethnic": None, "disability": None, "lgbt": None, "aliases": []}
SUBMITTED_PERPETRATOR = {"first_name": "Mark", "last_name": "Stone", "date_of_birth": "1980-05-06",
                         "relationship": "partner"}


@pytest.fixture
def coordinator():
    return make_user(make_agency("marac_coordination"), "coordinator")


@pytest.fixture
def chair():
    return make_user(make_agency("police"), "chair")


@pytest.fixture
def existing_case(coordinator):
    """Jane Doe's open case, referred by advocacy and accepted by the coordinator."""
    advocate = make_user(make_agency("advocacy"))
    return accept_referral(make_referral(user=advocate, victim=dict(CASE_VICTIM)), by=coordinator).case


@pytest.fixture
def referrer():
    return make_user(make_agency("housing"))


def submit_repeat(api, user):
    response = api(user).post("/api/v1/referrals/", referral_payload(victim=dict(SUBMITTED_VICTIM),
                                                                      perpetrator=dict(SUBMITTED_PERPETRATOR)),
                              format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def answers_about(api, user, referral_id):
    """The referral as the 201 body's reader would see it again: detail and list row."""
    client = api(user)
    detail = client.get(f"/api/v1/referrals/{referral_id}/")
    assert detail.status_code == 200, detail.json()
    (row,) = [r for r in client.get("/api/v1/referrals/").json()["results"] if r["id"] == referral_id]
    return [detail.json(), row]


def test_referrer_not_on_the_case_learns_nothing_of_the_existing_case(api, referrer, existing_case):
    created = submit_repeat(api, referrer)
    stored = Referral.objects.get(pk=created["id"])
    assert stored.is_repeat is True and stored.case_id == existing_case.pk  # detected, only not shown

    for body in [created, *answers_about(api, referrer, created["id"])]:
        assert body["is_repeat"] is False
        assert body["case"] is None
        assert body["victim"] == SUBMITTED_VICTIM
        assert not any(secret in str(body) for secret in CASE_SECRETS)
        assert existing_case.reference not in str(body)


def test_referrer_on_the_case_sees_the_link(api, referrer, existing_case):
    add_participant(existing_case, referrer.membership.agency)
    created = submit_repeat(api, referrer)
    for body in [created, *answers_about(api, referrer, created["id"])]:
        assert (body["is_repeat"], body["case"]) == (True, existing_case.pk)
        assert body["victim"] == SUBMITTED_VICTIM


def test_coordinators_and_chairs_see_the_repeat_link(api, referrer, existing_case, coordinator, chair):
    created = submit_repeat(api, referrer)
    for user, hidden in ((coordinator, ()), (chair, ("safe_contact", "do_not_contact_via", "do_not_contact_note"))):
        for body in answers_about(api, user, created["id"]):
            assert (body["is_repeat"], body["case"]) == (True, existing_case.pk)
            # Chairs see a referral without the safe contact (referral.view_safe_contact).
            assert body["victim"] == {k: v for k, v in SUBMITTED_VICTIM.items() if k not in hidden}


def test_repeat_flag_filter_reveals_no_link_the_referrer_cannot_see(api, referrer, existing_case, coordinator):
    repeat_id = submit_repeat(api, referrer)["id"]

    def ids(user, query):
        return [r["id"] for r in api(user).get(f"/api/v1/referrals/?is_repeat={query}").json()["results"]]

    assert ids(referrer, "true") == []
    assert ids(referrer, "false") == [repeat_id]
    assert ids(coordinator, "true") == [repeat_id]
    assert repeat_id not in ids(coordinator, "false")

    add_participant(existing_case, referrer.membership.agency)
    assert ids(referrer, "true") == [repeat_id]
    assert ids(referrer, "false") == []


def test_referral_keeps_exactly_the_people_submitted_in_its_own_rows(api, referrer, existing_case):
    referral = Referral.objects.get(pk=submit_repeat(api, referrer)["id"])
    assert referral.victim_id != existing_case.victim_id
    assert referral.perpetrator_id != existing_case.perpetrator_id
    victim = Victim.objects.filter(pk=referral.victim_id).values(*SUBMITTED_VICTIM).get()
    assert {**victim, "date_of_birth": victim["date_of_birth"].isoformat()} == SUBMITTED_VICTIM
    perpetrator = Perpetrator.objects.filter(pk=referral.perpetrator_id).values(*SUBMITTED_PERPETRATOR).get()
    assert {**perpetrator, "date_of_birth": perpetrator["date_of_birth"].isoformat()} == SUBMITTED_PERPETRATOR


def test_later_changes_to_the_case_victim_cannot_be_read_through_the_referral(api, coordinator):
    police = make_user(make_agency("police"))
    created = api(police).post("/api/v1/referrals/", referral_payload(), format="json").json()
    case_id = api(coordinator).post(f"/api/v1/referrals/{created['id']}/accept/", {}, format="json").json()["case"]
    case = Case.objects.select_related("victim", "perpetrator").get(pk=case_id)
    referral = Referral.objects.get(pk=created["id"])
    assert case.victim_id != referral.victim_id and case.perpetrator_id != referral.perpetrator_id

    case.victim.postcode, case.victim.safe_contact = "ZZ9 9ZZ", "Refuge: via the IDVA only."
    case.victim.save()
    case.perpetrator.first_name = "Renamed"
    case.perpetrator.save()
    for body in answers_about(api, police, created["id"]):
        assert body["case"] == case_id  # the referrer is on the case it referred
        assert body["victim"] == created["victim"] and body["perpetrator"] == created["perpetrator"]
        assert "ZZ9 9ZZ" not in str(body) and "Refuge" not in str(body) and "Renamed" not in str(body)


def test_a_repeat_changes_the_case_only_when_accepted(api, referrer, existing_case, coordinator):
    before = Victim.objects.get(pk=existing_case.victim_id)
    perpetrator = Perpetrator.objects.get(pk=existing_case.perpetrator_id)
    created = submit_repeat(api, referrer)
    assert Victim.objects.get(pk=existing_case.victim_id).postcode == CASE_VICTIM["postcode"]

    response = api(coordinator).post(f"/api/v1/referrals/{created['id']}/accept/", {}, format="json")
    assert response.status_code == 200, response.json()
    case = Case.objects.select_related("victim", "perpetrator").get(pk=existing_case.pk)
    assert response.json()["case"] == case.pk and case.is_repeat is True
    # The submitted details are now the case victim's current ones, on the case's own row...
    assert case.victim_id == before.pk and case.victim.postcode == SUBMITTED_VICTIM["postcode"]
    # ...and what the referrer left blank keeps what the case knew.
    assert (case.victim.safe_contact, case.victim.ethnicity, case.victim.lgbt) == (
        CASE_VICTIM["safe_contact"], CASE_VICTIM["ethnicity"], True)
    # The case keeps its perpetrator: the repeat's account stays on the referral.
    assert case.perpetrator_id == perpetrator.pk
    assert (case.perpetrator.first_name, case.perpetrator.last_name) == (perpetrator.first_name,
                                                                          perpetrator.last_name)
    assert Referral.objects.get(pk=created["id"]).perpetrator.first_name == SUBMITTED_PERPETRATOR["first_name"]
    # The referrer is now on the case, so it sees the link; still its own victim record.
    for body in answers_about(api, referrer, created["id"]):
        assert (body["is_repeat"], body["case"]) == (True, case.pk)
        assert body["victim"] == SUBMITTED_VICTIM


def _split_shared_people():
    return importlib.import_module("marac.referrals.migrations.0002_referrals_own_their_people").split_shared_people


def test_data_migration_gives_each_referral_its_own_people_and_drops_the_case_record(coordinator):
    """Rows shared the old way (a repeat pointing at its case's victim, an accepted
    referral's rows being its case's) are split; the case keeps its rows untouched."""
    first = accept_referral(make_referral(victim=dict(CASE_VICTIM)), by=coordinator)
    case = first.case
    repeat = make_referral(victim=dict(SUBMITTED_VICTIM), perpetrator=dict(SUBMITTED_PERPETRATOR))
    unrelated = make_referral(victim={**SUBMITTED_VICTIM, "first_name": "Ann"})
    unrelated_rows = (unrelated.victim_id, unrelated.perpetrator_id)
    # The state the old submit/accept left behind (the services no longer write it).
    Referral.objects.filter(pk=first.pk).update(victim=case.victim_id, perpetrator=case.perpetrator_id)
    Referral.objects.filter(pk=repeat.pk).update(victim=case.victim_id)
    case_rows = (case.victim_id, case.perpetrator_id)

    _split_shared_people()(django_apps, None)

    first.refresh_from_db()
    repeat.refresh_from_db()
    unrelated.refresh_from_db()
    case.refresh_from_db()
    assert (case.victim_id, case.perpetrator_id) == case_rows
    assert Victim.objects.get(pk=case.victim_id).postcode == CASE_VICTIM["postcode"]
    assert len({case.victim_id, first.victim_id, repeat.victim_id}) == 3
    assert first.perpetrator_id != case.perpetrator_id
    # The referral that created the case keeps a full copy of what it submitted.
    assert (first.victim.postcode, first.victim.safe_contact, first.victim.lgbt) == (
        CASE_VICTIM["postcode"], CASE_VICTIM["safe_contact"], True)
    assert first.perpetrator.first_name == case.perpetrator.first_name
    # A repeat's submitted victim was never stored: its copy holds only the identity
    # it was matched on, none of the case's record.
    assert (repeat.victim.first_name, repeat.victim.last_name, str(repeat.victim.date_of_birth)) == (
        "Jane", "Doe", "1988-03-04")
    assert (repeat.victim.gender, repeat.victim.postcode, repeat.victim.safe_contact, repeat.victim.ethnicity,
            repeat.victim.minority_ethnic, repeat.victim.disability, repeat.victim.lgbt) == (
        "not_known", "", "", "", None, None, None)
    assert repeat.perpetrator.first_name == SUBMITTED_PERPETRATOR["first_name"]
    assert (unrelated.victim_id, unrelated.perpetrator_id) == unrelated_rows

    rows = (Victim.objects.count(), Perpetrator.objects.count())
    _split_shared_people()(django_apps, None)
    assert (Victim.objects.count(), Perpetrator.objects.count()) == rows
