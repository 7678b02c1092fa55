from django.contrib import admin

from .models import Agency, Membership
from .services import create_agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    exclude = ["group"]

    def save_model(self, request, obj, form, change):
        """A new agency gets its group, which carries its case grants."""
        if not change:
            created = create_agency(name=obj.name, kind=obj.kind)
            obj.pk, obj.group_id = created.pk, created.group_id
            return
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role"]
    list_filter = ["role", "agency__kind"]
    search_fields = ["user__username", "agency__name"]
