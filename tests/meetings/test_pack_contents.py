"""What the printed meeting pack says: a document a chair can sign off. Human labels,
one date format, the chair's name and agency, per case the risk level (score and
tool), the repeat flag with the previous MARAC, children, carry-over reasons, overdue
actions, SPO breaches and requirement status, attendance, and the confidentiality
statement in every page's footer. The JSON keeps the values and ISO dates."""

import io
import json
import re
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.utils import timezone
from pypdf import PdfReader

from marac.agencies.models import AgencyKind, Role
from marac.cases.participants import add_participant
from marac.meetings import packs
from marac.meetings.models import ActionCarryOver
from marac.meetings.services import add_to_agenda, update_action
from marac.orders.models import Breach
from marac.referrals.services import accept_referral
from tests.factories import ResearchFactory, dash, make_agency, make_referral, make_user
from tests.meetings.helpers import ActionFactory, make_coordinator, make_meeting
from tests.orders.factories import make_breach, make_order, make_requirement

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
STATEMENT = "Shared under the Northshire MARAC information sharing agreement; do not pass on."


def long_date(day) -> str:
    return f"{day.day} {day:%B %Y}"


def pages_of(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def pack():
    police, housing = make_agency(AgencyKind.POLICE, "Northshire Police"), make_agency(AgencyKind.HOUSING,
                                                                                         "Northshire Homes")
    health = make_agency(AgencyKind.HEALTH, "Northshire NHS Trust")
    chair = make_user(police, Role.CHAIR, first_name="Jane", last_name="Marsh")
    referral = make_referral(agency=police, user=make_user(police), reason="visible_high_risk",
                             risk_checklist=dash(16), children_in_household=2, stalking=True)
    case = accept_referral(referral, by=make_coordinator()).case
    for agency in (housing, health):
        add_participant(case, agency)
    earlier = make_meeting(on=TODAY - timedelta(days=42), cases=[case])
    overdue = ActionFactory(case=case, meeting=earlier, owner_agency=housing, description="Fit a door alarm.",
                            due_date=TODAY - timedelta(days=3))
    working = ActionFactory(case=case, meeting=earlier, owner_agency=police, description="Flag the address.",
                            due_date=TODAY + timedelta(days=20))
    update_action(working, by=chair, status="in_progress", update="Started.")
    meeting = make_meeting(on=TODAY + timedelta(days=7), chair=chair)
    meeting.confidentiality_statement = STATEMENT
    meeting.save()
    add_to_agenda(meeting, case)
    ActionCarryOver.objects.filter(action__in=[overdue, working], meeting=meeting).update(
        reason="agency_did_not_act", note="Contractor not booked.")
    meeting.agencies_present.set([police, housing])
    meeting.apologies.set([health])
    for n in range(30):  # enough to run over several pages
        ResearchFactory(case=case, agency=police, shared_with_marac=True,
                        summary=f"Call-out {n}: " + "perpetrator seen near the victim's home, police attended. " * 3)
    order = make_order(case, police, make_user(police))
    make_requirement(order, kind="mental_health_assessment", due_date=TODAY + timedelta(days=30))
    breach = make_breach(order, description="BREACH-DESCRIPTION-SECRET")
    occurred = datetime(2026, 3, 4, 21, 30, tzinfo=dt_timezone.utc)
    Breach.objects.filter(pk=breach.pk).update(
        occurred_at=occurred, reported_at=occurred + timedelta(hours=1),
        first_response_at=occurred + timedelta(hours=4, minutes=20), status="investigating",
        police_response="POLICE-RESPONSE-SECRET")
    document = {"pack": 1, "generated_at": timezone.now(), "fingerprint": "f" * 64, **packs.pack_document(meeting)}
    return meeting, case, earlier, document, pages_of(packs.render_pdf(document))


def test_the_pack_prints_human_labels_never_raw_values(pack):
    *_, pages = pack
    text = " ".join(pages)
    assert "In progress" in text and "Agency did not act" in text
    for raw in ("in_progress", "agency_did_not_act", "mental_health_assessment", "investigating", "police_application"):
        assert raw not in text, raw


def test_the_pack_prints_one_date_format(pack):
    meeting, *_, pages = pack
    text = " ".join(pages)
    assert f"Meeting pack, {long_date(meeting.date)}" in text
    assert long_date(TODAY - timedelta(days=3)) in text  # the overdue action's due date
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text) and not re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b", text)


def test_the_json_keeps_values_and_iso_dates(pack):
    meeting, case, earlier, document, _ = pack
    data = json.loads(packs.to_json(document))
    assert data["cover"]["date"] == meeting.date.isoformat()
    (entry,) = data["cases"]
    assert entry["previous_marac"] == earlier.date.isoformat()
    assert {a["status"] for a in entry["carried_over_actions"]} == {"open", "in_progress"}
    assert {a["carry_over_reason"] for a in entry["carried_over_actions"]} == {"agency_did_not_act"}
    assert entry["risk"]["level"] == "high" and entry["risk"]["tool"] == "dash" and entry["risk"]["score"] == 16


def test_the_cover_names_the_marac_the_chair_and_the_chairs_agency(pack, settings):
    *_, pages = pack
    assert settings.MARAC_NAME in pages[0]
    assert "Chair: Jane Marsh, Northshire Police" in pages[0]


def test_the_chair_falls_back_to_the_username_without_a_full_name():
    chair = make_user(make_agency(AgencyKind.POLICE, "Westshire Police"), Role.CHAIR, username="chair-no-name")
    cover = packs.pack_document(make_meeting(chair=chair))["cover"]
    assert (cover["chair"], cover["chair_agency"]) == ("chair-no-name", "Westshire Police")


def test_each_case_shows_its_risk_level_with_score_and_tool_and_its_yes_answers(pack):
    *_, pages = pack
    text = " ".join(pages)
    assert "High risk (DASH score 16)" in text
    assert "14. threats to kill" in text and "16. sexual abuse" in text
    assert "17. someone else threatens victim" not in text  # answered "no"


def test_a_repeat_shows_the_previous_marac_date(pack):
    _, case, earlier, _, pages = pack
    case.refresh_from_db()
    assert f"previous MARAC {long_date(earlier.date)}" in " ".join(pages)


def test_children_and_carry_over_reasons_and_notes_are_shown(pack):
    *_, pages = pack
    text = " ".join(pages)
    assert "Children in the household: 2." in text
    assert "Why not completed: Agency did not act (Contractor not booked.)" in text


def test_overdue_actions_are_marked_and_only_they(pack):
    *_, pages = pack
    text = " ".join(pages)
    assert re.search(r"Fit a door alarm\. Northshire Homes, due [^:]+: Open, OVERDUE", text)
    assert re.search(r"Flag the address\. Northshire Police, due [^:]+: In progress\.", text)
    assert text.count("OVERDUE") == 1


def test_the_spo_summary_shows_breaches_with_dates_and_response_time_and_requirement_status(pack):
    *_, pages = pack
    text = " ".join(pages)
    assert "Breach on 4 March 2026, 21:30, reported 4 March 2026, 22:30: under investigation; " \
           "police responded in 3 h 20 min" in text
    assert "Requirement: mental health assessment, not started, due" in text
    assert "BREACH-DESCRIPTION-SECRET" not in text and "POLICE-RESPONSE-SECRET" not in text


def test_attendance_and_apologies_are_shown_when_recorded(pack):
    *_, pages = pack
    assert "Present: Northshire Homes, Northshire Police" in pages[0]
    assert "Apologies: Northshire NHS Trust" in pages[0]


def test_no_attendance_line_before_it_is_recorded():
    document = {"pack": 1, "generated_at": timezone.now(), **packs.pack_document(make_meeting())}
    assert "Present:" not in " ".join(pages_of(packs.render_pdf(document)))


def test_every_page_footer_carries_the_confidentiality_statement(pack):
    *_, pages = pack
    assert len(pages) >= 3
    for number, text in enumerate(pages, 1):
        assert STATEMENT in text, number
        assert f"Page {number} of {len(pages)}" in text


def test_children_are_named_with_their_age_never_their_date_of_birth_or_school(pack):
    from marac.cases.models import Child

    meeting, case, *_ = pack
    born = meeting.date.replace(year=meeting.date.year - 6)
    Child.objects.create(case=case, first_name="Amy", date_of_birth=born, school="SCHOOL-SECRET")
    Child.objects.create(case=case, first_name="Ben", age_given=3, age_given_on=meeting.date)
    document = {"pack": 1, "generated_at": timezone.now(), "fingerprint": "f" * 64, **packs.pack_document(meeting)}
    assert document["cases"][0]["children"] == [{"first_name": "Amy", "age": 6}, {"first_name": "Ben", "age": 3}]
    text = " ".join(pages_of(packs.render_pdf(document)))
    assert "Children in the household: 2 (Amy, 6; Ben, 3)." in text
    assert "SCHOOL-SECRET" not in text and "SCHOOL-SECRET" not in packs.to_json(document)
    assert born.isoformat() not in packs.to_json(document)
