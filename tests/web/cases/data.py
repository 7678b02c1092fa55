"""Form bodies for the cases area's pages, as a browser posts them."""

from marac.referrals.checklists import CHECKLISTS


def date_parts(name: str, day: int, month: int, year: int) -> dict:
    return {f"{name}_0": str(day), f"{name}_1": str(month), f"{name}_2": str(year)}


def referral_form_data(tool: str = "dash", yes: int = 15, **overrides) -> dict:
    """A complete referral: DASH with YES "yes" answers, visible high risk, consent given."""
    data = {
        "tool": tool,
        "victim_first_name": "Jane", "victim_last_name": "Doe", **date_parts("victim_date_of_birth", 4, 3, 1988),
        "victim_gender": "female", "victim_postcode": "NS1 1AA",
        "victim_safe_contact": "Mobile after 6pm", "victim_do_not_contact_via": ["post", "home_visit"],
        "perpetrator_first_name": "John", "perpetrator_last_name": "Roe",
        **date_parts("perpetrator_date_of_birth", 9, 7, 1985), "perpetrator_relationship": "ex_partner",
        "reason": "visible_high_risk", "stalking": "yes", "summary": "Escalating since separation.",
        "victim_aware": "yes", "victim_consented": "yes",
        "child-TOTAL_FORMS": "3", "child-INITIAL_FORMS": "0", "child-MIN_NUM_FORMS": "0", "child-MAX_NUM_FORMS": "30",
    }
    for number in CHECKLISTS[tool].labels:
        data[f"q_{number}"] = "yes" if int(number) <= yes else "no"
    data.update(overrides)
    return data
