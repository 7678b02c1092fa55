"""Fill a demo deployment of two MARACs (Northshire North and Northshire South): agencies
of every common kind, a coordinator and a chair for each MARAC, practitioners and
managers, referrals in each state, cases and meetings. The police force and the NHS
trust sit on both MARACs (they have cases in both)."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from marac.agencies.models import Agency, AgencyKind, Role
from marac.agencies.services import create_agency, create_user
from marac.cases.participants import add_participant
from marac.cases.services import add_research
from marac.maracs.services import create_marac
from marac.meetings.models import Meeting, MeetingStatus
from marac.meetings.services import add_to_agenda, carry_over_incomplete_actions, create_action, update_action
from marac.orders.services import add_requirement, create_order, minimum_last_day, record_spo_request, report_breach
from marac.referrals.services import accept_referral, submit_referral
from marac.support.services import create_plan
from marac.transfers.models import TransferReason
from marac.transfers.services import request_transfer

DEMO_PASSWORD = "marac-demo-2026"

AGENCIES = [
    ("Northshire Police", AgencyKind.POLICE),
    ("Northshire Advocacy Service", AgencyKind.ADVOCACY),
    ("Northshire Homes", AgencyKind.HOUSING),
    ("Northshire NHS Trust", AgencyKind.HEALTH),
    ("Northshire Children's Services", AgencyKind.CHILDRENS_SERVICES),
    ("Northshire Probation", AgencyKind.PROBATION),
    ("Northshire Stalking Intervention Programme", AgencyKind.INTERVENTION_PROVIDER),
    ("Northshire MARAC Coordination", AgencyKind.MARAC_COORDINATION),
    ("Northshire South MARAC Coordination", AgencyKind.MARAC_COORDINATION),
]

NORTH, SOUTH = "Northshire North MARAC", "Northshire South MARAC"
MARACS = [
    # name, local area, adult female population (SafeLives' volume benchmark)
    (NORTH, "Northshire North district", 98000),
    (SOUTH, "Northshire South district", 87000),
]

USERS = [
    # username, agency index, role
    ("coordinator", 7, Role.COORDINATOR),
    ("chair", 0, Role.CHAIR),
    ("police", 0, Role.PRACTITIONER),
    ("police_manager", 0, Role.MANAGER),
    ("advocate", 1, Role.PRACTITIONER),
    ("housing", 2, Role.PRACTITIONER),
    ("health", 3, Role.PRACTITIONER),
    ("childrens", 4, Role.PRACTITIONER),
    ("probation", 5, Role.PRACTITIONER),
    ("intervention", 6, Role.PRACTITIONER),
    ("coordinator_south", 8, Role.COORDINATOR),
    ("chair_south", 0, Role.CHAIR),
]

# The MARAC each coordinator and chair serves (everyone else serves none).
SERVES = {"coordinator": NORTH, "chair": NORTH, "coordinator_south": SOUTH, "chair_south": SOUTH}

# Every demo person has a name: the pack and the API show who did what.
FULL_NAMES = {
    "coordinator": ("Priya", "Sharma"),
    "chair": ("Helen", "Marsh"),
    "police": ("Tom", "Baker"),
    "police_manager": ("Sarah", "Collins"),
    "advocate": ("Aisha", "Rahman"),
    "housing": ("Gareth", "Evans"),
    "health": ("Nia", "Roberts"),
    "childrens": ("Chloe", "Bennett"),
    "probation": ("Marcus", "Reid"),
    "intervention": ("Joanna", "Price"),
    "coordinator_south": ("Owen", "Hughes"),
    "chair_south": ("Ruth", "Adeyemi"),
}


# The children named on the demo referrals (by referral position): as many as
# `children_in_household` (i % 3) counts.
DEMO_CHILDREN = {
    1: [{"first_name": "Chidi", "age": 4, "school": "Little Acorns Nursery"}],
    2: [{"first_name": "Lucia", "date_of_birth": date(2015, 3, 9), "school": "Northshire Primary"},
        {"first_name": "Mateo", "age": 2}],
}


def dash_answers(yes: int) -> dict[str, str]:
    return {str(n): ("yes" if n <= yes else "no") for n in range(1, 25)}


class Command(BaseCommand):
    help = "Load two demo MARACs (idempotent: does nothing if demo agencies exist)."

    def handle(self, *args, **options):
        if Agency.objects.filter(name=AGENCIES[0][0]).exists():
            self.stdout.write("Demo data already present.")
        else:
            with transaction.atomic():
                self.seed()
            self.stdout.write(self.style.SUCCESS("Demo MARACs loaded."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, index, role in USERS:
            serves = f" ({SERVES[username]})" if username in SERVES else ""
            self.stdout.write(f"  {username:<18} {role:<13} {AGENCIES[index][0]}{serves}")

    def seed(self):
        maracs = {name: create_marac(name=name, local_area=area, adult_female_population=population)
                  for name, area, population in MARACS}
        agencies = [create_agency(name=name, kind=kind) for name, kind in AGENCIES]
        users = {
            username: create_user(username=username, password=DEMO_PASSWORD, agency=agencies[index], role=role,
                                  email=f"{username}@example.org", first_name=FULL_NAMES[username][0],
                                  last_name=FULL_NAMES[username][1],
                                  maracs=[maracs[SERVES[username]]] if username in SERVES else None)
            for username, index, role in USERS
        }
        police, advocacy, housing, health, childrens = agencies[:5]
        north = maracs[NORTH]
        meeting = Meeting.objects.create(marac=north, date=timezone.localdate() + timedelta(days=14),
                                         chair=users["chair"], created_by=users["coordinator"])
        people = [
            ("Amelia", "Hart", date(1990, 4, 2), "female", 16, "visible_high_risk", True),
            ("Grace", "Okafor", date(1985, 9, 17), "female", 15, "visible_high_risk", False),
            ("Daniel", "Reyes", date(1979, 1, 30), "male", 9, "professional_judgement", True),
            ("Sofia", "Nowak", date(2001, 6, 11), "female", 12, "professional_judgement", False),
        ]
        cases = []
        for i, (first, last, dob, gender, yes, reason, stalking) in enumerate(people):
            referral = submit_referral(
                marac=north,
                agency=police if i % 2 == 0 else advocacy,
                user=users["police"] if i % 2 == 0 else users["advocate"],
                victim={"first_name": first, "last_name": last, "date_of_birth": dob, "gender": gender,
                        "postcode": "NS1 4AB", "safe_contact": "Mobile, weekdays 10am-2pm; say you are from the surgery.",
                        "do_not_contact_via": ["post", "home_visit"]},
                perpetrator={"first_name": "Partner", "last_name": f"of {first}", "date_of_birth": None,
                             "relationship": "ex_partner"},
                reason=reason,
                risk_checklist={"tool": "dash", "answers": dash_answers(yes)},
                children_in_household=i % 3,
                children=DEMO_CHILDREN.get(i, []),
                stalking=stalking,
                summary="Escalating abuse after separation." if stalking else "Controlling behaviour; threats.",
                victim_aware=True,
                victim_consented=True,
            )
            if i < 3:
                referral = accept_referral(referral, by=users["coordinator"], meeting=meeting)
                case = referral.case
                cases.append(case)
                for agency in (police, advocacy, housing, health) + ((childrens,) if i % 3 else ()):
                    add_participant(case, agency)
                add_research(case=case, agency=police, author=users["police"], shared_with_marac=True,
                             summary="Three call-outs in six months; perpetrator on bail.")
                add_research(case=case, agency=health, author=users["health"], shared_with_marac=False,
                             summary="Attended A&E twice (health detail kept within health).")
                add_research(case=case, agency=housing, author=users["housing"], shared_with_marac=True,
                             summary="Tenancy in victim's sole name; target hardening possible.")
                if i == 0:
                    self.seed_stalking_protection(case, agencies, users)
        self.seed_actions(users, meeting, cases[0], police, housing)
        self.seed_probation_breach_and_decline(cases, agencies, users)
        self.seed_south(maracs[SOUTH], agencies, users)
        self.seed_pending_transfer(cases[1], north, maracs[SOUTH], users)

    def seed_south(self, south, agencies, users):
        """Northshire South: a meeting chaired by its own chair, two cases the police
        and the NHS trust (who sit on both MARACs) are on, and a referral awaiting
        triage for a victim referred to Northshire North this year: its coordinator
        sees `previous_marac` (that MARAC's name and the date), nothing of the case."""
        police, advocacy, health = agencies[0], agencies[1], agencies[3]
        meeting = Meeting.objects.create(marac=south, date=timezone.localdate() + timedelta(days=10),
                                         chair=users["chair_south"], created_by=users["coordinator_south"])
        people = [
            ("Leah", "Carter", date(1993, 11, 5), 17, "Repeated calls to her workplace; damage to her car."),
            ("Fatima", "Begum", date(1987, 2, 21), 14, "Threats after she left; he has found her new address."),
        ]
        for first, last, dob, yes, summary in people:
            referral = submit_referral(
                marac=south, agency=police, user=users["police"],
                victim={"first_name": first, "last_name": last, "date_of_birth": dob, "gender": "female",
                        "postcode": "NS9 2CD"},
                perpetrator={"first_name": "Partner", "last_name": f"of {first}", "date_of_birth": None,
                             "relationship": "ex_partner"},
                reason="visible_high_risk", risk_checklist={"tool": "dash", "answers": dash_answers(yes)},
                stalking=True, summary=summary, victim_aware=True, victim_consented=True)
            case = accept_referral(referral, by=users["coordinator_south"], meeting=meeting).case
            add_participant(case, health)
            add_research(case=case, agency=health, author=users["health"], shared_with_marac=True,
                         summary="Seen by the community midwife; disclosed fear of the perpetrator.")
        # Amelia Hart (a Northshire North case this year) has moved south.
        submit_referral(
            marac=south, agency=advocacy, user=users["advocate"],
            victim={"first_name": "Amelia", "last_name": "Hart", "date_of_birth": date(1990, 4, 2),
                    "gender": "female", "postcode": "NS9 7EF"},
            perpetrator={"first_name": "Partner", "last_name": "of Amelia", "date_of_birth": None,
                         "relationship": "ex_partner"},
            reason="professional_judgement", risk_checklist={"tool": "dash", "answers": dash_answers(12)},
            stalking=True, summary="Moved to the south of the county; he has followed her.", victim_aware=True,
            victim_consented=True)

    def seed_pending_transfer(self, case, from_marac, to_marac, users):
        """One MARAC-to-MARAC transfer pending (`marac/transfers/`): `case` from Northshire
        North to Northshire South, requested by the north coordinator. The south
        coordinator sees its summary in GET /api/v1/transfers/ and accepts or declines it."""
        request_transfer(case, to_marac=to_marac, reason=TransferReason.MOVED_PERMANENTLY, by=users["coordinator"],
                         note="She has moved into a housing association flat in the south of the county.")

    def seed_stalking_protection(self, case, agencies, users):
        """A full SPO with prohibitions, served and notified, a positive requirement for
        the intervention programme (not a case participant: it sees the requirement
        only), and the advocate's support plan."""
        police, advocacy, programme = agencies[0], agencies[1], agencies[6]
        today = timezone.localdate()
        granted_on = today - timedelta(days=60)
        order = create_order(
            case=case, agency=police, by=users["police"], kind="full", status="granted",
            applied_on=granted_on - timedelta(days=21), granted_on=granted_on,
            served_on=granted_on + timedelta(days=1), notified_on=granted_on + timedelta(days=2),
            expires_on=minimum_last_day(granted_on),  # the shortest period the Act allows: 2 years
            court="Northshire Magistrates' Court",
            prohibitions=[
                "No contact with the victim by any means, including through third parties.",
                {"text": "Not to enter the streets named in the map annexed to the order", "locality": "Northshire"},
                {"text": "No posting about the victim online", "ends_on": granted_on + timedelta(days=365)},
            ])
        add_requirement(order, by=users["police"], kind="intervention_programme",
                        description="Attend and complete the stalking intervention programme.",
                        responsible_agency=programme, due_date=today + timedelta(days=120))
        create_plan(case=case, agency=advocacy, by=users["advocate"],
                    needs=["Safe housing", "Emotional support"],
                    safety_measures=["Panic alarm fitted", "Safe word agreed with neighbour"],
                    goals="Feel safe travelling to work.", next_review=today + timedelta(days=28))

    def seed_actions(self, users, upcoming, case, police, housing):
        """A meeting held a fortnight ago agreed two actions on the first case: police
        completed theirs; housing's is overdue and carries over to the next meeting."""
        today = timezone.localdate()
        previous = Meeting.objects.create(marac=upcoming.marac, date=today - timedelta(days=14), chair=users["chair"],
                                          created_by=users["coordinator"], status=MeetingStatus.HELD,
                                          minutes="Case discussed; safety plan agreed.")
        add_to_agenda(previous, case)
        previous.agencies_present.set([police, housing])
        flag = create_action(case=case, meeting=previous, description="Flag the victim's address for urgent response.",
                             owner_agency=police, due_date=today - timedelta(days=10), by=users["coordinator"])
        update_action(flag, by=users["police"], status="done", update="Address flagged on the command system.")
        create_action(case=case, meeting=previous, description="Fit a door alarm and reinforced locks.",
                      owner_agency=housing, due_date=today - timedelta(days=3), by=users["coordinator"])
        carry_over_incomplete_actions(upcoming, case)

    def seed_probation_breach_and_decline(self, cases, agencies, users):
        """So that every demo role finds something on its first request: probation is on
        the first case (it supervises the perpetrator) and shares what it knows; the
        advocate reports a breach of that case's order, awaiting the police's response;
        and police declined an SPO request on the third case, with their reason."""
        police, advocacy, probation = agencies[0], agencies[1], agencies[5]
        first, third = cases[0], cases[2]
        add_participant(first, probation)
        add_research(case=first, agency=probation, author=users["probation"], shared_with_marac=True,
                     summary="Perpetrator on licence to Northshire Probation; licence conditions include no "
                             "contact with the victim.")
        report_breach(first.orders.get(), agency=advocacy, by=users["advocate"],
                      occurred_at=timezone.now() - timedelta(days=2),
                      description="Victim received three messages from a new number she believes is his.")
        request = record_spo_request(third, agency=advocacy, by=users["advocate"], requested_by_victim=True,
                                     requested_on=timezone.localdate() - timedelta(days=5),
                                     note="She asked at our last contact whether police could get an order.")
        create_order(case=third, agency=police, by=users["police"], kind="full", status="declined", spo_request=request,
                     decision_reason="A single incident so far, not the pattern of stalking behaviour an order "
                                     "needs; to be reconsidered if contact continues.")
