from django.conf import settings
from django.db import models
from django.utils import timezone
import pgtrigger
from django.db.models.functions import Lower
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from marac.maracs.models import BelongsToMarac


class Gender(models.TextChoices):
    FEMALE = "female"
    MALE = "male"
    NON_BINARY = "non_binary"
    OTHER = "other"
    NOT_KNOWN = "not_known"


class Relationship(models.TextChoices):
    PARTNER = "partner"
    EX_PARTNER = "ex_partner"
    FAMILY_MEMBER = "family_member"
    ACQUAINTANCE = "acquaintance"
    COLLEAGUE = "colleague"
    STRANGER = "stranger"
    OTHER = "other"


class ContactChannel(models.TextChoices):
    """Ways of reaching the victim that may be unsafe (the perpetrator reads her post,
    checks her phone, knows her workplace)."""

    PHONE = "phone"
    TEXT_MESSAGE = "text_message"
    VOICEMAIL = "voicemail"
    EMAIL = "email"
    POST = "post"
    HOME_VISIT = "home_visit"
    WORK = "work"
    SOCIAL_MEDIA = "social_media"
    FAMILY_OR_FRIENDS = "family_or_friends"


class Victim(models.Model):
    """The person at risk. Diversity fields feed the quarterly SafeLives data return."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=16, choices=Gender.choices)
    postcode = models.CharField(max_length=10, blank=True)
    safe_contact = models.TextField(blank=True, help_text="How and when it is safe to contact the victim.")
    do_not_contact_via = models.JSONField(default=list, blank=True,
                                          help_text="ContactChannel values never to use to reach the victim.")
    do_not_contact_note = models.TextField(blank=True, help_text="What else not to do when making contact.")
    ethnicity = models.CharField(max_length=100, blank=True)
    minority_ethnic = models.BooleanField(null=True)
    disability = models.BooleanField(null=True)
    lgbt = models.BooleanField(null=True)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names the victim is known by.")
    # The name compared without case, accents, spaces, hyphens or apostrophes
    # (marac.cases.identity): set on every save, matched with the date of birth.
    name_key = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        indexes = [models.Index(Lower("last_name"), Lower("first_name"), "date_of_birth", name="victim_identity_idx"),
                   models.Index(fields=["date_of_birth", "name_key"], name="victim_match_idx")]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._alias_rows_saved = bool(getattr(instance, "aliases", None))
        return instance

    def save(self, *args, **kwargs):
        """Keeps the match keys with the names: `name_key` here, the aliases' keys in
        VictimAlias rows (rewritten only when there are or were aliases)."""
        from .identity import normalise_name

        self.name_key = normalise_name(f"{self.first_name} {self.last_name}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = [*update_fields, "name_key"]
        super().save(*args, **kwargs)
        if (update_fields is None or "aliases" in update_fields) and (
                self.aliases or getattr(self, "_alias_rows_saved", False)):
            keys = {key for key in map(normalise_name, self.aliases) if key}
            VictimAlias.objects.filter(victim=self).delete()
            VictimAlias.objects.bulk_create([VictimAlias(victim=self, key=key) for key in sorted(keys)])
            self._alias_rows_saved = bool(keys)


class VictimAlias(models.Model):
    """The match key of one of a victim's aliases (Victim.aliases holds the names as written)."""

    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="alias_keys")
    key = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["key"], name="victim_alias_key_idx")]


class Perpetrator(models.Model):
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    relationship = models.CharField(max_length=16, choices=Relationship.choices)

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


def child_age(date_of_birth, age_given, age_given_on, day) -> int | None:
    """Whole years on DAY: from the date of birth, else the age given plus the years
    since it was given."""
    born, years = (date_of_birth, 0) if date_of_birth else (age_given_on, age_given)
    if born is None or years is None:
        return None
    return years + day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Child(models.Model):
    """A child in the victim's household, listed on a referral (as its referrer wrote it)
    or on a case (the MARAC's own copy, made on accept): like the victim, a referral and
    its case never share a row. Known by date of birth or, failing that, by the age given
    on `age_given_on`."""

    referral = models.ForeignKey("referrals.Referral", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="children")
    case = models.ForeignKey("Case", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    first_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    age_given = models.PositiveSmallIntegerField(null=True, blank=True,
                                                 help_text="The age given when the date of birth was not.")
    age_given_on = models.DateField(null=True, blank=True)
    school = models.CharField(max_length=200, blank=True, help_text="School or nursery.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(referral__isnull=False, case__isnull=True)
                | models.Q(referral__isnull=True, case__isnull=False),
                name="child_on_a_referral_or_a_case"),
        ]

    def __str__(self):
        return self.first_name

    def age_on(self, day) -> int | None:
        return child_age(self.date_of_birth, self.age_given, self.age_given_on, day)

    @property
    def age(self) -> int | None:
        """The child's age today."""
        return self.age_on(timezone.localdate())


class CaseStatus(models.TextChoices):
    OPEN = "open"
    CLOSED = "closed"


class Case(BelongsToMarac, models.Model):
    """A MARAC case. Which agencies are on it is held only by the guardian grants
    (CaseGroupObjectPermission rows), never duplicated here."""

    reference = models.CharField(max_length=32, unique=True)
    # The MARAC the case belongs to: its referral's, on accept.
    marac = models.ForeignKey("maracs.Marac", on_delete=models.PROTECT, related_name="cases")
    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="cases")
    perpetrator = models.ForeignKey(Perpetrator, on_delete=models.PROTECT, related_name="cases")
    children_in_household = models.PositiveSmallIntegerField(default=0)
    risk_score = models.PositiveSmallIntegerField(default=0)
    is_repeat = models.BooleanField(default=False)
    stalking = models.BooleanField(default=False)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Further perpetrators (the first stays `perpetrator`, the API contract's field).
    further_perpetrators = models.ManyToManyField(Perpetrator, through="CasePerpetrator", related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="case_recent_idx"),
                   # A coordinator's cases (the "marac" condition) read from the index alone.
                   models.Index(fields=["marac", "id"], name="case_marac_idx")]

    def __str__(self):
        return self.reference


_GRANT_COUNTS = "cases_groupgrantcount"
_ADD_COUNTS = (
    f"INSERT INTO {_GRANT_COUNTS} (group_id, permission_id, n) "
    "SELECT group_id, permission_id, count(*) FROM {rows} GROUP BY 1, 2 ORDER BY 1, 2 "
    f"ON CONFLICT (group_id, permission_id) DO UPDATE SET n = {_GRANT_COUNTS}.n + EXCLUDED.n;"
)
_SUBTRACT_COUNTS = (
    f"UPDATE {_GRANT_COUNTS} c SET n = c.n - d.k FROM (SELECT group_id, permission_id, count(*) AS k "
    "FROM {rows} GROUP BY 1, 2 ORDER BY 1, 2) d "
    "WHERE c.group_id = d.group_id AND c.permission_id = d.permission_id;"
)


class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """Agency grants on cases: the single source of truth for "agency X is on case Y"."""

    # guardian's unique (group, permission, content_object) index serves the slice
    # subquery `WHERE group_id = ? AND permission_id = ?` as an index-only scan.
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        # Statement-level triggers keep GroupGrantCount exact in the same transaction as
        # the grants, whatever writes them (guardian, cascades, bulk SQL): one aggregate
        # per statement, counter rows touched in (group, permission) order.
        triggers = [
            pgtrigger.Trigger(
                name="grant_count_insert", level=pgtrigger.Statement, when=pgtrigger.After,
                operation=pgtrigger.Insert, referencing=pgtrigger.Referencing(new="grant_rows"),
                func=f"{_ADD_COUNTS.format(rows='grant_rows')} RETURN NULL;"),
            pgtrigger.Trigger(
                name="grant_count_delete", level=pgtrigger.Statement, when=pgtrigger.After,
                operation=pgtrigger.Delete, referencing=pgtrigger.Referencing(old="grant_rows"),
                func=f"{_SUBTRACT_COUNTS.format(rows='grant_rows')} RETURN NULL;"),
            pgtrigger.Trigger(
                name="grant_count_update", level=pgtrigger.Statement, when=pgtrigger.After,
                operation=pgtrigger.Update, referencing=pgtrigger.Referencing(old="old_rows", new="new_rows"),
                func=f"{_SUBTRACT_COUNTS.format(rows='old_rows')} {_ADD_COUNTS.format(rows='new_rows')} RETURN NULL;"),
            pgtrigger.Trigger(
                name="grant_count_truncate", level=pgtrigger.Statement, when=pgtrigger.After,
                operation=pgtrigger.Truncate, func=f"DELETE FROM {_GRANT_COUNTS}; RETURN NULL;"),
        ]


class GroupGrantCount(models.Model):
    """How many grants of one permission a group holds on cases: the size of an
    agency's slice, so that its case list's page count is one row read, not a scan of
    ~100,000 grants (6 ms per request at the benchmark volume). Kept by PostgreSQL
    statement triggers on the grant table (CaseGroupObjectPermission.Meta.triggers), in
    the same transaction as the grants themselves, so it is exact; not kept on other databases, where
    `marac.cases.participants.participant_count` answers None and the grants are
    counted as before."""

    group_id = models.IntegerField()
    permission_id = models.IntegerField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group_id", "permission_id"], name="grant_count_per_group")]


class ResearchContribution(models.Model):
    """What one agency knows, prepared for the meeting. Agency-only unless shared."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="research")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="research")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField()
    shared_with_marac = models.BooleanField(default=False)
    withheld_note = models.TextField(blank=True, help_text="Information withheld and why.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]


class Behaviour(models.TextChoices):
    """The stalking behaviours listed in s.2A(3) Protection from Harassment Act 1997."""

    FOLLOWING = "following"
    CONTACTING = "contacting"
    PUBLISHING = "publishing"
    MONITORING_ONLINE = "monitoring_online"
    LOITERING = "loitering"
    INTERFERING_WITH_PROPERTY = "interfering_with_property"
    WATCHING_OR_SPYING = "watching_or_spying"
    OTHER = "other"


class Incident(models.Model):
    """One entry of the victim's incident log."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incidents")
    occurred_at = models.DateTimeField()
    behaviour = models.CharField(max_length=32, choices=Behaviour.choices)
    description = models.TextField()
    witnesses = models.TextField(blank=True)
    evidence = models.TextField(blank=True, help_text="Digital evidence: where it is held.")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]


class CasePerpetrator(models.Model):
    """A further perpetrator of the case, added when a referral naming another person is
    accepted onto it: a case's perpetrators are added to, never written over."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="perpetrator_links")
    perpetrator = models.ForeignKey(Perpetrator, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey("referrals.Referral", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "perpetrator"], name="case_perpetrator_once")]


class VictimDetailChange(models.Model):
    """One value the case's victim record took: who wrote it (the referrer), which
    referral it came from and when it became the case's. The earlier value is kept, so
    a repeat referral's new address or safe contact loses nothing."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victim_history")
    field = models.CharField(max_length=32)
    old_value = models.JSONField(null=True)
    new_value = models.JSONField(null=True)
    # The fields the case shows every participant (names, date of birth, gender,
    # postcode); the others (safe contact, diversity monitoring) are not.
    shown_on_case = models.BooleanField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField()
    referral = models.ForeignKey("referrals.Referral", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["case", "recorded_at"], name="victim_history_case_idx")]


class RepeatFlag(models.Model):
    """SafeLives' "flag and tag": a further incident on an open case within 12 months of
    its last referral to MARAC flags it as a repeat for the next agenda. The flag is
    pending until the case is next listed on an agenda (`listed_on`)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="repeat_flags")
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField()
    last_referred_at = models.DateTimeField()
    flagged_at = models.DateTimeField(auto_now_add=True)
    listed_on = models.ForeignKey("meetings.AgendaItem", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="repeat_flags")

    class Meta:
        ordering = ["-flagged_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(listed_on__isnull=True),
                                               name="one_pending_repeat_flag_per_case")]
