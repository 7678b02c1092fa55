"""Stalking Protection Orders (Stalking Protection Act 2019): the order and its
prohibitions, positive requirements and their compliance, breaches, and the history
of every change. The Act's rules are enforced in services.py."""

from django.conf import settings
from django.db import models

from marac.dates import add_days


class OrderKind(models.TextChoices):
    INTERIM = "interim"
    FULL = "full"


class OrderSource(models.TextChoices):
    POLICE_APPLICATION = "police_application"
    COURT_ON_CONVICTION = "court_on_conviction"
    COURT_ON_ACQUITTAL = "court_on_acquittal"


class OrderStatus(models.TextChoices):
    CONSIDERING = "considering"
    DECLINED = "declined"
    APPLIED = "applied"
    GRANTED = "granted"
    REFUSED = "refused"
    DISCHARGED = "discharged"
    EXPIRED = "expired"


# Days the defendant has to notify police: "within 3 days beginning with the day of
# service", so the last day is the service date + 2 days.
NOTIFICATION_DAYS_AFTER_SERVICE = 2


class Order(models.Model):
    """One SPO or interim SPO, from the police's consideration to its end.

    `prohibitions` is the list of the order's terms, each {"text", "locality",
    "ends_on"}: they are always read and written with the order, never alone."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="orders")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                               help_text="The police force that holds the order.")
    kind = models.CharField(max_length=8, choices=OrderKind.choices)
    source = models.CharField(max_length=24, choices=OrderSource.choices, default=OrderSource.POLICE_APPLICATION)
    status = models.CharField(max_length=12, choices=OrderStatus.choices, default=OrderStatus.CONSIDERING)
    main_order = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="interims",
                                   help_text="For an interim order: the full order (main application) it bridges.")
    applied_on = models.DateField(null=True, blank=True)
    granted_on = models.DateField(null=True, blank=True)
    served_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True, help_text="Last day in force; null = until further order.")
    notified_on = models.DateField(null=True, blank=True)
    sex_offender_register_exempt = models.BooleanField(default=False)
    court = models.CharField(max_length=200, blank=True)
    prohibitions = models.JSONField(default=list, blank=True)
    decision_reason = models.TextField(blank=True)
    discharge_consent = models.BooleanField(default=False)
    discharged_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True, help_text="The first day the order no longer applied.")
    end_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "expires_on"], name="order_status_expiry_idx"),
            models.Index(fields=["status", "served_on"], name="order_status_served_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} SPO {self.pk} ({self.status})"

    @property
    def notification_due(self):
        if self.served_on is None:
            return None
        return add_days(self.served_on, NOTIFICATION_DAYS_AFTER_SERVICE)


class OrderChangeKind(models.TextChoices):
    CREATED = "created"
    UPDATED = "updated"
    STATUS = "status"
    VARIATION = "variation"
    RENEWAL = "renewal"


class OrderChange(models.Model):
    """Who changed what on an order, and when: variations and renewals are kept."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=12, choices=OrderChangeKind.choices)
    changes = models.JSONField(help_text="{field: [before, after]}")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+", help_text="Null when the daily sweep made the change.")
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class RequirementKind(models.TextChoices):
    INTERVENTION_PROGRAMME = "intervention_programme"
    MENTAL_HEALTH_ASSESSMENT = "mental_health_assessment"
    SUBSTANCE_MISUSE_TREATMENT = "substance_misuse_treatment"
    DEVICE_SURRENDER = "device_surrender"
    ACCOUNT_ACCESS = "account_access"
    POLICE_SIGN_ON = "police_sign_on"
    OTHER = "other"


class RequirementStatus(models.TextChoices):
    PENDING = "pending"
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    NON_COMPLIANT = "non_compliant"


class Requirement(models.Model):
    """A positive requirement of an order, delivered by a responsible agency. Its
    notes and compliance events are private to police and that agency."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="requirements")
    kind = models.CharField(max_length=32, choices=RequirementKind.choices)
    description = models.TextField(blank=True)
    responsible_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="requirements")
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=RequirementStatus.choices, default=RequirementStatus.PENDING)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["responsible_agency", "status"], name="requirement_worklist_idx")]


class ComplianceEventKind(models.TextChoices):
    APPOINTMENT_OFFERED = "appointment_offered"
    ATTENDED = "attended"
    MISSED = "missed"
    COMPLETED = "completed"


class ComplianceEvent(models.Model):
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=ComplianceEventKind.choices)
    occurred_on = models.DateField()
    details = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "id"]


class BreachStatus(models.TextChoices):
    REPORTED = "reported"
    INVESTIGATING = "investigating"
    CHARGED = "charged"
    NO_FURTHER_ACTION = "no_further_action"


class Breach(models.Model):
    """A reported breach of an order. The time from report to the first police
    response is a measured figure (the 2022 super-complaint)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="breaches")
    occurred_at = models.DateTimeField()
    description = models.TextField()
    status = models.CharField(max_length=20, choices=BreachStatus.choices, default=BreachStatus.REPORTED)
    police_response = models.TextField(blank=True)
    reporting_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    response_overdue_flagged_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["first_response_at", "reported_at"], name="breach_awaiting_idx")]

    @property
    def response_seconds(self):
        if self.first_response_at is None:
            return None
        return int((self.first_response_at - self.reported_at).total_seconds())
