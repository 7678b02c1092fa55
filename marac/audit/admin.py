"""Auditing the Django admin. Every ModelAdmin the project registers mixes in
AuditedAdmin, so an administrator's add, change and delete in /admin/ leaves the same
AuditEvents as an API write (object_type, object_id, operation `admin:<verb>`).
No case-data model is registered in the admin at all (tests/agencies/test_admin.py)."""

from marac.client_address import client_address

from .models import AuditAction
from .services import AuditContext, record_events


class AuditedAdmin:
    """Mixed into a ModelAdmin before admin.ModelAdmin. `audit_object_type` names the
    object as the API's audit trail does (e.g. "user"); default: the model name."""

    audit_object_type: str | None = None

    def log_addition(self, request, obj, message):
        self._audit(request, AuditAction.CREATE, [obj.pk], "admin:add")
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, AuditAction.UPDATE, [obj.pk], "admin:change")
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        self._audit(request, AuditAction.DELETE, [obj.pk for obj in queryset], "admin:delete")
        return super().log_deletions(request, queryset)

    def _audit(self, request, action, ids, operation):
        user = request.user
        membership = getattr(user, "membership", None)
        context = AuditContext(user_id=user.pk, username=user.get_username(),
                               agency_id=getattr(membership, "agency_id", None),
                               request_id=getattr(request, "request_id", "") or "",
                               client_address=client_address(request))
        record_events(context, [(action, self.audit_object_type or self.model._meta.model_name, ids)],
                      operation=operation)
