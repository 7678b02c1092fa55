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
from django.utils.text import capfirst
from django.views.generic import FormView, TemplateView, View

from marac.agencies.models import Agency
from marac.cases.models import Case, Incident, ResearchContribution, VictimDetailChange
from marac.cases.participants import (
    add_participant,
    participant_agencies,
    remove_participant,
)
from marac.cases.repeats import pending_repeat_flag_q
from marac.cases.services import (
    SAFE_CONTACT_FIELDS,
    add_research,
    attach_children,
    record_incident,
    update_case,
)
from marac.errors import DomainError
from marac.meetings.models import Action, AgendaItem, Meeting, MeetingStatus
from marac.orders.models import Order
from marac.referrals.checklists import CHECKLISTS, DASH
from marac.referrals.models import Referral, ReferralStatus
from marac.referrals.risk import (
    risk_for_cases,
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
from marac.support.models import SupportPlan
from marac.transfers.services import transferred_from, with_transferred_from
from web.formats import long_date, short_date_time
from web.forms import DomainFormMixin
from web.links import row_url
from web.pagination import page_of
from web.slice import (
    SliceListMixin,
    SliceObjectMixin,
    SliceParentMixin,
    ids_allowed_and_creatable,
    may,
    may_on,
    visible,
    visible_on_case,
)
from web.spo_requests.views import spo_request_panel

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
    apply_domain_errors,
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


class CaseDetailView(SliceObjectMixin, TemplateView):
    """The case page: summary, risk, participants, research, incidents, actions,
    orders, the support plan link and the history, each through its own policy row;
    every object shown is audited as a read, as the API's lists are."""

    template_name = "web/cases/case_detail.html"
    slice_target = "case"
    # The MARAC it came from read with the case (one round trip fewer).
    queryset = with_transferred_from(Case.objects.select_related("victim", "perpetrator", "marac"))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **case_context(self, self.get_object())}


def case_context(view, case, **forms) -> dict:
    actor = view.actor
    # The case's field-level rows and the "add ..." buttons under it: one query for both.
    shown, creatable = ids_allowed_and_creatable(
        actor, "case", ("view_safe_contact", "view_children_in_full", "view_repeat_flag", "manage_participants",
                        "change"), case, [(target, "create") for target in (
                            "support_plan", "research", "incident", "order", "transfer", "spo_request")])
    attach_children([case])
    risk = risk_for_cases([case.pk], {case.pk: case.risk_score})[case.pk]
    perpetrators = [case.perpetrator, *(link.perpetrator for link in case.perpetrator_links.select_related(
        "perpetrator"))]
    agencies = list(participant_agencies(case).order_by("name"))
    may_manage = case.pk in shown["manage_participants"]
    # Research and incidents as plain rows with their text ready: a case may carry dozens
    # of each, and model instances (the author's whole account) and per-row template
    # filters were most of the page's time.
    research = [{**row, "author": _full_name(row), "created_on": long_date(row["created_at"])}
                for row in visible_on_case(actor, "research", ResearchContribution.objects.filter(case=case), case)
                .order_by("-created_at", "-id").values(
                    "pk", "summary", "shared_with_marac", "withheld_note", "created_at", "agency__name",
                    "author__first_name", "author__last_name", "author__username")]
    show_incidents = may(actor, "incident", "view")
    incidents = list(visible_on_case(actor, "incident", Incident.objects.filter(case=case), case)
                     .values("pk", "occurred_at", "behaviour", "description", "agency__name")
                     ) if show_incidents else []
    actions = list(visible_on_case(actor, "action", Action.objects.filter(case=case), case)
                   .select_related("owner_agency", "meeting").order_by("due_date", "id"))
    orders = list(visible_on_case(actor, "order", Order.objects.filter(case=case), case).order_by("-id"))
    plans = list(visible_on_case(actor, "support_plan", SupportPlan.objects.filter(case=case), case)
                 .order_by("-updated_at"))
    may_plan = ("support_plan", "create") in creatable
    timeline = case_timeline(view, case, safe_contact=case.pk in shown["view_safe_contact"])
    flag = case.repeat_flags.filter(listed_on__isnull=True).first() if case.pk in shown["view_repeat_flag"] else None
    view.audit("view", [row["pk"] for row in research], "research")
    view.audit("view", [row["pk"] for row in incidents], "incident")
    view.audit("view", actions, "action")
    view.audit("view", orders, "order")
    view.audit("view", plans, "support_plan")
    context = {
        "case": case,
        "victim": case.victim,
        "safe_contact": case.pk in shown["view_safe_contact"],
        "channel_labels": [CHANNEL_LABELS[channel] for channel in case.victim.do_not_contact_via],
        "children_in_full": case.pk in shown["view_children_in_full"],
        "perpetrators": perpetrators,
        "risk": {**risk, **risk_display(risk["level"])},
        "repeat_flag": flag,
        "participants": agencies,
        "may_manage_participants": may_manage,
        "may_change": case.pk in shown["change"],
        "research": research,
        "may_add_research": ("research", "create") in creatable,
        "show_incidents": show_incidents,
        "incidents": [{**incident, "behaviour": BEHAVIOUR_LABELS.get(incident["behaviour"], incident["behaviour"]),
                       "when": short_date_time(incident["occurred_at"])} for incident in incidents],
        "may_add_incident": show_incidents and ("incident", "create") in creatable,
        "actions": [{"action": action, "url": optional_url("action-detail", action.pk),
                     "meeting_url": optional_url("meeting-detail", action.meeting_id)} for action in actions],
        "orders": [{"order": order, "url": optional_url("order-detail", order.pk)} for order in orders],
        "order_create_url": optional_url("order-create", case.pk) if ("order", "create") in creatable else None,
        "support_plans": [{"plan": plan, "url": optional_url("support-plan-detail", plan.pk)} for plan in plans],
        "may_create_support_plan": may_plan and not plans,
        "support_plan_create_url": optional_url("support-plan-create", case.pk),
        "timeline": timeline,
        "transferred_from": transferred_from(case),
        "transfer_request_url": optional_url("case-transfer-create", case.pk)
        if ("transfer", "create") in creatable else None,
        **spo_request_panel(view, case, creatable),
    }
    if may_manage:
        on_case = [agency.pk for agency in agencies]
        context["participant_form"] = forms.get("participant_form") or ParticipantForm(
            agencies=Agency.objects.exclude(pk__in=on_case).order_by("name"))
    return context


def _full_name(row: dict) -> str:
    """user.get_full_name() or else the username, from a row's author__ fields."""
    full = f"{row['author__first_name']} {row['author__last_name']}".strip()
    return full or row["author__username"]


def case_timeline(view, case, *, safe_contact: bool) -> list[dict]:
    """The case's history, newest first (MoJ timeline): the victim's details as each
    referral gave them, the referrals accepted onto it, its agenda listings and, where
    the transfers area exists, its transfers; each through its own policy row."""
    actor = view.actor
    history = visible_on_case(actor, "victim_history", VictimDetailChange.objects.filter(case=case),
                              case).select_related("recorded_by")
    if not safe_contact:
        history = history.exclude(field__in=SAFE_CONTACT_FIELDS)
    history = list(history)
    referrals = list(visible_on_case(actor, "referral",
                                     Referral.objects.filter(case=case, status=ReferralStatus.ACCEPTED), case)
                     .select_related("referring_agency"))
    listings = list(visible_on_case(actor, "agenda_item", AgendaItem.objects.filter(case=case), case)
                    .select_related("meeting"))
    view.audit("view", history, "victim_history")
    view.audit("view", referrals, "referral")
    view.audit("view", listings, "agenda_item")
    events = []
    changes_by_moment: dict = {}
    for change in history:
        changes_by_moment.setdefault((change.recorded_at, change.referral_id), []).append(change)
    for (moment, _referral), changes in changes_by_moment.items():
        first = changes[0]
        events.append({
            "at": moment, "title": "Victim's details recorded" if all(c.old_value is None for c in changes)
            else "Victim's details updated",
            "by": first.recorded_by.get_full_name() if first.recorded_by else "",
            "lines": [f"{HISTORY_FIELD_LABELS.get(c.field, c.field)}: {_history_text(c.new_value)}"
                      + (f" (was {_history_text(c.old_value)})" if c.old_value not in (None, "", []) else "")
                      for c in changes],
        })
    for referral in referrals:
        events.append({"at": referral.created_at, "title": f"Referred by {referral.referring_agency.name}",
                       "by": "", "lines": [f"Referral {referral.pk}: {referral.get_reason_display()}, "
                                           f"{'repeat' if referral.is_repeat else 'new'} referral"]})
    for item in listings:
        events.append({"at": item.added_at, "title": f"Listed on the meeting of {item.meeting.date:%-d %B %Y}",
                       "by": "", "lines": [], "url": optional_url("meeting-detail", item.meeting_id)})
    events.extend(transfer_events(view, case))
    return sorted(events, key=lambda event: event["at"], reverse=True)


def transfer_events(view, case) -> list[dict]:
    """Transfers between MARACs, where that area exists (marac.transfers), through its
    own policy row."""
    try:
        from marac.transfers.models import CaseTransfer
    except ImportError:
        return []
    if not may(view.actor, "transfer", "view"):
        return []
    transfers = list(visible_on_case(view.actor, "transfer", CaseTransfer.objects.filter(case=case), case)
                     .select_related("from_marac", "to_marac"))
    view.audit("view", transfers, "transfer")
    return [{"at": transfer.requested_at, "by": "", "lines": [f"Status: {transfer.get_status_display()}"],
             "title": f"Transfer from {transfer.from_marac} to {transfer.to_marac}"} for transfer in transfers]


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


class CaseFormMixin(DomainFormMixin):
    """A case page's form (web.forms.DomainFormMixin): the domain's messages, nested keys
    included, go beside the fields through apply_domain_errors."""

    def apply_domain_error(self, form, error) -> None:
        apply_domain_errors(form, error.messages, self.domain_field_map)


class CaseEditView(CaseFormMixin, SliceObjectMixin, FormView):
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


class ResearchAddView(CaseFormMixin, SliceParentMixin, FormView):
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


class IncidentAddView(CaseFormMixin, SliceParentMixin, FormView):
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
