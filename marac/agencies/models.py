from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    ADVOCACY = "advocacy", "Advocacy (ISA/IDVA)"
    HOUSING = "housing", "Housing"
    HEALTH = "health", "Health"
    CHILDRENS_SERVICES = "childrens_services", "Children's services"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    PROBATION = "probation", "Probation"
    EDUCATION = "education", "Education"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    INTERVENTION_PROVIDER = "intervention_provider", "Intervention provider"
    MARAC_COORDINATION = "marac_coordination", "MARAC coordination"
    OTHER = "other", "Other"


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    MANAGER = "manager", "Manager"
    COORDINATOR = "coordinator", "MARAC coordinator"
    CHAIR = "chair", "MARAC chair"


class Agency(models.Model):
    """A partner agency. Its Group carries the object grants that form its slice."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="agency")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's one agency and one role."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        indexes = [models.Index(fields=["agency", "role"])]

    def __str__(self):
        return f"{self.user} ({self.role}, {self.agency})"
