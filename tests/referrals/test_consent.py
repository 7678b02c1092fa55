"""Consent: a referral shared without the victim's known consent records why."""

import pytest

from marac.cases.models import Victim
from marac.referrals.models import Referral
from tests.factories import make_user, referral_payload

pytestmark = pytest.mark.django_db

NO_CONSENT = [
    pytest.param({"victim_consented": False}, id="refused"),
    pytest.param({"victim_consented": None}, id="unknown"),
    pytest.param({}, id="not-stated"),
]


@pytest.mark.parametrize("consent", NO_CONSENT)
def test_sharing_without_consent_or_unknown_consent_needs_a_justification(api, consent):
    client = api(make_user())
    payload = {name: value for name, value in referral_payload(**consent).items()
               if name != "victim_consented" or consent}

    for blank in ("", "   "):
        response = client.post("/api/v1/referrals/", {**payload, "sharing_justification": blank}, format="json")
        assert response.status_code == 400, response.content
        assert list(response.json()) == ["sharing_justification"]
    assert not Referral.objects.exists() and not Victim.objects.exists()

    justified = {**payload, "sharing_justification": "Risk to life; asking would alert the perpetrator."}
    response = client.post("/api/v1/referrals/", justified, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["victim_consented"] is consent.get("victim_consented")


def test_sharing_with_consent_needs_no_justification(api):
    response = api(make_user()).post("/api/v1/referrals/", referral_payload(victim_consented=True), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["sharing_justification"] == ""
