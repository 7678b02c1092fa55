"""Idempotency-Key on every POST through the base viewset."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marac.cases.models import ResearchContribution
from marac.idempotency.models import IdempotencyRecord
from marac.notifications.sweep import run_daily_sweep
from marac.referrals.models import Referral
from tests.factories import CaseFactory, make_agency, make_user, referral_payload

pytestmark = pytest.mark.django_db


def test_a_replay_returns_the_first_response_and_creates_nothing(api):
    client = api(make_user(make_agency()))
    body = referral_payload()
    first = client.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Referral.objects.count() == 1


def test_the_same_key_with_a_different_body_is_422_and_creates_nothing(api):
    client = api(make_user(make_agency()))
    assert client.post("/api/v1/referrals/", referral_payload(), format="json",
                       HTTP_IDEMPOTENCY_KEY="k-2").status_code == 201
    other = client.post("/api/v1/referrals/", referral_payload(summary="Different."), format="json",
                        HTTP_IDEMPOTENCY_KEY="k-2")
    assert other.status_code == 422
    assert Referral.objects.count() == 1


def test_keys_are_per_user(api):
    agency = make_agency()
    body = referral_payload()
    for user in (make_user(agency), make_user(agency)):
        assert api(user).post("/api/v1/referrals/", body, format="json",
                              HTTP_IDEMPOTENCY_KEY="shared").status_code == 201
    assert Referral.objects.count() == 2


def test_a_failed_request_does_not_consume_its_key(api):
    client = api(make_user(make_agency()))
    assert client.post("/api/v1/referrals/", {"summary": "x"}, format="json",
                       HTTP_IDEMPOTENCY_KEY="k-3").status_code == 400
    assert not IdempotencyRecord.objects.exists()
    assert client.post("/api/v1/referrals/", referral_payload(), format="json",
                       HTTP_IDEMPOTENCY_KEY="k-3").status_code == 201


def test_idempotency_covers_nested_creates_and_custom_actions(api):
    police = make_agency()
    user = make_user(police)
    case = CaseFactory(participants=[police])
    client = api(user)
    body = {"summary": "Known to us.", "shared_with_marac": True}
    for _ in range(3):
        assert client.post(f"/api/v1/cases/{case.pk}/research/", body, HTTP_IDEMPOTENCY_KEY="r").status_code == 201
    assert ResearchContribution.objects.count() == 1


def test_keys_expire_after_24_hours_and_the_sweep_removes_them(api):
    client = api(make_user(make_agency()))
    body = referral_payload()
    assert client.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="old").status_code == 201
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert run_daily_sweep()["expire_idempotency_keys"] == 1
    assert not IdempotencyRecord.objects.exists()
    assert client.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY="old").status_code == 201
    assert Referral.objects.count() == 2


def test_an_expired_key_is_reusable_even_before_the_sweep(api):
    client = api(make_user(make_agency()))
    assert client.post("/api/v1/referrals/", referral_payload(), format="json",
                       HTTP_IDEMPOTENCY_KEY="old").status_code == 201
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert client.post("/api/v1/referrals/", referral_payload(summary="New."), format="json",
                       HTTP_IDEMPOTENCY_KEY="old").status_code == 201


@pytest.mark.parametrize("key", ["", " ", "x" * 256])
def test_a_malformed_key_is_400(api, key):
    client = api(make_user(make_agency()))
    response = client.post("/api/v1/referrals/", referral_payload(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400 and "Idempotency-Key" in response.json()
    assert not Referral.objects.exists()
