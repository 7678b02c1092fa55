import pgtrigger
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import models

SUPERUSER_CANNOT_BE_MEMBER = "A platform administrator (superuser) cannot hold an agency membership."
MEMBER_CANNOT_BE_SUPERUSER = "A member of an agency cannot be made a platform administrator (superuser)."

# PostgreSQL keeps "a superuser holds no membership" whatever the client. The membership
# trigger reads the user row FOR SHARE, so a concurrent promotion of that user waits for
# it (and then sees the membership) instead of both committing.
_MEMBERSHIP_NOT_SUPERUSER = (
    f"SELECT u.is_superuser INTO holder_is_superuser FROM {User._meta.db_table} u "
    "WHERE u.id = NEW.user_id FOR SHARE; "
    f"IF holder_is_superuser THEN RAISE EXCEPTION '{SUPERUSER_CANNOT_BE_MEMBER}' "
    "USING ERRCODE = 'check_violation'; END IF; RETURN NEW;"
)


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
    """A user's one agency and one role. Platform administrators hold none: a
    superuser with a membership would read case data as that agency."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    # The MARACs a coordinator or chair serves (their reach: the "marac" scope
    # condition); other roles serve none.
    maracs = models.ManyToManyField("maracs.Marac", blank=True, related_name="members")

    class Meta:
        indexes = [models.Index(fields=["agency", "role"])]
        triggers = [
            pgtrigger.Trigger(
                name="membership_not_superuser", when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                declare=[("holder_is_superuser", "boolean")], func=_MEMBERSHIP_NOT_SUPERUSER),
        ]

    def __str__(self):
        return f"{self.user} ({self.role}, {self.agency})"

    def clean(self):
        if self.user_id is not None and User.objects.filter(pk=self.user_id, is_superuser=True).exists():
            raise ValidationError({"user": [SUPERUSER_CANNOT_BE_MEMBER]})

    def save(self, *args, **kwargs):
        """Checked here too, for databases without the trigger (SQLite)."""
        self.clean()
        super().save(*args, **kwargs)


class Account(User):
    """The auth user seen from this app: carries the PostgreSQL trigger that refuses
    to make a member a superuser (a proxy, so the trigger's migration lives here)."""

    class Meta:
        proxy = True
        triggers = [
            pgtrigger.Trigger(
                name="superuser_not_member", when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update, condition=pgtrigger.Q(new__is_superuser=True),
                func=(f"IF EXISTS (SELECT 1 FROM {Membership._meta.db_table} m WHERE m.user_id = NEW.id) THEN "
                      f"RAISE EXCEPTION '{MEMBER_CANNOT_BE_SUPERUSER}' USING ERRCODE = 'check_violation'; "
                      "END IF; RETURN NEW;")),
        ]
