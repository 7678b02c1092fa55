from django.conf import settings
from django.db import models

from marac.maracs.models import BelongsToMarac

from .checklists import risk_level


class ReferralReason(models.TextChoices):
    VISIBLE_HIGH_RISK = "visible_high_risk"
    PROFESSIONAL_JUDGEMENT = "professional_judgement"
    POTENTIAL_ESCALATION = "potential_escalation"


class ReferralStatus(models.TextChoices):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class ChecklistTool(models.TextChoices):
    DASH = "dash"
    SDASH = "sdash"


class Referral(BelongsToMarac, models.Model):
    # The MARAC the referral is sent to.
    marac = models.ForeignKey("maracs.Marac", on_delete=models.PROTECT, related_name="referrals")
    referring_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="referrals")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    referrer_contact = models.CharField(max_length=200, blank=True)
    victim = models.ForeignKey("cases.Victim", on_delete=models.PROTECT, related_name="referrals")
    perpetrator = models.ForeignKey("cases.Perpetrator", on_delete=models.PROTECT, related_name="referrals")
    children_in_household = models.PositiveSmallIntegerField(default=0)
    reason = models.CharField(max_length=32, choices=ReferralReason.choices)
    checklist_tool = models.CharField(max_length=8, choices=ChecklistTool.choices)
    checklist_answers = models.JSONField()
    risk_score = models.PositiveSmallIntegerField()
    police_incidents_last_12_months = models.PositiveSmallIntegerField(null=True, blank=True)
    stalking = models.BooleanField(default=False)
    summary = models.TextField(blank=True)
    victim_aware = models.BooleanField(null=True)
    victim_consented = models.BooleanField(null=True)
    sharing_justification = models.TextField(blank=True)
    is_repeat = models.BooleanField(default=False)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.SUBMITTED)
    decline_reason = models.TextField(blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Another referral for the same victim was awaiting triage when one was submitted:
    # flagged on both (symmetrical), for the coordinator.
    possible_duplicate_of = models.ManyToManyField("self", symmetrical=True, blank=True)
    # A coordinator's decision on the link to a case (POST /referrals/{id}/link/).
    link_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    link_decided_at = models.DateTimeField(null=True, blank=True)
    # A repeat found in ANOTHER MARAC (the victim referred there in the 12 months before
    # this referral): which MARAC and when, for the receiving coordinators; never the
    # other case itself.
    previous_marac = models.ForeignKey("maracs.Marac", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    previous_marac_referred_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    @property
    def risk_level(self) -> str:
        """Professional judgement can raise the level the score gives, never lower it."""
        return risk_level(self.checklist_tool, self.risk_score,
                          professional_judgement=self.reason == ReferralReason.PROFESSIONAL_JUDGEMENT)


def case_ids_referred_by(agency_id: int):
    """The cases an agency referred (its accepted referrals), as a subquery: the
    "referrer" scope condition of the policy table."""
    return Referral.objects.filter(referring_agency_id=agency_id, status=ReferralStatus.ACCEPTED).values("case")
