"""Meeting packs: built in the background, JSON + PDF, for the chair and coordinators."""

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from marac.agencies.models import AgencyKind
from marac.meetings import packs
from marac.meetings.models import ActionCarryOver, MeetingPack
from marac.meetings.pack_sections import register_pack_section, unregister_pack_section
from marac.meetings.services import add_to_agenda
from tests.factories import CaseFactory, ResearchFactory, make_agency, make_user
from tests.meetings.helpers import ActionFactory, make_coordinator, make_meeting

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world():
    police, health = make_agency(AgencyKind.POLICE), make_agency(AgencyKind.HEALTH)
    case = CaseFactory(participants=[police, health], summary="Threats to kill after separation.", risk_score=17,
                       is_repeat=True)
    earlier = make_meeting(on=TODAY - timedelta(days=28), cases=[case])
    carried = ActionFactory(case=case, meeting=earlier, owner_agency=police, description="Flag the address.",
                            due_date=TODAY - timedelta(days=2))
    meeting = make_meeting(on=TODAY + timedelta(days=3))
    add_to_agenda(meeting, case)
    ActionCarryOver.objects.filter(action=carried).update(reason="agency_did_not_act")
    ResearchFactory(case=case, agency=police, shared_with_marac=True, summary="Several call-outs this month.")
    ResearchFactory(case=case, agency=health, shared_with_marac=False, summary="SECRET-HEALTH-DETAIL")
    return police, health, case, meeting, carried


@pytest.fixture
def queued():
    """A broker is configured: builds run in the background, not in the request."""
    from marac.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = saved


def request(client, meeting, capture):
    with capture(execute=True) as callbacks:
        response = client.post(f"/api/v1/meetings/{meeting.pk}/pack/")
    return response, callbacks


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def test_chair_builds_and_downloads_a_correct_pack(api, world, settings, django_capture_on_commit_callbacks):
    police, health, case, meeting, carried = world
    client = api(meeting.chair)
    response, callbacks = request(client, meeting, django_capture_on_commit_callbacks)
    assert response.status_code == 200 and response.json()["status"] == "ready"
    assert len(callbacks) == 1

    status = client.get(f"/api/v1/meetings/{meeting.pk}/pack/").json()
    assert status["status"] == "ready" and status["generated_at"]
    assert status["pdf"].endswith(f"/api/v1/meetings/{meeting.pk}/pack/pdf/")
    assert status["json"].endswith(f"/api/v1/meetings/{meeting.pk}/pack/json/")

    document = json.loads(b"".join(client.get(f"/api/v1/meetings/{meeting.pk}/pack/json/").streaming_content))
    assert document["cover"] == {"marac": settings.MARAC_NAME, "meeting": meeting.pk, "date": meeting.date.isoformat(),
                                 "chair": meeting.chair.username, "chair_agency": meeting.chair.membership.agency.name,
                                 "confidentiality_statement": "Confidential to the MARAC.",
                                 "agencies_present": [], "apologies": []}
    assert document["agenda"] == [{"position": 1, "case": case.pk, "reference": case.reference}]
    (entry,) = document["cases"]
    assert (entry["summary"], entry["risk_score"], entry["is_repeat"]) == ("Threats to kill after separation.", 17, True)
    assert [r["summary"] for r in entry["research"]] == ["Several call-outs this month."]
    assert [(a["id"], a["carry_over_reason"]) for a in entry["carried_over_actions"]] == [
        (carried.pk, "agency_did_not_act")]
    assert entry["open_actions"] == []
    assert "SECRET-HEALTH-DETAIL" not in json.dumps(document)

    pdf = client.get(f"/api/v1/meetings/{meeting.pk}/pack/pdf/", HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    text = pdf_text(b"".join(pdf.streaming_content))
    for expected in (settings.MARAC_NAME, case.reference, "Several call-outs this month.", "Flag the address.",
                     "Agency did not act", "REPEAT", "Confidential to the MARAC."):
        assert expected in text, expected
    assert "SECRET-HEALTH-DETAIL" not in text

    pack = MeetingPack.objects.get()
    assert (Path(settings.MEDIA_ROOT) / pack.pdf.name).is_file() and (Path(settings.MEDIA_ROOT) / pack.json.name).is_file()


def test_post_answers_202_while_the_build_is_pending(api, world, queued, django_capture_on_commit_callbacks):
    *_, meeting, _ = world
    response, callbacks = request(api(meeting.chair), meeting, django_capture_on_commit_callbacks)
    assert response.status_code == 202 and response.json()["status"] == "pending" and len(callbacks) == 1
    assert MeetingPack.objects.get().status == "pending"


def test_post_answers_ready_when_the_pack_was_built_in_the_request(api, world, django_capture_on_commit_callbacks):
    """No broker (the embedded default): the build runs in the request, and the answer says so."""
    *_, meeting, _ = world
    client = api(make_coordinator())
    response, _ = request(client, meeting, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready" and body["pdf"] and body["json"] and body["signed"] is False
    assert client.get(f"/api/v1/meetings/{meeting.pk}/pack/pdf/").status_code == 200


def test_a_second_request_while_pending_starts_no_second_build(api, world, queued, django_capture_on_commit_callbacks):
    *_, meeting, _ = world
    client = api(make_coordinator())
    with django_capture_on_commit_callbacks(execute=False) as first:
        assert client.post(f"/api/v1/meetings/{meeting.pk}/pack/").status_code == 202
    with django_capture_on_commit_callbacks(execute=False) as second:
        again = client.post(f"/api/v1/meetings/{meeting.pk}/pack/")
    assert again.status_code == 202 and again.json()["status"] == "pending"
    assert (len(first), len(second)) == (1, 0)
    assert MeetingPack.objects.count() == 1


def test_unchanged_data_reuses_the_ready_pack_and_changed_data_builds_a_fresh_one(
        api, world, django_capture_on_commit_callbacks):
    police, _, case, meeting, _ = world
    client = api(meeting.chair)
    first, _ = request(client, meeting, django_capture_on_commit_callbacks)
    same, callbacks = request(client, meeting, django_capture_on_commit_callbacks)
    assert same.status_code == 200 and same.json()["id"] == first.json()["id"] and not callbacks

    ResearchFactory(case=case, agency=police, shared_with_marac=True, summary="New: perpetrator released.")
    fresh, callbacks = request(client, meeting, django_capture_on_commit_callbacks)
    assert fresh.status_code == 200 and fresh.json()["id"] != first.json()["id"] and len(callbacks) == 1
    document = json.loads(b"".join(client.get(f"/api/v1/meetings/{meeting.pk}/pack/json/").streaming_content))
    assert "New: perpetrator released." in json.dumps(document)


def test_agency_only_research_change_does_not_rebuild(api, world, django_capture_on_commit_callbacks):
    _, health, case, meeting, _ = world
    client = api(meeting.chair)
    request(client, meeting, django_capture_on_commit_callbacks)
    ResearchFactory(case=case, agency=health, shared_with_marac=False, summary="More health detail.")
    again, callbacks = request(client, meeting, django_capture_on_commit_callbacks)
    assert again.status_code == 200 and not callbacks


def test_a_failed_build_reports_why_and_a_new_request_retries(api, world, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    *_, meeting, _ = world
    client = api(meeting.chair)

    def broken(document):
        raise OSError("disk full")

    monkeypatch.setattr(packs, "render_pdf", broken)
    failed, _ = request(client, meeting, django_capture_on_commit_callbacks)
    assert failed.status_code == 200 and failed.json()["status"] == "failed"
    status = client.get(f"/api/v1/meetings/{meeting.pk}/pack/").json()
    assert status["status"] == "failed" and "disk full" in status["reason"] and status["pdf"] is None
    assert client.get(f"/api/v1/meetings/{meeting.pk}/pack/pdf/").status_code == 404

    monkeypatch.undo()
    retry, callbacks = request(client, meeting, django_capture_on_commit_callbacks)
    assert retry.status_code == 200 and retry.json()["status"] == "ready" and len(callbacks) == 1
    assert client.get(f"/api/v1/meetings/{meeting.pk}/pack/").json()["status"] == "ready"


def test_the_build_task_is_idempotent(world):
    *_, meeting, _ = world
    pack = MeetingPack.objects.create(meeting=meeting, requested_by=meeting.chair, fingerprint="")
    assert packs.build_pack(pack.pk) == "ready"
    pack.refresh_from_db()
    first = (pack.pdf.name, pack.json.name, pack.generated_at)
    assert packs.build_pack(pack.pk) == "ready"
    pack.refresh_from_db()
    assert (pack.pdf.name, pack.json.name, pack.generated_at) == first
    assert packs.build_pack(987654) is None


def test_packs_are_hidden_from_agencies_on_the_meetings_cases(api, world, django_capture_on_commit_callbacks):
    police, *_, meeting, _ = world
    request(api(meeting.chair), meeting, django_capture_on_commit_callbacks)
    for user in (make_user(police), make_user(make_agency(AgencyKind.HOUSING))):
        client = api(user)
        for suffix in ("", "pdf/", "json/"):
            assert client.get(f"/api/v1/meetings/{meeting.pk}/pack/{suffix}").status_code == 404
        refused = client.get(f"/api/v1/meetings/{meeting.pk}/pack/pdf/", HTTP_ACCEPT="application/pdf")
        assert refused.status_code == 404 and b"%PDF" not in refused.content
        assert client.post(f"/api/v1/meetings/{meeting.pk}/pack/").status_code == 404
    assert api().get(f"/api/v1/meetings/{meeting.pk}/pack/pdf/").status_code == 401
    assert MeetingPack.objects.count() == 1


def test_no_pack_yet_is_404_for_those_allowed(api, world):
    *_, meeting, _ = world
    assert api(meeting.chair).get(f"/api/v1/meetings/{meeting.pk}/pack/").status_code == 404


def test_registered_pack_sections_appear_per_case(api, world, django_capture_on_commit_callbacks):
    _, _, case, meeting, _ = world
    calls = []

    def probation_summary(case_ids):
        calls.append(list(case_ids))
        return {case.pk: {"lines": ["Supervision order until 2029-01-01."], "officers": 1}}

    register_pack_section("test_probation", "Probation", probation_summary)
    try:
        client = api(meeting.chair)
        request(client, meeting, django_capture_on_commit_callbacks)
        document = json.loads(b"".join(client.get(f"/api/v1/meetings/{meeting.pk}/pack/json/").streaming_content))
        pdf = pdf_text(b"".join(client.get(f"/api/v1/meetings/{meeting.pk}/pack/pdf/").streaming_content))
    finally:
        unregister_pack_section("test_probation")
    assert document["cases"][0]["sections"]["test_probation"] == {
        "title": "Probation", "lines": ["Supervision order until 2029-01-01."], "officers": 1}
    assert "Supervision order until" in pdf
    assert all(ids == [case.pk] for ids in calls)  # one call per document, all cases at once


def test_pack_document_queries_do_not_grow_with_cases(django_assert_max_num_queries):
    agencies = [make_agency(AgencyKind.POLICE), make_agency(AgencyKind.HOUSING)]
    for n in (2, 20):
        cases = [CaseFactory(participants=agencies) for _ in range(n)]
        meeting = make_meeting(cases=cases)
        for case in cases:
            ResearchFactory(case=case, agency=agencies[0])
            ActionFactory(case=case, meeting=meeting, owner_agency=agencies[1])
        with django_assert_max_num_queries(13):  # one per registered section (SPO summary: 3, SPO requests: 1, transfers: 1)
            document = packs.pack_document(meeting)
        assert len(document["cases"]) == n and all(c["research"] and c["open_actions"] for c in document["cases"])


@pytest.mark.parametrize("how", [{"HTTP_ACCEPT": "application/pdf"}, {"QUERY_STRING": "format=pdf"}])
def test_pack_pdf_errors_are_json_even_when_pdf_was_asked_for(api, how):
    coordinator = make_user(make_agency("marac_coordination"), "coordinator")
    response = api(coordinator).get("/api/v1/meetings/999999/pack/pdf/", **how)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
