"""The Reports section: the figures of marac.reports.figures for coordinators, chairs and
police, each page a table beside SafeLives' values, charts drawn as SVG on the server
with their data tables beneath, and "Download CSV" (small counts suppressed, as the API's
CSV). Who sees which report is the policy's `report` row, through web.slice."""

import csv
import io

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.views.generic import TemplateView

from marac.agencies.models import Agency, AgencyKind
from marac.maracs.models import Marac
from marac.orders.models import OrderStatus
from marac.reports import figures
from marac.reports.export import csv_rows
from web.slice import SliceView, may_any, report_subject_of, report_subjects

from .charts import bar_chart, line_chart
from .forms import PeriodForm

KIND_LABELS = dict(AgencyKind.choices)
OUTCOME_LABELS = {"considering": "Considering", "declined": "Declined", "applied": "Applied for",
                  "granted": "Granted", "refused": "Refused", "withdrawn": "Withdrawn", "discharged": "Discharged",
                  "expired": "Expired", "unanswered": "Not answered yet"}


def percent(share) -> str:
    return "" if share is None else f"{share * 100:.0f}%"


def recommended_text(figure) -> str:
    low, high = figure.recommended_min, figure.recommended_max
    if low is None and high is None:
        return ""
    if figure.key == "cases_discussed":
        return f"about {low:g} cases"
    if low is not None and high is not None:
        return f"{low * 100:.0f}% to {high * 100:.0f}%"
    return f"at least {low * 100:.0f}%" if low is not None else f"at most {high * 100:.0f}%"


def against_recommended(figure) -> str:
    """"below" / "within" / "above" SafeLives' range ("" where there is none)."""
    low, high = figure.recommended_min, figure.recommended_max
    if low is None and high is None or figure.value is None:
        return ""
    measured = figure.value if figure.key == "cases_discussed" else figure.share
    if measured is None:
        return ""
    if figure.key == "cases_discussed":
        return "below" if measured < 0.8 * low else "above" if measured > 1.2 * low else "within"
    if low is not None and measured < low:
        return "below"
    if high is not None and measured > high:
        return "above"
    return "within"


class ReportListView(SliceView, TemplateView):
    """The reports the signed-in person may see: the data return and actions of each
    MARAC they serve, the SPO performance of their force or of the forces on their MARACs."""

    template_name = "web/reports/list.html"
    audit_reads = False  # a directory of reports, no figures

    def authorise(self) -> None:
        """A role and agency kind no row of `report` grants: 403, as each report page
        answers them (the navigation does not offer them Reports either)."""
        if not may_any(self.actor, "report"):
            raise PermissionDenied

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["maracs"] = list(report_subjects(self.actor, "data_return", Marac.objects.order_by("name")))
        context["forces"] = list(report_subjects(self.actor, "spo_performance",
                                                 Agency.objects.filter(kind=AgencyKind.POLICE).order_by("name")))
        return context


class ReportPage(SliceView, TemplateView):
    """One report for one subject (`?marac=` or `?agency=`) and a period (`?start=&end=`,
    default the last complete quarter); `?format=csv` downloads it."""

    slice_target = "report"
    report: str
    subject_param = "marac"
    audit_object_type = "marac"
    compute = None

    def subjects(self):
        return Marac.objects.all()

    def authorise(self) -> None:
        value = self.request.GET.get(self.subject_param, "")
        if not (value.isascii() and value.isdigit()) or len(value) > 18:
            raise Http404
        self.subject = report_subject_of(self.actor, self.report, self.subjects(), int(value))
        self.audit("view", self.subject)

    def period(self):
        form = PeriodForm(self.request.GET if {"start", "end"} & set(self.request.GET) else None)
        if form.is_bound and form.is_valid() and form.cleaned_data.get("start"):
            return form, form.cleaned_data["start"], form.cleaned_data["end"]
        return form, *figures.last_complete_quarter()

    def get(self, request, *args, **kwargs):
        self.form, self.start, self.end = self.period()
        self.result = type(self).compute(self.subject, self.start, self.end)
        if request.GET.get("format") == "csv" and not self.form.errors:
            out = io.StringIO()
            csv.writer(out, lineterminator="\r\n").writerows(csv_rows(self.result.as_dict()))
            response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (f'attachment; filename="{self.report}-{self.start.isoformat()}-'
                                               f'{self.end.isoformat()}.csv"')
            return response
        return super().get(request, *args, **kwargs)

    def csv_url(self) -> str:
        query = self.request.GET.copy()
        query["format"] = "csv"
        query["start"], query["end"] = self.start.isoformat(), self.end.isoformat()
        return f"{self.request.path}?{query.urlencode()}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = [{"figure": f, "share": percent(f.share), "recommended": recommended_text(f),
                 "against": against_recommended(f)} for f in self.result.figures]
        context.update(subject=self.subject, subject_param=self.subject_param, start=self.start, end=self.end,
                       form=self.form, report=self.result, rows=rows, csv_url=self.csv_url())
        return context


class DataReturnView(ReportPage):
    template_name = "web/reports/data_return.html"
    report = "data_return"
    slice_action = "data_return"  # the policy row report.data_return (web.E001)
    compute = staticmethod(figures.data_return)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_month = figures.referrals_by_month(self.subject, self.start, self.end)
        months = sorted({row["month"] for row in by_month})
        kinds = sorted({row["kind"] for row in by_month})
        counts = {(row["month"], row["kind"]): row["count"] for row in by_month}
        month_labels = [month.strftime("%b %Y") for month in months]
        context["months"] = [{"label": label, "counts": [counts.get((month, kind), 0) for kind in kinds]}
                             for label, month in zip(month_labels, months)]
        context["kinds"] = [KIND_LABELS.get(kind, kind) for kind in kinds]
        context["referrals_chart"] = bar_chart(
            "Referrals per month by referring agency kind", month_labels,
            {KIND_LABELS.get(kind, kind): [counts.get((month, kind), 0) for month in months] for kind in kinds},
            stacked=True) if months else ""
        quarters = figures.repeat_rate_by_quarter(self.subject, self.end, 4)
        labels = [f"{q['from']:%b} to {q['to']:%b %Y}" for q in quarters]
        repeat_range = settings.MARAC_RECOMMENDED.get("repeat_cases", {})
        low, high = repeat_range.get("min_share"), repeat_range.get("max_share")
        series = {"Repeat rate (%)": [None if q["share"] is None else round(q["share"] * 100, 1) for q in quarters]}
        if low is not None and high is not None:
            series["SafeLives lowest (%)"] = [low * 100] * len(quarters)
            series["SafeLives highest (%)"] = [high * 100] * len(quarters)
        context["quarters"] = [{**q, "label": label, "rate": percent(q["share"])} for q, label in zip(quarters, labels)]
        context["repeat_chart"] = line_chart("Repeat rate over the last four quarters", labels, series)
        return context


class SpoPerformanceView(ReportPage):
    template_name = "web/reports/spo_performance.html"
    report = "spo_performance"
    slice_action = "spo_performance"  # the policy row report.spo_performance (web.E001)
    subject_param = "agency"
    audit_object_type = "agency"
    compute = staticmethod(figures.spo_performance)

    def subjects(self):
        return Agency.objects.filter(kind=AgencyKind.POLICE)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        distribution = figures.breach_response_distribution(self.subject, self.start, self.end)
        context["distribution"] = distribution
        context["breach_chart"] = bar_chart("Breaches by time to the first police response",
                                            [row["label"] for row in distribution],
                                            {"Breaches": [row["count"] for row in distribution]})
        outcomes = [{**row, "label": OUTCOME_LABELS.get(row["outcome"], row["outcome"])}
                    for row in figures.spo_request_outcomes(self.subject, self.start, self.end)
                    if row["count"] or row["outcome"] in ("unanswered", OrderStatus.DECLINED)]
        context["outcomes"] = outcomes
        context["outcomes_chart"] = bar_chart("SPO requests by the police's answer", [row["label"] for row in outcomes],
                                              {"Requests": [row["count"] for row in outcomes]})
        return context


class ActionsReportView(ReportPage):
    template_name = "web/reports/actions.html"
    report = "actions"
    slice_action = "actions"  # the policy row report.actions (web.E001)
    compute = staticmethod(figures.actions_report)
