"""The SPO summary section of the meeting pack: what the MARAC needs for safety
planning (kind, status, dates, prohibitions, requirement statuses), never requirement
notes, compliance events or breach details."""

from .models import OrderKind, OrderSource, OrderStatus
from .services import order_summaries_for_cases

KIND_LABELS = dict(OrderKind.choices)
SOURCE_LABELS = dict(OrderSource.choices)
STATUS_LABELS = dict(OrderStatus.choices)


def _term(term: dict) -> str:
    text = term["text"]
    if term.get("locality"):
        text += f" (within {term['locality']})"
    if term.get("ends_on"):
        text += f" (until {term['ends_on']})"
    return text


def _lines(order: dict) -> list[str]:
    dates = [f"{label} {order[field]}" for label, field in
             (("applied", "applied_on"), ("granted", "granted_on"), ("served", "served_on")) if order[field]]
    if order["status"] == OrderStatus.GRANTED:
        dates.append(f"in force until {order['expires_on']}" if order["expires_on"] else "until further order")
    lines = [f"{KIND_LABELS.get(order['kind'], order['kind'])} SPO ({SOURCE_LABELS.get(order['source'], order['source'])}): "
             f"{STATUS_LABELS.get(order['status'], order['status'])}" + (f"; {', '.join(dates)}" if dates else "")]
    lines += [f"Prohibition: {_term(term)}" for term in order["prohibitions"]]
    lines += [f"Requirement: {r['kind'].replace('_', ' ')}, {r['status'].replace('_', ' ')}"
              + (f", due {r['due_date']}" if r["due_date"] else "") for r in order["requirements"]]
    return lines


def spo_pack_section(case_ids: list[int]) -> dict[int, dict]:
    summaries = order_summaries_for_cases(case_ids)
    return {case_id: {"lines": [line for order in orders for line in _lines(order)], "orders": orders}
            for case_id, orders in summaries.items() if orders}
