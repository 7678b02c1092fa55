"""Web matrix rows for referrals, triage and cases (web-cases). Statuses come from the
policy rows each view declares (web.slice): referral.*, case.*, research.create,
incident.create."""

from tests.permissions.matrix import case_facts
from tests.web.cases.data import date_parts, referral_form_data
from tests.web.matrix import WebRoute


def referral_facts(world):
    return {"own_agency": world.inside}


def new_referral(world):
    # The world's MARAC, asked for when several are active (a world whose caller serves another).
    return {**referral_form_data(victim_first_name="New", victim_last_name="Person"), "marac": world.marac.pk}


INCIDENT = {**date_parts("occurred_on", 1, 5, 2024), "occurred_time": "21:30", "behaviour": "loitering",
            "description": "Waiting outside the house."}

ROUTES = [
    WebRoute("referral-list", lambda w: "/referrals/"),
    WebRoute("referral-create", lambda w: "/referrals/new/"),
    WebRoute("referral-create", lambda w: "/referrals/new/", method="post", data=new_referral),
    WebRoute("referral-score", lambda w: "/referrals/new/score/", method="post", data=new_referral, success=200),
    WebRoute("referral-triage", lambda w: "/referrals/triage/"),
    WebRoute("referral-detail", lambda w: f"/referrals/{w.referral.pk}/", obj_facts=referral_facts),
    WebRoute("referral-submitted", lambda w: f"/referrals/{w.referral.pk}/submitted/", obj_facts=referral_facts),
    WebRoute("referral-accept", lambda w: f"/referrals/{w.referral.pk}/accept/", method="post",
             data=lambda w: {}, obj_facts=referral_facts),
    # "Not the same victim": always a valid decision on a referral awaiting triage.
    WebRoute("referral-link", lambda w: f"/referrals/{w.referral.pk}/link/", method="post",
             data=lambda w: {"decision": "none"}, obj_facts=referral_facts),
    WebRoute("referral-decline", lambda w: f"/referrals/{w.referral.pk}/decline/", method="post",
             data=lambda w: {"reason": "Below threshold."}, obj_facts=referral_facts),
    WebRoute("case-list", lambda w: "/cases/"),
    WebRoute("case-detail", lambda w: f"/cases/{w.case.pk}/", obj_facts=case_facts),
    WebRoute("case-edit", lambda w: f"/cases/{w.case.pk}/edit/", obj_facts=case_facts),
    WebRoute("case-edit", lambda w: f"/cases/{w.case.pk}/edit/", method="post", obj_facts=case_facts,
             data=lambda w: {"status": "closed", "stalking": "yes", "children_in_household": "0", "summary": ""}),
    WebRoute("case-participant-add", lambda w: f"/cases/{w.case.pk}/participants/", method="post",
             data=lambda w: {"agency": w.spare.pk}, obj_facts=case_facts),
    WebRoute("case-participant-remove", lambda w: f"/cases/{w.case.pk}/participants/{w.other.pk}/remove/",
             obj_facts=case_facts),
    WebRoute("case-participant-remove", lambda w: f"/cases/{w.case.pk}/participants/{w.other.pk}/remove/",
             method="post", obj_facts=case_facts),
    WebRoute("case-research-add", lambda w: f"/cases/{w.case.pk}/research/new/", parent_facts=case_facts),
    WebRoute("case-research-add", lambda w: f"/cases/{w.case.pk}/research/new/", method="post",
             data=lambda w: {"summary": "Known to us.", "shared_with_marac": "no"}, parent_facts=case_facts),
    WebRoute("case-incident-add", lambda w: f"/cases/{w.case.pk}/incidents/new/", parent_facts=case_facts),
    WebRoute("case-incident-add", lambda w: f"/cases/{w.case.pk}/incidents/new/", method="post",
             data=lambda w: INCIDENT, parent_facts=case_facts),
]
