"""The policy table: which role of which agency kind may do what on which object.

Read a row as: for OBJECT and ACTION, a caller is allowed on an object when ANY of
the grants applies to the caller (role and agency kind match) and ALL of that grant's
scope conditions hold for the object. With no applicable grant the object is outside
the caller's slice for that action. The filter backend, the permission class, the
field-level serializer choice and the permission-matrix tests all read this table.

Scope conditions (implemented once, in permissions/scopes.py):
  all          no condition: platform-wide directory rows only (agencies, MARACs,
               accounts), and anyone may refer
  marac        the object belongs to a MARAC the caller serves (coordinators and
               chairs: Membership.maracs; the object's target says the path to it)
  participant  the caller's agency is on the object's case (holds the case grant)
  own_agency   the object belongs to the caller's agency (its target says which field)
  shared       the object was shared with the MARAC
  chairing     the caller chairs the object's meeting
  referrer     the caller's agency referred the object's case (made a referral accepted
               into it)
  receiving_marac  the object is addressed to a MARAC the caller serves (a transfer's
               receiving MARAC; its `marac` is the sending one)

Platform administrators hold the pseudo-role `platform_admin`. It appears only in the
account rows: case data never short-circuits for superusers.
"""

from dataclasses import dataclass

from marac.agencies.models import AgencyKind, Role

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


POLICY: dict[str, dict[str, tuple[Grant, ...]]] = {
    "agency": {
        "view": (grant("all"), grant("all", roles=PLATFORM_ADMINS)),
        "create": (grant("all", roles=PLATFORM_ADMINS),),
    },
    # The MARAC directory: everyone reads it; platform administrators record and change
    # MARACs (like agencies).
    "marac": {
        "view": (grant("all"), grant("all", roles=PLATFORM_ADMINS)),
        "create": (grant("all", roles=PLATFORM_ADMINS),),
        "change": (grant("all", roles=PLATFORM_ADMINS),),
    },
    "user": {
        "view": (grant("own_agency"), grant("all", roles=COORDINATOR_OR_CHAIR), grant("all", roles=PLATFORM_ADMINS)),
        # Which roles a manager may hand out is in ASSIGNABLE_ROLES below.
        "create": (grant("own_agency", roles=MANAGER), grant("all", roles=PLATFORM_ADMINS)),
        # Deactivate / reactivate an account, correct its email. A manager only changes
        # the roles they may hand out (ASSIGNABLE_ROLES), like create.
        "change": (grant("own_agency", roles=MANAGER), grant("all", roles=PLATFORM_ADMINS)),
        # Which MARACs a coordinator or chair serves (`maracs` on create and PATCH).
        "assign_maracs": (grant("all", roles=PLATFORM_ADMINS),),
    },
    "referral": {
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
    "case": {
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
    # The case victim's history of details: the values the case shows its participants
    # ("shared": names, date of birth, gender, postcode) to them; every value (safe
    # contact and diversity monitoring too) to coordinators and chairs.
    "victim_history": {
        "view": (grant("participant", "shared"), grant("marac", roles=COORDINATOR_OR_CHAIR)),
    },
    "research": {
        "view": (
            grant("participant", "own_agency"),
            grant("participant", "shared"),
            grant("shared", "marac", roles=COORDINATOR_OR_CHAIR),
        ),
        # Evaluated on the case the contribution is added to.
        "create": (grant("participant"),),
    },
    "incident": {
        "view": (grant("participant", kinds=POLICE_OR_ADVOCACY),),
        "create": (grant("participant", kinds=POLICE_OR_ADVOCACY),),
    },
    # A meeting is seen by the agencies on at least one case on its agenda
    # ("participant" through the agenda: one subquery), coordinators and chairs.
    "meeting": {
        "view": (grant("participant"), grant("marac", roles=COORDINATOR_OR_CHAIR)),
        # Attendance, apologies and meeting-wide minutes: field-level, per row.
        "view_minutes": (grant("marac", roles=COORDINATOR_OR_CHAIR),),
        "create": (grant("marac", roles=COORDINATOR),),
        # Status, attendance, minutes.
        "change": (grant("marac", roles=COORDINATOR_OR_CHAIR),),
    },
    # Agenda items are filtered by their own case, not by the meeting.
    "agenda_item": {
        "view": (grant("participant"), grant("marac", roles=COORDINATOR_OR_CHAIR)),
        # Evaluated on the meeting the case is added to.
        "create": (grant("marac", roles=COORDINATOR),),
    },
    "action": {
        "view": (grant("participant"), grant("marac", roles=COORDINATOR_OR_CHAIR)),
        # Evaluated on the case the action is for.
        "create": (grant("marac", roles=COORDINATOR_OR_CHAIR),),
        # Status and updates: the owning agency (while on the case) or a coordinator.
        "change": (grant("participant", "own_agency"), grant("marac", roles=COORDINATOR)),
        # Why an incomplete action carried over: the coordinator records it.
        "record_carry_over": (grant("marac", roles=COORDINATOR),),
    },
    # The meeting pack (every case on the agenda, all research shared with the MARAC):
    # the chair and coordinators only; everyone else gets 404. Read against the meeting.
    "pack": {
        "view": (grant("marac", roles=COORDINATOR_OR_CHAIR),),
        "create": (grant("marac", roles=COORDINATOR_OR_CHAIR),),
        # The meeting's own chair signs the pack off (another chair or a coordinator: 403).
        "sign_off": (grant("chairing", roles=CHAIR),),
    },
    # Notifications go to an agency (optionally one role in it; the role is matched
    # by the notifications view).
    "notification": {
        "view": (grant("own_agency"),),
        "mark_read": (grant("own_agency"),),
    },
    # Stalking Protection Orders. Prohibitions are part of the order (read and written
    # with it), so they follow this row. Every participant sees the order for safety
    # planning; chairs role-wide; police participants create and change it.
    "order": {
        "view": (grant("participant"), grant("marac", roles=CHAIR)),
        # Evaluated on the case the order is for.
        "create": (grant("participant", kinds=POLICE),),
        # The police force that holds the order (its `agency`), while it is on the case.
        "change": (grant("participant", "own_agency", kinds=POLICE),),
    },
    # Positive requirements. The responsible agency is NOT made a case participant: it
    # reaches the requirement through own_agency (its responsible_agency) and nothing
    # else of the case, so delivering a programme never opens the victim's file.
    "requirement": {
        "view": (grant("participant"), grant("own_agency"), grant("marac", roles=CHAIR)),
        # Notes and compliance events: police on the case and the responsible agency only.
        "view_notes": (grant("participant", kinds=POLICE), grant("own_agency")),
        # Evaluated on the order the requirement is added to.
        "create": (grant("participant", kinds=POLICE),),
        "change": (grant("own_agency"),),
        "record_event": (grant("own_agency"),),
    },
    "breach": {
        "view": (grant("participant"), grant("marac", roles=CHAIR)),
        # Evaluated on the order: any participant reports.
        "create": (grant("participant"),),
        "change": (grant("participant", kinds=POLICE),),
    },
    # The defendant's notified changes of name and home address (SPA s.9(3)-(4)):
    # police business only, so police participants of the case and nobody else.
    "notifiable_change": {
        "view": (grant("participant", kinds=POLICE),),
        # Evaluated on the order the change is recorded against.
        "create": (grant("participant", kinds=POLICE),),
        "change": (grant("participant", kinds=POLICE),),
    },
    # Victim support plans: advocacy participants' practitioners and managers only.
    # No chair, coordinator or platform-admin reach: 404 to everyone else.
    "support_plan": {
        "view": (grant("participant", roles=PRACTITIONER_OR_MANAGER, kinds=ADVOCACY),),
        "create": (grant("participant", roles=PRACTITIONER_OR_MANAGER, kinds=ADVOCACY),),
        "change": (grant("participant", roles=PRACTITIONER_OR_MANAGER, kinds=ADVOCACY),),
    },
    # MARAC-to-MARAC transfers: the coordinators and chairs of the sending MARAC
    # ("marac": the transfer's from_marac) and of the receiving one ("receiving_marac").
    # Neither is read through the case: the sending MARAC keeps its record after the
    # case has left its reach, and the receiving one decides before reaching it.
    "transfer": {
        "view": (grant("marac", roles=COORDINATOR_OR_CHAIR), grant("receiving_marac", roles=COORDINATOR_OR_CHAIR)),
        # Field-level, per row: the sending MARAC's record (the case, the note, who asked
        # and decided) ...
        "view_record": (grant("marac", roles=COORDINATOR_OR_CHAIR),),
        # ... and the receiving MARAC's summary of the case, enough to decide (victim's
        # name and date of birth, risk level, open action count).
        "view_summary": (grant("receiving_marac", roles=COORDINATOR_OR_CHAIR),),
        # Evaluated on the case: a coordinator of its MARAC asks another to take it.
        "create": (grant("marac", roles=COORDINATOR),),
        # Accept or decline: a coordinator of the receiving MARAC.
        "decide": (grant("receiving_marac", roles=COORDINATOR),),
    },
    "audit_event": {
        # Managers: the events of their own agency's users; platform admins: all. Nobody
        # changes or deletes an event (append-only).
        "view": (grant("own_agency", roles=MANAGER), grant("all", roles=PLATFORM_ADMINS)),
    },
}


# Roles each administering principal may give to a new user (and change the account of).
ASSIGNABLE_ROLES: dict[str, frozenset[str]] = {
    PLATFORM_ADMIN: ALL_ROLES,
    Role.MANAGER: frozenset({Role.PRACTITIONER, Role.MANAGER}),
}


def grants_for(target: str, action: str, actor: Actor) -> tuple[Grant, ...]:
    """The grants of the table row that apply to this caller."""
    try:
        row = POLICY[target][action]
    except KeyError:
        raise LookupError(f"No policy row for {target}.{action}") from None
    return tuple(g for g in row if g.applies_to(actor))


def assignable_roles(actor: Actor) -> frozenset[str]:
    roles: set[str] = set()
    if actor.is_platform_admin:
        roles |= ASSIGNABLE_ROLES[PLATFORM_ADMIN]
    if actor.role in ASSIGNABLE_ROLES:
        roles |= ASSIGNABLE_ROLES[actor.role]
    return frozenset(roles)
