import pytest

from marac.cases.models import Incident, ResearchContribution
from marac.cases.participants import is_participant, participant_agencies
from tests.factories import CaseFactory, ResearchFactory, make_agency, make_platform_admin, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    police, housing, health, advocacy = (make_agency(k) for k in ("police", "housing", "health", "advocacy"))
    case = CaseFactory(participants=[police, housing, health, advocacy])
    return {
        "case": case,
        "police": make_user(police), "housing": make_user(housing), "health": make_user(health),
        "advocate": make_user(advocacy),
        "outsider": make_user(make_agency("housing")),
        "coordinator": make_user(make_agency("marac_coordination"), "coordinator"),
        "chair": make_user(make_agency("police"), "chair"),
        "admin": make_platform_admin(),
    }


def test_case_detail_has_the_contract_fields(api, world):
    case = world["case"]
    body = api(world["housing"]).get(f"/api/v1/cases/{case.pk}/").json()
    assert set(body) >= {"id", "reference", "victim", "perpetrator", "children_in_household", "risk_score",
                         "is_repeat", "stalking", "status", "participants", "created_at"}
    assert body["participants"] == sorted(a.pk for a in participant_agencies(case))
    assert body["victim"]["first_name"] == case.victim.first_name
    assert body["status"] == "open"


def test_participants_coordinator_and_chair_see_the_case_outsiders_get_404(api, world):
    case = world["case"]
    for name in ("police", "housing", "health", "advocate", "coordinator", "chair"):
        assert api(world[name]).get(f"/api/v1/cases/{case.pk}/").status_code == 200, name
    for name in ("outsider", "admin"):
        assert api(world[name]).get(f"/api/v1/cases/{case.pk}/").status_code == 404, name
        assert api(world[name]).get("/api/v1/cases/").json()["results"] == [], name


def test_platform_admins_never_read_case_records(api, world):
    client = api(world["admin"])
    case = world["case"]
    for path in (f"/api/v1/cases/{case.pk}/", f"/api/v1/cases/{case.pk}/research/",
                 f"/api/v1/cases/{case.pk}/incidents/"):
        assert client.get(path).status_code == 404


def test_case_list_only_the_callers_slice_and_filters(api, world):
    mine_closed = CaseFactory(participants=[world["housing"].membership.agency], status="closed")
    CaseFactory(participants=[make_agency("police")])
    client = api(world["housing"])
    assert {c["id"] for c in client.get("/api/v1/cases/").json()["results"]} == {world["case"].pk, mine_closed.pk}
    assert [c["id"] for c in client.get("/api/v1/cases/?status=closed").json()["results"]] == [mine_closed.pk]


def test_coordinator_adds_participant_granting_its_slice(api, world):
    case, newcomer = world["case"], world["outsider"]
    assert api(newcomer).get(f"/api/v1/cases/{case.pk}/").status_code == 404
    response = api(world["coordinator"]).post(f"/api/v1/cases/{case.pk}/participants/",
                                              {"agency": newcomer.membership.agency_id}, format="json")
    assert response.status_code == 201
    assert newcomer.membership.agency_id in response.json()["participants"]
    assert api(newcomer).get(f"/api/v1/cases/{case.pk}/").status_code == 200
    again = api(world["coordinator"]).post(f"/api/v1/cases/{case.pk}/participants/",
                                           {"agency": newcomer.membership.agency_id}, format="json")
    assert again.status_code == 200


def test_coordinator_removes_participant_revoking_its_slice(api, world):
    case, housing = world["case"], world["housing"]
    response = api(world["coordinator"]).delete(f"/api/v1/cases/{case.pk}/participants/{housing.membership.agency_id}/")
    assert response.status_code == 204
    assert not is_participant(case, housing.membership.agency)
    assert api(housing).get(f"/api/v1/cases/{case.pk}/").status_code == 404
    again = api(world["coordinator"]).delete(f"/api/v1/cases/{case.pk}/participants/{housing.membership.agency_id}/")
    assert again.status_code == 404


def test_participants_cannot_change_who_is_on_the_case(api, world):
    case = world["case"]
    response = api(world["police"]).post(f"/api/v1/cases/{case.pk}/participants/",
                                         {"agency": world["outsider"].membership.agency_id}, format="json")
    assert response.status_code == 403
    assert not is_participant(case, world["outsider"].membership.agency)


@pytest.mark.parametrize("body", [{"agency": 999999}, {"agency": "police"}, {}])
def test_bad_participant_is_400(api, world, body):
    before = list(participant_agencies(world["case"]))
    response = api(world["coordinator"]).post(f"/api/v1/cases/{world['case'].pk}/participants/", body, format="json")
    assert response.status_code == 400 and "agency" in response.json()
    assert list(participant_agencies(world["case"])) == before


def test_agency_only_research_never_reaches_another_agency(api, world):
    case = world["case"]
    health_note = api(world["health"]).post(f"/api/v1/cases/{case.pk}/research/",
                                            {"summary": "Mental health detail.", "shared_with_marac": False},
                                            format="json")
    assert health_note.status_code == 201
    shared = ResearchFactory(case=case, agency=world["police"].membership.agency, shared_with_marac=True)
    seen_by = lambda name: {r["id"] for r in api(world[name]).get(f"/api/v1/cases/{case.pk}/research/").json()["results"]}  # noqa
    assert seen_by("health") == {health_note.json()["id"], shared.pk}
    for name in ("housing", "police", "advocate", "coordinator", "chair"):
        assert seen_by(name) == {shared.pk}, name


def test_research_records_author_and_agency(api, world):
    case = world["case"]
    response = api(world["housing"]).post(f"/api/v1/cases/{case.pk}/research/",
                                          {"summary": "Rent arrears; repairs reported.", "shared_with_marac": True,
                                           "withheld_note": "Neighbour complaint withheld: not risk-relevant."},
                                          format="json")
    assert response.status_code == 201
    row = ResearchContribution.objects.get()
    assert row.agency == world["housing"].membership.agency and row.author == world["housing"]


@pytest.mark.parametrize("body,field", [({"summary": "", "shared_with_marac": True}, "summary"),
                                        ({"summary": "x"}, "shared_with_marac"),
                                        ({"summary": "x", "shared_with_marac": "sometimes"}, "shared_with_marac"),
                                        ({"summary": "x", "shared_with_marac": True, "colour": 1}, "colour")])
def test_bad_research_is_400(api, world, body, field):
    response = api(world["housing"]).post(f"/api/v1/cases/{world['case'].pk}/research/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert ResearchContribution.objects.count() == 0


def test_research_agency_cannot_be_spoofed(api, world):
    police_agency = world["police"].membership.agency_id
    response = api(world["housing"]).post(f"/api/v1/cases/{world['case'].pk}/research/",
                                          {"summary": "x", "shared_with_marac": False, "agency": police_agency},
                                          format="json")
    assert response.status_code == 201
    assert response.json()["agency"] == world["housing"].membership.agency_id


def test_non_participants_cannot_add_research_even_if_they_see_the_case(api, world):
    response = api(world["coordinator"]).post(f"/api/v1/cases/{world['case'].pk}/research/",
                                              {"summary": "x", "shared_with_marac": True}, format="json")
    assert response.status_code == 403
    response = api(world["outsider"]).post(f"/api/v1/cases/{world['case'].pk}/research/",
                                           {"summary": "x", "shared_with_marac": True}, format="json")
    assert response.status_code == 404
    assert ResearchContribution.objects.count() == 0


@pytest.mark.parametrize("behaviour", ["following", "contacting", "publishing", "monitoring_online", "loitering",
                                       "interfering_with_property", "watching_or_spying", "other"])
def test_incident_log_records_the_s2a3_stalking_behaviours(api, world, behaviour):
    response = api(world["advocate"]).post(f"/api/v1/cases/{world['case'].pk}/incidents/",
                                           {"occurred_at": "2025-01-02T08:15:00Z", "behaviour": behaviour,
                                            "description": "Logged from the victim's diary.",
                                            "witnesses": "Neighbour", "evidence": "Screenshots held by ISA"},
                                           format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["behaviour"] == behaviour


def test_incident_log_is_for_police_and_advocacy_participants(api, world):
    case = world["case"]
    body = {"occurred_at": "2025-01-02T08:15:00Z", "behaviour": "following", "description": "Followed home."}
    assert api(world["police"]).post(f"/api/v1/cases/{case.pk}/incidents/", body, format="json").status_code == 201
    assert api(world["housing"]).post(f"/api/v1/cases/{case.pk}/incidents/", body, format="json").status_code == 403
    assert len(api(world["advocate"]).get(f"/api/v1/cases/{case.pk}/incidents/").json()["results"]) == 1
    assert api(world["housing"]).get(f"/api/v1/cases/{case.pk}/incidents/").json()["results"] == []


@pytest.mark.parametrize("body,field", [
    ({"occurred_at": "2999-01-01T00:00:00Z", "behaviour": "following", "description": "x"}, "occurred_at"),
    ({"occurred_at": "yesterday", "behaviour": "following", "description": "x"}, "occurred_at"),
    ({"occurred_at": "2025-01-01T00:00:00Z", "behaviour": "harassing", "description": "x"}, "behaviour"),
    ({"occurred_at": "2025-01-01T00:00:00Z", "behaviour": "following"}, "description"),
])
def test_bad_incident_is_400(api, world, body, field):
    response = api(world["police"]).post(f"/api/v1/cases/{world['case'].pk}/incidents/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert Incident.objects.count() == 0


@pytest.mark.parametrize("path", ["/api/v1/cases/abc/", "/api/v1/cases/0/", "/api/v1/cases/99999999/research/"])
def test_malformed_or_unknown_ids_are_404(api, world, path):
    assert api(world["coordinator"]).get(path).status_code == 404
