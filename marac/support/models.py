"""Victim support plans: the advocate's plan with the victim. Seen only by advocacy
agencies on the case; never shared wholesale with the MARAC."""

from django.conf import settings
from django.db import models


class SupportPlanStatus(models.TextChoices):
    ACTIVE = "active"
    CLOSED = "closed"


class SupportPlan(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="support_plans")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                               help_text="The advocacy agency that keeps the plan.")
    needs = models.JSONField(default=list, blank=True)
    safety_measures = models.JSONField(default=list, blank=True)
    goals = models.TextField(blank=True)
    next_review = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=SupportPlanStatus.choices, default=SupportPlanStatus.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["status", "next_review"], name="support_plan_review_idx")]


class SupportPlanChange(models.Model):
    """Who changed what on a plan, and when."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="changes")
    changes = models.JSONField(help_text="{field: [before, after]}")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
