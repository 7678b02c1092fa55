from django.conf import settings
from django.utils import timezone
from rest_framework import serializers

from marac.agencies.models import Agency
from marac.cases.models import (
    Behaviour,
    Case,
    ContactChannel,
    Gender,
    Incident,
    Relationship,
    RepeatFlag,
    ResearchContribution,
    VictimDetailChange,
)
from marac.cases.participants import attach_participant_ids
from marac.cases.services import attach_children
from marac.transfers.services import transferred_from

from ..fields import DateField
from ..serializers import StrictModelSerializer, StrictSerializer


SAFE_CONTACT_HELP = (" Shown only to the case's advocacy participants, coordinators and the agency that referred "
                     "the case (policy row case.view_safe_contact); absent for anyone else.")


class VictimSummarySerializer(serializers.Serializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = DateField()
    gender = serializers.ChoiceField(choices=Gender.choices)
    postcode = serializers.CharField()
    safe_contact = serializers.CharField(
        required=False, help_text="How and when it is safe to contact the victim." + SAFE_CONTACT_HELP)
    do_not_contact_via = serializers.ListField(
        child=serializers.ChoiceField(choices=ContactChannel.choices), required=False,
        help_text="Ways never to use to reach the victim." + SAFE_CONTACT_HELP)
    do_not_contact_note = serializers.CharField(
        required=False, help_text="What else not to do when making contact." + SAFE_CONTACT_HELP)


class VictimWithoutSafeContactSerializer(VictimSummarySerializer):
    safe_contact = do_not_contact_via = do_not_contact_note = None


class CaseChildSerializer(serializers.Serializer):
    first_name = serializers.CharField()
    age = serializers.IntegerField(
        allow_null=True, help_text="Whole years today: from the date of birth, else the age given plus the years "
                                   "since; null when neither is known.")
    date_of_birth = DateField(
        required=False, allow_null=True,
        help_text="Shown to children's services on the case, coordinators and chairs (policy row "
                  "case.view_children_in_full); absent for anyone else.")
    school = serializers.CharField(
        required=False, help_text="School or nursery. Shown as date_of_birth is.")


class ChildByNameAndAgeSerializer(CaseChildSerializer):
    date_of_birth = school = None


class PerpetratorSummarySerializer(serializers.Serializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = DateField(allow_null=True)
    relationship = serializers.ChoiceField(choices=Relationship.choices)


def _iso_date(value):
    return None if value is None else value.isoformat()


def _created_at_field() -> serializers.DateTimeField:
    """How a case's `created_at` is written out: the field ModelSerializer builds for it,
    with the current time zone read once. Built once per page, so that writing a row
    neither builds the serializer's fields (a deep copy of every declared field) nor
    looks the time zone up again (a context-local read, per row)."""
    return serializers.DateTimeField(
        read_only=True, default_timezone=timezone.get_current_timezone() if settings.USE_TZ else None)


# What CaseSerializer writes, as fields the case list reads as plain rows
# (api.listing.plain_rows); its output is pinned equal to the generic walk over Cases.
CASE_ROW_FIELDS = (
    "id", "reference", "marac_id",
    "victim__first_name", "victim__last_name", "victim__date_of_birth", "victim__gender", "victim__postcode",
    "victim__safe_contact", "victim__do_not_contact_via", "victim__do_not_contact_note",
    "perpetrator__first_name", "perpetrator__last_name", "perpetrator__date_of_birth", "perpetrator__relationship",
    "children_in_household", "risk_score", "is_repeat", "stalking", "summary", "status", "created_at",
)


def prepare_case_rows(cases: list) -> None:
    """What a page of cases shows from other tables (participants, children): one query
    each for the whole page, for rows that do not have it yet."""
    attach_participant_ids([case for case in cases if not hasattr(case, "participant_ids")])
    attach_children([case for case in cases if not hasattr(case, "child_rows")])


class CaseListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        cases = list(data.all() if hasattr(data, "all") else data)
        prepare_case_rows(cases)
        return super().to_representation(cases)


class CaseSerializer(serializers.ModelSerializer):
    """A MARAC case. The victim's safe contact details and the children's dates of birth
    and schools are present only where the policy table lets the caller see them
    (case.view_safe_contact, case.view_children_in_full); for anyone else those keys are
    absent."""

    # This class writes a case for a caller who may see all of it; CASE_ROW_SERIALIZERS
    # below chooses it or a subclass leaving those keys out, per row.

    victim = VictimSummarySerializer(read_only=True)
    perpetrator = PerpetratorSummarySerializer(read_only=True)
    children = CaseChildSerializer(
        many=True, read_only=True, source="child_rows",
        help_text="The children in the household the case lists (children_in_household may count more).")
    participants = serializers.SerializerMethodField(help_text="Ids of the agencies on the case.")

    class Meta:
        model = Case
        fields = ["id", "reference", "marac", "victim", "perpetrator", "children_in_household", "children", "risk_score",
                  "is_repeat", "stalking", "summary", "status", "participants", "created_at"]
        read_only_fields = fields
        list_serializer_class = CaseListSerializer

    def to_representation(self, case):
        """The same output as ModelSerializer's generic walk over the fields (pinned by
        tests/api/test_case_list_cost.py), built directly: the case list serialises 50
        of these per request, and the generic walk was a third of its time. `case` is
        a Case or, on the list, a plain row of CASE_ROW_FIELDS. One instance serves a
        page, so the time zone is read once."""
        if not hasattr(self, "_created_at_field"):
            self._created_at_field = _created_at_field()
        perpetrator = case.perpetrator
        if not hasattr(case, "child_rows"):
            prepare_case_rows([case])
        return {
            "id": case.pk,
            "reference": case.reference,
            "marac": case.marac_id,
            "victim": self.victim_data(case.victim),
            "perpetrator": {
                "first_name": perpetrator.first_name,
                "last_name": perpetrator.last_name,
                "date_of_birth": _iso_date(perpetrator.date_of_birth),
                "relationship": perpetrator.relationship,
            },
            "children_in_household": case.children_in_household,
            "children": [self.child_data(child) for child in case.child_rows],
            "risk_score": case.risk_score,
            "is_repeat": case.is_repeat,
            "stalking": case.stalking,
            "summary": case.summary,
            "status": case.status,
            "participants": self.get_participants(case),
            "created_at": self._created_at_field.to_representation(case.created_at),
        }

    def victim_data(self, victim) -> dict:
        return {
            **_victim_summary(victim),
            "safe_contact": victim.safe_contact,
            "do_not_contact_via": list(victim.do_not_contact_via),
            "do_not_contact_note": victim.do_not_contact_note,
        }

    def child_data(self, child) -> dict:
        return {"first_name": child.first_name, "age": child.age, "date_of_birth": _iso_date(child.date_of_birth),
                "school": child.school}

    def generic_representation(self, case):
        return super().to_representation(case)

    def get_participants(self, case) -> list[int]:
        # A page gets them all in one query (prepare_case_rows): no query per row.
        if not hasattr(case, "participant_ids"):
            attach_participant_ids([case])
        return case.participant_ids


def _victim_summary(victim) -> dict:
    return {
        "first_name": victim.first_name,
        "last_name": victim.last_name,
        "date_of_birth": _iso_date(victim.date_of_birth),
        "gender": victim.gender,
        "postcode": victim.postcode,
    }


class CaseWithoutSafeContactSerializer(CaseSerializer):
    victim = VictimWithoutSafeContactSerializer(read_only=True)

    def victim_data(self, victim) -> dict:
        return _victim_summary(victim)


class CaseWithChildrenByNameAndAgeSerializer(CaseSerializer):
    children = ChildByNameAndAgeSerializer(many=True, read_only=True, source="child_rows")

    def child_data(self, child) -> dict:
        return {"first_name": child.first_name, "age": child.age}


class CaseForOtherParticipantsSerializer(CaseWithoutSafeContactSerializer, CaseWithChildrenByNameAndAgeSerializer):
    """Neither the safe contact nor the children's dates of birth and schools. (DRF
    takes each declared field from the first base that has it: both are restated.)"""

    victim = VictimWithoutSafeContactSerializer(read_only=True)
    children = ChildByNameAndAgeSerializer(many=True, read_only=True, source="child_rows")


# Which serializer writes each case of a list (and PATCH's answer), in order of
# preference (api.rowslice); a row none applies to gets CaseForOtherParticipantsSerializer.
CASE_ROW_SERIALIZERS = [
    (("view_safe_contact", "view_children_in_full"), CaseSerializer),
    ("view_safe_contact", CaseWithChildrenByNameAndAgeSerializer),
    ("view_children_in_full", CaseWithoutSafeContactSerializer),
]


class RepeatFlagSerializer(serializers.ModelSerializer):
    class Meta:
        model = RepeatFlag
        fields = ["flagged_at", "reason", "incident", "last_referred_at"]
        read_only_fields = fields


class TransferredFromSerializer(serializers.Serializer):
    marac = serializers.IntegerField(help_text="The MARAC the case came from.")
    name = serializers.CharField(help_text="That MARAC's name.")
    transferred_on = DateField(help_text="The day the receiving MARAC accepted the transfer.")


class CaseDetailSerializer(CaseSerializer):
    """One case: also every perpetrator (`perpetrator` stays the first, as the contract
    says), the MARAC it was last transferred from, and the pending repeat flag, null
    unless the caller may see it (the policy row `case.view_repeat_flag`, chosen per row
    by api.rowslice)."""

    perpetrators = PerpetratorSummarySerializer(many=True, read_only=True, help_text=(
        "Every perpetrator of the case, the first (`perpetrator`) first; a referral naming another person adds "
        "them, never writes over one."))
    repeat_flag = RepeatFlagSerializer(read_only=True, allow_null=True, help_text=(
        "A further incident within 12 months of the last referral to MARAC flags the case as a repeat for its "
        "next agenda; listing it on an agenda takes the flag up. Shown to coordinators; null for any other caller."))

    transferred_from = TransferredFromSerializer(read_only=True, allow_null=True, help_text=(
        "The case's MARAC history: the MARAC it came from by its latest transfer into its current MARAC (`marac`), "
        "or null if it was never transferred there. Every transfer is kept (/transfers/)."))

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "perpetrators", "repeat_flag", "transferred_from"]
        read_only_fields = fields

    def to_representation(self, case):
        data = super().to_representation(case)
        people = [case.perpetrator, *(link.perpetrator for link in case.perpetrator_links.select_related("perpetrator"))]
        data["perpetrators"] = PerpetratorSummarySerializer(people, many=True).data
        data["repeat_flag"] = self.repeat_flag_of(case)
        came_from = transferred_from(case)
        data["transferred_from"] = None if came_from is None else {
            **came_from, "transferred_on": came_from["transferred_on"].isoformat()}
        return data

    def repeat_flag_of(self, case):
        return None


class CaseDetailWithRepeatFlagSerializer(CaseDetailSerializer):
    def repeat_flag_of(self, case):
        flag = case.repeat_flags.filter(listed_on__isnull=True).first()
        return None if flag is None else RepeatFlagSerializer(flag).data


def _detail_variant(base: type, detail: type) -> type:
    """`detail`'s extra keys (perpetrators, repeat flag) on the case as `base` writes it
    (safe contact, children): `base`'s fields and methods first, then `detail`'s."""
    if base is CaseSerializer:
        return detail
    name = base.__name__.replace("Case", detail.__name__.removesuffix("Serializer"), 1)
    return type(name, (base, detail), {"__module__": __name__, "__doc__": detail.__doc__, "Meta": detail.Meta})


def _as_actions(entry) -> tuple[str, ...]:
    return (entry,) if isinstance(entry, str) else tuple(entry)


CaseDetailForOtherParticipantsSerializer = _detail_variant(CaseForOtherParticipantsSerializer, CaseDetailSerializer)

# Which serializer writes one case (GET of one, its ETag), in order of preference: each
# of CASE_ROW_SERIALIZERS' choices, with the repeat flag where the caller may see it
# (case.view_repeat_flag) and without it otherwise. One policy query answers all three
# actions (api.rowslice). A row none applies to gets CaseDetailForOtherParticipantsSerializer.
CASE_DETAIL_ROW_SERIALIZERS = [
    *((("view_repeat_flag", *_as_actions(entry)), _detail_variant(base, CaseDetailWithRepeatFlagSerializer))
      for entry, base in [*CASE_ROW_SERIALIZERS, ((), CaseForOtherParticipantsSerializer)]),
    *((entry, _detail_variant(base, CaseDetailSerializer)) for entry, base in CASE_ROW_SERIALIZERS),
]


class VictimHistorySerializer(serializers.ModelSerializer):
    class Meta:
        model = VictimDetailChange
        fields = ["id", "field", "old_value", "new_value", "recorded_by", "recorded_at", "referral"]
        read_only_fields = fields


class CaseUpdateSerializer(StrictModelSerializer):
    """PATCH /cases/{id}/ (coordinator). Answers with the case as a GET shows it to the caller."""

    class Meta:
        model = Case
        fields = ["status", "summary", "stalking", "children_in_household"]
        extra_kwargs = {"children_in_household": {"max_value": 30}}


class ParticipantSerializer(StrictSerializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())


class ParticipantsSerializer(serializers.Serializer):
    participants = serializers.ListField(child=serializers.IntegerField())


class ResearchSerializer(StrictModelSerializer):
    class Meta:
        model = ResearchContribution
        fields = ["id", "case", "agency", "author", "summary", "shared_with_marac", "withheld_note", "created_at"]
        read_only_fields = ["id", "case", "agency", "author", "created_at"]
        extra_kwargs = {"shared_with_marac": {"required": True}}


class IncidentSerializer(StrictModelSerializer):
    behaviour = serializers.ChoiceField(choices=Behaviour.choices,
                                        help_text="A stalking behaviour of s.2A(3) PHA 1997, or other.")

    class Meta:
        model = Incident
        fields = ["id", "case", "occurred_at", "behaviour", "description", "witnesses", "evidence", "agency",
                  "recorded_by", "created_at"]
        read_only_fields = ["id", "case", "agency", "recorded_by", "created_at"]
