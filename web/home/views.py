"""The home page: what needs the signed-in person's attention, per role, each panel read
through the slice in a fixed number of queries (a few rows each, whatever the volume)."""

from django.utils import timezone
from django.views.generic import TemplateView

from marac.meetings.models import Action, ActionStatus, Meeting, MeetingPack
from marac.notifications.models import Notification
from marac.orders.models import Requirement, RequirementStatus
from marac.referrals.models import Referral, ReferralStatus
from web.slice import SliceView, may, visible

PANEL_ROWS = 10
OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
CLOSED_REQUIREMENT_STATUSES = (RequirementStatus.COMPLETED,)


class HomeView(SliceView, TemplateView):
    """Members: their agency's open actions (overdue first), requirements their agency
    delivers, unread notifications, upcoming meetings with their cases. Coordinators
    also see referrals awaiting triage and transfers waiting for their decision; chairs
    their next meeting and its pack's status, and the last quarter of each MARAC they
    serve. Platform admins: their admin pages. The case data shown is audited as the API
    audits its lists (views of each row)."""

    template_name = "web/home/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actor = self.actor
        context["actor"] = actor
        if not actor.is_member:
            return context
        today = timezone.localdate()
        context["today"] = today
        context["actions"] = self._actions(actor, today)
        context["requirements"] = self._requirements(actor)
        context["notifications"], context["unread_count"] = self._notifications(actor)
        context["meetings"] = self._meetings(actor, today)
        if may(actor, "referral", "triage"):
            context["triage"], context["triage_count"] = self._triage(actor)
            context["transfers_slot"] = True  # the transfers area fills this panel
            from web.transfers.panel import incoming_transfers

            context["transfers"], context["transfers_count"] = incoming_transfers(self)
        if actor.role == "chair":
            context["next_meeting"], context["next_pack"] = self._next_chaired_meeting(actor, today)
            from web.reports.glance import quarter_glances  # the reports area's panel

            context["quarter_glances"] = quarter_glances(self)
        return context

    def _actions(self, actor, today):
        actions = list(
            visible(actor, "action", Action.objects.filter(owner_agency_id=actor.agency_id,
                                                           status__in=OPEN_ACTION_STATUSES))
            .select_related("case").order_by("due_date", "id")[:PANEL_ROWS])
        for action in actions:
            action.is_overdue = action.due_date < today
        self.audit("view", actions, object_type="action")
        return actions

    def _requirements(self, actor):
        requirements = list(
            visible(actor, "requirement", Requirement.objects.filter(responsible_agency_id=actor.agency_id)
                    .exclude(status__in=CLOSED_REQUIREMENT_STATUSES))
            .select_related("order").order_by("due_date", "id")[:PANEL_ROWS])
        self.audit("view", requirements, object_type="requirement")
        return requirements

    def _notifications(self, actor):
        unread = visible(actor, "notification", Notification.objects.filter(read_at__isnull=True))
        latest = list(unread.order_by("-created_at", "-id")[:5])
        self.audit("view", latest, object_type="notification")
        return latest, unread.count()

    def _meetings(self, actor, today):
        meetings = list(visible(actor, "meeting", Meeting.objects.filter(date__gte=today))
                        .select_related("chair").order_by("date", "id")[:5])
        self.audit("view", meetings, object_type="meeting")
        return meetings

    def _triage(self, actor):
        awaiting = visible(actor, "referral", Referral.objects.filter(status=ReferralStatus.SUBMITTED))
        referrals = list(awaiting.select_related("victim", "referring_agency")
                         .order_by("created_at", "id")[:PANEL_ROWS])
        self.audit("view", referrals, object_type="referral")
        return referrals, awaiting.count()

    def _next_chaired_meeting(self, actor, today):
        meeting = (visible(actor, "meeting", Meeting.objects.filter(date__gte=today, chair_id=actor.user_id))
                   .order_by("date", "id").first())
        if meeting is None:
            return None, None
        self.audit("view", [meeting], object_type="meeting")
        pack = MeetingPack.objects.filter(meeting=meeting).order_by("-requested_at", "-id").first()
        return meeting, pack
