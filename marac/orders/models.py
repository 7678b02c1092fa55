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
    WITHDRAWN = "withdrawn"
    DISCHARGED = "discharged"
    EXPIRED = "expired"


# Days the defendant has to notify police: "within 3 days beginning with the day of
# service", so the last day is the service date + 2 days.
NOTIFICATION_DAYS_AFTER_SERVICE = 2


class Order(models.Model):
    """One SPO or interim SPO, from the police's consideration to its end.

    `prohibitions` is the list of the order's terms, each {"text", "locality",
    "ends_on"}: they are always read and written with the order, never alone."""

    # New NOT NULL columns carry a database default too, so raw-SQL seeding (bench/) keeps working.

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="orders")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                               help_text="The police force that holds the order.")
    kind = models.CharField(max_length=8, choices=OrderKind.choices)
    source = models.CharField(max_length=24, choices=OrderSource.choices, default=OrderSource.POLICE_APPLICATION)
    status = models.CharField(max_length=12, choices=OrderStatus.choices, default=OrderStatus.CONSIDERING)
    main_order = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="interims",
                                   help_text="For an interim order: the full order (main application) it bridges.")
    defendant = models.ForeignKey("cases.Perpetrator", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="orders",
                                  help_text="The person the order is against: one of the case's perpetrators.")
    reference = models.CharField(max_length=64, blank=True, default="", db_default="",
                                 help_text="The court's reference for the order or application.")
    applied_on = models.DateField(null=True, blank=True)
    granted_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True,
                                  help_text="The day the application was granted, refused or withdrawn.")
    conviction_or_acquittal_on = models.DateField(
        null=True, blank=True, help_text="For an order made by a court on conviction or acquittal: that day.")
    served_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True, help_text="Last day in force; null = until further order.")
    notified_on = models.DateField(null=True, blank=True)
    sex_offender_register_exempt = models.BooleanField(default=False)
    register_ended_on = models.DateField(null=True, blank=True,
                                         help_text="The day the defendant's sex offenders register notification "
                                                   "requirements ended (s.9(6)-(7)).")
    replaces_interim = models.BooleanField(default=False, db_default=False,
                                           help_text="A full order made after an interim order on its application: "
                                                     "no initial notification is due (s.9(1)(a)).")
    court = models.CharField(max_length=200, blank=True)
    spo_request = models.OneToOneField("orders.SpoRequest", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="order",
                                       help_text="The request for an SPO this order answers (considering, "
                                                 "applied... or declined with a reason).")
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
        """The last day for the initial notification (s.9): none for a full order that
        replaces an interim (s.9(1)(a)) or while the defendant is on the sex offenders
        register; from the later of service and the register's end once that ends."""
        if self.served_on is None or self.replaces_interim:
            return None
        start = self.served_on
        if self.sex_offender_register_exempt:
            if self.register_ended_on is None:
                return None
            start = max(start, self.register_ended_on)
        return add_days(start, NOTIFICATION_DAYS_AFTER_SERVICE)


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
    starts_on = models.DateField(null=True, blank=True, help_text="The requirement's first day; null: the order's.")
    ends_on = models.DateField(null=True, blank=True, help_text="The requirement's last day; null: the order's.")
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


class BreachKind(models.TextChoices):
    PROHIBITION = "prohibition"
    REQUIREMENT = "requirement"
    NOTIFICATION = "notification"  # failing to notify police (SPA s.9, an offence under s.11)


class BreachStatus(models.TextChoices):
    REPORTED = "reported"
    INVESTIGATING = "investigating"
    CHARGED = "charged"
    NO_FURTHER_ACTION = "no_further_action"


class Breach(models.Model):
    """A reported breach of an order. The time from report to the first police
    response is a measured figure (the 2022 super-complaint)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="breaches")
    kind = models.CharField(max_length=16, choices=BreachKind.choices, default=BreachKind.PROHIBITION,
                            db_default=BreachKind.PROHIBITION)
    requirement = models.ForeignKey(Requirement, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="breaches", help_text="For a requirement breach: which one.")
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

    @property
    def response_minutes(self):
        seconds = self.response_seconds
        return None if seconds is None else seconds // 60


class NotifiableChangeKind(models.TextChoices):
    NAME_CHANGE = "name_change"
    ADDRESS_CHANGE = "address_change"


class NotifiableChange(models.Model):
    """A new name or a change of home address the defendant must notify police of
    within 3 days beginning with the day of the change (SPA s.9(3)-(4))."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="notifiable_changes")
    kind = models.CharField(max_length=16, choices=NotifiableChangeKind.choices)
    changed_on = models.DateField()
    notified_on = models.DateField(null=True, blank=True, help_text="When the defendant notified police; null: not.")
    details = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_on", "id"]
        indexes = [models.Index(fields=["notified_on", "changed_on"], name="notifiable_change_due_idx")]

    @property
    def due_on(self):
        return add_days(self.changed_on, NOTIFICATION_DAYS_AFTER_SERVICE)

    def notification_state(self, today) -> str:
        """Notified: "on_time" (by due_on) or "late". Not yet: "due" until due_on, then
        "overdue" (the day the daily sweep tells police)."""
        if self.notified_on is not None:
            return "on_time" if self.notified_on <= self.due_on else "late"
        return "due" if today <= self.due_on else "overdue"


class SpoRequest(models.Model):
    """A request that police consider applying for an SPO (the 2022 super-complaint's
    first finding: victims asked and nothing was applied for). Recorded by any
    participant of the case, typically the advocate on the victim's behalf. Police
    answer it by recording an order that names it (`Order.spo_request`): considering,
    applied... or declined with a reason; `answered_at` is when they did."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="spo_requests")
    requested_on = models.DateField(help_text="The day the request was made (by the victim or on her behalf).")
    requested_by_victim = models.BooleanField(default=False, db_default=False,
                                              help_text="The victim herself asked for an SPO.")
    note = models.TextField(blank=True, default="", db_default="")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                               help_text="The agency that recorded the request.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True,
                                       help_text="When police recorded the order answering the request.")
    response_overdue_flagged_at = models.DateTimeField(
        null=True, blank=True, help_text="When the sweep flagged the request to police as unanswered.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["answered_at", "created_at"], name="spo_request_awaiting_idx")]

    def __str__(self):
        return f"SPO request {self.pk} on case {self.case_id}"
