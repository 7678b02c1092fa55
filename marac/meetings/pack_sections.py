"""Pack section providers: the hook through which other domain areas add a section to
each case of a meeting pack (e.g. the SPO summary from marac/orders).

Register from your AppConfig.ready():

    from marac.meetings.pack_sections import register_pack_section
    register_pack_section("spo_summary", "Stalking Protection Orders", spo_summaries)

A provider takes the ids of the cases on the agenda and returns, in one set-based
call (never a query per case), `{case_id: {"lines": ["...", ...], ...}}`: `lines`
are printed under the section title in the PDF, and the whole dict goes into the
JSON pack under `cases[i].sections[name]`. Cases without data are left out. Only
include what the MARAC may see (the pack goes to the chair and coordinators).
Write dates in `lines` with `pack_date` / `pack_datetime`: the printed pack uses one
format ("16 December 2026"); the structured data keeps ISO dates.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

SectionProvider = Callable[[list[int]], dict[int, dict]]


@dataclass(frozen=True)
class PackSection:
    name: str
    title: str
    provide: SectionProvider


_sections: dict[str, PackSection] = {}


def register_pack_section(name: str, title: str, provide: SectionProvider) -> None:
    _sections[name] = PackSection(name, title, provide)


def unregister_pack_section(name: str) -> None:
    _sections.pop(name, None)


def pack_sections() -> list[PackSection]:
    return [_sections[name] for name in sorted(_sections)]


def pack_date(value: date | datetime | str | None) -> str:
    """The pack's one date format: 16 December 2026."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{value.day} {value:%B %Y}"


def pack_datetime(value: datetime | str | None) -> str:
    """16 December 2026, 14:05 (local time)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{pack_date(value.date())}, {value:%H:%M}"


def pack_duration(seconds: int) -> str:
    """3 h 20 min; 2 days 4 h."""
    minutes = max(0, seconds) // 60
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = ([f"{days} day{'s' if days != 1 else ''}"] if days else []) + ([f"{hours} h"] if hours else [])
    if not days:
        parts.append(f"{minutes} min")
    return " ".join(parts)
