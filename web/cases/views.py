"""Referrals, triage and cases for people. Each view declares its slice target and
action (web.slice decides 404/403 and audits), parses a form, calls the same domain
service as the API (marac.referrals.services, marac.cases.services, .participants)
and renders. Field-level choices (safe contact, children in full, the repeat flag, a
referral's case link and duplicates) are read from the policy table, one query a page."""

from datetime import date

from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.views.generic import FormView, TemplateView, View

from marac.agencies.models import Agency
from marac.cases.models import Case
from marac.cases.participants import (
    add_participant,
    participant_agencies,
    remove_participant,
)
from marac.cases.repeats import pending_repeat_flag_q
from marac.cases.services import (
    add_research,
    record_incident,
    update_case,
)
from marac.errors import DomainError
from marac.meetings.models import Meeting, MeetingStatus
from marac.referrals.checklists import CHECKLISTS, DASH
from marac.referrals.models import Referral, ReferralStatus
from marac.referrals.risk import (
    risk_from_row,
    risk_level_q,
    risk_levels_for_cases,
    with_risk_basis,
)
from marac.referrals.services import (
    accept_referral,
    assess_referral,
    decline_referral,
    duplicates_of,
    likely_matches,
    link_referral,
    submit_referral,
)
from marac.transfers.services import transferred_from, with_transferred_from
from web.formats import long_date, short_date, short_date_time
from web.forms import DomainFormMixin, apply_domain_errors
from web.links import row_url
from web.pagination import page_of
from web.slice import (
    CasePageMixin,
    SliceListMixin,
    SliceObjectMixin,
    SliceParentMixin,
    ids_allowed_and_creatable,
    may,
    may_on,
    visible,
)
from web.spo_requests.views import spo_request_panel

from .case_page import (
    ACTION_STATUSES,
    ORDER_STATUSES,
    PERPETRATOR_RELATIONSHIPS,
    PLAN_STATUSES,
    REFERRAL_REASONS,
    TRANSFER_STATUSES,
    read_case_page,
)
from .forms import (
    BEHAVIOUR_LABELS,
    CHANNEL_LABELS,
    AcceptReferralForm,
    CaseEditForm,
    CaseFilterForm,
    ChildFormSet,
    DeclineReferralForm,
    IncidentForm,
    LinkReferralForm,
    ParticipantForm,
    ReferralForm,
    ResearchForm,
)

RISK_LABELS = {"high": "High", "medium": "Medium", "standard": "Standard", "not_graded": "Not graded"}
RISK_TAGS = {"high": "govuk-tag--red", "medium": "govuk-tag--orange", "standard": "govuk-tag--green",
             "not_graded": "govuk-tag--grey"}
HISTORY_FIELD_LABELS = {
    "first_name": "First name", "last_name": "Last name", "date_of_birth": "Date of birth", "gender": "Gender",
    "postcode": "Postcode", "safe_contact": "Safe contact", "do_not_contact_via": "Do not contact by",
    "do_not_contact_note": "Do not contact note", "ethnicity": "Ethnicity", "minority_ethnic": "Minority ethnic",
    "disability": "Disability", "lgbt": "LGBT+",
}


def optional_url(name: str, *args) -> str | None:
    """The address of another area's page (meetings, orders, support plans) when that
    area is routed; None otherwise, and the page shows no link."""
    try:
        return reverse(f"web:{name}", args=args)
    except NoReverseMatch:
        return None


def risk_display(level: str) -> dict:
    return {"level": level, "label": RISK_LABELS[level], "tag": RISK_TAGS[level]}


def assessment_display(assessment: dict) -> dict:
    return {**assessment, "risk": risk_display(assessment["risk_level"]),
            "problem_list": [message for messages_ in assessment["problems"].values() for message in messages_]}


# ---- referrals ---------------------------------------------------------------------------


class ReferralListView(SliceListMixin, TemplateView):
    """The referrals the caller may see: their agency's (coordinators and chairs: all),
    newest first, with the way to make one."""

    template_name = "web/cases/referral_list.html"
    slice_target = "referral"
    queryset = Referral.objects.select_related("victim", "referring_agency")

    def get_context_data(self, **kwargs):
        page = page_of(self.request, self.get_queryset().order_by("-created_at", "-id"))
        self.audit_page(page.object_list)
        return {**super().get_context_data(**kwargs), "page": page,
                "may_triage": may(self.actor, "referral", "triage")}


class ReferralCreateView(SliceListMixin, TemplateView):
    """Make a referral: the same service as POST /api/v1/referrals/. "Check score"
    (or, with JavaScript, any change) shows the score, the risk level and what the
    referral criteria find wrong so far, computed by the server; nothing is written
    until "Submit referral" and only when nothing is wrong."""

    template_name = "web/cases/referral_form.html"
    slice_target = "referral"
    slice_action = "create"

    def get(self, request, *args, **kwargs):
        tool = request.GET.get("tool") if request.GET.get("tool") in CHECKLISTS else DASH.tool
        return self.render_form(ReferralForm(tool=tool), ChildFormSet(prefix="child"))

    def post(self, request, *args, **kwargs):
        form = ReferralForm(request.POST)
        children = ChildFormSet(request.POST, prefix="child")
        if "check_score" in request.POST:
            self.rollback()
            return self.render_form(form, children, quiet=True)
        if not (form.is_valid() & children.is_valid()):
            self.rollback()
            return self.render_form(form, children, status=400)
        listed = [(index, child) for index, child in enumerate(children.forms) if not child.is_blank()]
        try:
            referral = submit_referral(agency=request.user.membership.agency, user=request.user,
                                       **form.submission([child.child() for _, child in listed]))
        except DomainError as error:
            self.rollback()
            per_child = error.messages.get("children", {}) if isinstance(error.messages.get("children"), dict) else {}
            for position, child_errors in per_child.items():
                apply_domain_errors(listed[int(position)][1], child_errors)
            apply_domain_errors(form, {key: value for key, value in error.messages.items() if key != "children"},
                                fields={"risk_checklist_answers": "__all__", "risk_checklist": "__all__"})
            return self.render_form(form, children, status=400)
        self.audit("create", referral)
        return redirect("web:referral-submitted", pk=referral.pk)

    def render_form(self, form, children, *, quiet: bool = False, status: int = 200):
        if quiet:
            # "Check score" shows the score, not every unanswered field's error.
            form.full_clean()
            form._errors = ErrorDict()
            for child in children.forms:
                child.full_clean()
                child._errors = ErrorDict()
        assessment = assessment_display(assess_referral(**form.assessment_input()))
        context = self.get_context_data(form=form, children=children, assessment=assessment,
                                        tools=CHECKLISTS.values(), has_errors=bool(form.errors) or any(
                                            child.errors for child in children.forms) or bool(
                                            children.is_bound and children.non_form_errors()))
        return self.render_to_response(context, status=status)


class ReferralScoreView(SliceListMixin, View):
    """The score panel alone, re-rendered by htmx as answers change (not case data:
    nothing is read from the database or written)."""

    slice_target = "referral"
    slice_action = "create"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ReferralForm(request.POST)
        assessment = assessment_display(assess_referral(**form.assessment_input()))
        return render(request, "web/cases/_score_panel.html", {"assessment": assessment})


class ReferralSubmittedView(SliceObjectMixin, TemplateView):
    """Confirmation, with the referral's number."""

    template_name = "web/cases/referral_submitted.html"
    slice_target = "referral"
    queryset = Referral.objects.all()

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "referral": self.get_object()}


def permitted_ids(actor, target: str, action: str, queryset, ids) -> set:
    """Of these objects, those the caller may ACTION (a field-level policy row): at most
    one query for a whole page."""
    return set(visible(actor, target, queryset.filter(pk__in=list(ids)), action=action)
               .values_list("pk", flat=True)) if ids else set()


def referral_fields_shown(actor, referrals) -> dict[str, set]:
    """Which referrals show the caller their case link, the coordinator's triage fields
    and the safe contact (policy rows referral.view_*): one query each for the page."""
    ids = [referral.pk for referral in referrals]
    return {action: permitted_ids(actor, "referral", action, Referral.objects.all(), ids)
            for action in ("view_case_link", "view_duplicates", "view_safe_contact")}


def _previous_marac_related() -> list[str]:
    return ["previous_marac"] if any(field.name == "previous_marac" for field in Referral._meta.get_fields()) else []


class TriageView(SliceListMixin, TemplateView):
    """Referrals awaiting a decision (coordinators), with their repeat and possible
    duplicate flags and the cases whose victim is alike."""

    template_name = "web/cases/triage.html"
    slice_target = "referral"
    slice_action = "triage"
    queryset = Referral.objects.filter(status=ReferralStatus.SUBMITTED)

    def get_queryset(self):
        return super().get_queryset().select_related("victim", "referring_agency", "case",
                                                     *_previous_marac_related())

    def get_context_data(self, **kwargs):
        page = page_of(self.request, self.get_queryset().order_by("created_at", "id"))
        rows = list(page.object_list)
        self.audit_page(rows)
        shown = referral_fields_shown(self.actor, rows)
        duplicates = duplicates_of(rows)
        matches = likely_matches(rows)
        return {**super().get_context_data(**kwargs), "page": page, "rows": [
            {"referral": referral, "risk": risk_display(referral.risk_level),
             "case_link": referral.pk in shown["view_case_link"],
             "duplicates": duplicates[referral.pk] if referral.pk in shown["view_duplicates"] else [],
             "matches": matches[referral.pk] if referral.pk in shown["view_duplicates"] else [],
             "previous_marac": getattr(referral, "previous_marac", None)}
            for referral in rows]}


REFERRAL_PAGE = Referral.objects.select_related("victim", "perpetrator", "referring_agency", "referred_by",
                                               "case__victim", "link_decided_by")


def open_meetings():
    return Meeting.objects.exclude(status=MeetingStatus.CLOSED).order_by("date", "id")


class ReferralDetailView(SliceObjectMixin, TemplateView):
    """One referral, as the caller may see it; coordinators accept or decline it here."""

    template_name = "web/cases/referral_detail.html"
    slice_target = "referral"
    queryset = REFERRAL_PAGE

    def get_context_data(self, **kwargs):
        referral = self.get_object()
        return {**super().get_context_data(**kwargs), **referral_context(self, referral)}


def cases_offered(referral, matches) -> list[tuple[int, str]]:
    """The link form's choices: the case the referral is linked to now, then the likely
    matches (the service leaves the linked case out of those)."""
    offered = []
    if referral.case_id is not None:
        victim = referral.case.victim
        offered.append((referral.case_id, (f"{referral.case.reference}: {victim.first_name} {victim.last_name}, "
                                           f"born {victim.date_of_birth:%-d %B %Y} (linked now)")))
    offered += [(match["case"], f"{match['reference']}: {match['name']}, born {match['date_of_birth']:%-d %B %Y}")
                for match in matches]
    return offered


def link_form_for(view, referral, matches, data=None) -> LinkReferralForm:
    return LinkReferralForm(data, offered=cases_offered(referral, matches),
                            cases=visible(view.actor, "case", Case.objects.all()))


def referral_context(view, referral, *, accept_form=None, decline_form=None, link_form=None) -> dict:
    shown = referral_fields_shown(view.actor, [referral])
    may_triage = referral.status == ReferralStatus.SUBMITTED and may_on(view.actor, "referral", "triage", referral)
    triage = referral.pk in shown["view_duplicates"]
    context = {
        "referral": referral,
        "risk": risk_display(referral.risk_level),
        "checklist": CHECKLISTS[referral.checklist_tool],
        "answers": [(number, label, referral.checklist_answers.get(number))
                    for number, label in CHECKLISTS[referral.checklist_tool].labels.items()],
        "children": list(referral.children.all()),
        "case_link": referral.pk in shown["view_case_link"],
        "safe_contact": referral.pk in shown["view_safe_contact"],
        "channel_labels": [CHANNEL_LABELS[channel] for channel in referral.victim.do_not_contact_via],
        "duplicates": duplicates_of([referral])[referral.pk] if triage else [],
        "matches": likely_matches([referral])[referral.pk] if triage else [],
        "link_decided": triage and referral.link_decided_at is not None,
        "may_triage": may_triage,
    }
    if may_triage:
        meetings = visible(view.actor, "meeting", open_meetings())
        context["accept_form"] = accept_form or AcceptReferralForm(meetings=meetings)
        context["decline_form"] = decline_form or DeclineReferralForm()
        context["link_form"] = link_form or link_form_for(view, referral, context["matches"])
    return context


class ReferralAcceptView(SliceObjectMixin, TemplateView):
    """Accept onto a meeting (or none yet): the same service as POST .../accept/."""

    template_name = "web/cases/referral_detail.html"
    slice_target = "referral"
    slice_action = "triage"
    queryset = REFERRAL_PAGE
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        referral = self.get_object()
        form = AcceptReferralForm(request.POST, meetings=visible(self.actor, "meeting", open_meetings()))
        if form.is_valid():
            try:
                referral = accept_referral(referral, by=request.user, meeting=form.cleaned_data["meeting"])
            except DomainError as error:
                apply_domain_errors(form, error.messages)
            else:
                messages.success(request, f"Referral accepted: case {referral.case.reference}.")
                return redirect("web:case-detail", pk=referral.case_id)
        self.rollback()
        return self.render_to_response(
            {**self.get_context_data(), **referral_context(self, referral, accept_form=form), "form": form},
            status=400)


class ReferralLinkView(SliceObjectMixin, TemplateView):
    """The coordinator decides which case the referral is for, or that none is: the same
    service as POST .../link/ (who and when recorded; audited as an update)."""

    template_name = "web/cases/referral_detail.html"
    slice_target = "referral"
    slice_action = "triage"
    queryset = REFERRAL_PAGE
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        referral = self.get_object()
        form = link_form_for(self, referral, likely_matches([referral])[referral.pk], request.POST)
        if form.is_valid():
            case = form.cleaned_data["linked_case"]
            try:
                referral = link_referral(referral, case=case, by=request.user)
            except DomainError as error:
                typed = "case" not in form.fields or form.cleaned_data.get("reference")
                apply_domain_errors(form, error.messages, {"case": "reference" if typed else "case"})
            else:
                messages.success(request, f"Referral {referral.pk} linked to case {case.reference}." if case else
                                 f"Recorded: referral {referral.pk} is not for the victim of an existing case.")
                return redirect("web:referral-detail", pk=referral.pk)
        self.rollback()
        return self.render_to_response(
            {**self.get_context_data(), **referral_context(self, referral, link_form=form), "form": form},
            status=400)


class ReferralDeclineView(SliceObjectMixin, TemplateView):
    """Decline with a reason: the same service as POST .../decline/."""

    template_name = "web/cases/referral_detail.html"
    slice_target = "referral"
    slice_action = "triage"
    queryset = REFERRAL_PAGE
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        referral = self.get_object()
        form = DeclineReferralForm(request.POST)
        if form.is_valid():
            try:
                decline_referral(referral, by=request.user, reason=form.cleaned_data["reason"])
            except DomainError as error:
                apply_domain_errors(form, error.messages)
            else:
                messages.success(request, f"Referral {referral.pk} declined.")
                return redirect("web:referral-triage")
        self.rollback()
        return self.render_to_response(
            {**self.get_context_data(), **referral_context(self, referral, decline_form=form), "form": form},
            status=400)


# ---- cases ---------------------------------------------------------------------------------


class CaseListView(SliceListMixin, TemplateView):
    """The caller's cases, filtered (risk level, status, repeat flag, reference) and
    paginated: a fixed number of queries whatever the page's length."""

    template_name = "web/cases/case_list.html"
    slice_target = "case"
    queryset = Case.objects.select_related("victim")

    def filtered(self, form):
        cases = self.get_queryset()
        if not form.is_valid():
            return cases.none()
        data = form.cleaned_data
        if data["reference"]:
            cases = cases.filter(reference__icontains=data["reference"].strip())
        if data["status"]:
            cases = cases.filter(status__in=data["status"])
        if data["risk_level"]:
            cases = with_risk_basis(cases).filter(_any_of([risk_level_q(level) for level in data["risk_level"]]))
        if data["flagged"]:
            # The flag as the caller is shown it (policy row case.view_repeat_flag).
            cases = cases.filter(pk__in=visible(self.actor, "case", Case.objects.filter(pending_repeat_flag_q()),
                                                action="view_repeat_flag").values("pk"))
        return cases

    def get_context_data(self, **kwargs):
        form = CaseFilterForm(self.request.GET or None, show_flagged=may(self.actor, "case", "view_repeat_flag"))
        cases = self.filtered(form) if form.is_bound else self.get_queryset()
        page = page_of(self.request, cases.order_by("-created_at", "-id"))
        rows = list(page.object_list)
        self.audit_page(rows)
        levels = risk_levels_for_cases([case.pk for case in rows], {case.pk: case.risk_score for case in rows})
        # The repeat flag as the caller is shown it (policy row case.view_repeat_flag).
        flagged = permitted_ids(self.actor, "case", "view_repeat_flag", Case.objects.filter(pending_repeat_flag_q()),
                                [case.pk for case in rows]) if may(self.actor, "case", "view_repeat_flag") else set()
        query = self.request.GET.copy()
        query.pop("page", None)
        case_url = row_url("case-detail")
        selected = []
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            selected = ([f"Reference: {data['reference']}"] if data["reference"] else []) + [
                f"Risk: {RISK_LABELS[level]}" for level in data["risk_level"]] + [
                f"Status: {status.capitalize()}" for status in data["status"]] + (
                ["Flagged as a repeat"] if data["flagged"] else [])
        return {**super().get_context_data(**kwargs), "form": form, "page": page, "query": query.urlencode(),
                "selected": selected, "may_see_flags": may(self.actor, "case", "view_repeat_flag"),
                "rows": [{"case": case, "url": case_url(case.pk), "risk": risk_display(levels[case.pk]),
                          "flagged": case.pk in flagged, "opened": long_date(case.created_at),
                          "status": capfirst(case.get_status_display())} for case in rows]}


def _any_of(conditions):
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


class CaseDetailView(CasePageMixin, TemplateView):
    """The case page: summary, risk, participants, research, incidents, actions,
    orders, the support plan link and the history, each through its own policy row;
    every object shown is audited as a read, as the API's lists are."""

    template_name = "web/cases/case_detail.html"
    # The MARAC it came from read with the case (one round trip fewer).
    queryset = with_transferred_from(Case.objects.all())
    case_related = ("victim", "perpetrator", "marac")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **case_context(self, self.get_object())}


def case_context(view, case, **forms) -> dict:
    actor = view.actor
    # The case's field-level rows and the "add ..." buttons under it: one query for both.
    shown, creatable = ids_allowed_and_creatable(
        actor, "case", ("view_safe_contact", "view_children_in_full", "view_repeat_flag", "manage_participants",
                        "change"), case, [(target, "create") for target in (
                            "support_plan", "research", "incident", "order", "transfer", "spo_request")])
    safe_contact = case.pk in shown["view_safe_contact"]
    # Every list of the page, each through its own policy row: one more query.
    rows = read_case_page(actor, case, safe_contact=safe_contact, repeat_flag=case.pk in shown["view_repeat_flag"])
    show_incidents = may(actor, "incident", "view")
    research, research_more = newest_shown(view.request, "research", rows.research)
    incidents, incidents_more = newest_shown(view.request, "incidents", rows.incidents if show_incidents else [])
    for object_type, objects in (("research", research), ("incident", incidents), ("action", rows.actions),
                                 ("order", rows.orders), ("support_plan", rows.support_plans),
                                 ("victim_history", rows.history), ("referral", rows.referrals),
                                 ("agenda_item", rows.listings), ("transfer", rows.transfers),
                                 ("spo_request", rows.spo_requests)):
        view.audit("view", [row["pk"] for row in objects], object_type)
    may_manage = case.pk in shown["manage_participants"]
    action_url, meeting_url = optional_row_url("action-detail"), optional_row_url("meeting-detail")
    order_url, plan_url = optional_row_url("order-detail"), optional_row_url("support-plan-detail")
    context = {
        "case": case,
        "victim": case.victim,
        "safe_contact": safe_contact,
        "channel_labels": [CHANNEL_LABELS[channel] for channel in case.victim.do_not_contact_via],
        "children_in_full": case.pk in shown["view_children_in_full"],
        "perpetrators": [{"name": f"{case.perpetrator.first_name} {case.perpetrator.last_name}",
                          "relationship": case.perpetrator.get_relationship_display()}] + [
            {"name": f"{row['perpetrator__first_name']} {row['perpetrator__last_name']}",
             "relationship": PERPETRATOR_RELATIONSHIPS.get(row["perpetrator__relationship"], "")}
            for row in rows.perpetrators],
        "risk": (risk := risk_from_row(rows.risk_basis[0] if rows.risk_basis else None, case.risk_score))
        | risk_display(risk["level"]),
        "repeat_flag": rows.repeat_flag[0] if rows.repeat_flag else None,
        "participants": rows.participants,
        "may_manage_participants": may_manage,
        "may_change": case.pk in shown["change"],
        "research": [{**row, "author": _full_name(row), "created_on": long_date(row["created_at"])}
                     for row in research],
        "research_more": research_more,
        "may_add_research": ("research", "create") in creatable,
        "show_incidents": show_incidents,
        "incidents": [{**row, "behaviour": BEHAVIOUR_LABELS.get(row["behaviour"], row["behaviour"]),
                       "when": short_date_time(row["occurred_at"])} for row in incidents],
        "incidents_more": incidents_more,
        "may_add_incident": show_incidents and ("incident", "create") in creatable,
        "actions": [{**row, "status_label": ACTION_STATUSES.get(row["status"], row["status"]),
                     "url": action_url(row["pk"]), "meeting_url": meeting_url(row["meeting_id"]),
                     "agreed_on": long_date(row["meeting__date"]), "due": short_date(row["due_date"])}
                    for row in rows.actions],
        "orders": [{**row, "status_label": ORDER_STATUSES.get(row["status"], row["status"]), "url": order_url(row["pk"]),
                    "granted": long_date(row["granted_on"]) if row["granted_on"] else ""} for row in rows.orders],
        "order_create_url": optional_url("order-create", case.pk) if ("order", "create") in creatable else None,
        "support_plans": [{**row, "status_label": PLAN_STATUSES.get(row["status"], row["status"]),
                           "url": plan_url(row["pk"]),
                           "next_review_on": long_date(row["next_review"]) if row["next_review"] else ""}
                          for row in rows.support_plans],
        "may_create_support_plan": ("support_plan", "create") in creatable and not rows.support_plans,
        "support_plan_create_url": optional_url("support-plan-create", case.pk),
        "timeline": case_timeline(rows, meeting_url),
        "transferred_from": transferred_from(case),
        "transfer_request_url": optional_url("case-transfer-create", case.pk)
        if ("transfer", "create") in creatable else None,
        **spo_request_panel(case, rows.spo_requests, creatable),
    }
    if may_manage:
        on_case = [agency["pk"] for agency in rows.participants]
        context["participant_form"] = forms.get("participant_form") or ParticipantForm(
            agencies=Agency.objects.exclude(pk__in=on_case).order_by("name"))
    return context


# A case page shows the newest of its research and incidents; "Show all" lists every one.
NEWEST_SHOWN = 10


def newest_shown(request, name: str, rows: list) -> tuple[list, dict | None]:
    """ROWS (newest first) as the case page shows them: the NEWEST_SHOWN newest unless
    the page was asked for all of them (`?all=NAME`), and then what the "Show all" link
    says and where it goes (the other lists asked for in full stay so)."""
    asked = request.GET.getlist("all")
    if name in asked or len(rows) <= NEWEST_SHOWN:
        return rows, None
    query = urlencode({"all": [*asked, name]}, doseq=True)
    return rows[:NEWEST_SHOWN], {"total": len(rows), "url": f"?{query}#{name}"}


def optional_row_url(name: str):
    """`row_url` of another area's page when that area is routed; else no link."""
    try:
        return row_url(name)
    except NoReverseMatch:
        return lambda pk: None


def _full_name(row: dict) -> str:
    """user.get_full_name() or else the username, from a row's author__ fields."""
    full = f"{row['author__first_name']} {row['author__last_name']}".strip()
    return full or row["author__username"]


def case_timeline(rows, meeting_url) -> list[dict]:
    """The case's history, newest first (MoJ timeline): the victim's details as each
    referral gave them, the referrals accepted onto it, its agenda listings and its
    transfers (ROWS: read through each one's own policy row)."""
    events = []
    changes_by_moment: dict = {}
    for change in rows.history:
        changes_by_moment.setdefault((change["recorded_at"], change["referral_id"]), []).append(change)
    for (moment, _referral), changes in changes_by_moment.items():
        first = changes[0]
        events.append({
            "at": moment, "title": "Victim's details recorded" if all(c["old_value"] is None for c in changes)
            else "Victim's details updated",
            "by": f"{first['recorded_by__first_name'] or ''} {first['recorded_by__last_name'] or ''}".strip(),
            "lines": [f"{HISTORY_FIELD_LABELS.get(c['field'], c['field'])}: {_history_text(c['new_value'])}"
                      + (f" (was {_history_text(c['old_value'])})" if c["old_value"] not in (None, "", []) else "")
                      for c in changes],
        })
    for referral in rows.referrals:
        events.append({"at": referral["created_at"], "title": f"Referred by {referral['referring_agency__name']}",
                       "by": "", "lines": [(f"Referral {referral['pk']}: "
                                            f"{REFERRAL_REASONS.get(referral['reason'], referral['reason'])}, "
                                            f"{'repeat' if referral['is_repeat'] else 'new'} referral")]})
    for item in rows.listings:
        events.append({"at": item["added_at"], "title": f"Listed on the meeting of {item['meeting__date']:%-d %B %Y}",
                       "by": "", "lines": [], "url": meeting_url(item["meeting_id"])})
    for transfer in rows.transfers:
        events.append({"at": transfer["requested_at"], "by": "",
                       "lines": [f"Status: {TRANSFER_STATUSES.get(transfer['status'], transfer['status'])}"],
                       "title": f"Transfer from {transfer['from_marac__name']} to {transfer['to_marac__name']}"})
    return sorted(events, key=lambda event: event["at"], reverse=True)


def _history_text(value) -> str:
    if value in (None, "", []):
        return "none"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return f"{date.fromisoformat(value):%-d %B %Y}"
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(CHANNEL_LABELS.get(item, item)) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


class ParticipantAddView(SliceObjectMixin, TemplateView):
    """Coordinators add an agency to the case (the same service as POST .../participants/)."""

    template_name = "web/cases/case_detail.html"
    slice_target = "case"
    slice_action = "manage_participants"
    queryset = Case.objects.select_related("victim", "perpetrator")
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        case = self.get_object()
        on_case = participant_agencies(case).values("pk")
        form = ParticipantForm(request.POST, agencies=Agency.objects.exclude(pk__in=on_case).order_by("name"))
        if form.is_valid():
            add_participant(case, form.cleaned_data["agency"])
            messages.success(request, f"{form.cleaned_data['agency'].name} added to the case.")
            return HttpResponseRedirect(reverse("web:case-detail", args=[case.pk]) + "#participants")
        self.rollback()
        return self.render_to_response({**case_context(self, case, participant_form=form), "form": form},
                                       status=400)


class ParticipantRemoveView(SliceObjectMixin, TemplateView):
    """Coordinators remove an agency from the case: a confirmation page, then the
    same service as DELETE .../participants/{agency}/."""

    template_name = "web/cases/participant_remove.html"
    slice_target = "case"
    slice_action = "manage_participants"
    queryset = Case.objects.select_related("victim")

    def get_agency(self):
        agency = participant_agencies(self.get_object()).filter(pk=self.kwargs["agency_id"]).first()
        if agency is None:
            raise Http404
        return agency

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "case": self.get_object(), "agency": self.get_agency()}

    def post(self, request, *args, **kwargs):
        case, agency = self.get_object(), self.get_agency()
        remove_participant(case, agency)
        messages.success(request, f"{agency.name} removed from the case.")
        return HttpResponseRedirect(reverse("web:case-detail", args=[case.pk]) + "#participants")


class CaseEditView(DomainFormMixin, SliceObjectMixin, FormView):
    """A coordinator corrects the case record (status, stalking, children in the
    household, summary): update_case, as PATCH /cases/{id}/."""

    template_name = "web/cases/case_edit.html"
    slice_target = "case"
    slice_action = "change"
    queryset = Case.objects.select_related("victim")
    form_class = CaseEditForm
    success_message = "Case details saved."

    def get_initial(self):
        case = self.get_object()
        return {"status": case.status, "stalking": "yes" if case.stalking else "no",
                "children_in_household": case.children_in_household, "summary": case.summary}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "case": self.get_object()}

    def save(self, form):
        case = self.get_object()
        update_case(case, **form.changes())
        return case

    def success_url_for(self, case):
        return reverse("web:case-detail", args=[case.pk])


class ResearchAddView(DomainFormMixin, SliceParentMixin, FormView):
    """Add research to a case (shared with the MARAC or agency-only): add_research."""

    template_name = "web/cases/research_form.html"
    slice_target = "research"
    slice_action = "create"
    parent_queryset = Case.objects.all()
    form_class = ResearchForm
    success_message = "Research added."

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "case": self.get_parent()}

    def save(self, form):
        research = add_research(case=self.get_parent(), agency=self.request.user.membership.agency,
                                author=self.request.user, **form.cleaned_data)
        self.audit("create", research)
        return research

    def success_url_for(self, research):
        return reverse("web:case-detail", args=[self.get_parent().pk]) + "#research"


class IncidentAddView(DomainFormMixin, SliceParentMixin, FormView):
    """Log an incident (police and advocacy on the case): record_incident, which may
    flag the case as a repeat for its next agenda."""

    template_name = "web/cases/incident_form.html"
    slice_target = "incident"
    slice_action = "create"
    parent_queryset = Case.objects.all()
    form_class = IncidentForm
    domain_field_map = {"occurred_at": "occurred_on"}
    success_message = "Incident added to the log."

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "case": self.get_parent()}

    def save(self, form):
        data = form.cleaned_data
        incident = record_incident(case=self.get_parent(), agency=self.request.user.membership.agency,
                                   recorded_by=self.request.user, occurred_at=form.occurred_at(),
                                   behaviour=data["behaviour"], description=data["description"],
                                   witnesses=data["witnesses"], evidence=data["evidence"])
        self.audit("create", incident)
        return incident

    def success_url_for(self, incident):
        return reverse("web:case-detail", args=[self.get_parent().pk]) + "#incidents"
