"""The SPO summary section of the meeting pack: what the MARAC needs for safety
planning (kind, status, dates, prohibitions, requirement statuses, breaches with their
dates and police response time), never requirement notes, compliance events or what a
breach report or police response says."""

from marac.meetings.pack_sections import pack_date, pack_datetime, pack_duration

from .services import order_summaries_for_cases

KIND_LABELS = {"interim": "Interim", "full": "Full"}
SOURCE_LABELS = {"police_application": "police application", "court_on_conviction": "made by the court on conviction",
                 "court_on_acquittal": "made by the court on acquittal"}
STATUS_LABELS = {"considering": "police considering an application", "declined": "police decided not to apply",
                 "applied": "applied for", "granted": "in force", "refused": "refused by the court",
                 "discharged": "discharged", "expired": "expired", "withdrawn": "application withdrawn"}
REQUIREMENT_KIND_LABELS = {"intervention_programme": "intervention programme",
                           "mental_health_assessment": "mental health assessment",
                           "substance_misuse_treatment": "substance misuse treatment",
                           "device_surrender": "surrender of devices", "account_access": "access to accounts",
                           "police_sign_on": "signing on at a police station", "other": "other"}
REQUIREMENT_STATUS_LABELS = {"pending": "not started", "scheduled": "scheduled", "in_progress": "in progress",
                             "completed": "completed", "non_compliant": "not complied with"}
BREACH_STATUS_LABELS = {"reported": "reported", "investigating": "under investigation", "charged": "charged",
                        "no_further_action": "no further action"}


def _label(labels: dict[str, str], value: str) -> str:
    """A value another area adds later still prints as words."""
    return labels.get(value) or value.replace("_", " ")


def _term(term: dict) -> str:
    text = term["text"]
    if term.get("locality"):
        text += f" (within {term['locality']})"
    if term.get("ends_on"):
        text += f" (until {pack_date(term['ends_on'])})"
    return text


def _breach(breach: dict) -> str:
    line = (f"Breach on {pack_datetime(breach['occurred_at'])}, reported {pack_datetime(breach['reported_at'])}: "
            f"{_label(BREACH_STATUS_LABELS, breach['status'])}; ")
    if breach["response_seconds"] is None:
        return line + "no police response recorded yet"
    return line + f"police responded in {pack_duration(breach['response_seconds'])}"


def _lines(order: dict) -> list[str]:
    dates = [f"{label} {pack_date(order[field])}" for label, field in
             (("applied", "applied_on"), ("granted", "granted_on"), ("served", "served_on")) if order[field]]
    if order["status"] == "granted":
        dates.append(f"in force until {pack_date(order['expires_on'])}" if order["expires_on"]
                     else "until further order")
    lines = [f"{_label(KIND_LABELS, order['kind'])} SPO ({_label(SOURCE_LABELS, order['source'])}): "
             f"{_label(STATUS_LABELS, order['status'])}" + (f"; {', '.join(dates)}" if dates else "")]
    lines += [f"Prohibition: {_term(term)}" for term in order["prohibitions"]]
    lines += [f"Requirement: {_label(REQUIREMENT_KIND_LABELS, r['kind'])}, "
              f"{_label(REQUIREMENT_STATUS_LABELS, r['status'])}"
              + (f", due {pack_date(r['due_date'])}" if r["due_date"] else "") for r in order["requirements"]]
    lines += [_breach(breach) for breach in order.get("breaches", ())]
    return lines


def spo_pack_section(case_ids: list[int]) -> dict[int, dict]:
    summaries = order_summaries_for_cases(case_ids)
    return {case_id: {"lines": [line for order in orders for line in _lines(order)], "orders": orders}
            for case_id, orders in summaries.items() if orders}


OUTCOME_LABELS = {"considering": "police are considering an application",
                  "declined": "police decided not to apply (reason recorded)", "applied": "applied for",
                  "granted": "order made", "refused": "refused by the court", "withdrawn": "application withdrawn",
                  "discharged": "order made, since discharged", "expired": "order made, since expired"}


def _request_line(request: dict) -> str:
    who = "by the victim" if request["requested_by_victim"] else "by an agency on the case"
    line = f"SPO requested {who} on {pack_date(request['requested_on'])}: "
    if request["order"] is None:
        line += "awaiting the police's answer"
        return line + (" (overdue)" if request["response_overdue"] else "")
    return line + f"answered {pack_date(request['answered_at'])}, {_label(OUTCOME_LABELS, request['outcome'])}"


def spo_request_pack_section(case_ids: list[int]) -> dict[int, dict]:
    """Requests for an SPO on each case and the police's answer: dates and outcome only
    (never the request's note or the reason's text)."""
    from .services import spo_request_summaries_for_cases

    return {case_id: {"lines": [_request_line(r) for r in requests], "requests": requests}
            for case_id, requests in spo_request_summaries_for_cases(case_ids).items()}
