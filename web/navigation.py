"""The primary navigation: each entry is shown when its area is routed (an area not
merged yet simply has no entry) and the caller's role allows it, read from the policy
table through web.slice (no rule written here)."""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from .slice import actor_of, may, may_any


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str  # in the `web` namespace
    target: str | None = None  # the policy row whose grant shows it (None: every member)
    action: str | None = "view"  # None: any row of the target (e.g. any report)
    members_only: bool = True  # platform admins never see case areas
    admins_only: bool = False


# The areas' list pages are named here; each area's urls.py defines its name.
NAVIGATION = [
    NavEntry("Home", "home", members_only=False),
    NavEntry("Referrals", "referral-list", "referral", "create"),
    NavEntry("Cases", "case-list", "case", "view"),
    NavEntry("Meetings", "meeting-list", "meeting", "view"),
    NavEntry("Actions", "action-list", "action", "view"),
    NavEntry("Orders", "order-list", "order", "view"),
    NavEntry("Transfers", "transfer-list", "transfer", "view"),
    NavEntry("Reports", "report-list", "report", None),
    NavEntry("Notifications", "notification-list", "notification", "view"),
    NavEntry("Users", "user-list", "user", "create"),
    NavEntry("Agencies", "admin-agency-list", "agency", "create", members_only=False, admins_only=True),
    NavEntry("MARACs", "admin-marac-list", members_only=False, admins_only=True),
]


def navigation_for(request) -> list[dict]:
    if not request.user.is_authenticated:
        return []
    actor = actor_of(request)
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match else None
    entries = []
    for entry in NAVIGATION:
        if entry.admins_only and not actor.is_platform_admin:
            continue
        if entry.members_only and not actor.is_member:
            continue
        if entry.target is not None and not (may_any(actor, entry.target) if entry.action is None
                                             else may(actor, entry.target, entry.action)):
            continue
        href = _href(entry.url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
        if href is None:
            continue
        entries.append({"label": entry.label, "href": href, "current": _is_current(entry, current)})
    return entries


@lru_cache(maxsize=64)
def _href(url_name: str, script_prefix: str, urlconf) -> str | None:
    """An entry's address (None: its area is not routed), reversed once per process,
    prefix and URLconf rather than ten times on every page."""
    try:
        return reverse(f"web:{url_name}")
    except NoReverseMatch:
        return None


def _is_current(entry: NavEntry, current: str | None) -> bool:
    """The entry of the area the page belongs to: "case-detail" is under "case-list"."""
    if current is None:
        return False
    if current == entry.url_name or entry.url_name == "home":
        return current == entry.url_name
    area = entry.url_name.rsplit("-", 1)[0]
    return current == area or current.startswith(area + "-")
