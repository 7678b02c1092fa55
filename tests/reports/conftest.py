"""A constructed data set for the reports: two MARACs, meetings before, in and after the
period (one never held), cases with known victims and children, referrals from known
agency kinds, SPO requests, orders, breaches and actions with known dates. Every
expected figure in the tests is worked out by hand from what is built here."""

from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from marac.agencies.models import AgencyKind, Role
from marac.cases.models import RepeatFlag
from marac.meetings.models import ActionUpdate, Meeting, MeetingStatus
from marac.meetings.services import add_to_agenda, create_action, record_carry_over, update_action
from marac.orders.models import Breach, OrderStatus, SpoRequest
from marac.orders.services import record_notifiable_change, update_order
from marac.orders.sweeps import expire_orders
from marac.referrals.models import Referral, ReferralStatus
from tests.factories import CaseFactory, make_agency, make_marac, make_referral, make_user
from tests.meetings.helpers import make_meeting
from tests.orders.factories import make_breach, make_order, make_spo_request

from .dataset import END, START, at


@pytest.fixture
def marac_world(db):
    """MARAC A (50,000 adult women) and MARAC B. In A: meetings m0 (10 March, held: before
    the period), m1 (15 April, held), m2 (20 May, closed), m3 (10 June, never held) and m4
    (5 July, held: after); in B: one meeting on 1 May (held).

    Cases of A, and where they were discussed:
      c1  m1, m2   victim from a minority ethnic group, 18 on the day of m1; 2 children
      c2  m1       male, LGBT+, disabled; no children; repeat: a flag taken up at m1
      c3  m2       aged 16 on the day of m2 (born 21 May 2008); 3 children; repeat: an
                   accepted repeat referral on 1 May (after m0, its last discussion before)
      c4  m0, m2   born 21 May 2009 (15 at m2); 1 child; a repeat referral of 1 March was
                   heard at m0, so not a repeat in this period
      c5  m3 only (never held): not discussed;  c6  m4 only: after the period
      cb  B's meeting only.
    """
    a = make_marac("MARAC A", adult_female_population=50_000)
    b = make_marac("MARAC B", adult_female_population=20_000)
    police, advocacy, housing, health = (make_agency(k) for k in (AgencyKind.POLICE, AgencyKind.ADVOCACY,
                                                                   AgencyKind.HOUSING, AgencyKind.HEALTH))
    coordinator = make_user(make_agency(AgencyKind.MARAC_COORDINATION), Role.COORDINATOR, maracs=[a])
    chair = make_user(make_agency(AgencyKind.POLICE), Role.CHAIR, maracs=[a])
    officer = make_user(police)

    def case(**victim):
        return CaseFactory(marac=a, participants=[police, advocacy, housing],
                           **{f"victim__{k}": v for k, v in victim.items()})

    c1 = case(minority_ethnic=True, date_of_birth=date(2007, 4, 15))
    c1.children_in_household = 2
    c2 = case(gender="male", lgbt=True, disability=True)
    c3 = case(date_of_birth=date(2008, 5, 21))
    c3.children_in_household = 3
    c4 = case(date_of_birth=date(2009, 5, 21))
    c4.children_in_household = 1
    c5, c6 = case(minority_ethnic=True), case(gender="male")
    for c in (c1, c3, c4):
        c.save(update_fields=["children_in_household"])
    cb = CaseFactory(marac=b, participants=[police], victim__gender="male")

    def meeting(marac, on, cases, status):
        m = make_meeting(on=on, chair=chair, coordinator=coordinator, marac=marac)
        for c in cases:
            add_to_agenda(m, c)
        Meeting.objects.filter(pk=m.pk).update(status=status)
        m.refresh_from_db()
        return m

    m0 = meeting(a, date(2025, 3, 10), [c4], MeetingStatus.HELD)
    RepeatFlag.objects.create(case=c2, reason="A further incident.", last_referred_at=at(date(2025, 1, 5)))
    m1 = meeting(a, date(2025, 4, 15), [c1, c2], MeetingStatus.HELD)
    m2 = meeting(a, date(2025, 5, 20), [c1, c3, c4], MeetingStatus.HELD)
    m3 = meeting(a, date(2025, 6, 10), [c5], MeetingStatus.SCHEDULED)
    m4 = meeting(a, date(2025, 7, 5), [c6], MeetingStatus.HELD)
    meeting(b, date(2025, 5, 1), [cb], MeetingStatus.HELD)
    Meeting.objects.filter(pk=m2.pk).update(status=MeetingStatus.CLOSED)

    def referral(marac, kind_agency, created, status=ReferralStatus.ACCEPTED, **fields):
        r = make_referral(user=make_user(kind_agency), marac=marac)
        Referral.objects.filter(pk=r.pk).update(status=status, created_at=created, **fields)
        return r

    # Repeat referrals accepted onto c3 (1 May: heard at m2) and c4 (1 March: heard at m0).
    referral(a, police, at(date(2025, 5, 1)), case=c3, is_repeat=True)
    referral(a, police, at(date(2025, 3, 1)), case=c4, is_repeat=True)
    # Accepted referrals to A made in the period: police 3 (with c3's), advocacy 1, health 1.
    referral(a, police, at(START, 0))
    referral(a, police, at(END, 23))
    referral(a, advocacy, at(date(2025, 5, 5)))
    referral(a, health, at(date(2025, 6, 6)))
    # Not counted: declined, awaiting triage, before the period, another MARAC.
    referral(a, police, at(date(2025, 5, 7)), status=ReferralStatus.DECLINED)
    referral(a, police, at(date(2025, 5, 8)), status=ReferralStatus.SUBMITTED)
    referral(a, police, at(date(2025, 3, 31), 23))
    referral(b, housing, at(date(2025, 5, 9)))

    return SimpleNamespace(a=a, b=b, police=police, advocacy=advocacy, housing=housing, health=health,
                           coordinator=coordinator, chair=chair, officer=officer, cases=[c1, c2, c3, c4, c5, c6],
                           meetings=[m0, m1, m2, m3, m4])


@pytest.fixture
def actions_world(marac_world):
    """Actions of MARAC A's meetings (today 15 July 2025):
      a1 housing, m1, due 30 April, done 28 April          -> on time
      a2 housing, m1, due 30 April, done 5 May             -> overdue (done late)
      a3 housing, m2, due 1 August, open                   -> neither (not yet due)
      a4 police,  m1, due 30 May, open; carried over to m2, "agency did not act" -> overdue
      a5 police,  m2, due 1 June, cancelled                -> neither
      a6 housing, m0 (before the period), open             -> not counted
    """
    w = marac_world
    c1, c2, c3, c4 = w.cases[:4]
    m0, m1, m2 = w.meetings[:3]

    def action(meeting, case, agency, due):
        from marac.meetings.models import Meeting as M

        status = meeting.status
        M.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
        created = create_action(case=case, meeting=meeting, description="Do it.", owner_agency=agency, due_date=due,
                                by=w.coordinator)
        M.objects.filter(pk=meeting.pk).update(status=status)
        return created

    def status(act, to, day):
        update_action(act, by=w.coordinator, status=to, update="Done.")
        ActionUpdate.objects.filter(action=act, status_to=to).update(at=at(day))

    a1 = action(m1, c1, w.housing, date(2025, 4, 30))
    status(a1, "done", date(2025, 4, 28))
    a2 = action(m1, c2, w.housing, date(2025, 4, 30))
    status(a2, "done", date(2025, 5, 5))
    action(m2, c3, w.housing, date(2025, 8, 1))
    a4 = action(m1, c1, w.police, date(2025, 5, 30))
    from marac.meetings.models import ActionCarryOver

    ActionCarryOver.objects.get_or_create(action=a4, meeting=m2)
    record_carry_over(a4, meeting=m2, reason="agency_did_not_act", by=w.coordinator)
    a5 = action(m2, c4, w.police, date(2025, 6, 1))
    status(a5, "cancelled", date(2025, 5, 25))
    action(m0, c4, w.housing, date(2025, 3, 20))
    return w


@pytest.fixture
def force_world(db):
    """Police force P (today 15 July 2025), and another force Q.

    SPO requests on cases P is on (recorded at 09:00):
      r1  2 April, by the victim, answered 4 April (2 days): considering
      r2  10 April, by the victim, flagged 17 April, answered 20 April (10 days): declined
      r3  1 May, by an agency, flagged 8 May, never answered
      r4  30 March (before the period);  r5  on a case P is not on
    Orders held by P: o1 full applied 5 April, granted 10 May, served 12 May, never notified
    (initial notification overdue); o2 full applied 1 May (pending); o3 applied 1 March,
    refused 20 April; o4 interim on o2 made 2 May; o5 granted 2023, expired (last day
    31 May 2025, ended 1 June). Q's own order, applied and granted in the period, is not P's.
    Changes of o1: 1 June (not notified: overdue), 29 June (due 1 July, after the period).
    Breaches of P's orders, reported at 10:00: b1 11 May (answered in 2 h), b2 12 May
    (30 h), b3 13 May (4 h), b4 30 June (never answered), b5 1 March (before the period)."""
    force, other = make_agency(AgencyKind.POLICE), make_agency(AgencyKind.POLICE)
    advocacy = make_agency(AgencyKind.ADVOCACY)
    officer, other_officer = make_user(force), make_user(other)
    case = CaseFactory(participants=[force, other, advocacy])
    elsewhere = CaseFactory(participants=[other, advocacy])

    def request(on_case, created, by_victim=True):
        r = make_spo_request(on_case, advocacy, requested_on=created.date(), requested_by_victim=by_victim)
        SpoRequest.objects.filter(pk=r.pk).update(created_at=created)
        r.refresh_from_db()
        return r

    r1 = request(case, at(date(2025, 4, 2)))
    r2 = request(case, at(date(2025, 4, 10)))
    r3 = request(case, at(date(2025, 5, 1)), by_victim=False)
    request(case, at(date(2025, 3, 30)))
    request(elsewhere, at(date(2025, 4, 5)))
    considering = dict(status=OrderStatus.CONSIDERING, applied_on=None, granted_on=None)
    make_order(case, force, officer, spo_request=r1, **considering)
    make_order(case, force, officer, spo_request=r2, status=OrderStatus.DECLINED, applied_on=None, granted_on=None,
               decision_reason="Not enough evidence yet.")
    SpoRequest.objects.filter(pk=r1.pk).update(answered_at=at(date(2025, 4, 4)))
    SpoRequest.objects.filter(pk=r2.pk).update(answered_at=at(date(2025, 4, 20)),
                                              response_overdue_flagged_at=at(date(2025, 4, 17)))
    SpoRequest.objects.filter(pk=r3.pk).update(response_overdue_flagged_at=at(date(2025, 5, 8)))

    o1 = make_order(case, force, officer, applied_on=date(2025, 4, 5), granted_on=date(2025, 5, 10),
                    served_on=date(2025, 5, 12))
    o2 = make_order(case, force, officer, status=OrderStatus.APPLIED, applied_on=date(2025, 5, 1), granted_on=None)
    o3 = make_order(case, force, officer, status=OrderStatus.APPLIED, applied_on=date(2025, 3, 1), granted_on=None)
    update_order(o3, by=officer, agency=force, status=OrderStatus.REFUSED, decided_on=date(2025, 4, 20))
    make_order(case, force, officer, kind="interim", main_order=o2, applied_on=None, granted_on=date(2025, 5, 2),
               expires_on=date(2025, 8, 1), prohibitions=[])
    o5 = make_order(case, force, officer, applied_on=date(2023, 4, 1), granted_on=date(2023, 5, 1),
                    served_on=date(2023, 5, 2), notified_on=date(2023, 5, 3), expires_on=date(2025, 5, 31))
    make_order(case, other, other_officer, applied_on=date(2025, 4, 5), granted_on=date(2025, 5, 10))

    record_notifiable_change(o1, by=officer, kind="address_change", changed_on=date(2025, 6, 1))
    record_notifiable_change(o1, by=officer, kind="name_change", changed_on=date(2025, 6, 29))

    def breach(order, reported, hours_to_response):
        b = make_breach(order, advocacy, make_user(advocacy), occurred_at=reported - timedelta(hours=1))
        Breach.objects.filter(pk=b.pk).update(
            reported_at=reported,
            first_response_at=None if hours_to_response is None else reported + timedelta(hours=hours_to_response))

    breach(o5, at(date(2025, 3, 1), 10), 1)
    breach(o1, at(date(2025, 5, 11), 10), 2)
    breach(o1, at(date(2025, 5, 12), 10), 30)
    breach(o1, at(date(2025, 5, 13), 10), 4)
    breach(o1, at(date(2025, 6, 30), 10), None)
    expire_orders(date(2025, 6, 2))
    return SimpleNamespace(force=force, other=other, officer=officer, case=case)
