"""The report figures: the SafeLives MARAC data return, SPO and breach performance for a
police force, and actions per agency. Each is computed here, once, set-based in the
database (aggregates and subqueries over the whole period: a fixed number of queries
whatever the number of cases); the API and the web app only present them. Every figure is
a count (with its share where one makes sense): reports never carry a person's details.
The definitions (what counts, from which dates) are in the README, "Reports"."""

from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from marac.agencies.models import AgencyKind
from marac.cases.models import Case as MaracCase
from marac.cases.models import Gender, RepeatFlag
from marac.cases.participants import case_ids_for_group
from marac.meetings.models import (
    Action,
    ActionCarryOver,
    ActionStatus,
    ActionUpdate,
    AgendaItem,
    CarryOverReason,
    MeetingStatus,
)
from marac.orders.models import Breach, NotifiableChange, Order, OrderKind, OrderStatus, SpoRequest
from marac.referrals.models import Referral, ReferralStatus

# Meetings whose discussions count: the MARAC met (a meeting still "scheduled" did not).
HELD = (MeetingStatus.HELD, MeetingStatus.CLOSED)


# Periods ---------------------------------------------------------------------------------


def last_complete_quarter(today: date | None = None) -> tuple[date, date]:
    """The last complete calendar quarter before TODAY (SafeLives' quarters: Jan-Mar,
    Apr-Jun, Jul-Sep, Oct-Dec)."""
    today = today or timezone.localdate()
    this_quarter_starts = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_day = this_quarter_starts - timedelta(days=1)
    return date(last_day.year, 3 * ((last_day.month - 1) // 3) + 1, 1), last_day


def _moments(start: date, end: date) -> tuple[datetime, datetime]:
    """[start of START, start of the day after END): the period's date-times, local time."""
    return (timezone.make_aware(datetime.combine(start, time.min)),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)))


@dataclass
class Figure:
    """One line of a report: a count, and its share of the report's base where one makes sense."""

    key: str
    label: str
    value: int | float | None
    share: float | None = None
    recommended_min: float | None = None
    recommended_max: float | None = None
    unit: str = "count"  # what count is: "count", "days", "hours"


@dataclass
class Report:
    name: str
    subject: dict
    period_from: date
    period_to: date
    figures: list[Figure] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # the actions report: one row per agency

    def as_dict(self) -> dict:
        """The report as the API answers it (and as export.csv_rows reads it)."""
        return {"report": self.name, "subject": self.subject, "from": self.period_from, "to": self.period_to,
                "figures": [asdict(figure) for figure in self.figures], "rows": self.rows}


def _share(count: int, base: int) -> float | None:
    return round(count / base, 4) if base else None


# Percentiles: PostgreSQL computes them (percentile_cont); elsewhere (the embedded SQLite
# default) the values are read in order, as numbers only, and interpolated the same way.


class _PercentileCont(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


class _Seconds(Func):
    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


def _duration(later: str, earlier: str):
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


def _interpolate(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    position = (len(values) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def percentiles_seconds(queryset, later: str, earlier: str, fractions: tuple[float, ...]) -> list[float | None]:
    """The FRACTIONS percentiles (continuous, as PostgreSQL's percentile_cont) of
    LATER - EARLIER over the queryset's rows, in seconds: one query."""
    if connection.vendor == "postgresql":
        result = queryset.aggregate(**{
            f"p{i}": _PercentileCont(_Seconds(_duration(later, earlier)), fraction)
            for i, fraction in enumerate(fractions)})
        return [result[f"p{i}"] for i in range(len(fractions))]
    values = sorted(delta.total_seconds() for delta in queryset.annotate(
        duration=_duration(later, earlier)).values_list("duration", flat=True))
    return [_interpolate(values, fraction) for fraction in fractions]


class DateNumber(Func):
    """A date as the number YYYYMMDD (20250520), so that whole years between two dates are
    the difference of their numbers divided by 10,000, with no date arithmetic."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="CAST(to_char(%(expressions)s, 'YYYYMMDD') AS integer)",
                              **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="CAST(strftime('%%%%Y%%%%m%%%%d', %(expressions)s) AS integer)",
                              **extra)


@contextmanager
def _without_jit():
    """PostgreSQL compiles a statement this size just in time for longer than it runs
    (1.1 s of JIT for a 0.1 s report at 10,000 cases): off for the report's statements."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def _rounded(value: float | None, unit_seconds: int) -> float | None:
    return None if value is None else round(value / unit_seconds, 1)


# The MARAC data return ----------------------------------------------------------------------


def recommended(key: str) -> dict:
    return settings.MARAC_RECOMMENDED.get(key, {})


def _range(key: str, base_years: float, population: int | None) -> tuple[float | None, float | None]:
    """A figure's recommended (min, max) from the settings table, in the figure's own
    terms: a share for `min_share`/`max_share`, a count for a volume per adult women."""
    row = recommended(key)
    if "per_10000_adult_women_a_year" in row:
        if not population:
            return None, None
        value = round(row["per_10000_adult_women_a_year"] * population / 10_000 * base_years, 1)
        return value, value
    return row.get("min_share"), row.get("max_share")


def data_return(marac, start: date, end: date) -> Report:
    """SafeLives' quarterly MARAC data return for MARAC over [START, END]. Two queries (and
    PostgreSQL's `SET LOCAL jit = off`)."""
    meetings_in_period = Q(meeting__marac=marac, meeting__date__gte=start, meeting__date__lte=end,
                           meeting__status__in=HELD)
    discussions = AgendaItem.objects.filter(meetings_in_period)
    of_case = discussions.filter(case=OuterRef("pk")).order_by().values("case")
    first = Subquery(of_case.annotate(d=Min("meeting__date")).values("d"), output_field=DateField())
    last = Subquery(of_case.annotate(d=Max("meeting__date")).values("d"), output_field=DateField())
    before = Subquery(AgendaItem.objects.filter(case=OuterRef("pk"), meeting__marac=marac,
                                                meeting__date__lt=start, meeting__status__in=HELD)
                      .order_by().values("case").annotate(d=Max("meeting__date")).values("d"),
                      output_field=DateField())
    repeat_referral = Exists(Referral.objects.filter(
        case=OuterRef("pk"), is_repeat=True, status=ReferralStatus.ACCEPTED,
        created_at__date__lte=OuterRef("last"), created_at__date__gt=OuterRef("before")))
    flag_taken_up = Exists(RepeatFlag.objects.filter(case=OuterRef("pk"), listed_on__in=discussions.values("pk")))
    cases = (MaracCase.objects.filter(pk__in=discussions.values("case"))
             .annotate(first=first, last=last, before=Coalesce(before, Value(date(1, 1, 1)), output_field=DateField()))
             # Aged 16-17 on the first discussion: 160000 <= YYYYMMDD(first) - YYYYMMDD(born) < 180000.
             .annotate(age_number=DateNumber("first") - DateNumber("victim__date_of_birth"),
                       is_repeat_discussion=Case(When(repeat_referral | flag_taken_up, then=Value(1)), default=Value(0),
                                                 output_field=IntegerField())))
    with _without_jit():
        totals = cases.aggregate(
            discussed=Count("pk"),
            repeats=Sum("is_repeat_discussion"),
            with_children=Count("pk", filter=Q(children_in_household__gt=0)),
            children=Coalesce(Sum("children_in_household"), 0),
            minority_ethnic=Count("pk", filter=Q(victim__minority_ethnic=True)),
            lgbt=Count("pk", filter=Q(victim__lgbt=True)),
            disabled=Count("pk", filter=Q(victim__disability=True)),
            male=Count("pk", filter=Q(victim__gender=Gender.MALE)),
            aged_16_17=Count("pk", filter=Q(age_number__gte=160_000, age_number__lt=180_000)),
        )
    start_at, end_at = _moments(start, end)
    by_kind = dict(Referral.objects.filter(marac=marac, status=ReferralStatus.ACCEPTED, created_at__gte=start_at,
                                           created_at__lt=end_at)
                   .order_by().values("referring_agency__kind").annotate(n=Count("pk"))
                   .values_list("referring_agency__kind", "n"))
    discussed = totals["discussed"]
    years = ((end - start).days + 1) / 365.25
    population = getattr(marac, "adult_female_population", None)

    def figure(key, label, count, base=discussed, share=True):
        low, high = _range(key, years, population)
        return Figure(key, label, count, _share(count, base) if share else None, low, high)

    referrals = sum(by_kind.values())
    figures = [
        figure("cases_discussed", "Cases discussed", discussed, share=False),
        figure("repeat_cases", "Repeat cases", totals["repeats"] or 0),
        figure("referrals", "Referrals", referrals, share=False),
        *[figure(f"referrals_from_{kind}", f"Referrals from {label.lower()}", by_kind.get(kind, 0), base=referrals)
          for kind, label in AgencyKind.choices],
        figure("cases_with_children", "Cases with children in the household", totals["with_children"]),
        figure("children_in_households", "Children in those households", totals["children"], share=False),
        figure("victims_minority_ethnic", "Victims from minority ethnic groups", totals["minority_ethnic"]),
        figure("victims_lgbt", "Victims who are LGBT+", totals["lgbt"]),
        figure("victims_disabled", "Victims who are disabled", totals["disabled"]),
        figure("victims_male", "Victims who are male", totals["male"]),
        figure("victims_aged_16_17", "Victims aged 16-17", totals["aged_16_17"]),
    ]
    return Report("data_return", {"id": marac.pk, "name": str(marac)}, start, end, figures)


# SPO and breach performance for a police force ------------------------------------------------


def spo_performance(force, start: date, end: date, *, now: datetime | None = None) -> Report:
    """SPO requests, orders, breaches and notifications for the police force FORCE over
    [START, END]. Six queries."""
    now = now or timezone.now()
    start_at, end_at = _moments(start, end)
    requests = SpoRequest.objects.filter(case__in=case_ids_for_group(force.group_id), created_at__gte=start_at,
                                         created_at__lt=end_at)
    request_counts = requests.aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        declined=Count("pk", filter=Q(order__status=OrderStatus.DECLINED)),
        by_victim=Count("pk", filter=Q(requested_by_victim=True)),
        unanswered_past_deadline=Count("pk", filter=Q(response_overdue_flagged_at__isnull=False)
                                       & (Q(answered_at__isnull=True)
                                          | Q(answered_at__gt=F("response_overdue_flagged_at")))),
    )
    (median_answer,) = percentiles_seconds(requests.filter(answered_at__isnull=False), "answered_at", "created_at",
                                           (0.5,))
    orders = Order.objects.filter(agency=force).aggregate(
        applied=Count("pk", filter=Q(applied_on__gte=start, applied_on__lte=end)),
        granted=Count("pk", filter=Q(kind=OrderKind.FULL, granted_on__gte=start, granted_on__lte=end)),
        refused=Count("pk", filter=Q(status=OrderStatus.REFUSED, decided_on__gte=start, decided_on__lte=end)),
        interim=Count("pk", filter=Q(kind=OrderKind.INTERIM, granted_on__gte=start, granted_on__lte=end)),
        expired=Count("pk", filter=Q(status=OrderStatus.EXPIRED, ended_on__gte=start, ended_on__lte=end)),
    )
    hours = settings.MARAC_BREACH_RESPONSE_HOURS
    deadline = timedelta(hours=hours)
    breaches = Breach.objects.filter(order__agency=force, reported_at__gte=start_at, reported_at__lt=end_at)
    breach_counts = breaches.annotate(response=_duration("first_response_at", "reported_at")).aggregate(
        reported=Count("pk"),
        answered=Count("pk", filter=Q(first_response_at__isnull=False)),
        unanswered_past_threshold=Count("pk", filter=Q(first_response_at__isnull=True, reported_at__lte=now - deadline)
                                        | Q(response__gt=deadline)),
    )
    median_response, p90_response = percentiles_seconds(breaches.filter(first_response_at__isnull=False),
                                                        "first_response_at", "reported_at", (0.5, 0.9))
    as_at = min(end, timezone.localdate(now))
    last_start = as_at - timedelta(days=3)  # due (start + 2 days) before AS_AT
    not_notified = Q(notified_on__isnull=True) | Q(notified_on__gt=as_at)
    initial_overdue = Order.objects.filter(
        not_notified, Q(sex_offender_register_exempt=False) | Q(register_ended_on__lte=last_start),
        agency=force, served_on__lte=last_start, replaces_interim=False, granted_on__lte=as_at,
    ).exclude(ended_on__lte=as_at).count()
    changes_overdue = NotifiableChange.objects.filter(not_notified, order__agency=force,
                                                      changed_on__lte=last_start).count()
    received = request_counts["received"]
    figures = [
        Figure("spo_requests_received", "SPO requests received", received),
        Figure("spo_requests_by_victim", "SPO requests made by the victim", request_counts["by_victim"],
               _share(request_counts["by_victim"], received)),
        Figure("spo_requests_answered", "SPO requests answered", request_counts["answered"],
               _share(request_counts["answered"], received)),
        Figure("spo_requests_median_days_to_answer", "Median days to answer an SPO request",
               _rounded(median_answer, 86_400), unit="days"),
        Figure("spo_requests_declined", "SPO requests declined (with a reason)", request_counts["declined"],
               _share(request_counts["declined"], received)),
        Figure("spo_requests_unanswered_past_deadline",
               f"SPO requests not answered within {settings.MARAC_SPO_REQUEST_RESPONSE_DAYS} days",
               request_counts["unanswered_past_deadline"], _share(request_counts["unanswered_past_deadline"], received)),
        Figure("orders_applied_for", "Orders applied for", orders["applied"]),
        Figure("orders_granted", "Full orders granted", orders["granted"]),
        Figure("orders_refused", "Applications refused", orders["refused"]),
        Figure("interim_orders_made", "Interim orders made", orders["interim"]),
        Figure("orders_expired_without_renewal", "Orders expired without a renewal decision", orders["expired"]),
        Figure("breaches_reported", "Breaches reported", breach_counts["reported"]),
        Figure("breaches_answered", "Breaches with a police response", breach_counts["answered"],
               _share(breach_counts["answered"], breach_counts["reported"])),
        Figure("breach_median_hours_to_first_response", "Median hours to the first police response",
               _rounded(median_response, 3_600), unit="hours"),
        Figure("breach_p90_hours_to_first_response", "90th percentile hours to the first police response",
               _rounded(p90_response, 3_600), unit="hours"),
        Figure("breaches_unanswered_past_threshold", f"Breaches without a police response within {hours} hours",
               breach_counts["unanswered_past_threshold"],
               _share(breach_counts["unanswered_past_threshold"], breach_counts["reported"])),
        Figure("initial_notifications_overdue", "Initial notifications overdue (s.9)", initial_overdue),
        Figure("change_notifications_overdue", "Notifications of a new name or address overdue (s.9)",
               changes_overdue),
    ]
    return Report("spo_performance", {"id": force.pk, "name": force.name}, start, end, figures)


# Actions per agency ---------------------------------------------------------------------------


def actions_report(marac, start: date, end: date, *, today: date | None = None) -> Report:
    """Per owning agency, the actions agreed at MARAC's meetings in [START, END]: owned,
    completed on time, overdue, carried over because the agency did not act. One query."""
    today = today or timezone.localdate()
    done_in_time = Exists(ActionUpdate.objects.filter(action=OuterRef("pk"), status_to=ActionStatus.DONE,
                                                      at__date__lte=OuterRef("due_date")))
    did_not_act = Exists(ActionCarryOver.objects.filter(action=OuterRef("pk"),
                                                        reason=CarryOverReason.AGENCY_DID_NOT_ACT))
    rows = list(Action.objects.filter(meeting__marac=marac, meeting__date__gte=start, meeting__date__lte=end)
                .annotate(on_time=done_in_time, not_acted=did_not_act)
                .order_by().values("owner_agency", "owner_agency__name", "owner_agency__kind")
                .annotate(owned=Count("pk"),
                          completed_on_time=Count("pk", filter=Q(on_time=True, status=ActionStatus.DONE)),
                          overdue=Count("pk", filter=Q(on_time=False, due_date__lt=today)
                                        & ~Q(status=ActionStatus.CANCELLED)),
                          carried_over_did_not_act=Count("pk", filter=Q(not_acted=True)))
                .order_by("owner_agency__name", "owner_agency"))
    report_rows = [{"agency": row["owner_agency"], "agency_name": row["owner_agency__name"],
                    "agency_kind": row["owner_agency__kind"], "owned": row["owned"],
                    "completed_on_time": row["completed_on_time"], "overdue": row["overdue"],
                    "carried_over_did_not_act": row["carried_over_did_not_act"]} for row in rows]
    totals = {key: sum(row[key] for row in report_rows)
              for key in ("owned", "completed_on_time", "overdue", "carried_over_did_not_act")}
    figures = [
        Figure("actions_owned", "Actions agreed", totals["owned"]),
        Figure("actions_completed_on_time", "Completed on time", totals["completed_on_time"],
               _share(totals["completed_on_time"], totals["owned"])),
        Figure("actions_overdue", "Overdue", totals["overdue"], _share(totals["overdue"], totals["owned"])),
        Figure("actions_carried_over_did_not_act", "Carried over: agency did not act",
               totals["carried_over_did_not_act"], _share(totals["carried_over_did_not_act"], totals["owned"])),
    ]
    return Report("actions", {"id": marac.pk, "name": str(marac)}, start, end, figures, report_rows)


# Series for the dashboards ---------------------------------------------------------------------


def referrals_by_month(marac, start: date, end: date) -> list[dict]:
    """Accepted referrals to MARAC made in [START, END], per calendar month and referring
    agency kind: [{month, kind, count}] (months with none are left out). One query."""
    from django.db.models.functions import TruncMonth

    start_at, end_at = _moments(start, end)
    rows = (Referral.objects.filter(marac=marac, status=ReferralStatus.ACCEPTED, created_at__gte=start_at,
                                    created_at__lt=end_at)
            .annotate(month=TruncMonth("created_at")).order_by()
            .values("month", "referring_agency__kind").annotate(n=Count("pk")).order_by("month", "referring_agency__kind"))
    return [{"month": row["month"].date() if isinstance(row["month"], datetime) else row["month"],
             "kind": row["referring_agency__kind"], "count": row["n"]} for row in rows]


def quarters_before(end: date, count: int) -> list[tuple[date, date]]:
    """The COUNT calendar quarters ending with the one containing END, oldest first."""
    index = end.year * 4 + (end.month - 1) // 3  # quarters since year 0

    def quarter(i: int) -> tuple[date, date]:
        year, q = divmod(i, 4)
        start = date(year, 3 * q + 1, 1)
        after = date(year + 1, 1, 1) if q == 3 else date(year, 3 * q + 4, 1)
        return start, after - timedelta(days=1)

    return [quarter(i) for i in range(index - count + 1, index + 1)]


def repeat_rate_by_quarter(marac, end: date, count: int = 4) -> list[dict]:
    """The repeat rate of the COUNT quarters up to END's: [{from, to, cases_discussed,
    repeat_cases, share}]. Two queries per quarter (the data return's), so a fixed number."""
    series = []
    for start, last in quarters_before(end, count):
        figures = {figure.key: figure for figure in data_return(marac, start, last).figures}
        series.append({"from": start, "to": last, "cases_discussed": figures["cases_discussed"].value,
                       "repeat_cases": figures["repeat_cases"].value, "share": figures["repeat_cases"].share})
    return series


# Hours to the first police response: the distribution's buckets (lower bound included).
RESPONSE_BUCKETS = [(0, 1, "under 1 hour"), (1, 4, "1 to 4 hours"), (4, 24, "4 to 24 hours"),
                    (24, 72, "1 to 3 days"), (72, None, "over 3 days")]


def breach_response_distribution(force, start: date, end: date) -> list[dict]:
    """Breaches of FORCE's orders reported in [START, END] by time to the first police
    response (RESPONSE_BUCKETS), and those with none yet: [{label, count}]. One query."""
    start_at, end_at = _moments(start, end)
    breaches = (Breach.objects.filter(order__agency=force, reported_at__gte=start_at, reported_at__lt=end_at)
                .annotate(response=_duration("first_response_at", "reported_at")))
    labels, buckets = [], {}
    for i, (low, high, label) in enumerate(RESPONSE_BUCKETS):
        condition = Q(first_response_at__isnull=False, response__gte=timedelta(hours=low))
        if high is not None:
            condition &= Q(response__lt=timedelta(hours=high))
        labels.append(label)
        buckets[f"b{i}"] = Count("pk", filter=condition)
    labels.append("no response yet")
    buckets[f"b{len(RESPONSE_BUCKETS)}"] = Count("pk", filter=Q(first_response_at__isnull=True))
    counts = breaches.aggregate(**buckets)
    return [{"label": label, "count": counts[f"b{i}"]} for i, label in enumerate(labels)]


def spo_request_outcomes(force, start: date, end: date) -> list[dict]:
    """SPO requests recorded in [START, END] on cases FORCE is on, by the police answer
    (the answering order's status, or none yet): [{outcome, count}]. One query."""
    start_at, end_at = _moments(start, end)
    rows = (SpoRequest.objects.filter(case__in=case_ids_for_group(force.group_id), created_at__gte=start_at,
                                      created_at__lt=end_at)
            .order_by().values("order__status").annotate(n=Count("pk")))
    counts = {row["order__status"]: row["n"] for row in rows}
    outcomes = [{"outcome": status, "count": counts.get(status, 0)} for status in OrderStatus.values]
    return [*outcomes, {"outcome": "unanswered", "count": counts.get(None, 0)}]
