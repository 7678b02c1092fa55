"""The slice, described once per object.

Each kind of object the API serves is one `SliceObject` below, holding everything the
slice knows about it:

  rows     its policy rows: for each ACTION, the grants. A caller may ACTION an object
           when ANY grant applies to the caller (role and agency kind match) and ALL of
           that grant's scope conditions hold for the object. No applicable grant: the
           object is outside the caller's slice for that action.
  paths    where the scope conditions look on the object (`Paths`: its case, its agency,
           its "shared with the MARAC" flag, its meeting's chair...).
  parent   the object it sits under (`Parent`): a nested route's URL parent, or the
           parent a create names in its body. A create's row is read against the
           parent's paths (research is added to a case the caller is on).
  role_limit  accounts only: the roles a caller may hand out (ASSIGNABLE_ROLES).
  body_field_rows  fields of a create's or change's body that need ANOTHER row of the
           object (`BodyFieldRow`): an account's `maracs` is written only by the
           callers of user.assign_maracs (403 with its message otherwise).
  subjects an object that is no row of a table (a report) is read against the
           subject each action is about (a MARAC, a police force): per action, the
           subject's paths. Each such row is its own reach: a subject outside it does
           not exist for the caller (404), as an object outside its "view" row.

The filter backend, the permission class (permissions/drf.py), the per-row serializer
choice (api/rowslice.py), the start-up check of the viewsets (api/checks.py) and the
permission-matrix tests all read these descriptions; nothing else says who may do what.

Scope conditions (each one small function in permissions/scopes.py, reading one path):
  all          no condition: platform-wide directory rows only (agencies, MARACs,
               accounts), and anyone may refer
  marac        the object belongs to a MARAC the caller serves (coordinators and
               chairs: Membership.maracs; one subquery over the caller's membership)
  participant  the caller's agency is on the object's case (holds the case grant)
  own_agency   the object belongs to the caller's agency
  shared       the object was shared with the MARAC
  chairing     the caller chairs the object's meeting
  referrer     the caller's agency referred the object's case (made a referral accepted
               into it)
  sits_on      the object (an agency, `paths.agency`) is a participant of a case of a
               MARAC the caller serves (the reports: a police force a MARAC sits with)
  addressed_to_role  the object is for every role of its agency, or for the caller's
  receiving_marac  the object is addressed to a MARAC the caller serves (a transfer's
               receiving MARAC; its `marac` is the sending one)
  sees_safe_contact  the object is not about the victim's safe contact, or the caller
               may see the safe contact on its case (the case's view_safe_contact row,
               read through the object's paths: a victim-history row)

Platform administrators hold the pseudo-role `platform_admin`. It appears only in the
directory and account rows: case data never short-circuits for superusers.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db.models import Q, QuerySet

from marac.agencies.models import AgencyKind, Role
from marac.cases.services import SAFE_CONTACT_FIELDS

from .actor import PLATFORM_ADMIN, Actor

ALL_ROLES = frozenset(Role.values)
COORDINATOR = frozenset({Role.COORDINATOR})
COORDINATOR_OR_CHAIR = frozenset({Role.COORDINATOR, Role.CHAIR})
MANAGER = frozenset({Role.MANAGER})
PLATFORM_ADMINS = frozenset({PLATFORM_ADMIN})
POLICE = frozenset({AgencyKind.POLICE})
ADVOCACY = frozenset({AgencyKind.ADVOCACY})
POLICE_OR_ADVOCACY = POLICE | ADVOCACY
CHILDRENS_SERVICES = frozenset({AgencyKind.CHILDRENS_SERVICES})
CHAIR = frozenset({Role.CHAIR})
PRACTITIONER_OR_MANAGER = frozenset({Role.PRACTITIONER, Role.MANAGER})


@dataclass(frozen=True)
class Grant:
    scope: tuple[str, ...]
    roles: frozenset[str] = ALL_ROLES
    kinds: frozenset[str] | None = None  # None: any agency kind

    def applies_to(self, actor: Actor) -> bool:
        if PLATFORM_ADMIN in self.roles and actor.is_platform_admin:
            return True
        if not actor.is_member or actor.role not in self.roles:
            return False
        return self.kinds is None or actor.kind in self.kinds


def grant(*scope: str, roles=ALL_ROLES, kinds=None) -> Grant:
    return Grant(tuple(scope), frozenset(roles), None if kinds is None else frozenset(kinds))


@dataclass(frozen=True)
class Paths:
    """Where each scope condition looks on one kind of object (ORM lookups from it).
    A condition whose path an object lacks never holds for it."""

    case: str | None = None  # to its Case ("participant", "referrer"); "pk" for the Case itself
    agency: str | None = None  # the agency it belongs to ("own_agency")
    shared: str | None = None  # the boolean "shared with the MARAC" ("shared")
    # For objects tied to SEVERAL cases (a meeting, through its agenda): given the
    # subquery of the caller's participant case ids, a subquery of the object pks it
    # reaches. "participant" is then ONE `pk IN (SELECT ...)`: no join, no duplicates.
    cases_subquery: Callable[[QuerySet], QuerySet] | None = None
    chair: str | None = None  # the user chairing its meeting ("chairing")
    role: str | None = None  # the one role it is for, blank for all ("addressed_to_role")
    marac: str | None = None  # the MARAC it belongs to (reserved for the "marac" condition)
    receiving_marac: str | None = None  # the MARAC it is addressed to ("receiving_marac": a transfer's)
    # The objects that are about the victim's safe contact, as a filter on the object's
    # table ("sees_safe_contact": a victim-history row of the safe contact's fields).
    safe_contact: Q | None = None


@dataclass(frozen=True)
class Parent:
    """The object this one sits under. `field` is the child's field naming it (the
    nested list is filtered on it; a create names it in the body when `in_body`);
    otherwise the parent is the one in the URL of a nested route."""

    object: str
    field: str
    in_body: bool = False


@dataclass(frozen=True)
class RoleLimit:
    """Accounts: a caller creates (the role in the body's `body_field`) and changes (the
    account's role at attribute path `path`) only accounts of the roles it may give."""

    body_field: str
    path: str


@dataclass(frozen=True)
class BodyFieldRow:
    """A field of the body that needs another row of the object: a create or change
    whose body carries the field is refused (403, MESSAGE) unless the caller holds
    ACTION's row too (read like the create's or change's own row)."""

    action: str
    message: str


@dataclass(frozen=True, eq=False)
class SliceObject:
    name: str
    model: str  # "app_label.Model"
    rows: Mapping[str, tuple[Grant, ...]]
    paths: Paths = field(default_factory=Paths)
    parent: Parent | None = None
    role_limit: RoleLimit | None = None
    body_field_rows: Mapping[str, BodyFieldRow] = field(default_factory=dict)
    subjects: Mapping[str, Paths] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"<SliceObject {self.name}>"

    def row(self, action: str) -> tuple[Grant, ...]:
        try:
            return self.rows[action]
        except KeyError:
            raise LookupError(f"No policy row for {self.name}.{action}") from None

    def model_class(self):
        return apps.get_model(self.model)

    def paths_for(self, action: str) -> Paths:
        """Where ACTION's row looks: on its subject when it has one, else on the object."""
        return self.subjects.get(action, self.paths)

    def reach(self, action: str) -> str:
        """The row whose scope is the caller's reach when asking ACTION (outside: 404):
        "view", or ACTION itself when it is read against a subject."""
        return action if action in self.subjects else "view"


OBJECTS: dict[str, SliceObject] = {}


def describe(obj: SliceObject) -> SliceObject:
    """Declare an object of the slice (domain areas added later call it too)."""
    if obj.name in OBJECTS:
        raise ValueError(f"The slice already describes {obj.name!r}")
    OBJECTS[obj.name] = obj
    return obj


def slice_object(ref: "str | SliceObject") -> SliceObject:
    """The current description of an object, given it or its name."""
    if isinstance(ref, SliceObject):
        return OBJECTS.get(ref.name, ref)
    try:
        return OBJECTS[ref]
    except KeyError:
        raise LookupError(f"The slice describes no object {ref!r}") from None


def _meetings_reaching(case_ids: QuerySet) -> QuerySet:
    from marac.meetings.models import AgendaItem

    return AgendaItem.objects.filter(case__in=case_ids).values("meeting")


# --- The directory and accounts -------------------------------------------------------

AGENCY = describe(SliceObject(
    "agency", "agencies.Agency",
    rows={
        "view": (grant("all"), grant("all", roles=PLATFORM_ADMINS)),
        "create": (grant("all", roles=PLATFORM_ADMINS),),
    },
    paths=Paths(agency="pk"),
))

# The MARAC directory: everyone reads it; platform administrators record and change
# MARACs (like agencies). A meeting's create is read against the MARAC it names.
MARAC = describe(SliceObject(
    "marac", "maracs.Marac",
    rows={
        "view": (grant("all"), grant("all", roles=PLATFORM_ADMINS)),
        "create": (grant("all", roles=PLATFORM_ADMINS),),
        "change": (grant("all", roles=PLATFORM_ADMINS),),
    },
    paths=Paths(marac="pk"),
))

USER = describe(SliceObject(
    "user", settings.AUTH_USER_MODEL,
    rows={
        "view": (grant("own_agency"), grant("all", roles=COORDINATOR_OR_CHAIR), grant("all", roles=PLATFORM_ADMINS)),
        # Read against the agency the body names; the role given is limited (role_limit).
        "create": (grant("own_agency", roles=MANAGER), grant("all", roles=PLATFORM_ADMINS)),
        # Deactivate / reactivate an account, correct its email: only accounts of the
        # roles the caller may hand out (role_limit), like create.
        "change": (grant("own_agency", roles=MANAGER), grant("all", roles=PLATFORM_ADMINS)),
        # Which MARACs a coordinator or chair serves (`maracs` on create and PATCH).
        "assign_maracs": (grant("all", roles=PLATFORM_ADMINS),),
    },
    paths=Paths(agency="membership__agency"),
    parent=Parent("agency", "agency", in_body=True),
    role_limit=RoleLimit(body_field="role", path="membership.role"),
    body_field_rows={
        "maracs": BodyFieldRow("assign_maracs", "Only platform administrators set the MARACs a user serves."),
    },
))

AUDIT_EVENT = describe(SliceObject(
    "audit_event", "audit.AuditEvent",
    rows={
        # Managers: the events of their own agency's users; platform admins: all. Nobody
        # changes or deletes an event (append-only).
        "view": (grant("own_agency", roles=MANAGER), grant("all", roles=PLATFORM_ADMINS)),
    },
    paths=Paths(agency="agency_id"),
))

# --- Referrals and cases --------------------------------------------------------------

REFERRAL = describe(SliceObject(
    "referral", "referrals.Referral",
    rows={
        # No participant reach: an agency on the linked case does not see the referral.
        "view": (grant("own_agency"), grant("marac", roles=COORDINATOR_OR_CHAIR)),
        # `is_repeat` and `case`: field-level, per row. A referrer sees the link to an
        # existing case only while it is on that case itself ("participant" is read
        # through the referral's `case`), so repeat detection never opens another case.
        "view_case_link": (grant("own_agency", "participant"), grant("marac", roles=COORDINATOR_OR_CHAIR)),
        # `possible_duplicate_of`, `likely_matches` and the link decision: field-level,
        # per row, for the coordinator's triage. Within view_case_link (the serializer
        # that shows them shows the link too).
        "view_duplicates": (grant("marac", roles=COORDINATOR),),
        # `previous_marac` (a repeat found in another MARAC: its name and the date the
        # victim was referred there, nothing of that case): field-level, per row, for
        # the receiving MARAC's coordinators.
        "view_previous_marac": (grant("marac", roles=COORDINATOR),),
        # The victim's safe contact and "do not contact via" list: field-level, per row.
        # The referrer wrote them; chairs see the referral without them.
        "view_safe_contact": (grant("own_agency"), grant("marac", roles=COORDINATOR)),
        # Anyone refers, to any MARAC.
        "create": (grant("all"),),
        # Accept, decline, and link (POST /referrals/{id}/link/: which case, or none).
        "triage": (grant("marac", roles=COORDINATOR),),
    },
    paths=Paths(case="case", agency="referring_agency", marac="marac"),
))

CASE = describe(SliceObject(
    "case", "cases.Case",
    rows={
        "view": (grant("participant"), grant("marac", roles=COORDINATOR_OR_CHAIR)),
        # Field-level, per row. How and when it is safe to contact the victim and what
        # never to use: the case's advocacy participants (the IDVA/ISA makes contact),
        # coordinators and the agency that referred the case; nobody else.
        "view_safe_contact": (grant("participant", kinds=ADVOCACY), grant("referrer"),
                              grant("marac", roles=COORDINATOR)),
        # The children's dates of birth and schools (everyone on the case sees their
        # first names and ages): children's services on the case, and the coordinators
        # and chairs who run the MARAC.
        "view_children_in_full": (grant("participant", kinds=CHILDRENS_SERVICES),
                                  grant("marac", roles=COORDINATOR_OR_CHAIR)),
        "change": (grant("marac", roles=COORDINATOR),),
        "manage_participants": (grant("marac", roles=COORDINATOR),),
        # The pending repeat flag ("flag and tag"): field-level per row, and ?flagged_repeat=.
        "view_repeat_flag": (grant("marac", roles=COORDINATOR),),
    },
    paths=Paths(case="pk", marac="marac"),
))

# The case victim's history of details: the values the case shows its participants
# ("shared": names, date of birth, gender, postcode) to them; every value (diversity
# monitoring too) to coordinators and chairs, except the safe contact's values
# (safe_contact, do_not_contact_via, do_not_contact_note): only to a caller who may see
# the safe contact on the case ("sees_safe_contact": the case's view_safe_contact row).
VICTIM_HISTORY = describe(SliceObject(
    "victim_history", "cases.VictimDetailChange",
    rows={"view": (grant("participant", "shared"), grant("marac", "sees_safe_contact", roles=COORDINATOR_OR_CHAIR))},
    paths=Paths(case="case", shared="shown_on_case", marac="case__marac",
                safe_contact=Q(field__in=SAFE_CONTACT_FIELDS)),
    parent=Parent("case", "case"),
))

RESEARCH = describe(SliceObject(
    "research", "cases.ResearchContribution",
    rows={
        "view": (
            grant("participant", "own_agency"),
            grant("participant", "shared"),
            grant("shared", "marac", roles=COORDINATOR_OR_CHAIR),
        ),
        "create": (grant("participant"),),
    },
    paths=Paths(case="case", agency="agency", shared="shared_with_marac", marac="case__marac"),
    parent=Parent("case", "case"),
))

INCIDENT = describe(SliceObject(
    "incident", "cases.Incident",
    rows={
        "view": (grant("participant", kinds=POLICE_OR_ADVOCACY),),
        "create": (grant("participant", kinds=POLICE_OR_ADVOCACY),),
    },
    paths=Paths(case="case", agency="agency", marac="case__marac"),
    parent=Parent("case", "case"),
))

# --- Meetings -------------------------------------------------------------------------

MEETING_PATHS = Paths(cases_subquery=_meetings_reaching, chair="chair", marac="marac")

# A meeting is seen by the agencies on at least one case on its agenda ("participant"
# through the agenda: one subquery), coordinators and chairs.
MEETING = describe(SliceObject(
    "meeting", "meetings.Meeting",
    rows={
        "view": (grant("participant"), grant("marac", roles=COORDINATOR_OR_CHAIR)),
        # Attendance, apologies and meeting-wide minutes: field-level, per row.
        "view_minutes": (grant("marac", roles=COORDINATOR_OR_CHAIR),),
        "create": (grant("marac", roles=COORDINATOR),),
        # Status, attendance, minutes.
        "change": (grant("marac", roles=COORDINATOR_OR_CHAIR),),
    },
    paths=MEETING_PATHS,
    # A meeting is scheduled for a MARAC the body names (the only active one when not named).
    parent=Parent("marac", "marac", in_body=True),
))

# Agenda items are filtered by their own case, not by the meeting.
AGENDA_ITEM = describe(SliceObject(
    "agenda_item", "meetings.AgendaItem",
    rows={
        "view": (grant("participant"), grant("marac", roles=COORDINATOR_OR_CHAIR)),
        "create": (grant("marac", roles=COORDINATOR),),
        # The case's own minutes at that meeting: those who keep the meeting's minutes.
        "change": (grant("marac", roles=COORDINATOR_OR_CHAIR),),
    },
    # Agenda items follow their meeting's MARAC (only its cases are listed).
    paths=Paths(case="case", marac="meeting__marac"),
    parent=Parent("meeting", "meeting"),
))

ACTION = describe(SliceObject(
    "action", "meetings.Action",
    rows={
        "view": (grant("participant"), grant("marac", roles=COORDINATOR_OR_CHAIR)),
        "create": (grant("marac", roles=COORDINATOR_OR_CHAIR),),
        # Status and updates: the owning agency (while on the case) or a coordinator.
        "change": (grant("participant", "own_agency"), grant("marac", roles=COORDINATOR)),
        # Why an incomplete action carried over: the coordinator records it.
        "record_carry_over": (grant("marac", roles=COORDINATOR),),
    },
    # An action follows its case's MARAC (its meeting's: the case is on that agenda).
    paths=Paths(case="case", agency="owner_agency", marac="case__marac"),
    parent=Parent("case", "case", in_body=True),
))

# The meeting pack (every case on the agenda, all research shared with the MARAC): a
# sub-resource of the meeting, so its rows are read against the meeting (its model and
# paths). The chair and coordinators only; everyone else gets 404.
PACK = describe(SliceObject(
    "pack", "meetings.Meeting",
    rows={
        "view": (grant("marac", roles=COORDINATOR_OR_CHAIR),),
        "create": (grant("marac", roles=COORDINATOR_OR_CHAIR),),
        # The meeting's own chair signs the pack off (another chair or a coordinator: 403).
        "sign_off": (grant("chairing", roles=CHAIR),),
    },
    paths=MEETING_PATHS,
))

# Notifications go to an agency, optionally to one role in it.
NOTIFICATION = describe(SliceObject(
    "notification", "notifications.Notification",
    rows={
        "view": (grant("own_agency", "addressed_to_role"),),
        "mark_read": (grant("own_agency", "addressed_to_role"),),
    },
    paths=Paths(agency="agency", role="role"),
))

# --- Stalking Protection Orders and support plans ------------------------------------

# Prohibitions are part of the order (read and written with it), so they follow this
# row. Every participant sees the order for safety planning; chairs role-wide; police
# participants create and change it.
ORDER = describe(SliceObject(
    "order", "orders.Order",
    rows={
        "view": (grant("participant"), grant("marac", roles=CHAIR)),
        "create": (grant("participant", kinds=POLICE),),
        # The police force that holds the order (its `agency`), while it is on the case.
        "change": (grant("participant", "own_agency", kinds=POLICE),),
    },
    paths=Paths(case="case", agency="agency", marac="case__marac"),
    parent=Parent("case", "case", in_body=True),
))

# Positive requirements. The responsible agency is NOT made a case participant: it
# reaches the requirement through own_agency (its responsible_agency) and nothing else
# of the case, so delivering a programme never opens the victim's file.
REQUIREMENT = describe(SliceObject(
    "requirement", "orders.Requirement",
    rows={
        "view": (grant("participant"), grant("own_agency"), grant("marac", roles=CHAIR)),
        # Notes and compliance events: police on the case and the responsible agency only.
        "view_notes": (grant("participant", kinds=POLICE), grant("own_agency")),
        "create": (grant("participant", kinds=POLICE),),
        "change": (grant("own_agency"),),
        "record_event": (grant("own_agency"),),
    },
    paths=Paths(case="order__case", agency="responsible_agency", marac="order__case__marac"),
    parent=Parent("order", "order"),
))

BREACH = describe(SliceObject(
    "breach", "orders.Breach",
    rows={
        "view": (grant("participant"), grant("marac", roles=CHAIR)),
        # Any participant reports one.
        "create": (grant("participant"),),
        "change": (grant("participant", kinds=POLICE),),
    },
    paths=Paths(case="order__case", agency="reporting_agency", marac="order__case__marac"),
    parent=Parent("order", "order"),
))

# The defendant's notified changes of name and home address (SPA s.9(3)-(4)): police
# business only, so police participants of the case and nobody else.
NOTIFIABLE_CHANGE = describe(SliceObject(
    "notifiable_change", "orders.NotifiableChange",
    rows={
        "view": (grant("participant", kinds=POLICE),),
        "create": (grant("participant", kinds=POLICE),),
        "change": (grant("participant", kinds=POLICE),),
    },
    paths=Paths(case="order__case", marac="order__case__marac"),
    parent=Parent("order", "order"),
))

# Requests that police consider an SPO: any participant records one; the requesting
# agency and the police on the case see it and its outcome (the answering order).
SPO_REQUEST = describe(SliceObject(
    "spo_request", "orders.SpoRequest",
    rows={
        "view": (grant("participant", "own_agency"), grant("participant", kinds=POLICE)),
        "create": (grant("participant"),),
    },
    paths=Paths(case="case", agency="agency", marac="case__marac"),
    parent=Parent("case", "case"),
))

# Reports (marac/reports/figures.py): counts, never a person's details. Each row is read
# against the report's subject (`subjects`): the data return and the actions report
# against a MARAC, its coordinators and chairs; SPO performance against a police force,
# its own practitioners and managers ("own_agency"), and the coordinators and chairs of
# the MARACs it sits on ("sits_on": the force is on a case of theirs). Any other role:
# 403; a subject outside the scope, or none: 404, so ids leak nothing.
REPORT = describe(SliceObject(
    "report", "maracs.Marac",
    rows={
        "data_return": (grant("marac", roles=COORDINATOR_OR_CHAIR),),
        "actions": (grant("marac", roles=COORDINATOR_OR_CHAIR),),
        "spo_performance": (grant("own_agency", roles=PRACTITIONER_OR_MANAGER, kinds=POLICE),
                            grant("sits_on", roles=COORDINATOR_OR_CHAIR)),
    },
    paths=Paths(marac="pk"),
    subjects={"data_return": Paths(marac="pk"), "actions": Paths(marac="pk"), "spo_performance": Paths(agency="pk")},
))

# Victim support plans: advocacy participants' practitioners and managers only. No
# chair, coordinator or platform-admin reach: 404 to everyone else.
SUPPORT_PLAN = describe(SliceObject(
    "support_plan", "support.SupportPlan",
    rows={
        "view": (grant("participant", roles=PRACTITIONER_OR_MANAGER, kinds=ADVOCACY),),
        "create": (grant("participant", roles=PRACTITIONER_OR_MANAGER, kinds=ADVOCACY),),
        "change": (grant("participant", roles=PRACTITIONER_OR_MANAGER, kinds=ADVOCACY),),
    },
    paths=Paths(case="case", agency="agency"),
    parent=Parent("case", "case", in_body=True),
))

# --- MARAC-to-MARAC transfers --------------------------------------------------------

# The coordinators and chairs of the sending MARAC ("marac": the transfer's from_marac)
# and of the receiving one ("receiving_marac"). Neither is read through the case: the
# sending MARAC keeps its record after the case has left its reach, and the receiving
# one decides before reaching it.
TRANSFER = describe(SliceObject(
    "transfer", "transfers.CaseTransfer",
    rows={
        "view": (grant("marac", roles=COORDINATOR_OR_CHAIR), grant("receiving_marac", roles=COORDINATOR_OR_CHAIR)),
        # Field-level, per row: the sending MARAC's record (the case, the note, who asked
        # and decided) ...
        "view_record": (grant("marac", roles=COORDINATOR_OR_CHAIR),),
        # ... and the receiving MARAC's summary of the case, enough to decide (victim's
        # name and date of birth, risk level, open action count).
        "view_summary": (grant("receiving_marac", roles=COORDINATOR_OR_CHAIR),),
        # Read against the case (POST /cases/{id}/transfers/): a coordinator of its MARAC.
        "create": (grant("marac", roles=COORDINATOR),),
        # Accept or decline: a coordinator of the receiving MARAC.
        "decide": (grant("receiving_marac", roles=COORDINATOR),),
    },
    paths=Paths(marac="from_marac", receiving_marac="to_marac"),
    parent=Parent("case", "case"),
))


class _Rows(Mapping):
    """POLICY[object][action]: the rows of every described object, read live."""

    def __getitem__(self, name: str):
        return slice_object(name).rows

    def __iter__(self) -> Iterator[str]:
        return iter(OBJECTS)

    def __len__(self) -> int:
        return len(OBJECTS)


POLICY: Mapping[str, Mapping[str, tuple[Grant, ...]]] = _Rows()


# Roles each administering principal may give to a new user (and change the account of).
ASSIGNABLE_ROLES: dict[str, frozenset[str]] = {
    PLATFORM_ADMIN: ALL_ROLES,
    Role.MANAGER: frozenset({Role.PRACTITIONER, Role.MANAGER}),
}


def grants_for(target: "str | SliceObject", action: str, actor: Actor) -> tuple[Grant, ...]:
    """The grants of the row that apply to this caller."""
    return tuple(g for g in slice_object(target).row(action) if g.applies_to(actor))


def assignable_roles(actor: Actor) -> frozenset[str]:
    roles: set[str] = set()
    if actor.is_platform_admin:
        roles |= ASSIGNABLE_ROLES[PLATFORM_ADMIN]
    if actor.role in ASSIGNABLE_ROLES:
        roles |= ASSIGNABLE_ROLES[actor.role]
    return frozenset(roles)
