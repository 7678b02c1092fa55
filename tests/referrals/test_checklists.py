"""The DASH and S-DASH checklists: our short labels follow the published question
order, and clients can read them (with the scoring thresholds) to build a form."""

import pytest

from marac.audit.models import AuditEvent
from marac.referrals.checklists import DASH, SDASH
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


def test_dash_labels_follow_the_published_question_order():
    labels = DASH.labels
    assert "injur" in labels["1"]
    assert "afraid" in labels["2"]
    assert "separation" in labels["6"]
    assert "child contact" in labels["7"]
    assert "stalking" in labels["8"]
    assert "threats to kill" in labels["14"]
    assert "strangl" in labels["15"]
    assert "sexual" in labels["16"]
    assert "hurt others" in labels["18"]
    assert "animal" in labels["19"]
    assert "money" in labels["20"]
    assert "drugs, alcohol or mental health" in labels["21"]
    assert "suicide" in labels["22"]
    assert "breached" in labels["23"]
    assert "criminal history" in labels["24"]


def test_sdash_labels_follow_the_published_question_order():
    labels = SDASH.labels
    assert "afraid" in labels["1"]
    assert "property" in labels["3"]
    assert "unannounced" in labels["4"]
    assert "follows or loiters" in labels["5"]
    assert "threats" in labels["6"]
    assert "third parties" in labels["7"]
    assert "others to help" in labels["9"]
    assert "alcohol or drug" in labels["10"]
    assert "violent in the past" in labels["11"]


def test_every_label_is_a_few_words_of_our_own():
    for checklist in (DASH, SDASH):
        assert len(set(checklist.labels.values())) == len(checklist.labels)
        for label in checklist.labels.values():
            assert len(label.split()) <= 6 and "?" not in label, label


@pytest.mark.parametrize("tool", ["dash", "sdash"])
def test_any_signed_in_user_reads_a_checklist_without_an_audit_event(api, tool):
    response = api(make_user(make_agency("housing"))).get(f"/api/v1/checklists/{tool}/")
    assert response.status_code == 200
    body = response.json()
    checklist = {"dash": DASH, "sdash": SDASH}[tool]
    assert body["tool"] == tool and body["name"] == checklist.name
    assert body["questions"] == [{"number": int(n), "label": label} for n, label in checklist.labels.items()]
    assert body["thresholds"] == ({"high": 14, "medium": 10} if tool == "dash" else None)
    assert response["ETag"].startswith('"')
    assert not AuditEvent.objects.exists()


def test_the_checklists_are_listed_and_an_unknown_tool_is_404(api):
    client = api(make_user())
    assert [c["tool"] for c in client.get("/api/v1/checklists/").json()] == ["dash", "sdash"]
    assert client.get("/api/v1/checklists/oasys/").status_code == 404


def test_checklists_need_a_signed_in_user(api):
    assert api().get("/api/v1/checklists/dash/").status_code == 401
