from functools import cached_property

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marac.cases.models import Case, ContactChannel, Gender, Relationship
from marac.cases.services import CHILD_AGE_LIMIT
from marac.maracs.models import Marac
from marac.meetings.models import Meeting
from marac.referrals.checklists import ANSWER_VALUES
from marac.referrals.models import ChecklistTool, ReferralReason, ReferralStatus
from marac.referrals.services import check_answers, duplicates_of, likely_matches

from ..fields import DateField, SlicedPrimaryKeyRelatedField
from ..serializers import StrictSerializer, plausible_birth_date


SAFE_CONTACT_HELP = (" On a referral it is shown to the referring agency and coordinators (policy row "
                     "referral.view_safe_contact), and left out for chairs.")


class ReferralVictimSerializer(StrictSerializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = DateField(validators=[plausible_birth_date])
    gender = serializers.ChoiceField(choices=Gender.choices)
    postcode = serializers.CharField(max_length=10, allow_blank=True, required=False, default="")
    safe_contact = serializers.CharField(allow_blank=True, required=False, default="",
                                         help_text="How and when it is safe to contact the victim." + SAFE_CONTACT_HELP)
    do_not_contact_via = serializers.ListField(
        child=serializers.ChoiceField(choices=ContactChannel.choices), required=False, default=list,
        max_length=len(ContactChannel.values), help_text="Ways never to use to reach the victim." + SAFE_CONTACT_HELP)
    do_not_contact_note = serializers.CharField(allow_blank=True, required=False, default="",
                                                help_text="What else not to do when making contact." + SAFE_CONTACT_HELP)
    ethnicity = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")
    minority_ethnic = serializers.BooleanField(allow_null=True, required=False, default=None)
    disability = serializers.BooleanField(allow_null=True, required=False, default=None)
    lgbt = serializers.BooleanField(allow_null=True, required=False, default=None)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), max_length=20, required=False, default=list,
        help_text="Other names the victim is known by (matched as her name is).")


class ReferralPerpetratorSerializer(StrictSerializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = DateField(required=False, allow_null=True, default=None,
                              validators=[plausible_birth_date])
    relationship = serializers.ChoiceField(choices=Relationship.choices)


class ReferralChildSerializer(StrictSerializer):
    """A child in the household: first name, and date of birth or (if not known) age."""

    first_name = serializers.CharField(max_length=100)
    date_of_birth = DateField(required=False, allow_null=True, default=None, validators=[plausible_birth_date])
    age = serializers.IntegerField(
        min_value=0, max_value=CHILD_AGE_LIMIT - 1, required=False, allow_null=True, default=None,
        help_text="Sent: the age when the date of birth is not known. Shown: the age today (from the date of "
                  "birth, else the age given plus the years since).")
    school = serializers.CharField(max_length=200, allow_blank=True, required=False, default="",
                                   help_text="School or nursery.")


class RiskChecklistSerializer(StrictSerializer):
    tool = serializers.ChoiceField(choices=ChecklistTool.choices)
    answers = serializers.DictField(
        child=serializers.ChoiceField(choices=ANSWER_VALUES),
        help_text='Answers keyed by question number: "1".."24" for dash, "1".."11" for sdash.',
    )

    def validate(self, attrs):
        check_answers(attrs["tool"], attrs["answers"])
        return attrs


class LikelyMatchSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    reference = serializers.CharField()
    name = serializers.CharField()
    date_of_birth = DateField()


class PreviousMaracSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The other MARAC's name.")
    referred_on = DateField(help_text="When the victim was last referred there.")


class ReferralPage:
    """What the coordinator's fields of a page of referrals need, each read once for the
    whole page, and only when a row shows it."""

    def __init__(self, rows):
        self.rows = list(rows)

    @cached_property
    def duplicates(self) -> dict[int, list[int]]:
        return duplicates_of(self.rows)

    @cached_property
    def likely_matches(self) -> dict[int, list[dict]]:
        return likely_matches(self.rows)


class ReferralSerializer(StrictSerializer):
    id = serializers.IntegerField(read_only=True)
    marac = serializers.PrimaryKeyRelatedField(
        queryset=Marac.objects.all(), required=False,
        help_text="The MARAC the referral is sent to (GET /maracs/). Required when more than one MARAC is "
                  "active; not sent, the only active one. An inactive MARAC is refused.")
    victim = ReferralVictimSerializer()
    perpetrator = ReferralPerpetratorSerializer()
    children_in_household = serializers.IntegerField(
        min_value=0, max_value=30, required=False,
        help_text="How many children live in the household: at least as many as `children` lists; not sent, "
                  "the number listed.")
    children = ReferralChildSerializer(
        many=True, required=False, default=list, max_length=30,
        help_text="The children in the household, as far as known. Shown to all who see the referral.")
    reason = serializers.ChoiceField(choices=ReferralReason.choices)
    risk_checklist = RiskChecklistSerializer(write_only=True)
    checklist_tool = serializers.CharField(read_only=True)
    checklist_answers = serializers.DictField(read_only=True)
    stalking = serializers.BooleanField(default=False)
    summary = serializers.CharField(allow_blank=True, required=False, default="")
    police_incidents_last_12_months = serializers.IntegerField(min_value=0, max_value=1000, required=False,
                                                               allow_null=True, default=None)
    victim_aware = serializers.BooleanField(allow_null=True, required=False, default=None)
    victim_consented = serializers.BooleanField(allow_null=True, required=False, default=None)
    sharing_justification = serializers.CharField(allow_blank=True, required=False, default="")
    referrer_contact = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    status = serializers.ChoiceField(choices=ReferralStatus.choices, read_only=True)
    risk_score = serializers.IntegerField(read_only=True)
    risk_level = serializers.ChoiceField(choices=["high", "medium", "standard", "not_graded"], read_only=True)
    is_repeat = serializers.BooleanField(
        read_only=True,
        help_text="The victim has a MARAC case referred in the previous 12 months. Shown to coordinators, "
                  "chairs and a referring agency that is itself on that case; false for any other caller.")
    case = serializers.IntegerField(
        source="case_id", read_only=True, allow_null=True,
        help_text="The MARAC case: the repeat's case, or the one created on accept. Shown to coordinators, "
                  "chairs and a referring agency that is on the case; null for any other caller.")
    referring_agency = serializers.IntegerField(source="referring_agency_id", read_only=True)
    decline_reason = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    possible_duplicate_of = serializers.SerializerMethodField(
        help_text="Other referrals for the same victim that were awaiting triage when either was submitted. "
                  "Shown to coordinators; empty for any other caller.")
    likely_matches = serializers.SerializerMethodField(
        help_text="Cases whose victim was born on the same day and has a similar name (the same name or alias, "
                  "or a first or last name alike: the same, or one the start of the other), except the linked one: for the coordinator to confirm or rule out "
                  "with POST /referrals/{id}/link/. Shown to coordinators; empty for any other caller.")
    link_decided_by = serializers.IntegerField(
        source="link_decided_by_id", read_only=True, allow_null=True,
        help_text="The coordinator who decided the case link. Shown to coordinators; null for any other caller.")
    link_decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    previous_marac = serializers.SerializerMethodField(
        help_text="The victim was referred to ANOTHER MARAC in the 12 months before this referral: that MARAC's "
                  "name and the date, nothing of its case (this referral opens a case here). Shown to this "
                  "MARAC's coordinators (policy row referral.view_previous_marac); null for any other caller.")

    def _page(self, referral) -> ReferralPage:
        page = self.context.get("referral_page")
        return page if page is not None and referral in page.rows else ReferralPage([referral])

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_possible_duplicate_of(self, referral) -> list[int]:
        return self._page(referral).duplicates[referral.pk]

    @extend_schema_field(LikelyMatchSerializer(many=True))
    def get_likely_matches(self, referral) -> list[dict]:
        return LikelyMatchSerializer(self._page(referral).likely_matches[referral.pk], many=True).data

    @extend_schema_field(PreviousMaracSerializer(allow_null=True))
    def get_previous_marac(self, referral) -> dict | None:
        if referral.previous_marac_id is None:
            return None
        return PreviousMaracSerializer({"name": referral.previous_marac.name,
                                        "referred_on": referral.previous_marac_referred_on}).data


class ReferralWithoutTriageSerializer(ReferralSerializer):
    """A referral for a caller who may see its case link but not the coordinator's
    triage fields (the policy row `referral.view_duplicates`): the same shape, with no
    duplicates, no likely matches and no link decision, none of them read."""

    def get_possible_duplicate_of(self, referral) -> list[int]:
        return []

    def get_likely_matches(self, referral) -> list[dict]:
        return []

    def get_previous_marac(self, referral) -> None:
        return None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["link_decided_by"], data["link_decided_at"] = None, None
        return data


class ReferralWithoutCaseLinkSerializer(ReferralWithoutTriageSerializer):
    """A referral for a caller who may not see its link to a case (the policy row
    `referral.view_case_link`): `is_repeat` false and `case` null, the same shape as
    ReferralSerializer, so that a referrer never learns that another case exists."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["is_repeat"], data["case"] = False, None
        return data


SAFE_CONTACT_FIELDS = ("safe_contact", "do_not_contact_via", "do_not_contact_note")


class ReferralWithoutSafeContactSerializer(ReferralSerializer):
    """A referral for a caller who may not see the victim's safe contact details (the
    policy row `referral.view_safe_contact`): those keys are left out of `victim`."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["victim"] = {name: value for name, value in data["victim"].items() if name not in SAFE_CONTACT_FIELDS}
        return data


class ReferralWithoutTriageOrSafeContactSerializer(ReferralWithoutSafeContactSerializer,
                                                   ReferralWithoutTriageSerializer):
    """The case link without the coordinator's triage fields or the safe contact (chairs)."""


class ReferralWithoutCaseLinkOrSafeContactSerializer(ReferralWithoutSafeContactSerializer,
                                                     ReferralWithoutCaseLinkSerializer):
    pass


class AcceptReferralSerializer(StrictSerializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all(), required=False, allow_null=True,
                                                 help_text="List the case on this meeting's agenda.")


class DeclineReferralSerializer(StrictSerializer):
    reason = serializers.CharField(help_text="Why the referral does not meet the MARAC criteria.")


class LinkReferralSerializer(StrictSerializer):
    case = SlicedPrimaryKeyRelatedField(
        slice_target="case", queryset=Case.objects.all(), allow_null=True,
        help_text="The victim's existing case, or null: none of the likely matches is her.")
