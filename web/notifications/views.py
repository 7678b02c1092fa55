"""Notifications: the agency's (for every role or the caller's), newest first, and
marking one read. The same slice rows and domain service as the API's
/notifications/ (marac.notifications.services.mark_read)."""

from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from marac.notifications.models import Notification
from marac.notifications.services import mark_read
from web.pagination import page_of
from web.slice import SliceListMixin, SliceObjectMixin


class NotificationListView(SliceListMixin, TemplateView):
    slice_target = "notification"
    queryset = Notification.objects.all()
    template_name = "web/notifications/list.html"

    def get_queryset(self):
        queryset = (super().get_queryset().for_role(self.actor.role).select_related("case")
                    .order_by("-created_at", "-id"))
        if self.request.GET.get("show") == "unread":
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = page_of(self.request, self.get_queryset())
        self.audit_page(page.object_list)
        show_unread = self.request.GET.get("show") == "unread"
        context.update(page_obj=page, notifications=page.object_list, show_unread=show_unread,
                       query="show=unread" if show_unread else "")
        return context


class NotificationReadView(SliceObjectMixin, View):
    """POST: mark one notification read (an `update` of it in the audit trail, as the
    API's POST /notifications/{id}/read/), then back to where the person was."""

    slice_target = "notification"
    slice_action = "mark_read"
    queryset = Notification.objects.all()
    http_method_names = ["post"]

    def get_slice_queryset(self):
        return super().get_slice_queryset().for_role(self.actor.role)

    def post(self, request, pk):
        notification = mark_read(self.get_object())
        if request.htmx:  # the list's row, swapped in place; without JavaScript, the redirect below
            return render(request, "web/notifications/_row.html", {"notification": notification})
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = ""
        return redirect(back or "web:notification-list")
