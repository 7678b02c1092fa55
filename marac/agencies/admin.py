"""The Django admin holds the account directory only: agencies, memberships and users.
Platform administrators manage accounts here and through the API, never case data:
no case-data model is registered, DRF's and knox's token admins are not (an admin
could otherwise read or mint a coordinator's token), and every change is audited."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from knox.models import AuthToken

from marac.audit.admin import AuditedAdmin
from marac.errors import DomainError
from marac.maracs.services import maracs_for_role

from .models import Agency, Membership
from .services import add_membership, create_agency, revoke_access

User = get_user_model()

# Tokens are shown once, to whoever logged in; groups follow memberships (services).
for _model in (AuthToken, Group):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin, admin.ModelAdmin):
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


class MembershipForm(forms.ModelForm):
    """The MARACs a coordinator or chair serves follow the same rule as on the API
    (marac.maracs.services.maracs_for_role): none named, the only active one."""

    class Meta:
        model = Membership
        fields = ["user", "agency", "role", "maracs"]

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role") or getattr(self.instance, "role", None)
        if role and "maracs" in cleaned:
            try:
                cleaned["maracs"] = maracs_for_role(role, cleaned["maracs"])
            except DomainError as exc:
                raise forms.ValidationError(exc.messages) from None
        return cleaned


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin, admin.ModelAdmin):
    form = MembershipForm
    list_display = ["user", "agency", "role"]
    list_filter = ["role", "agency__kind"]
    search_fields = ["user__username", "agency__name"]

    def get_readonly_fields(self, request, obj=None):
        # The agency's group carries its grants: moving a user is a new account.
        return ["user", "agency"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(is_superuser=False, membership__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        obj.pk = add_membership(obj.user, agency=obj.agency, role=obj.role, maracs=form.cleaned_data.get("maracs")).pk


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(AuditedAdmin, UserAdmin):
    """Django's user admin without group or permission editing (memberships decide
    what a user reaches); `is_superuser` is locked for members of an agency, and
    deactivating an account here revokes its tokens and sessions as the API does."""

    audit_object_type = "user"
    list_display = ["username", "email", "is_active", "is_superuser", "membership"]
    list_filter = ["is_active", "is_superuser", "membership__role"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Personal info", {"fields": ["first_name", "last_name", "email"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
    ]
    filter_horizontal = []

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and Membership.objects.filter(user_id=obj.pk).exists():
            fields.append("is_superuser")
        return fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            revoke_access(obj)
