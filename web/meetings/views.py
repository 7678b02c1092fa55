"""Meetings, agendas, minutes, actions agreed, carry-over, meeting packs and the actions
worklist, for people. Each view declares its slice (web.slice) and calls the same domain
services as api/meetings; no rule and no permission check is written here."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView, View

from marac.agencies.models import Agency, Role
from marac.cases.models import Case
from marac.cases.participants import participant_agencies
from marac.errors import DomainError
from marac.meetings.models import (
    Action,
    ActionCarryOver,
    ActionStatus,
    ActionUpdate,
    AgendaItem,
    Meeting,
    MeetingPack,
    MeetingStatus,
    PackStatus,
)
from marac.meetings.packs import request_pack, sign_off_pack
from marac.meetings.services import (
    add_to_agenda,
    create_action,
    create_meeting,
    overdue_first,
    overdue_q,
    record_carry_over,
    record_case_minutes,
    update_action,
    update_meeting,
)
from web.forms import add_domain_errors
from web.slice import (
    SliceListMixin,
    SliceObjectMixin,
    SliceParentMixin,
    may,
    may_on,
    may_on_parent,
    require_on_parent,
    visible,
)

from .forms import (
    ActionCreateForm,
    ActionUpdateForm,
    AgendaAddForm,
    CarryOverForm,
    CaseMinutesForm,
    MeetingCreateForm,
    MeetingStatusForm,
    MinutesForm,
    WorklistFilterForm,
)

MEETINGS_PER_PAGE = 25
ACTIONS_PER_PAGE = 50


def meeting_title(meeting: Meeting) -> str:
    return f"Meeting {meeting.date.day} {meeting.date:%B %Y}"


def allowed_action_ids(actor, action: str, ids) -> set:
    """Of these actions, the ones the caller may ACTION: one query for a page's rows."""
    if not ids:
        return set()
    return set(visible(actor, "action", Action.objects.filter(pk__in=list(ids)), action).values_list("pk", flat=True))


def safe_next(request, default: str) -> str:
    """Where to go back to after a form: a local `next` address, else DEFAULT."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return target
    return default


# Meetings ------------------------------------------------------------------------------

class MeetingListView(SliceListMixin, TemplateView):
    """Upcoming (soonest first) or past (latest first) meetings in the caller's slice."""

    slice_target = "meeting"
    queryset = Meeting.objects.select_related("chair")
    template_name = "web/meetings/meeting_list.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        past = self.request.GET.get("when") == "past"
        meetings = self.get_queryset()
        meetings = (meetings.filter(date__lt=today).order_by("-date", "-id") if past
                    else meetings.filter(date__gte=today).order_by("date", "id"))
        page = Paginator(meetings, MEETINGS_PER_PAGE).get_page(self.request.GET.get("page"))
        self.audit_page(page.object_list)
        return {**super().get_context_data(**kwargs), "page": page, "past": past,
                "may_schedule": may(self.actor, "meeting", "create")}


class MeetingCreateView(SliceListMixin, TemplateView):
    """Schedule a meeting (coordinators)."""

    slice_target = "meeting"
    slice_action = "create"
    queryset = Meeting.objects.all()
    template_name = "web/meetings/meeting_form.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "form": kwargs.get("form") or MeetingCreateForm()}

    def post(self, request):
        form = MeetingCreateForm(request.POST)
        if form.is_valid():
            try:
                meeting = create_meeting(date=form.cleaned_data["date"], chair=form.cleaned_data["chair"],
                                         marac=form.cleaned_data.get("marac"), by=request.user)
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                self.audit("create", meeting)
                messages.success(request, f"{meeting_title(meeting)} scheduled")
                return HttpResponseRedirect(reverse("web:meeting-detail", args=[meeting.pk]))
        self.rollback()
        return self.render_to_response(self.get_context_data(form=form))


class MeetingObjectMixin(SliceObjectMixin):
    slice_target = "meeting"
    queryset = Meeting.objects.select_related("chair__membership__agency", "marac")


def pack_context(actor, meeting: Meeting) -> dict:
    """The pack panel: the latest build, and what the caller may do with it."""
    if not may_on(actor, "pack", "view", meeting):  # the pack's row is read against its meeting
        return {"may_view_pack": False}
    pack = meeting.packs.select_related("signed_off_by").first()
    return {
        "may_view_pack": True,
        "pack": pack,
        "may_generate_pack": may_on(actor, "pack", "create", meeting),
        "may_sign_off": pack is not None and pack.status == PackStatus.READY and not pack.signed
        and may_on(actor, "pack", "sign_off", meeting),
    }


class MeetingDetailView(MeetingObjectMixin, TemplateView):
    """The meeting page: attendance and minutes (policy `meeting.view_minutes`), the
    agenda the caller may see with each case's minutes, the actions agreed there and
    those carried into it, and the pack. A fixed number of queries for any agenda."""

    template_name = "web/meetings/meeting_detail.html"

    def get_context_data(self, **kwargs):
        meeting = self.get_object()
        actor = self.actor
        items = list(visible(actor, "agenda_item", AgendaItem.objects.filter(meeting=meeting))
                     .select_related("case__victim").order_by("position", "id"))
        case_ids = [item.case_id for item in items]
        actions = visible(actor, "action", Action.objects.filter(case_id__in=case_ids))
        agreed = list(actions.filter(meeting=meeting).select_related("owner_agency").order_by("due_date", "id"))
        carried = list(ActionCarryOver.objects.filter(meeting=meeting, action__in=actions)
                       .select_related("action__owner_agency", "action__meeting").order_by("action__due_date", "id"))
        unrecorded = [carry.action_id for carry in carried if carry.reason is None]
        may_record = allowed_action_ids(actor, "record_carry_over", unrecorded)
        today = timezone.localdate()
        for item in items:
            item.agreed_actions = [a for a in agreed if a.case_id == item.case_id]
            item.carried = [c for c in carried if c.action.case_id == item.case_id]
            for action in item.agreed_actions + [c.action for c in item.carried]:
                action.overdue = action.is_overdue(today)
            for carry in item.carried:
                carry.may_record = carry.action_id in may_record
        self.audit("view", items, "agenda_item")
        self.audit("view", agreed + [carry.action for carry in carried], "action")
        open_meeting = meeting.status != MeetingStatus.CLOSED
        context = {
            "meeting": meeting, "title": meeting_title(meeting), "items": items,
            "may_view_minutes": may_on(actor, "meeting", "view_minutes", meeting),
            "may_change": open_meeting and may_on(actor, "meeting", "change", meeting),
            "may_add_case": open_meeting and may_on_parent(actor, "agenda_item", "create", meeting),
            "may_add_action": open_meeting and bool(items)
            and may(actor, "action", "create"),
            "may_record_carry_over": bool(may_record),
            "agenda_form": AgendaAddForm(),
            "carry_over_form": CarryOverForm(meetings=Meeting.objects.none()),
            **pack_context(actor, meeting),
        }
        if context["may_view_minutes"]:
            context["present"] = list(meeting.agencies_present.order_by("name"))
            context["apologies"] = list(meeting.apologies.order_by("name"))
        return {**super().get_context_data(**kwargs), **context}


class MinutesView(MeetingObjectMixin, TemplateView):
    """Attendance, apologies and the meeting-wide minutes (coordinators and chairs)."""

    slice_action = "change"
    template_name = "web/meetings/minutes_form.html"

    def get_context_data(self, **kwargs):
        meeting = self.get_object()
        form = kwargs.get("form") or MinutesForm(initial={
            "agencies_present": list(meeting.agencies_present.all()), "apologies": list(meeting.apologies.all()),
            "minutes": meeting.minutes})
        return {**super().get_context_data(**kwargs), "meeting": meeting, "title": meeting_title(meeting),
                "form": form}

    def post(self, request, pk):
        meeting = self.get_object()
        form = MinutesForm(request.POST)
        if form.is_valid():
            try:
                update_meeting(meeting, **form.cleaned_data)
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, "Attendance and minutes saved")
                return HttpResponseRedirect(reverse("web:meeting-detail", args=[meeting.pk]) + "#minutes")
        self.rollback()
        return self.render_to_response(self.get_context_data(form=form))


class MeetingStatusView(MeetingObjectMixin, TemplateView):
    """Mark the meeting held, or close it: the same rules as the API (forward only;
    closing needs the minutes and the agencies present). GET confirms."""

    slice_action = "change"
    template_name = "web/meetings/meeting_status.html"

    def requested_status(self) -> str:
        wanted = self.request.POST.get("status") or self.request.GET.get("status")
        return wanted if wanted in (MeetingStatus.HELD, MeetingStatus.CLOSED) else MeetingStatus.CLOSED

    def get_context_data(self, **kwargs):
        meeting = self.get_object()
        status = self.requested_status()
        form = kwargs.get("form") or MeetingStatusForm(initial={"status": status})
        return {**super().get_context_data(**kwargs), "meeting": meeting, "title": meeting_title(meeting),
                "form": form, "status": status, "rule_errors": kwargs.get("rule_errors") or {}}

    def post(self, request, pk):
        meeting = self.get_object()
        form = MeetingStatusForm(request.POST)
        if form.is_valid():
            try:
                update_meeting(meeting, status=form.cleaned_data["status"])
            except DomainError as exc:
                add_domain_errors(form, exc)
                self.rollback()
                return self.render_to_response(self.get_context_data(form=form, rule_errors=exc.messages))
            else:
                done = "closed" if form.cleaned_data["status"] == MeetingStatus.CLOSED else "marked as held"
                messages.success(request, f"Meeting {done}")
                return HttpResponseRedirect(reverse("web:meeting-detail", args=[meeting.pk]))
        self.rollback()
        return self.render_to_response(self.get_context_data(form=form))


class AgendaAddView(SliceParentMixin, TemplateView):
    """List a case on the agenda (coordinators), by its reference, within the caller's
    case slice; its incomplete actions carry over (marac.meetings.services)."""

    slice_target = "agenda_item"
    slice_action = "create"
    parent_queryset = Meeting.objects.all()
    parent_url_kwarg = "pk"
    template_name = "web/meetings/agenda_form.html"

    def get_context_data(self, **kwargs):
        meeting = self.get_parent()
        return {**super().get_context_data(**kwargs), "meeting": meeting, "title": meeting_title(meeting),
                "form": kwargs.get("form") or AgendaAddForm()}

    def post(self, request, pk):
        meeting = self.get_parent()
        form = AgendaAddForm(request.POST, cases=visible(self.actor, "case", Case.objects.all()))
        if form.is_valid():
            existed = AgendaItem.objects.filter(meeting=meeting, case=form.case).exists()
            try:
                item = add_to_agenda(meeting, form.case)
            except DomainError as exc:
                add_domain_errors(form, DomainError({"reference" if key == "case" else key: value
                                                     for key, value in exc.messages.items()}))
            else:
                self.audit("view" if existed else "create", item)
                messages.success(request, f"Case {form.case.reference} "
                                 + ("was already on the agenda" if existed else "added to the agenda"))
                return HttpResponseRedirect(reverse("web:meeting-detail", args=[meeting.pk]) + "#agenda")
        self.rollback()
        return self.render_to_response(self.get_context_data(form=form))


class CaseMinutesView(SliceObjectMixin, TemplateView):
    """One case's minutes at this meeting (policy `agenda_item.change`)."""

    slice_target = "agenda_item"
    slice_action = "change"
    pk_url_kwarg = "item_pk"
    template_name = "web/meetings/case_minutes_form.html"

    def get_slice_queryset(self):
        return AgendaItem.objects.filter(meeting_id=self.kwargs["pk"]).select_related("meeting", "case")

    def get_context_data(self, **kwargs):
        item = self.get_object()
        return {**super().get_context_data(**kwargs), "item": item, "meeting": item.meeting,
                "title": meeting_title(item.meeting),
                "form": kwargs.get("form") or CaseMinutesForm(initial={"minutes": item.minutes})}

    def post(self, request, pk, item_pk):
        item = self.get_object()
        form = CaseMinutesForm(request.POST)
        if form.is_valid():
            try:
                record_case_minutes(item, minutes=form.cleaned_data["minutes"])
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, f"Minutes for case {item.case.reference} saved")
                return HttpResponseRedirect(reverse("web:meeting-detail", args=[pk]) + f"#case-{item.case_id}")
        self.rollback()
        return self.render_to_response(self.get_context_data(form=form))


class ActionCreateView(SliceObjectMixin, TemplateView):
    """Agree an action on a case of this meeting's agenda (coordinators and chairs):
    description, owner agency (on the case), due date. The page is the meeting's (404
    outside its view slice); an action's parent is the case the form names, which the
    `action.create` row is read against, as the API reads the case its body names."""

    slice_target = "meeting"
    slice_creates = "action"
    queryset = Meeting.objects.all()
    audit_write_action = None
    template_name = "web/meetings/action_form.html"

    def agenda_cases(self):
        """The cases on the agenda within the caller's case slice."""
        meeting = self.get_object()
        listed = AgendaItem.objects.filter(meeting=meeting).values("case_id")
        return visible(self.actor, "case", Case.objects.filter(pk__in=listed)).order_by("reference")

    def owners(self, case_id):
        """The case's participants when the case is known (no JS needed), else every agency
        (the service refuses an owner that is not on the case)."""
        case = self.agenda_cases().filter(pk=case_id).first() if str(case_id or "").isdigit() else None
        return participant_agencies(case).order_by("name") if case else Agency.objects.order_by("name")

    def get_form(self, data=None):
        case_id = (data or {}).get("case") or self.request.GET.get("case")
        initial = {"case": case_id} if case_id and str(case_id).isdigit() else {}
        return ActionCreateForm(data, initial=initial, cases=self.agenda_cases(), owners=self.owners(case_id))

    def get_context_data(self, **kwargs):
        meeting = self.get_object()
        return {**super().get_context_data(**kwargs), "meeting": meeting, "title": meeting_title(meeting),
                "form": kwargs.get("form") or self.get_form()}

    def post(self, request, pk):
        meeting = self.get_object()
        form = self.get_form(request.POST)
        if form.is_valid():
            # The case comes from the form: the row read against it too, as the API does.
            require_on_parent(self.actor, "action", "create", form.cleaned_data["case"])
            try:
                action = create_action(meeting=meeting, by=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                self.audit("create", action, "action")
                messages.success(request, f"Action agreed for case {action.case.reference}")
                return HttpResponseRedirect(reverse("web:meeting-detail", args=[meeting.pk])
                                            + f"#case-{action.case_id}")
        self.rollback()
        return self.render_to_response(self.get_context_data(form=form))


# The meeting pack -------------------------------------------------------------------------

class PackMixin(SliceObjectMixin):
    """The pack is read against its meeting (policy rows `pack.*`): 404 to anyone who
    may not see packs, 403 to a chair signing another chair's pack. Audited as the API
    audits it: on the meeting."""

    slice_target = "pack"
    audit_object_type = "meeting"
    queryset = Meeting.objects.select_related("chair")

    def panel(self, request, meeting, status=200, errors=None):
        context = {"meeting": meeting, "title": meeting_title(meeting), "pack_errors": errors or [],
                   **pack_context(self.actor, meeting)}
        template = "web/meetings/_pack_panel.html" if request.htmx else "web/meetings/pack.html"
        return render(request, template, context, status=status)


class PackStatusView(PackMixin, View):
    """The pack's status: the panel htmx polls while a build is pending, or a page."""

    def get(self, request, pk):
        return self.panel(request, self.get_object())


class PackGenerateView(PackMixin, View):
    """Generate the meeting pack: the same background job as the API's POST."""

    slice_action = "create"
    http_method_names = ["post"]

    def post(self, request, pk):
        meeting = self.get_object()
        pack, started = request_pack(meeting, by=request.user)
        if request.htmx:
            return self.panel(request, meeting)
        if pack.status == PackStatus.READY:
            messages.success(request, "The meeting pack is ready" if started else "The meeting pack is up to date")
        return HttpResponseRedirect(reverse("web:meeting-detail", args=[meeting.pk]) + "#pack")


class PackSignOffView(PackMixin, View):
    """The meeting's chair signs off the latest ready build."""

    slice_action = "sign_off"
    http_method_names = ["post"]

    def post(self, request, pk):
        meeting = self.get_object()
        try:
            sign_off_pack(meeting, by=request.user)
        except MeetingPack.DoesNotExist:
            raise Http404 from None
        except DomainError as exc:
            self.rollback()
            return self.panel(request, meeting, errors=[m for ms in exc.messages.values() for m in ms])
        if request.htmx:
            return self.panel(request, meeting)
        messages.success(request, "Meeting pack signed off")
        return HttpResponseRedirect(reverse("web:meeting-detail", args=[meeting.pk]) + "#pack")


class PackDownloadView(PackMixin, View):
    """The latest ready pack's PDF or JSON, audited as a download of the meeting."""

    kind = "pdf"
    content_types = {"pdf": "application/pdf", "json": "application/json"}

    def default_audit_events(self, request) -> list:
        return [("download", "meeting", [self.get_object().pk])]

    def get(self, request, pk):
        meeting = self.get_object()
        pack = meeting.packs.filter(status=PackStatus.READY).first()
        if pack is None or not getattr(pack, self.kind):
            raise Http404
        return FileResponse(default_storage.open(getattr(pack, self.kind).name, "rb"), as_attachment=True,
                            content_type=self.content_types[self.kind],
                            filename=f"marac-meeting-{meeting.date:%Y-%m-%d}-pack-{pack.pk}.{self.kind}")


# Actions ------------------------------------------------------------------------------

class ActionListView(SliceListMixin, TemplateView):
    """The worklist: my agency's actions (coordinators: all of their reach), overdue
    first, filtered by status, overdue and case; an inline update on each row the
    caller may change."""

    slice_target = "action"
    queryset = Action.objects.select_related("case", "owner_agency")
    template_name = "web/meetings/action_list.html"

    def get_context_data(self, **kwargs):
        actor = self.actor
        today = timezone.localdate()
        default_owner = "all" if actor.role == Role.COORDINATOR else "mine"
        filters = WorklistFilterForm(self.request.GET or None)
        chosen = filters.cleaned_data if filters.is_valid() else {}
        owner = chosen.get("owner") or default_owner
        actions = self.get_queryset()
        if owner == "mine":
            actions = actions.filter(owner_agency_id=actor.agency_id)
        if chosen.get("status"):
            actions = actions.filter(status=chosen["status"])
        if chosen.get("overdue") == "yes":
            actions = actions.filter(overdue_q(today))
        elif chosen.get("overdue") == "no":
            actions = actions.exclude(overdue_q(today))
        if chosen.get("case"):
            actions = actions.filter(case__reference__iexact=chosen["case"].strip())
        page = Paginator(overdue_first(actions, today), ACTIONS_PER_PAGE).get_page(self.request.GET.get("page"))
        rows = list(page.object_list)
        changeable = allowed_action_ids(actor, "change", [a.pk for a in rows])
        for action in rows:
            action.overdue = action.is_overdue(today)
            action.may_change = action.pk in changeable
        self.audit_page(rows)
        query = self.request.GET.copy()
        query.pop("page", None)
        return {**super().get_context_data(**kwargs), "page": page, "rows": rows, "filters": filters,
                "owner": owner, "query": query.urlencode(), "status_choices": ActionStatus.choices,
                "next": self.request.get_full_path()}


def action_queryset():
    return Action.objects.select_related("case", "owner_agency", "meeting", "created_by").prefetch_related(
        Prefetch("updates", queryset=ActionUpdate.objects.select_related("by", "agency").order_by("-at", "-id")),
        Prefetch("carry_overs", queryset=ActionCarryOver.objects.select_related("meeting", "recorded_by")
                 .order_by("carried_at", "id")),
    )


class ActionObjectMixin(SliceObjectMixin):
    slice_target = "action"
    queryset = action_queryset()
    template_name = "web/meetings/action_detail.html"

    def action_context(self, action, update_form=None, carry_form=None):
        actor = self.actor
        action.overdue = action.is_overdue()
        may_record = may_on(actor, "action", "record_carry_over", action)
        return {
            "action": action, "title": f"Action on case {action.case.reference}",
            "may_change": may_on(actor, "action", "change", action),
            "may_record_carry_over": may_record,
            "update_form": update_form or ActionUpdateForm(action=action),
            "carry_form": carry_form,
            "next": safe_next(self.request, ""),
        }


class ActionDetailView(ActionObjectMixin, TemplateView):
    """An action: what, who, due, status, its history and carry-overs; the update form."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.action_context(self.get_object())}


class ActionUpdateView(ActionObjectMixin, View):
    """New status and/or a progress note (the owning agency, coordinators). With htmx
    the worklist row is swapped in place; without, back to where the form was."""

    slice_action = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        action = self.get_object()
        form = ActionUpdateForm(request.POST, action=action)
        if form.is_valid():
            try:
                update_action(action, by=request.user, **form.changes())
            except DomainError as exc:
                add_domain_errors(form, exc)
        if form.errors:
            self.rollback()
            if request.htmx:
                return self.row(request, action, form)
            return render(request, self.template_name, self.action_context(action, update_form=form))
        if request.htmx:
            return self.row(request, action_queryset().get(pk=action.pk), None, updated=True)
        messages.success(request, "Action updated")
        return HttpResponseRedirect(safe_next(request, reverse("web:action-detail", args=[action.pk])))

    def row(self, request, action, form, updated=False):
        action.overdue = action.is_overdue()
        action.may_change = True
        return render(request, "web/meetings/_action_row.html",
                      {"action": action, "row_form": form, "updated": updated,
                       "next": safe_next(request, reverse("web:action-list")),
                       "status_choices": ActionStatus.choices})


class CarryOverView(ActionObjectMixin, View):
    """Why an incomplete action carried into a later meeting was not completed
    (coordinators): circumstances changed, or the agency did not act."""

    slice_action = "record_carry_over"
    http_method_names = ["post"]

    def post(self, request, pk):
        action = self.get_object()
        meetings = visible(self.actor, "meeting", Meeting.objects.filter(carried_actions__action=action))
        form = CarryOverForm(request.POST, meetings=meetings)
        if form.is_valid():
            try:
                record_carry_over(action, by=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(request, "Carry-over reason recorded")
                return HttpResponseRedirect(safe_next(request, reverse("web:action-detail", args=[action.pk])))
        self.rollback()
        return render(request, self.template_name, self.action_context(action, carry_form=form))
